// Why: JobManager (the workload's job-manager code: createJob() adds workload tasks) and JobManagerBuilder (how the runtime constructs it).
import type { BatchServiceClient } from "@azure/batch";
import { ensureOutputContainers } from "../files/outputContainers";
import type { StorageAccess } from "../files/storageAccess";
import type { Logger } from "../logging/logger";
import type { BatchClientSettings } from "../settings/batchClientSettings";
import { taskParameterContext, toTaskAddParameter } from "../submission/taskParameters";
import { submitTasks, type SubmissionResult, type SubmitOptions } from "../submission/taskSubmitter";
import { RESERVED_TASK_IDS } from "../contract/roles";
import type { EntryPointsRepository } from "./entryPointsRepository";
import { TaskSpecification, type WorkloadTaskOptions } from "../submission/taskSpecification";
import type { TaskArgsOf, WorkloadTaskType, AnyWorkloadTask } from "./workloadTask";
import { withSpan } from "../tracing/tracing";

export interface JobManagerContext<TJobArgs = unknown> {
  readonly jobId: string;
  /** the arguments given to `submit` (--args / --args-file) */
  readonly args: TJobArgs;
  readonly client: BatchServiceClient;
  readonly settings: BatchClientSettings;
  readonly storage: StorageAccess;
  readonly logger: Logger;
  readonly entryPoints: EntryPointsRepository;
  readonly submitOptions?: SubmitOptions;
}

const RESERVED_IDS = new Set(RESERVED_TASK_IDS);

export abstract class JobManager<TJobArgs = unknown> {
  private readonly added: TaskSpecification<unknown>[] = [];
  private readonly ids = new Set<string>();
  private unsubmitted = 0;
  private nextNumber = 1;
  private readonly submissions: SubmissionResult[] = [];

  constructor(protected readonly context: JobManagerContext<TJobArgs>) {}

  get jobId(): string {
    return this.context.jobId;
  }
  get args(): TJobArgs {
    return this.context.args;
  }
  get logger(): Logger {
    return this.context.logger;
  }

  /** The workload's plan: add its tasks with addWorkloadTask (they are submitted when it returns, or by submitPendingTasks). */
  abstract createJob(): Promise<void>;

  /**
   * Adds a task running `taskType` with `args` after every task in `dependsOn` has completed. Returns its specification;
   * inputs and outputs may still be added to it until it is submitted.
   */
  addWorkloadTask<TTask extends AnyWorkloadTask>(
    taskType: WorkloadTaskType<TTask>,
    args: TaskArgsOf<TTask>,
    dependsOn: readonly (TaskSpecification<unknown> | string)[] = [],
    options: WorkloadTaskOptions = {},
  ): TaskSpecification<TaskArgsOf<TTask>> {
    const entryPoint = this.context.entryPoints.nameOf(taskType);
    const parents = dependsOn.map((parent) => (typeof parent === "string" ? parent : parent.id));
    const id = options.id ?? this.nextFreeNumber();
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new Error(`addWorkloadTask: invalid task id "${id}" (1-64 letters, digits, - or _)`);
    if (RESERVED_IDS.has(id.toLowerCase())) throw new Error(`addWorkloadTask: task id "${id}" is reserved by the runtime`);
    if (this.ids.has(id.toLowerCase())) throw new Error(`addWorkloadTask: task id "${id}" is already used in this job`);
    for (const parent of parents) {
      if (!this.ids.has(parent.toLowerCase())) throw new Error(`addWorkloadTask: task ${id} depends on "${parent}", which was not added before it`);
    }
    const spec = new TaskSpecification<TaskArgsOf<TTask>>(id, entryPoint, args, parents, options);
    this.ids.add(id.toLowerCase());
    this.added.push(spec as TaskSpecification<unknown>);
    this.unsubmitted++;
    return spec;
  }

  /** Every task added so far (submitted or not). */
  get tasks(): readonly TaskSpecification<unknown>[] {
    return this.added;
  }

  /** Every submission's outcome so far. */
  get submissionResults(): readonly SubmissionResult[] {
    return this.submissions;
  }

  /** Submits the tasks added since the last call (chunked, parallel addCollection). Called by the runtime after createJob(). */
  async submitPendingTasks(): Promise<SubmissionResult> {
    const pending = this.added.slice(this.added.length - this.unsubmitted);
    this.unsubmitted = 0;
    // the tasks' processes continue this span (TRACEPARENT in their environment)
    return withSpan("batch.job_manager.submit_tasks", { "batch.job.id": this.jobId, "batch.task.count": pending.length }, async () => {
      const runtime = { storage: this.context.storage, settings: this.context.settings };
      await ensureOutputContainers(
        pending.flatMap((spec) => spec.outputFiles),
        this.context.storage,
        this.logger,
      );
      const shared = await taskParameterContext(runtime, this.jobId);
      const parameters = await Promise.all(pending.map((spec) => toTaskAddParameter(spec, shared)));
      const result = await submitTasks(this.context.client, this.jobId, parameters, this.context.submitOptions);
      this.submissions.push(result);
      return result;
    });
  }

  /** The lowest unused number from the last one handed out (taken only once the task is added). */
  private nextFreeNumber(): string {
    while (this.ids.has(String(this.nextNumber))) this.nextNumber++;
    return String(this.nextNumber);
  }
}

/**
 * Builds the workload's JobManager on the node; override `build` to inject what its constructor needs. The job
 * arguments are whatever JSON `submit --args` was given, so `build` may declare the type it expects.
 */
export abstract class JobManagerBuilder {
  // biome-ignore lint/suspicious/noExplicitAny: the job arguments' type is the workload's to declare
  abstract build(context: JobManagerContext<any>): JobManager<unknown> | Promise<JobManager<unknown>>;
}

export type JobManagerBuilderType = new () => JobManagerBuilder;
