// Why: checks a job schedule's schedule and job specification, builds its CloudJobSchedule wire form, and computes when its first job is due.
import { parseIsoDuration } from "../node/isoDuration";
import { conflict, invalidPropertyValue, missingRequiredProperty, notFound } from "../protocol/batchError";
import { assertValidId } from "../protocol/ids";
import type { RequestContext } from "../server/router";
import type { BatchState } from "../store/batchState";
import { type JobRecord, type JobScheduleRecord, nowIso, type Wire } from "../store/model";
import { newJobWire } from "./jobWire";
import { newTaskRecord } from "./taskWire";

const MINUTE_MS = 60_000;

export function scheduleUrl(context: RequestContext, scheduleId: string): string {
  return `${context.baseUrl}/jobschedules/${encodeURIComponent(scheduleId)}`;
}

function checkDuration(schedule: Record<string, unknown>, property: "startWindow" | "recurrenceInterval"): void {
  const value = schedule[property];
  if (value === undefined) return;
  const ms = typeof value === "string" ? parseIsoDuration(value) : undefined;
  if (ms === undefined || ms < MINUTE_MS)
    throw invalidPropertyValue(`schedule.${property}`, value, `${property} must be an ISO 8601 duration of at least 1 minute (PT1M).`);
}

function checkTime(schedule: Record<string, unknown>, property: "doNotRunUntil" | "doNotRunAfter"): number | undefined {
  const value = schedule[property];
  if (value === undefined) return undefined;
  const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw invalidPropertyValue(`schedule.${property}`, value, `${property} must be an ISO 8601 date-time.`);
  return ms;
}

export function checkSchedule(schedule: unknown): Record<string, unknown> {
  if (schedule === undefined || schedule === null) throw missingRequiredProperty("schedule");
  const given = schedule as Record<string, unknown>;
  checkDuration(given, "startWindow");
  checkDuration(given, "recurrenceInterval");
  const until = checkTime(given, "doNotRunUntil");
  const after = checkTime(given, "doNotRunAfter");
  if (until !== undefined && after !== undefined && after < until)
    throw invalidPropertyValue("schedule.doNotRunAfter", given.doNotRunAfter, "doNotRunAfter must not be before doNotRunUntil.");
  return given;
}

/** The same checks as Job_Add makes, so a schedule never holds a specification its jobs would be refused for. */
export function checkJobSpecification(spec: unknown): Record<string, unknown> {
  if (spec === undefined || spec === null) throw missingRequiredProperty("jobSpecification");
  newJobWire({ ...(spec as Record<string, unknown>), id: "jobspecification" });
  return spec as Record<string, unknown>;
}

/** When the first job (or, after a schedule change, the next one) is due: doNotRunUntil, else now. */
export function firstDueMs(schedule: Record<string, unknown>, nowMs = Date.now()): number {
  const until = typeof schedule.doNotRunUntil === "string" ? Date.parse(schedule.doNotRunUntil) : undefined;
  return until !== undefined && until > nowMs ? until : nowMs;
}

export function newScheduleRecord(body: Record<string, unknown>): JobScheduleRecord {
  const id = assertValidId(body.id, "id");
  const schedule = checkSchedule(body.schedule);
  const jobSpecification = checkJobSpecification(body.jobSpecification);
  const now = nowIso();
  const wire: Wire = { ...body, id, schedule, jobSpecification, creationTime: now, state: "active", stateTransitionTime: now, executionInfo: {} };
  return { wire, local: { jobSequence: 0, nextDueMs: firstDueMs(schedule) } };
}

export function requireSchedule(schedule: JobScheduleRecord | undefined): JobScheduleRecord {
  if (!schedule) throw notFound("JobScheduleNotFound", "job schedule");
  return schedule;
}

/** The service's 409s for a schedule that has ended or is ending. */
export function assertScheduleOpen(schedule: JobScheduleRecord): void {
  switch (schedule.wire.state) {
    case "deleting":
      throw conflict("JobScheduleBeingDeleted", "The specified job schedule has been marked for deletion and is being reclaimed.");
    case "terminating":
      throw conflict("JobScheduleBeingTerminated", "The specified job schedule is being terminated.");
    case "completed":
      throw conflict("JobScheduleCompleted", "The specified job schedule is already in a completed state.");
  }
}

/**
 * Where a changed schedule goes on: from its start when it has made no job yet; otherwise (Choice) at doNotRunUntil
 * when that is ahead, else one recurrenceInterval from now, else nowhere (a one-off schedule that already ran).
 */
export function dueAfterChange(record: JobScheduleRecord, schedule: Record<string, unknown>, nowMs = Date.now()): number | undefined {
  if (record.local.jobSequence === 0) return firstDueMs(schedule, nowMs);
  const until = typeof schedule.doNotRunUntil === "string" ? Date.parse(schedule.doNotRunUntil) : undefined;
  if (until !== undefined && until > nowMs) return until;
  const interval = typeof schedule.recurrenceInterval === "string" ? parseIsoDuration(schedule.recurrenceInterval) : undefined;
  return interval === undefined ? undefined : nowMs + interval;
}

/** executionInfo.nextRunTime follows the record's due time. */
export function showNextRun(record: JobScheduleRecord): void {
  const info = (record.wire.executionInfo ?? {}) as Record<string, unknown>;
  record.wire.executionInfo = info;
  if (record.local.nextDueMs === undefined) delete info.nextRunTime;
  else info.nextRunTime = new Date(record.local.nextDueMs).toISOString();
}

/** One job of a schedule, made from its jobSpecification as Job_Add would (defaults, job manager task), under the service's `<scheduleId>:job-<n>` id. */
export function newScheduledJob(state: BatchState, schedule: JobScheduleRecord, jobId: string): JobRecord {
  // the id is set after the checks: ":" is not allowed in ids users choose, only in the ids the service makes
  const wire = newJobWire({ ...(schedule.wire.jobSpecification as Record<string, unknown>), id: "scheduled" });
  wire.id = jobId;
  state.touch(wire);
  const job: JobRecord = { wire, local: { preparation: {}, release: {}, taskSequence: 0 } };
  state.saveJob(job);
  if (wire.jobManagerTask) {
    const manager = newTaskRecord(job, wire.jobManagerTask as Record<string, unknown>, { jobManager: true });
    state.touch(manager.wire);
    state.saveTask(manager);
  }
  return job;
}
