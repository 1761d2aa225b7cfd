// Why: numbers computed from a job's tasks: task counts and slot counts (GetTaskCounts) and JobStatistics ($expand=stats).
import type { BatchState } from "../store/batchState";
import { nowIso, type JobRecord } from "../store/model";

export type { TaskCounts } from "../store/taskIndex";
import type { TaskCounts } from "../store/taskIndex";

/** From the job's task index, kept current on every change: no walk over the tasks. */
export function taskCounts(state: BatchState, jobId: string): { taskCounts: TaskCounts; taskSlotCounts: TaskCounts } {
  const index = state.taskIndex(jobId);
  return { taskCounts: { ...index.counts }, taskSlotCounts: { ...index.slotCounts } };
}

const seconds = (ms: number): string => `PT${Math.max(0, Math.round(ms / 1000))}S`;

/** JobStatistics from the tasks: wall clock and wait time summed over tasks; CPU and I/O are not measured locally. */
export function jobStatistics(state: BatchState, job: JobRecord, url: string): Record<string, unknown> {
  let wallMs = 0;
  let waitMs = 0;
  let succeeded = 0;
  let failed = 0;
  let retries = 0;
  for (const task of state.tasksOf(job.wire.id)) {
    const info = task.wire.executionInfo as { startTime?: string; endTime?: string; retryCount?: number; result?: string } | undefined;
    retries += info?.retryCount ?? 0;
    if (task.wire.state === "completed") {
      if (info?.result === "failure") failed++;
      else succeeded++;
    }
    if (info?.startTime) {
      const start = Date.parse(info.startTime);
      wallMs += (info.endTime ? Date.parse(info.endTime) : Date.now()) - start;
      waitMs += start - Date.parse(String(task.wire.creationTime));
    }
  }
  return {
    url,
    startTime: job.wire.creationTime,
    lastUpdateTime: nowIso(),
    userCPUTime: "PT0S",
    kernelCPUTime: "PT0S",
    wallClockTime: seconds(wallMs),
    readIOps: 0,
    writeIOps: 0,
    readIOGiB: 0,
    writeIOGiB: 0,
    numSucceededTasks: succeeded,
    numFailedTasks: failed,
    numTaskRetries: retries,
    waitTime: seconds(waitMs),
  };
}
