// Why: the contract's rules for a finished attempt: retry or not, which exitOptions apply, and the failureInfo it leaves.
import type { AttemptResult, TaskFailureInfo } from "../node/nodeAgent";

export type JobAction = "none" | "disable" | "terminate";
export type DependencyAction = "satisfy" | "block";

export interface ExitOptions {
  jobAction?: JobAction;
  dependencyAction?: DependencyAction;
}

export interface ExitConditions {
  exitCodes?: { code: number; exitOptions: ExitOptions }[];
  exitCodeRanges?: { start: number; end: number; exitOptions: ExitOptions }[];
  preProcessingError?: ExitOptions;
  fileUploadError?: ExitOptions;
  default?: ExitOptions;
}

/** What a completed task means for its job and for the tasks depending on it. */
export interface EffectiveExitOptions {
  jobAction: JobAction;
  dependencyAction: DependencyAction;
}

type Finished = Pick<AttemptResult, "exitCode" | "failureKind">;

/** The service's failureInfo for a task whose process exited non-zero. */
export function failureExitCode(exitCode: number): TaskFailureInfo {
  return {
    category: "usererror",
    code: "FailureExitCode",
    message: "The task exited with an exit code representing a failure",
    details: [{ name: "Message", value: `The task process exited with an unexpected exit code ${exitCode}` }],
  };
}

function withDefaults(options: ExitOptions | undefined, succeeded: boolean): EffectiveExitOptions {
  return {
    jobAction: options?.jobAction ?? (succeeded ? "none" : "terminate"),
    dependencyAction: options?.dependencyAction ?? (succeeded ? "satisfy" : "block"),
  };
}

function mappedExitCode(conditions: ExitConditions | undefined, exitCode: number): ExitOptions | undefined {
  const exact = conditions?.exitCodes?.find((entry) => entry.code === exitCode);
  if (exact) return exact.exitOptions ?? {};
  return conditions?.exitCodeRanges?.find((range) => exitCode >= range.start && exitCode <= range.end)?.exitOptions ?? undefined;
}

/**
 * Exit options of a final (not retried) outcome: an explicit exit-code mapping wins (also for 0 and over an upload error),
 * then preProcessingError / fileUploadError, then default for any other failure; a plain exit 0 is a success.
 */
export function effectiveExitOptions(conditions: ExitConditions | undefined, outcome: Finished): EffectiveExitOptions {
  if (outcome.exitCode !== undefined) {
    const mapped = mappedExitCode(conditions, outcome.exitCode);
    if (mapped) return withDefaults(mapped, outcome.exitCode === 0 && outcome.failureKind === undefined);
  }
  if (outcome.failureKind === "preProcessing") return withDefaults(conditions?.preProcessingError ?? conditions?.default, false);
  if (outcome.failureKind === "fileUpload") return withDefaults(conditions?.fileUploadError ?? conditions?.default, false);
  if (outcome.failureKind !== undefined || outcome.exitCode !== 0) return withDefaults(conditions?.default, false);
  return withDefaults(undefined, true);
}

/** Retries are for a non-zero exit code only, never for pre-processing, upload, timeout or kill failures. */
export function shouldRetry(outcome: Finished, retryCount: number, maxTaskRetryCount: number): boolean {
  if (outcome.failureKind !== undefined || outcome.exitCode === undefined || outcome.exitCode === 0) return false;
  return maxTaskRetryCount === -1 || retryCount < maxTaskRetryCount;
}

/** The failureInfo a final outcome leaves on the task (undefined for a success). */
export function finalFailureInfo(result: Pick<AttemptResult, "exitCode" | "failureInfo">): TaskFailureInfo | undefined {
  if (result.failureInfo) return result.failureInfo;
  if (result.exitCode !== undefined && result.exitCode !== 0) return failureExitCode(result.exitCode);
  if (result.exitCode === undefined) return { category: "servererror", code: "TaskEnded", message: "The task ended without an exit code" };
  return undefined;
}
