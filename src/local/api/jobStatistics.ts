// Why: numbers computed from a job's tasks: task counts and slot counts (GetTaskCounts) and JobStatistics ($expand=stats).
import type { BatchState } from "../store/batchState";
import { nowIso, type JobRecord, type TaskRecord } from "../store/model";

export interface TaskCounts {
  active: number;
  running: number;
  completed: number;
  succeeded: number;
  failed: number;
}

const zero = (): TaskCounts => ({ active: 0, running: 0, completed: 0, succeeded: 0, failed: 0 });

function slotsOf(task: TaskRecord): number {
  return typeof task.wire.requiredSlots === "number" ? task.wire.requiredSlots : 1;
}

function resultOf(task: TaskRecord): string | undefined {
  return (task.wire.executionInfo as { result?: string } | undefined)?.result;
}

function add(counts: TaskCounts, task: TaskRecord, amount: number): void {
  const state = task.wire.state;
  if (state === "active") counts.active += amount;
  else if (state === "running" || state === "preparing") counts.running += amount;
  else if (state === "completed") {
    counts.completed += amount;
    if (resultOf(task) === "failure") counts.failed += amount;
    else counts.succeeded += amount;
  }
}

export function taskCounts(state: BatchState, jobId: string): { taskCounts: TaskCounts; taskSlotCounts: TaskCounts } {
  const counts = zero();
  const slots = zero();
  for (const task of state.tasksOf(jobId)) {
    add(counts, task, 1);
    add(slots, task, slotsOf(task));
  }
  return { taskCounts: counts, taskSlotCounts: slots };
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
