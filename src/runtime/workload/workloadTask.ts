// Why: WorkloadTask (the code one Batch task runs) and WorkloadTaskBuilder (how the runtime constructs it on the node).
import type { BatchServiceClient } from "@azure/batch";
import type { StorageAccess } from "../files/storageAccess";
import type { Logger } from "../logging/logger";
import type { TaskProgress } from "../progress/progressFile";
import type { BatchClientSettings } from "../settings/batchClientSettings";

export interface TaskDirectories {
  /** AZ_BATCH_TASK_WORKING_DIR: the current directory; input files are here, output files are picked up from here */
  working: string;
  /** AZ_BATCH_TASK_DIR: holds stdout.txt/stderr.txt and the working directory */
  task: string;
  /** AZ_BATCH_NODE_SHARED_DIR: read/write for every task on the node */
  shared: string;
}

/** A task this one depends on, as it ended (read from Batch when the task starts on a node). */
export interface ParentTaskResult {
  readonly id: string;
  readonly displayName?: string;
  /** Batch task state; "completed" for every parent of a running task */
  readonly state: string;
  /** "success" | "failure" */
  readonly result?: string;
  readonly exitCode?: number;
  readonly failureInfo?: { readonly code?: string; readonly message?: string };
}

/** What `WorkloadTask.run` gets. */
export interface TaskContext<TArgs> {
  /** the arguments the job manager gave addWorkloadTask */
  readonly args: TArgs;
  readonly jobId: string;
  readonly taskId: string;
  readonly directories: TaskDirectories;
  readonly logger: Logger;
  /**
   * The tasks this one depends on and how they ended (on a node; [] when run locally or without dependencies). A task
   * added with `{ after: "completion" }` runs even when some failed and can look here to see which.
   */
  readonly parents: readonly ParentTaskResult[];
  /** Records progress (0–100) in `progress.json` of the working directory; Batch clients read it as task file `wd/progress.json`. */
  reportProgress(percent: number, message: string): TaskProgress;
}

/** What a WorkloadTaskBuilder gets to construct a task (services the task may need). */
export interface TaskBuildContext {
  readonly client: BatchServiceClient;
  readonly settings: BatchClientSettings;
  readonly storage: StorageAccess;
  readonly logger: Logger;
  readonly jobId: string;
  readonly taskId: string;
}

/** The code of one kind of Batch task. `TArgs` is the JSON-serialisable argument object the job manager passes. */
export abstract class WorkloadTask<TArgs = unknown> {
  /** The name tasks are registered and dispatched under; defaults to the class name (keep names when minifying, or set this). */
  static entryPointName?: string;

  abstract run(context: TaskContext<TArgs>): Promise<void> | void;
}

// biome-ignore lint/suspicious/noExplicitAny: task classes differ in argument types
export type AnyWorkloadTask = WorkloadTask<any>;

/** A workload task class: `registerEntryPoint(TaskType, …)` and `addWorkloadTask(TaskType, args)` take it. */
// biome-ignore lint/suspicious/noExplicitAny: task classes differ in constructor parameters
export type WorkloadTaskType<TTask extends AnyWorkloadTask = AnyWorkloadTask> = (abstract new (...args: any[]) => TTask) & { entryPointName?: string };

/** The argument type of a task class (what its `run` context's `args` is). */
export type TaskArgsOf<TTask> = TTask extends WorkloadTask<infer TArgs> ? TArgs : never;

/** Builds a task on the node; override `build` to inject what the task's constructor needs. */
export abstract class WorkloadTaskBuilder<TTask extends AnyWorkloadTask = AnyWorkloadTask> {
  abstract build(context: TaskBuildContext): TTask | Promise<TTask>;
}

export type WorkloadTaskBuilderType<TTask extends AnyWorkloadTask = AnyWorkloadTask> = new () => WorkloadTaskBuilder<TTask>;
