// Why: the documented exit codes of a workload process, one per way a role can end.

export const ExitCode = {
  /** the role finished */
  Success: 0,
  /** the workload's code threw (or rejected) — an error report was written */
  WorkloadError: 1,
  /** unknown role, bad command-line arguments, or an entry point the workload does not register */
  UsageError: 2,
  /** settings missing or malformed (every problem is listed) */
  SettingsError: 3,
  /** the FinalizeTask could not deliver the summary to the callback URL */
  CallbackFailed: 4,
  /** the job manager could not add some tasks to the job */
  TaskSubmissionFailed: 5,
  /** a task did not run its code because a task it depends on failed */
  UpstreamTaskFailed: 6,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
