// Why: WorkloadBase — a workload: its Batch client, its job-manager builder, and the entry points of its tasks.
import type { BatchServiceClient } from "@azure/batch";
import type { StorageAccess } from "../files/storageAccess";
import type { JobSummary } from "../finalize/jobSummary";
import type { Logger } from "../logging/logger";
import type { BatchClientSettings } from "../settings/batchClientSettings";
import { EntryPointsRepository } from "./entryPointsRepository";
import type { JobManagerBuilderType } from "./jobManager";
import type { TaskDirectories } from "./workloadTask";

/** What `WorkloadBase.onJobCompleted` gets besides the summary (it runs in the FinalizeTask, on a node). */
export interface JobCompletedContext {
  readonly jobId: string;
  readonly client: BatchServiceClient;
  readonly settings: BatchClientSettings;
  readonly storage: StorageAccess;
  readonly logger: Logger;
  readonly directories: TaskDirectories;
}

export abstract class WorkloadBase {
  /** Register every task class here: `this.entryPointsRepository.registerEntryPoint(TaskType, TaskBuilderType)`. */
  readonly entryPointsRepository = new EntryPointsRepository();

  constructor(
    readonly client: BatchServiceClient,
    readonly jobManagerBuilderType: JobManagerBuilderType,
  ) {}

  /** Used in generated job ids and job metadata; defaults to the class name. */
  get workloadName(): string {
    return this.constructor.name;
  }

  /**
   * Where the FinalizeTask POSTs the job summary (HTTPS, or HTTP to a loopback address). BATCH_CALLBACK_URL and
   * `submit --callback-url` override it. Without one the summary is only kept in blob storage, and submit says so.
   */
  get callbackUrl(): string | undefined {
    return undefined;
  }

  /**
   * Runs in the FinalizeTask once the job summary is built and before it is stored and POSTed: enrich it (e.g. set
   * `summary.workloadResult`) or clean up. If it throws, the summary says so (`onJobCompletedError`, result `failed`),
   * the callback is still made, and the FinalizeTask then exits with code 1.
   */
  onJobCompleted(_summary: JobSummary, _context: JobCompletedContext): Promise<void> | void {}
}
