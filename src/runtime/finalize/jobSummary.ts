// Why: the FinalizeTask's JSON summary of a job: its result, and every task's state, exit code, failure, error report, progress, outputs and timings.
import type { BatchServiceClient, BatchServiceModels } from "@azure/batch";
import { ERROR_REPORT_TASK_FILE_PATH, parseErrorReport, type ErrorReport } from "../contract/errorReport";
import { FINALIZE_GUARD_TASK_ID, FINALIZE_TASK_ID, JOB_MANAGER_TASK_ID, RuntimeVariables } from "../contract/roles";
import { listAllTasks, mapLimited } from "../batch/listTasks";
import { readTaskFile, readTaskProgress } from "../batch/taskFiles";
import type { TaskProgress } from "../progress/progressFile";

export interface OutputLocation {
  filePattern: string;
  /** container URL without any SAS */
  containerUrl: string;
  path?: string;
}

export interface TaskTimings {
  createdAt?: string;
  startedAt?: string;
  endedAt?: string;
  durationSeconds?: number;
}

export interface TaskSummary {
  id: string;
  displayName?: string;
  kind: "jobManager" | "task";
  entryPoint?: string;
  state?: string;
  result?: string;
  exitCode?: number;
  retryCount?: number;
  failureInfo?: { category: string; code?: string; message?: string; details?: { name?: string; value?: string }[] };
  errorReport?: ErrorReport;
  progress?: TaskProgress;
  /** the outputs this task's outcome uploaded (a failed task's success-only outputs are left out) */
  outputs: OutputLocation[];
  /** stdout, stderr and (only for a failed task) error.json copies in the runtime container */
  runtimeFiles: OutputLocation[];
  timings: TaskTimings;
}

/** An error the FinalizeTask met (the workload's onJobCompleted, or the job manager that never added the FinalizeTask). */
export interface SummaryError {
  type: string;
  message: string;
  stack?: string;
}

export interface JobSummary {
  jobId: string;
  workloadName?: string;
  /** "succeeded" when every task (job manager included) ended with result success and onJobCompleted did not throw */
  result: "succeeded" | "failed";
  /** whatever the workload's onJobCompleted put here (JSON) */
  workloadResult?: unknown;
  /** the workload's onJobCompleted threw this */
  onJobCompletedError?: SummaryError;
  counts: { total: number; succeeded: number; failed: number; notCompleted: number };
  tasks: TaskSummary[];
  timings: { jobCreatedAt?: string; finalizedAt: string; durationSeconds?: number };
}

const iso = (date: Date | undefined): string | undefined => date?.toISOString();
const seconds = (start?: Date, end?: Date): number | undefined => (start && end ? Math.round((end.getTime() - start.getTime()) / 100) / 10 : undefined);
const withoutSas = (url: string): string => url.split("?")[0]!;

/** Whether an output with this upload condition was uploaded, given how the task ended (nothing is uploaded before it ends). */
function uploadedFor(condition: string | undefined, result: string | undefined): boolean {
  if (result === undefined) return false;
  if (condition === "taskfailure") return result === "failure";
  if (condition === "taskcompletion") return true;
  return result === "success"; // tasksuccess, the Batch default
}

/** The outputs the task's outcome uploaded: a succeeded task lists no error.json, a failed one no success-only outputs. */
function outputLocations(task: BatchServiceModels.CloudTask, runtimeContainerUrl: string): { outputs: OutputLocation[]; runtimeFiles: OutputLocation[] } {
  const all = (task.outputFiles ?? [])
    .filter((file) => uploadedFor(file.uploadOptions?.uploadCondition, task.executionInfo?.result))
    .map((file) => ({
      filePattern: file.filePattern,
      containerUrl: withoutSas(file.destination.container?.containerUrl ?? ""),
      ...(file.destination.container?.path ? { path: file.destination.container.path } : {}),
    }));
  const isRuntime = (location: OutputLocation) => location.containerUrl === runtimeContainerUrl;
  return { outputs: all.filter((l) => !isRuntime(l)), runtimeFiles: all.filter(isRuntime) };
}

async function summarizeTask(client: BatchServiceClient, jobId: string, task: BatchServiceModels.CloudTask, runtimeContainerUrl: string): Promise<TaskSummary> {
  const info = task.executionInfo;
  const failed = info?.result === "failure";
  const [errorText, progress] = await Promise.all([
    failed ? readTaskFile(client, jobId, task.id!, ERROR_REPORT_TASK_FILE_PATH).catch(() => undefined) : undefined,
    readTaskProgress(client, jobId, task.id!).catch(() => undefined),
  ]);
  const errorReport = errorText === undefined ? undefined : parseErrorReport(errorText);
  const failureInfo = info?.failureInfo;
  return {
    id: task.id!,
    ...(task.displayName ? { displayName: task.displayName } : {}),
    kind: task.id === JOB_MANAGER_TASK_ID ? "jobManager" : "task",
    entryPoint: task.environmentSettings?.find((setting) => setting.name === RuntimeVariables.entryPoint)?.value,
    state: task.state,
    result: info?.result,
    exitCode: info?.exitCode,
    retryCount: info?.retryCount,
    ...(failureInfo
      ? { failureInfo: { category: failureInfo.category, code: failureInfo.code, message: failureInfo.message, details: failureInfo.details } }
      : {}),
    ...(errorReport ? { errorReport } : {}),
    ...(progress ? { progress } : {}),
    ...outputLocations(task, runtimeContainerUrl),
    timings: {
      createdAt: iso(task.creationTime),
      startedAt: iso(info?.startTime),
      endedAt: iso(info?.endTime),
      durationSeconds: seconds(info?.startTime, info?.endTime),
    },
  };
}

/** Reads the job's tasks (all but the FinalizeTask and its guard) and their task files, and summarizes them. */
export async function buildJobSummary(client: BatchServiceClient, jobId: string, runtimeContainerUrl: string, workloadName?: string): Promise<JobSummary> {
  const job = await client.job.get(jobId);
  const tasks = (await listAllTasks(client, jobId)).filter((task) => task.id !== FINALIZE_TASK_ID && task.id !== FINALIZE_GUARD_TASK_ID);
  const summaries = await mapLimited(tasks, 16, (task) => summarizeTask(client, jobId, task, runtimeContainerUrl));
  summaries.sort((a, b) => (a.kind === b.kind ? a.id.localeCompare(b.id, undefined, { numeric: true }) : a.kind === "jobManager" ? -1 : 1));
  const succeeded = summaries.filter((t) => t.result === "success").length;
  const failed = summaries.filter((t) => t.result === "failure").length;
  const finalizedAt = new Date();
  return {
    jobId,
    ...(workloadName ? { workloadName } : {}),
    result: failed === 0 && succeeded === summaries.length ? "succeeded" : "failed",
    counts: { total: summaries.length, succeeded, failed, notCompleted: summaries.length - succeeded - failed },
    tasks: summaries,
    timings: { jobCreatedAt: iso(job.creationTime), finalizedAt: finalizedAt.toISOString(), durationSeconds: seconds(job.creationTime, finalizedAt) },
  };
}
