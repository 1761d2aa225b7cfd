// Why: add-time checks of task specifications (tasks, job manager, preparation, release) beyond the schema, with the service's error codes.
import { containerEngine, NO_ENGINE_REASON } from "../node/containerEngine";
import { parseIsoDuration } from "../node/isoDuration";
import { BatchServiceError, conflict, invalidPropertyValue } from "../protocol/batchError";
import { validateOutputFile, validateResourceFile, type OutputFile, type ResourceFile } from "../storage";
import type { Wire } from "../store/model";

/** The longest serialized list of dependency task ids the service stores. */
export const MAX_DEPENDENCY_IDS_LENGTH = 64000;

const prefixed = (prefix: string, name: string): string => (prefix ? `${prefix}.${name}` : name);

export function checkConstraints(constraints: unknown, property: string): void {
  if (!constraints || typeof constraints !== "object") return;
  const { maxTaskRetryCount } = constraints as { maxTaskRetryCount?: number };
  if (maxTaskRetryCount !== undefined && maxTaskRetryCount < -1) {
    throw new BatchServiceError(
      400,
      "InvalidConstraintValue",
      `The value provided for ${property}.maxTaskRetryCount is out of range: use -1 (unlimited retries), 0 or a positive number.`,
      [
        { key: "PropertyName", value: `${property}.maxTaskRetryCount` },
        { key: "PropertyValue", value: String(maxTaskRetryCount) },
      ],
    );
  }
}

export function checkRequiredSlots(value: unknown, property: string): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1)
    throw invalidPropertyValue(property, value, "requiredSlots must be a whole number of 1 or more.");
}

/** Resource and output files of a task-like spec (validated by the storage module's rules). */
export function checkFiles(spec: Record<string, unknown>, prefix: string): void {
  for (const [index, file] of ((spec.resourceFiles as ResourceFile[] | undefined) ?? []).entries()) {
    validateResourceFile(file, `${prefixed(prefix, "resourceFiles")}[${index}]`);
  }
  for (const [index, file] of ((spec.outputFiles as OutputFile[] | undefined) ?? []).entries()) {
    validateOutputFile(file, `${prefixed(prefix, "outputFiles")}[${index}]`);
  }
}

function checkCommandLine(spec: Record<string, unknown>, prefix: string): void {
  if (typeof spec.commandLine === "string" && spec.commandLine.trim() === "") {
    throw invalidPropertyValue(prefixed(prefix, "commandLine"), spec.commandLine, "The command line must not be empty.");
  }
}

/**
 * Containers need an engine on this machine: without one the property is refused (the value is not echoed: container
 * settings may hold registry credentials).
 */
export function containerRefusal(property: string, fix: string): BatchServiceError {
  const reason = `${NO_ENGINE_REASON}; start one, or ${fix}.`;
  return new BatchServiceError(
    400,
    "InvalidPropertyValue",
    `The value provided for one of the properties in the request body is invalid: ${property}. ${reason}`,
    [
      { key: "PropertyName", value: property },
      { key: "Reason", value: reason },
    ],
  );
}

/** containerSettings of a task-like spec: refused while no container engine is reachable. */
export function checkContainerSettings(spec: Record<string, unknown>, prefix = ""): void {
  if (spec.containerSettings === undefined || containerEngine()) return;
  throw containerRefusal(prefixed(prefix, "containerSettings"), "remove containerSettings");
}

/** userName and autoUser are mutually exclusive (UserIdentity). */
export function checkUserIdentity(spec: Record<string, unknown>, prefix = ""): void {
  const identity = spec.userIdentity as { username?: unknown; autoUser?: unknown } | undefined;
  if (identity?.username !== undefined && identity.autoUser !== undefined) {
    throw invalidPropertyValue(prefixed(prefix, "userIdentity"), JSON.stringify(identity), "Specify either userName or autoUser, not both.");
  }
}

/** Checks shared by every task-like spec: command line, files, constraints, slots, user identity, containers. */
export function checkTaskSpec(spec: Record<string, unknown>, prefix = ""): void {
  checkCommandLine(spec, prefix);
  checkUserIdentity(spec, prefix);
  checkContainerSettings(spec, prefix);
  checkFiles(spec, prefix);
  checkConstraints(spec.constraints, prefixed(prefix, "constraints"));
  checkRequiredSlots(spec.requiredSlots, prefixed(prefix, "requiredSlots"));
}

interface ExitOptionsWire {
  jobAction?: string;
  dependencyAction?: string;
}

function exitOptionEntries(conditions: Record<string, unknown>): [string, ExitOptionsWire][] {
  const entries: [string, ExitOptionsWire][] = [];
  ((conditions.exitCodes as { exitOptions?: ExitOptionsWire }[] | undefined) ?? []).forEach((entry, index) => {
    if (entry.exitOptions) entries.push([`exitConditions.exitCodes[${index}].exitOptions`, entry.exitOptions]);
  });
  ((conditions.exitCodeRanges as { start: number; end: number; exitOptions?: ExitOptionsWire }[] | undefined) ?? []).forEach((range, index) => {
    if (range.start > range.end)
      throw invalidPropertyValue(
        `exitConditions.exitCodeRanges[${index}]`,
        `${range.start}-${range.end}`,
        "The start of an exit code range must not be greater than its end.",
      );
    if (range.exitOptions) entries.push([`exitConditions.exitCodeRanges[${index}].exitOptions`, range.exitOptions]);
  });
  for (const name of ["preProcessingError", "fileUploadError", "default"]) {
    const options = conditions[name] as ExitOptionsWire | undefined;
    if (options) entries.push([`exitConditions.${name}`, options]);
  }
  return entries;
}

/** Exit conditions may only name a jobAction when the job performs them, and a dependencyAction when it uses dependencies. */
export function checkExitConditions(task: Record<string, unknown>, job: Wire): void {
  const conditions = task.exitConditions as Record<string, unknown> | undefined;
  if (!conditions) return;
  for (const [property, options] of exitOptionEntries(conditions)) {
    if (options.jobAction !== undefined && job.onTaskFailure !== "performexitoptionsjobaction") {
      throw invalidPropertyValue(
        `${property}.jobAction`,
        options.jobAction,
        "A jobAction can only be specified when the job's onTaskFailure is performexitoptionsjobaction.",
      );
    }
    if (options.dependencyAction !== undefined && job.usesTaskDependencies !== true) {
      throw invalidPropertyValue(
        `${property}.dependencyAction`,
        options.dependencyAction,
        "A dependencyAction can only be specified when the job's usesTaskDependencies is true.",
      );
    }
  }
}

/** dependsOn needs a job with usesTaskDependencies; id lists have a size limit and ranges must be ordered. */
export function checkDependencies(task: Record<string, unknown>, job: Wire): void {
  const dependsOn = task.dependsOn as { taskIds?: string[]; taskIdRanges?: { start: number; end: number }[] } | undefined;
  if (!dependsOn) return;
  if (job.usesTaskDependencies !== true) {
    throw conflict(
      "TaskDependenciesNotSpecifiedOnJob",
      "The task specifies dependencies, but its job does not use task dependencies (usesTaskDependencies is false). Create the job with usesTaskDependencies true.",
    );
  }
  const idsLength = (dependsOn.taskIds ?? []).reduce((total, id) => total + id.length, 0);
  if (idsLength > MAX_DEPENDENCY_IDS_LENGTH) {
    throw new BatchServiceError(
      400,
      "TaskDependencyListTooLong",
      `The task depends on task ids totalling ${idsLength} characters; at most ${MAX_DEPENDENCY_IDS_LENGTH} are allowed. Use taskIdRanges or fewer dependencies.`,
    );
  }
  (dependsOn.taskIdRanges ?? []).forEach((range, index) => {
    if (range.start > range.end)
      throw invalidPropertyValue(
        `dependsOn.taskIdRanges[${index}]`,
        `${range.start}-${range.end}`,
        "The start of a task id range must not be greater than its end.",
      );
  });
}

/** The release task may run at most 15 minutes. */
export function checkReleaseWallClock(value: unknown, property: string): void {
  if (typeof value !== "string") return;
  const duration = parseIsoDuration(value);
  if (duration === undefined || duration > 15 * 60_000) {
    throw invalidPropertyValue(property, value, "The job release task's maxWallClockTime can be at most 15 minutes (PT15M).");
  }
}
