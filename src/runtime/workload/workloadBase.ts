// Why: WorkloadBase — a workload: its Batch client, its job-manager builder, and the entry points of its tasks.
import type { BatchServiceClient } from "@azure/batch";
import { EntryPointsRepository } from "./entryPointsRepository";
import type { JobManagerBuilderType } from "./jobManager";

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
}
