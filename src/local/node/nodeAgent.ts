// Why: the contract between the scheduler (which task runs where, and what its result means) and the node agent (how it runs).

/** Which kind of Batch task an attempt is: each gets its own directories and AZ_BATCH_* variables. */
export type TaskKind = "task" | "jobManager" | "jobPreparation" | "jobRelease" | "startTask";

export interface TaskFailureInfo {
  category: "usererror" | "servererror";
  code: string;
  message: string;
  details?: { name: string; value: string }[];
}

/** One attempt of a task on one node. */
export interface TaskLaunch {
  kind: TaskKind;
  poolId: string;
  nodeId: string;
  /** absent for the start task */
  jobId?: string;
  /** absent for the start task; `jobpreparation`/`jobrelease` ids for those kinds */
  taskId?: string;
  /** the task's wire JSON: commandLine, resourceFiles, outputFiles, environmentSettings, applicationPackageReferences, constraints, userIdentity, … */
  spec: Record<string, unknown>;
  /** the job's wire JSON (commonEnvironmentSettings, jobPreparationTask, …); absent for the start task */
  job?: Record<string, unknown>;
  /** the pool's wire JSON (applicationPackageReferences, taskSlotsPerNode, …) */
  pool: Record<string, unknown>;
  /** 0 for the first attempt */
  retryCount: number;
}

export interface AttemptResult {
  /** undefined when the command never ran (pre-processing error) */
  exitCode?: number;
  startTime: string;
  endTime: string;
  /** set for a pre-processing error, a file-upload error, a wall-clock timeout or a kill */
  failureInfo?: TaskFailureInfo;
  failureKind?: "preProcessing" | "fileUpload" | "timeout" | "killed";
  /** absolute AZ_BATCH_TASK_DIR and AZ_BATCH_TASK_WORKING_DIR of the attempt */
  taskDir: string;
  workingDir: string;
  /** process id (= process group id) while it ran */
  pid?: number;
  /** what the attempt's processes used (node/taskFigures.ts); absent where it could not be measured */
  figures?: number[];
  /**
   * Set when the attempt was stopped because its node left the pool (resize down, pool delete, service stop), with
   * the pool's nodeDeallocationOption: "requeue" → the task goes back to active (requeueCount + 1), "terminate" →
   * it completes with the failureInfo given. failureKind is then "killed".
   */
  nodeRemoval?: "requeue" | "terminate";
}

export interface NodeAgent {
  /**
   * Runs one attempt: prepares directories, deploys application packages, downloads resource files, runs the command line
   * without a shell (own process group), enforces constraints.maxWallClockTime, uploads output files. Aborting the signal
   * kills the process group; the result then has failureKind "killed". `onStarted` is called with the pid once it runs.
   */
  run(launch: TaskLaunch, signal: AbortSignal, onStarted?: (pid: number, taskDir: string) => void): Promise<AttemptResult>;
  /** Brings a pool's node records in line with its targets: creates nodes (directories, start task), removes surplus ones. */
  reconcilePool(poolId: string): void;
  /** Removes all nodes of a pool, their directories and the pool record. */
  removePool(poolId: string): Promise<void>;
  /** Kills a process group left over by a previous run of the service (after a crash), if it still runs. */
  killOrphan(pid: number): void;
  stop(): Promise<void>;
}
