// Why: what the REST handlers may ask of the node dispatcher; the handlers change state, the dispatcher runs processes.

export interface NodeDispatcher {
  /** Brings a pool's nodes in line with its targets (creates node directories, runs the start task, removes nodes). */
  reconcilePool(poolId: string): void;
  /** Stops everything running on the pool's nodes and removes their directories (pool delete). */
  removePool(poolId: string): Promise<void>;
  /** Kills the running attempt of a task, if any (task terminate/delete, job terminate). */
  killTask(jobId: string, taskId: string): Promise<void>;
  /** Runs job release tasks where preparation ran, then lets the job reach completed (job terminate or delete). */
  endJob(jobId: string, reason: "terminate" | "delete"): Promise<void>;
  /** Asks the scheduler to look for work now. */
  kick(): void;
}
