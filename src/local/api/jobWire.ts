// Why: checks a JobAddParameter and builds the stored CloudJob wire form with the service's defaults; checks for update/patch values.
import { BatchServiceError, conflict, invalidPropertyValue, missingRequiredProperty } from "../protocol/batchError";
import { assertValidId } from "../protocol/ids";
import { nowIso, type Wire } from "../store/model";
import { checkConstraints, checkReleaseWallClock, checkTaskSpec } from "./taskValidation";
import { checkMultiInstance, DEFAULT_RETENTION_TIME, UNLIMITED_DURATION } from "./taskWire";

export const DEFAULT_PREPARATION_ID = "jobpreparation";
export const DEFAULT_RELEASE_ID = "jobrelease";

export function checkPriority(value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "number" || value < -1000 || value > 1000) {
    throw new BatchServiceError(400, "OutOfRangePriority", `The job priority ${String(value)} is outside the permitted range of -1000 to 1000.`, [
      { key: "PropertyName", value: "priority" },
      { key: "PropertyValue", value: String(value) },
    ]);
  }
}

export function checkMaxParallelTasks(value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "number" || (value !== -1 && value < 1))
    throw invalidPropertyValue("maxParallelTasks", value, "maxParallelTasks must be -1 (no limit) or greater than 0.");
}

/** The local service runs jobs on existing pools only. */
export function checkPoolInfo(poolInfo: unknown): void {
  const info = (poolInfo ?? {}) as { poolId?: string; autoPoolSpecification?: unknown };
  if (info.autoPoolSpecification !== undefined) {
    throw invalidPropertyValue(
      "poolInfo.autoPoolSpecification",
      "autoPoolSpecification",
      "The local Batch service runs jobs on existing pools only: create a pool first and set poolInfo.poolId.",
    );
  }
  if (typeof info.poolId !== "string" || info.poolId === "") throw missingRequiredProperty("poolInfo.poolId");
}

export function jobConstraints(given: Record<string, unknown> | undefined): Record<string, unknown> {
  return { maxWallClockTime: given?.maxWallClockTime ?? UNLIMITED_DURATION, maxTaskRetryCount: given?.maxTaskRetryCount ?? 0 };
}

function taskConstraintDefaults(given: Record<string, unknown> | undefined): Record<string, unknown> {
  return {
    maxWallClockTime: given?.maxWallClockTime ?? UNLIMITED_DURATION,
    retentionTime: given?.retentionTime ?? DEFAULT_RETENTION_TIME,
    maxTaskRetryCount: given?.maxTaskRetryCount ?? 0,
  };
}

function jobManagerWithDefaults(manager: Record<string, unknown>): Record<string, unknown> {
  assertValidId(manager.id, "jobManagerTask.id");
  checkTaskSpec(manager, "jobManagerTask");
  return {
    ...manager,
    requiredSlots: manager.requiredSlots ?? 1,
    killJobOnCompletion: manager.killJobOnCompletion ?? true,
    runExclusive: manager.runExclusive ?? true,
    allowLowPriorityNode: manager.allowLowPriorityNode ?? true,
  };
}

function preparationWithDefaults(preparation: Record<string, unknown>): Record<string, unknown> {
  const id = preparation.id ?? DEFAULT_PREPARATION_ID;
  assertValidId(id, "jobPreparationTask.id");
  checkTaskSpec(preparation, "jobPreparationTask");
  return {
    ...preparation,
    id,
    constraints: taskConstraintDefaults(preparation.constraints as Record<string, unknown> | undefined),
    waitForSuccess: preparation.waitForSuccess ?? true,
    rerunOnNodeRebootAfterSuccess: preparation.rerunOnNodeRebootAfterSuccess ?? true,
  };
}

function releaseWithDefaults(release: Record<string, unknown>): Record<string, unknown> {
  const id = release.id ?? DEFAULT_RELEASE_ID;
  assertValidId(id, "jobReleaseTask.id");
  checkTaskSpec(release, "jobReleaseTask");
  checkReleaseWallClock(release.maxWallClockTime, "jobReleaseTask.maxWallClockTime");
  return { ...release, id, maxWallClockTime: release.maxWallClockTime ?? "PT15M", retentionTime: release.retentionTime ?? DEFAULT_RETENTION_TIME };
}

/** The three task ids of a job (manager, preparation, release) must differ. */
function checkSpecialIds(wire: Wire): void {
  const ids = [
    ["jobManagerTask.id", (wire.jobManagerTask as { id?: string } | undefined)?.id],
    ["jobPreparationTask.id", (wire.jobPreparationTask as { id?: string } | undefined)?.id],
    ["jobReleaseTask.id", (wire.jobReleaseTask as { id?: string } | undefined)?.id],
  ].filter((entry): entry is [string, string] => entry[1] !== undefined);
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      if (ids[i][1].toLowerCase() === ids[j][1].toLowerCase()) throw invalidPropertyValue(ids[j][0], ids[j][1], `The id must differ from ${ids[i][0]}.`);
    }
  }
}

/** Validates a JobAddParameter and returns the new job's wire form. */
export function newJobWire(body: Record<string, unknown>): Wire {
  const id = assertValidId(body.id, "id");
  checkPriority(body.priority);
  checkMaxParallelTasks(body.maxParallelTasks);
  checkPoolInfo(body.poolInfo);
  checkConstraints(body.constraints, "constraints");
  if (body.jobReleaseTask !== undefined && body.jobPreparationTask === undefined) {
    throw invalidPropertyValue("jobReleaseTask", "jobReleaseTask", "A job release task can only be specified together with a job preparation task.");
  }
  const now = nowIso();
  const wire: Wire = {
    ...body,
    id,
    usesTaskDependencies: body.usesTaskDependencies ?? false,
    creationTime: now,
    state: "active",
    stateTransitionTime: now,
    priority: body.priority ?? 0,
    allowTaskPreemption: body.allowTaskPreemption ?? false,
    maxParallelTasks: body.maxParallelTasks ?? -1,
    constraints: jobConstraints(body.constraints as Record<string, unknown> | undefined),
    onAllTasksComplete: body.onAllTasksComplete ?? "noaction",
    onTaskFailure: body.onTaskFailure ?? "noaction",
    executionInfo: { startTime: now, poolId: (body.poolInfo as { poolId: string }).poolId },
  };
  if (body.jobManagerTask) {
    checkMultiInstance(body.jobManagerTask as Record<string, unknown>);
    wire.jobManagerTask = jobManagerWithDefaults(body.jobManagerTask as Record<string, unknown>);
  }
  if (body.jobPreparationTask) wire.jobPreparationTask = preparationWithDefaults(body.jobPreparationTask as Record<string, unknown>);
  if (body.jobReleaseTask) wire.jobReleaseTask = releaseWithDefaults(body.jobReleaseTask as Record<string, unknown>);
  checkSpecialIds(wire);
  return wire;
}

/** Once a job terminates when all its tasks complete, that cannot be turned off again. */
export function checkOnAllTasksComplete(job: Wire, next: unknown): void {
  if (job.onAllTasksComplete === "terminatejob" && next === "noaction") {
    throw invalidPropertyValue("onAllTasksComplete", next, "A job's onAllTasksComplete cannot be changed from terminatejob back to noaction.");
  }
}

/** The pool of a job may change only while the job is disabled. */
export function checkPoolChange(job: Wire, poolInfo: unknown): void {
  if (poolInfo === undefined) return;
  checkPoolInfo(poolInfo);
  const current = (job.poolInfo as { poolId?: string } | undefined)?.poolId ?? "";
  const next = (poolInfo as { poolId: string }).poolId;
  if (next.toLowerCase() !== current.toLowerCase() && job.state !== "disabled") {
    throw conflict("OperationInvalidForCurrentState", "The pool of a job can only be changed while the job is disabled. Disable the job first.");
  }
}
