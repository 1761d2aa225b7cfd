// Why: the error report (`error.json`) a failing role leaves in its working directory; uploaded with the task's outputs and quoted in the job summary.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Role } from "./roles";

export const ERROR_REPORT_FILE_NAME = "error.json";
export const ERROR_REPORT_TASK_FILE_PATH = `wd/${ERROR_REPORT_FILE_NAME}`;

export interface ErrorReport {
  /** the error's class name, e.g. "TypeError" */
  type: string;
  message: string;
  stack?: string;
  role: Role;
  task: { jobId?: string; taskId?: string; entryPoint?: string };
  /** ISO time the error was caught */
  time: string;
  exitCode: number;
}

export function createErrorReport(error: unknown, role: Role, task: ErrorReport["task"], exitCode: number): ErrorReport {
  const asError = error instanceof Error ? error : undefined;
  return {
    type: asError ? asError.name || asError.constructor.name : typeof error,
    message: asError ? asError.message : String(error),
    ...(asError?.stack ? { stack: asError.stack } : {}),
    role,
    task,
    time: new Date().toISOString(),
    exitCode,
  };
}

export function writeErrorReport(directory: string, report: ErrorReport): string {
  const file = path.join(directory, ERROR_REPORT_FILE_NAME);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

export function parseErrorReport(text: string): ErrorReport | undefined {
  try {
    const value = JSON.parse(text) as ErrorReport;
    return typeof value.message === "string" && typeof value.type === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}
