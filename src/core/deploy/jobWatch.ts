// Why: `run --wait`: follows a job until it completes, reporting task counts and the job-level progress figure the runtime reports (percent, ETA), and says whether it succeeded.

import type { BatchServiceClient } from "@azure/batch";
import { setTimeout as delay } from "node:timers/promises";
import { readJobProgress } from "../../runtime/batch/jobProgressReader";
import { describeJobProgress, type JobProgress } from "../../runtime/progress/jobProgress";
import { UserCancelledError } from "../cancellation";
import type { ProgressSink } from "../wizard/wizard";

export interface TaskCounts {
  active: number;
  running: number;
  succeeded: number;
  failed: number;
}

export interface JobOutcome {
  state: string;
  succeeded: boolean;
  taskCounts: TaskCounts;
  /** when the job was created (the progress figure's ETA counts from it) */
  createdAt?: Date;
}

const POLL_MS = 1000;

export async function jobOutcome(batch: BatchServiceClient, jobId: string): Promise<JobOutcome> {
  const [job, counts] = await Promise.all([batch.job.get(jobId), batch.job.getTaskCounts(jobId)]);
  const taskCounts = {
    active: counts.taskCounts.active,
    running: counts.taskCounts.running,
    succeeded: counts.taskCounts.succeeded,
    failed: counts.taskCounts.failed,
  };
  const state = job.state ?? "unknown";
  const succeeded =
    state === "completed" && taskCounts.failed === 0 && !job.executionInfo?.schedulingError && job.executionInfo?.terminateReason !== "TaskFailed";
  return { state, succeeded, taskCounts, ...(job.creationTime ? { createdAt: new Date(job.creationTime) } : {}) };
}

/** What the editor's progress notification shows: task counts and the runtime's progress reports of running tasks. */
export interface JobSnapshot {
  readonly jobId: string;
  readonly state: string;
  readonly taskCounts: TaskCounts;
  /** every task of the job so far (the job manager included) */
  readonly total: number;
  /** 0–100: the job-level figure the runtime's progress reports carry (src/runtime/progress/jobProgress.ts); 100 once the job completed */
  readonly percent: number;
  /** the whole figure (counts of workload tasks, ETA), while the job runs */
  readonly progress?: JobProgress;
  readonly running: readonly RunningTaskProgress[];
}

export interface RunningTaskProgress {
  readonly task: string;
  readonly percent: number;
  readonly message: string;
}

/**
 * Polls until the job is completed; every change of the counts, and every new progress report of a running task,
 * becomes a progress line, and `onSnapshot` (when given) gets each poll's counts and percentages.
 */
export async function watchJob(
  batch: BatchServiceClient,
  jobId: string,
  progress: ProgressSink,
  signal: AbortSignal,
  onSnapshot?: (snapshot: JobSnapshot) => void,
): Promise<JobOutcome> {
  let lastCounts = "";
  let lastFigure = "";
  const lastProgress = new Map<string, string>();
  for (;;) {
    if (signal.aborted) throw new UserCancelledError("wait for the job");
    const outcome = await jobOutcome(batch, jobId);
    const counts = outcome.taskCounts;
    const line = `job ${jobId}: ${outcome.state} — ${counts.active} active, ${counts.running} running, ${counts.succeeded} succeeded, ${counts.failed} failed`;
    if (line !== lastCounts) progress.report(line);
    lastCounts = line;
    const figure = outcome.state !== "completed" ? await readJobProgress(batch, jobId, outcome.createdAt).catch(() => undefined) : undefined;
    const figureLine = figure ? `job ${jobId}: ${describeJobProgress(figure)}` : "";
    if (figureLine && figureLine !== lastFigure) progress.report(figureLine);
    lastFigure = figureLine;
    const running = (figure?.running ?? []).map((task) => ({ task: task.displayName ?? task.taskId, percent: task.percent, message: task.message }));
    for (const task of running) {
      const text = `${task.task}: ${task.percent}% ${task.message}`;
      if (lastProgress.get(task.task) === text) continue;
      lastProgress.set(task.task, text);
      progress.report(text);
    }
    if (signal.aborted) throw new UserCancelledError("wait for the job");
    onSnapshot?.(snapshotOf(jobId, outcome, running, figure));
    if (outcome.state === "completed") return outcome;
    await delay(POLL_MS, undefined, { signal }).catch(() => undefined);
  }
}

function snapshotOf(jobId: string, outcome: JobOutcome, running: RunningTaskProgress[], figure: JobProgress | undefined): JobSnapshot {
  const { active, succeeded, failed } = outcome.taskCounts;
  const total = active + outcome.taskCounts.running + succeeded + failed;
  const percent = outcome.state === "completed" ? 100 : (figure?.percent ?? 0);
  return { jobId, state: outcome.state, taskCounts: outcome.taskCounts, total, percent, running, ...(figure ? { progress: figure } : {}) };
}
