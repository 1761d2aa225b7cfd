# Why: maps what went wrong to the documented exit code (see exit_codes.py).
from __future__ import annotations

from ..finalize.callback_delivery import CallbackDeliveryError
from ..settings.settings_error import SettingsError
from ..submission.task_submitter import TaskSubmissionError
from ..workload.entry_points_repository import UnknownEntryPointError
from .exit_codes import ExitCode
from .roles import UsageError
from .upstream_check import UpstreamTaskFailedError


def exit_code_for(error: BaseException) -> ExitCode:
    if isinstance(error, SettingsError):
        return ExitCode.SETTINGS_ERROR
    if isinstance(error, UsageError | UnknownEntryPointError):
        return ExitCode.USAGE_ERROR
    if isinstance(error, TaskSubmissionError):
        return ExitCode.TASK_SUBMISSION_FAILED
    if isinstance(error, CallbackDeliveryError):
        return ExitCode.CALLBACK_FAILED
    if isinstance(error, UpstreamTaskFailedError):
        return ExitCode.UPSTREAM_TASK_FAILED
    return ExitCode.WORKLOAD_ERROR
