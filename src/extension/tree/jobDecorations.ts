// Why: the extra reads that make jobs and tasks informative: task counts per job and the workload progress file of running tasks (bounded).

import { mapBounded } from "../common/bounded";
import { parseProgress, PROGRESS_TASK_FILE_PATH, type TaskProgress } from "../../runtime/progress/progressFile";
import type { BatchClientLike, JobLike, TaskCountsLike, TaskLike } from "../common/batchClientLike";

export type JobWithCounts = JobLike & { counts?: TaskCountsLike["taskCounts"] };
export type TaskWithProgress = TaskLike & { progress?: TaskProgress };

/** How many calls of one kind run at once, and how many running tasks per page get their progress read. */
export const DECORATE_CONCURRENCY = 6;
export const MAX_PROGRESS_READS = 20;
const MAX_PROGRESS_BYTES = 16 * 1024;

/** Adds `counts` (job.getTaskCounts) to each job; a job whose call fails just shows none. */
export async function withTaskCounts(client: BatchClientLike, jobs: JobLike[], signal?: AbortSignal): Promise<JobWithCounts[]> {
  const getTaskCounts = client.job.getTaskCounts?.bind(client.job);
  if (!getTaskCounts) return jobs;
  const results = await mapBounded(jobs, DECORATE_CONCURRENCY, (job) => getTaskCounts(job.id ?? "", { abortSignal: signal }), signal);
  return jobs.map((job, i) => {
    const result = results[i];
    return result?.status === "fulfilled" ? { ...job, counts: result.value.taskCounts } : job;
  });
}

/** Adds `progress` (the task file wd/progress.json) to running tasks only; a missing or unreadable file shows none. */
export async function withProgress(client: BatchClientLike, jobId: string, tasks: TaskLike[], signal?: AbortSignal): Promise<TaskWithProgress[]> {
  const file = client.file;
  if (!file) return tasks;
  const running = tasks.filter((t) => t.state === "running").slice(0, MAX_PROGRESS_READS);
  const results = await mapBounded(
    running,
    DECORATE_CONCURRENCY,
    async (task) => {
      const response = await file.getFromTask(jobId, task.id ?? "", PROGRESS_TASK_FILE_PATH, { abortSignal: signal });
      return parseProgress(await readText(response.readableStreamBody));
    },
    signal,
  );
  const progress = new Map<TaskLike, TaskProgress>();
  running.forEach((task, i) => {
    const result = results[i];
    if (result?.status === "fulfilled" && result.value) progress.set(task, result.value);
  });
  return tasks.map((task) => (progress.has(task) ? { ...task, progress: progress.get(task) } : task));
}

/** `3 active · 12 running · 37 ✓ · 2 ✗` (✓ succeeded, ✗ failed; parts that are 0 left out; "no tasks" when there are none). */
export function countsText(counts: TaskCountsLike["taskCounts"] | undefined): string | undefined {
  if (!counts) return undefined;
  if (counts.active + counts.running + counts.completed === 0) return "no tasks";
  const parts = [
    counts.active ? `${counts.active} active` : "",
    counts.running ? `${counts.running} running` : "",
    counts.succeeded ? `${counts.succeeded} ✓` : "",
    counts.failed ? `${counts.failed} ✗` : "",
  ];
  return parts.filter(Boolean).join(" · ") || `${counts.completed} completed`;
}

/** The tooltip's line: every count, zeros included. */
export function countsDetail(counts: TaskCountsLike["taskCounts"]): string {
  return `${counts.active} active, ${counts.running} running, ${counts.completed} completed (${counts.succeeded} succeeded, ${counts.failed} failed)`;
}

/** `45% transforming` */
export function progressText(progress: TaskProgress | undefined): string | undefined {
  if (!progress) return undefined;
  return progress.message ? `${progress.percent}% ${progress.message}` : `${progress.percent}%`;
}

async function readText(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) return "";
  let text = "";
  for await (const chunk of stream) {
    text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    if (text.length > MAX_PROGRESS_BYTES) break;
  }
  return text;
}
