// Why: reportProgress writes `progress.json` in the task's working directory, readable by any Batch client as the task file `wd/progress.json`.
import * as fs from "node:fs";
import * as path from "node:path";

export const PROGRESS_FILE_NAME = "progress.json";
/** The same file addressed through the Batch task-file API (paths are relative to the task directory). */
export const PROGRESS_TASK_FILE_PATH = `wd/${PROGRESS_FILE_NAME}`;

export interface TaskProgress {
  /** 0–100 */
  percent: number;
  message: string;
  jobId?: string;
  taskId?: string;
  /** ISO time of this report */
  updatedAt: string;
}

/** Checks and rounds a percentage; throws RangeError for anything outside 0–100. */
export function checkPercent(percent: number): number {
  if (typeof percent !== "number" || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new RangeError(`reportProgress: percent must be a number from 0 to 100 (got ${String(percent)})`);
  }
  return Math.round(percent * 10) / 10;
}

/** Writes the progress file atomically (temp file + rename), so a reader never sees half a file. */
export function writeProgressFile(workingDirectory: string, progress: Omit<TaskProgress, "updatedAt" | "percent"> & { percent: number }): TaskProgress {
  const record: TaskProgress = { ...progress, percent: checkPercent(progress.percent), updatedAt: new Date().toISOString() };
  const target = path.join(workingDirectory, PROGRESS_FILE_NAME);
  const temp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(record)}\n`);
  fs.renameSync(temp, target);
  return record;
}

export function parseProgress(text: string): TaskProgress | undefined {
  try {
    const value = JSON.parse(text) as TaskProgress;
    return typeof value.percent === "number" && typeof value.message === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}
