// Why: the one job-level progress figure (percent, counts, ETA) — computed the same way by the finalize-guard's progress reports and by `batch-manager run --wait`.

/** One workload task as the figure needs it. */
export interface TaskProgressState {
  id: string;
  displayName?: string;
  /** Batch task state: active, preparing, running, completed */
  state: string;
  /** completed tasks: success or failure */
  result?: string;
  /** running tasks: their last reportProgress percentage (progress.json), if any */
  percent?: number;
  message?: string;
}

export interface JobProgressCounts {
  /** workload tasks added so far (the job manager, the guard and the FinalizeTask are not counted) */
  total: number;
  completed: number;
  succeeded: number;
  failed: number;
  running: number;
  /** waiting to run (active or preparing) */
  waiting: number;
}

export interface RunningTask {
  taskId: string;
  displayName?: string;
  percent: number;
  message: string;
}

export interface JobProgress {
  /** 0–100, whole numbers: completed tasks count whole, running ones by their reported progress; below 100 while the job manager may still add tasks */
  percent: number;
  counts: JobProgressCounts;
  /** the job manager is still running (it may add more tasks, so the total can still grow) */
  jobManagerRunning: boolean;
  /** seconds since the job was created */
  elapsedSeconds: number;
  /** a linear estimate of the seconds left (elapsed × remaining ÷ done); null until something is done, 0 at 100% */
  etaSeconds: number | null;
  /** the running tasks that reported progress */
  running: RunningTask[];
}

const clampPercent = (value: number): number => Math.min(100, Math.max(0, value));

/** The figure from the workload tasks' states (pure: the same input gives the same figure everywhere). */
export function computeJobProgress(tasks: readonly TaskProgressState[], jobManagerRunning: boolean, jobCreatedAt: Date | undefined, now: Date): JobProgress {
  const counts: JobProgressCounts = { total: tasks.length, completed: 0, succeeded: 0, failed: 0, running: 0, waiting: 0 };
  let partial = 0;
  const running: RunningTask[] = [];
  for (const task of tasks) {
    if (task.state === "completed") {
      counts.completed++;
      if (task.result === "failure") counts.failed++;
      else counts.succeeded++;
    } else if (task.state === "running") {
      counts.running++;
      if (task.percent !== undefined) {
        partial += clampPercent(task.percent) / 100;
        running.push({ taskId: task.id, ...(task.displayName ? { displayName: task.displayName } : {}), percent: task.percent, message: task.message ?? "" });
      }
    } else counts.waiting++;
  }
  const exact = counts.total ? ((counts.completed + partial) / counts.total) * 100 : 0;
  // 100 only when every task is done and no more can come
  const percent = Math.min(Math.floor(exact), jobManagerRunning || counts.completed < counts.total ? 99 : 100);
  const elapsedSeconds = jobCreatedAt ? Math.max(0, Math.round((now.getTime() - jobCreatedAt.getTime()) / 1000)) : 0;
  const etaSeconds = percent >= 100 ? 0 : exact > 0 && jobCreatedAt ? Math.round((elapsedSeconds * (100 - exact)) / exact) : null;
  return { percent, counts, jobManagerRunning, elapsedSeconds, etaSeconds, running };
}

/** "42% · 3/7 tasks done (2 running, 1 failed) · about 1m 10s left" */
export function describeJobProgress(progress: JobProgress): string {
  const { counts } = progress;
  const eta = progress.etaSeconds === null || progress.percent >= 100 ? "" : ` · about ${formatDuration(progress.etaSeconds)} left`;
  const planning = progress.jobManagerRunning ? ", the job manager is still adding tasks" : "";
  return `${progress.percent}% · ${counts.completed}/${counts.total} tasks done (${counts.running} running, ${counts.failed} failed${planning})${eta}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}
