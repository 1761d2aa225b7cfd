// Why: builds the stored CloudTask wire form of an added task (or job manager) with the service's defaults, and presents it.
import { invalidPropertyValue } from "../protocol/batchError";
import { nowIso, type JobRecord, type TaskRecord, type Wire } from "../store/model";
import type { RequestContext } from "../server/router";
import { expands } from "./listing";
import { taskStatistics } from "./jobStatistics";

/** The service's "no limit" duration: TimeSpan.MaxValue. */
export const UNLIMITED_DURATION = "P10675199DT2H48M5.4775807S";
export const DEFAULT_RETENTION_TIME = "P7D";

/** Properties of a JobManagerTask that are not CloudTask properties: they stay on the job. */
const JOB_MANAGER_ONLY = new Set(["killJobOnCompletion", "runExclusive", "allowLowPriorityNode"]);

export function jobUrl(context: RequestContext, jobId: string): string {
  return `${context.baseUrl}/jobs/${encodeURIComponent(jobId)}`;
}

export function taskUrl(context: RequestContext, jobId: string, taskId: string): string {
  return `${jobUrl(context, jobId)}/tasks/${encodeURIComponent(taskId)}`;
}

/** Task constraints with defaults: no constraints → the job's retry count; given ones → 0 retries unless set. */
export function taskConstraints(given: Record<string, unknown> | undefined, job: Wire): Record<string, unknown> {
  const jobRetries = (job.constraints as { maxTaskRetryCount?: number } | undefined)?.maxTaskRetryCount ?? 0;
  return {
    maxWallClockTime: given?.maxWallClockTime ?? UNLIMITED_DURATION,
    retentionTime: given?.retentionTime ?? DEFAULT_RETENTION_TIME,
    maxTaskRetryCount: given === undefined ? jobRetries : (given.maxTaskRetryCount ?? 0),
  };
}

/** Local nodes run one instance of a task; more instances (MPI) are refused instead of silently running one. */
export function checkMultiInstance(spec: Record<string, unknown>): void {
  const settings = spec.multiInstanceSettings as { numberOfInstances?: number } | undefined;
  if (settings && (settings.numberOfInstances ?? 1) > 1) {
    throw invalidPropertyValue(
      "multiInstanceSettings.numberOfInstances",
      settings.numberOfInstances,
      "The local Batch service runs each task as a single instance; multi-instance tasks need an Azure Batch pool.",
    );
  }
}

/** A new task record from a TaskAddParameter (or the job manager task of a job). */
export function newTaskRecord(job: JobRecord, spec: Record<string, unknown>, options: { jobManager?: boolean } = {}): TaskRecord {
  const now = nowIso();
  const wire: Wire = { id: spec.id as string };
  for (const [key, value] of Object.entries(spec)) if (!JOB_MANAGER_ONLY.has(key) && value !== undefined) wire[key] = value;
  Object.assign(wire, {
    creationTime: now,
    state: "active",
    stateTransitionTime: now,
    constraints: taskConstraints(spec.constraints as Record<string, unknown> | undefined, job.wire),
    requiredSlots: spec.requiredSlots ?? 1,
    executionInfo: { retryCount: 0, requeueCount: 0 },
  });
  const record: TaskRecord = { jobId: job.wire.id, wire, local: { sequence: job.local.taskSequence++ } };
  if (options.jobManager) record.local.jobManager = true;
  return record;
}

/** The CloudTask a GET or list returns: the stored wire plus url (and stats when expanded). */
export function presentTask(context: RequestContext, record: TaskRecord): Record<string, unknown> {
  const wire: Record<string, unknown> = { ...record.wire, url: taskUrl(context, record.jobId, record.wire.id) };
  if (expands(context, "stats")) wire.stats = taskStatistics(record, `${taskUrl(context, record.jobId, record.wire.id)}/stats`);
  return wire;
}
