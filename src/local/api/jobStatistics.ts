// Why: numbers computed from a job's tasks: task counts and slot counts (GetTaskCounts), JobStatistics and TaskStatistics ($expand=stats).
import type { BatchState } from "../store/batchState";
import { nowIso, type JobRecord, type TaskRecord } from "../store/model";
import { addFigures, KERNEL_MS, READ_BYTES, READ_OPS, type TaskFigures, USER_MS, WALL_MS, WRITE_BYTES, WRITE_OPS } from "../store/lifetimeTotals";

export type { TaskCounts } from "../store/taskIndex";
import type { TaskCounts } from "../store/taskIndex";

/** From the job's task index, kept current on every change: no walk over the tasks. */
export function taskCounts(state: BatchState, jobId: string): { taskCounts: TaskCounts; taskSlotCounts: TaskCounts } {
  const index = state.taskIndex(jobId);
  return { taskCounts: { ...index.counts }, taskSlotCounts: { ...index.slotCounts } };
}

/** An ISO 8601 duration as the service writes a TimeSpan: `P1DT2H3M4.5S`, `PT0.63S`, `PT0S`. */
export function isoDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms));
  const days = Math.floor(rest / 86_400_000);
  rest -= days * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = rest / 1000;
  const time = `${hours ? `${hours}H` : ""}${minutes ? `${minutes}M` : ""}${seconds || (!hours && !minutes) ? `${seconds}S` : ""}`;
  return `P${days ? `${days}D` : ""}T${time}`.replace(/T$/, "");
}

export const GIB = 1024 ** 3;

interface RunInfo {
  startTime?: string;
  endTime?: string;
  retryCount?: number;
  result?: string;
}

/** The task's figures summed over its finished attempts, plus the wall clock time of the one running now. */
function liveFigures(task: TaskRecord, now: number): TaskFigures {
  const figures = addFigures(undefined, task.local.figures ?? []);
  const info = task.wire.executionInfo as RunInfo | undefined;
  if (task.wire.state === "running" && info?.startTime) figures[WALL_MS] += Math.max(0, now - Date.parse(info.startTime));
  return figures;
}

/** The figure properties JobStatistics and TaskStatistics share. */
export function jobFigureProperties(figures: readonly number[]): Record<string, unknown> {
  return {
    userCPUTime: isoDuration(figures[USER_MS]),
    kernelCPUTime: isoDuration(figures[KERNEL_MS]),
    wallClockTime: isoDuration(figures[WALL_MS]),
    readIOps: Math.round(figures[READ_OPS]),
    writeIOps: Math.round(figures[WRITE_OPS]),
    readIOGiB: figures[READ_BYTES] / GIB,
    writeIOGiB: figures[WRITE_BYTES] / GIB,
  };
}

/** Time from a task's creation to its last start (to now while it has not started). */
function waitMs(task: TaskRecord, now: number): number {
  const info = task.wire.executionInfo as RunInfo | undefined;
  const start = info?.startTime ? Date.parse(info.startTime) : now;
  return Math.max(0, start - Date.parse(String(task.wire.creationTime)));
}

/** TaskStatistics: what the task's processes used over all its attempts (node/taskFigures.ts). */
export function taskStatistics(task: TaskRecord, url: string): Record<string, unknown> {
  const now = Date.now();
  return {
    url,
    startTime: task.wire.creationTime,
    lastUpdateTime: nowIso(),
    ...jobFigureProperties(liveFigures(task, now)),
    waitTime: isoDuration(waitMs(task, now)),
  };
}

/** JobStatistics: the job's tasks' figures and outcomes summed. */
export function jobStatistics(state: BatchState, job: JobRecord, url: string): Record<string, unknown> {
  const now = Date.now();
  let figures: TaskFigures | undefined;
  let wait = 0;
  let succeeded = 0;
  let failed = 0;
  let retries = 0;
  for (const task of state.tasksOf(job.wire.id)) {
    const info = task.wire.executionInfo as RunInfo | undefined;
    retries += info?.retryCount ?? 0;
    if (task.wire.state === "completed") {
      if (info?.result === "failure") failed++;
      else succeeded++;
    }
    figures = addFigures(figures, liveFigures(task, now));
    if (info?.startTime) wait += waitMs(task, now);
  }
  return {
    url,
    startTime: job.wire.creationTime,
    lastUpdateTime: nowIso(),
    ...jobFigureProperties(figures ?? addFigures(undefined, [])),
    numSucceededTasks: succeeded,
    numFailedTasks: failed,
    numTaskRetries: retries,
    waitTime: isoDuration(wait),
  };
}
