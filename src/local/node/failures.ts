// Why: the failureInfo values the node agent itself reports (kills, timeouts, launch and application package errors), named as the Batch service names them.
import type { TaskFailureInfo } from "./nodeAgent";

/**
 * Codes from the Batch SDKs' TaskFailureInformationCodes / TaskSchedulingErrorCodes. Where the service's exact
 * choice for a situation is undocumented (timeout, node removal) the closest documented code is used.
 */
export const NodeFailureCodes = {
  ApplicationPackageError: "ApplicationPackageError",
  CommandProgramNotFound: "CommandProgramNotFound",
  CommandLaunchFailed: "CommandLaunchFailed",
  TaskEnded: "TaskEnded",
} as const;

export function applicationPackageFailure(applicationId: string, version: string | undefined, reason: string): TaskFailureInfo {
  const details = [{ name: "ApplicationId", value: applicationId }];
  if (version !== undefined) details.push({ name: "Version", value: version });
  details.push({ name: "Message", value: reason });
  return {
    category: "usererror",
    code: NodeFailureCodes.ApplicationPackageError,
    message: `An error occurred when trying to deploy a required application package: ${reason}`,
    details,
  };
}

export function programNotFound(program: string): TaskFailureInfo {
  return {
    category: "usererror",
    code: NodeFailureCodes.CommandProgramNotFound,
    message: "The specified command program is not found",
    details: [{ name: "Program", value: program }],
  };
}

export function launchFailed(reason: string): TaskFailureInfo {
  return {
    category: "usererror",
    code: NodeFailureCodes.CommandLaunchFailed,
    message: "Failed to launch the specified command line",
    details: [{ name: "Message", value: reason }],
  };
}

export function endedByUser(): TaskFailureInfo {
  return { category: "usererror", code: NodeFailureCodes.TaskEnded, message: "Task Was Ended by User Request" };
}

/** The service reports a wall-clock expiry as an ended task whose detail names the exceeded limit. */
export function wallClockExceeded(limit: string): TaskFailureInfo {
  return {
    category: "usererror",
    code: NodeFailureCodes.TaskEnded,
    message: "The task was ended because it exceeded its maximum wall clock time",
    details: [
      { name: "Message", value: "The maximum execution time configured on the task was exceeded" },
      { name: "MaxWallClockTime", value: limit },
    ],
  };
}

export function nodeRemoved(option: "requeue" | "terminate"): TaskFailureInfo {
  return {
    category: "servererror",
    code: NodeFailureCodes.TaskEnded,
    message:
      option === "requeue"
        ? "The task was stopped because its compute node left the pool; it will be requeued"
        : "The task was terminated because its compute node left the pool",
    details: [{ name: "NodeDeallocationOption", value: option }],
  };
}

/** What the service reports for a task (or start task) that exited non-zero after its retries. */
export function failureExitCode(exitCode: number): TaskFailureInfo {
  return {
    category: "usererror",
    code: "FailureExitCode",
    message: "The task exited with an exit code representing a failure",
    details: [{ name: "Message", value: `The task exited with an exit code representing a failure (exit code ${exitCode})` }],
  };
}

/** An error of the local agent itself (a bug or an unexpected local failure): the service's catch-all code. */
export function agentFailure(reason: string): TaskFailureInfo {
  return { category: "servererror", code: "Unknown", message: "An unknown error occurred on the compute node", details: [{ name: "Message", value: reason }] };
}
