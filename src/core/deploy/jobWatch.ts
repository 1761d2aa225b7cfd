// Why: `run --wait`: follows a job until it completes, reporting task counts and the runtime's progress reports, and says whether it succeeded.

import type { BatchServiceClient } from "@azure/batch";
import { setTimeout as delay } from "node:timers/promises";
import { readTaskProgress } from "../../runtime/batch/taskFiles";
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
  return { state, succeeded, taskCounts };
}

/** Polls until the job is completed; every change of the counts, and every new progress report of a running task, becomes a progress line. */
export async function watchJob(batch: BatchServiceClient, jobId: string, progress: ProgressSink, signal: AbortSignal): Promise<JobOutcome> {
  let lastCounts = "";
  const lastProgress = new Map<string, string>();
  for (;;) {
    if (signal.aborted) throw new UserCancelledError("wait for the job");
    const outcome = await jobOutcome(batch, jobId);
    const counts = outcome.taskCounts;
    const line = `job ${jobId}: ${outcome.state} — ${counts.active} active, ${counts.running} running, ${counts.succeeded} succeeded, ${counts.failed} failed`;
    if (line !== lastCounts) progress.report(line);
    lastCounts = line;
    if (outcome.state === "completed") return outcome;
    if (counts.running > 0) await reportRunningProgress(batch, jobId, lastProgress, progress);
    await delay(POLL_MS, undefined, { signal }).catch(() => undefined);
  }
}

async function reportRunningProgress(batch: BatchServiceClient, jobId: string, seen: Map<string, string>, progress: ProgressSink): Promise<void> {
  const running = await batch.task.list(jobId, { taskListOptions: { filter: "state eq 'running'", select: "id,displayName" } });
  for (const task of running) {
    const report = await readTaskProgress(batch, jobId, task.id!).catch(() => undefined);
    if (!report) continue;
    const text = `${task.displayName ?? task.id}: ${report.percent}% ${report.message}`;
    if (seen.get(task.id!) === text) continue;
    seen.set(task.id!, text);
    progress.report(text);
  }
}
