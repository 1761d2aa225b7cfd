# Why: the documented exit codes of a workload process, one per way a role can end (the same numbers as the TypeScript runtime).
from enum import IntEnum


class ExitCode(IntEnum):
    SUCCESS = 0
    """the role finished"""
    WORKLOAD_ERROR = 1
    """the workload's code raised: an error report was written"""
    USAGE_ERROR = 2
    """unknown role, bad command-line arguments, or an entry point the workload does not register"""
    SETTINGS_ERROR = 3
    """settings missing or malformed (every problem is listed)"""
    CALLBACK_FAILED = 4
    """the FinalizeTask could not deliver the summary to the callback URL"""
    TASK_SUBMISSION_FAILED = 5
    """the job manager could not add some tasks to the job"""
    UPSTREAM_TASK_FAILED = 6
    """a task did not run its code because a task it depends on failed"""
