// Why: TaskSpecification — one workload task as the job manager describes it (entry point, args, dependencies, files), before it becomes a Batch task.
import type { InputFileSpecification, OutputFileSpecification } from "../files/fileSpecifications";

/** When a dependent task runs: once every parent succeeded (default), or once every parent completed, whatever its outcome. */
export type RunAfter = "success" | "completion";

/** Optional settings for `addWorkloadTask`. */
export interface WorkloadTaskOptions {
  /**
   * "success" (default): the task runs its code only if every task in `dependsOn` succeeded (otherwise it ends with exit
   * code 6). "completion": it runs once they all completed, whatever their outcome; `context.parents` says which failed.
   */
  after?: RunAfter;
  /** a Batch task id (letters, digits, - and _); by default tasks are numbered 1, 2, 3, … (compact dependency ranges) */
  id?: string;
  /** shown in Batch explorers; defaults to "<entryPoint> <id>" */
  displayName?: string;
  inputFiles?: InputFileSpecification[];
  outputFiles?: Omit<OutputFileSpecification, "taskId">[];
  /** retries after a non-zero exit code (Batch maxTaskRetryCount); default 0 */
  maxTaskRetryCount?: number;
  /** Batch terminates the task after this many seconds */
  maxWallClockTimeSeconds?: number;
}

export class TaskSpecification<TArgs = unknown> {
  readonly inputFiles: InputFileSpecification[] = [];
  readonly outputFiles: OutputFileSpecification[] = [];
  displayName: string;
  readonly after: RunAfter;
  maxTaskRetryCount?: number;
  maxWallClockTimeSeconds?: number;

  constructor(
    readonly id: string,
    readonly entryPoint: string,
    readonly args: TArgs,
    /** ids of the tasks this one waits for */
    readonly dependsOn: readonly string[],
    options: WorkloadTaskOptions = {},
  ) {
    this.displayName = options.displayName ?? `${entryPoint} ${id}`;
    if (options.after !== undefined && options.after !== "success" && options.after !== "completion")
      throw new Error(`addWorkloadTask: options.after must be "success" or "completion" (got ${JSON.stringify(options.after)})`);
    this.after = options.after ?? "success";
    this.maxTaskRetryCount = options.maxTaskRetryCount;
    this.maxWallClockTimeSeconds = options.maxWallClockTimeSeconds;
    for (const input of options.inputFiles ?? []) this.addInputFile(input);
    for (const output of options.outputFiles ?? []) this.addOutputFile(output);
  }

  addInputFile(input: InputFileSpecification): this {
    this.inputFiles.push({ ...input });
    return this;
  }

  /** Adds an output of this task and returns it (with `taskId` set), e.g. to pass to `inputFromOutput` for a dependent task. */
  addOutputFile(output: Omit<OutputFileSpecification, "taskId">): OutputFileSpecification {
    const added: OutputFileSpecification = { ...output, taskId: this.id };
    this.outputFiles.push(added);
    return added;
  }
}
