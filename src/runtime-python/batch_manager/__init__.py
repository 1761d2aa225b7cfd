# Why: the public API of the Batch Manager Python runtime — the same programming model, roles and files as @batch-manager/runtime.
from .application.application import Application, WorkloadFactory
from .application.error_report import ERROR_REPORT_TASK_FILE_PATH
from .application.exit_codes import ExitCode
from .application.node_command_line import application_package_variable, node_command_line
from .application.roles import FINALIZE_TASK_ID, JOB_MANAGER_TASK_ID, UsageError
from .batch_tasks import read_task_file, read_task_progress
from .client.batch_client_factory import BatchClientFactory
from .files.file_specifications import InputFileSpecification, OutputFileSpecification, input_from_output
from .files.storage_access import StorageAccess
from .finalize.callback_delivery import CallbackDeliveryError, deliver_callback
from .finalize.callback_signature import DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, is_valid_callback_signature, sign_callback
from .finalize.finalize_task import SUMMARY_FILE_NAME
from .logs.setup_logging import setup_logging
from .progress_file import PROGRESS_TASK_FILE_PATH
from .settings.batch_client_settings import BatchClientSettings
from .settings.settings_error import SettingProblem, SettingsError
from .submission.task_submitter import SubmissionResult, TaskSubmissionError, submit_tasks
from .workload.entry_points_repository import EntryPointsRepository, UnknownEntryPointError
from .workload.job_manager import JobManager, JobManagerBuilder, JobManagerContext
from .workload.task_specification import TaskSpecification
from .workload.workload_base import JobCompletedContext, WorkloadBase
from .workload.workload_task import TaskBuildContext, TaskContext, WorkloadTask, WorkloadTaskBuilder

__version__ = "0.1.0"
__all__ = [
    "Application", "WorkloadFactory", "ERROR_REPORT_TASK_FILE_PATH", "ExitCode", "application_package_variable", "node_command_line",
    "FINALIZE_TASK_ID", "JOB_MANAGER_TASK_ID", "UsageError", "read_task_file", "read_task_progress", "BatchClientFactory",
    "InputFileSpecification", "OutputFileSpecification", "input_from_output", "StorageAccess", "CallbackDeliveryError", "deliver_callback",
    "SUMMARY_FILE_NAME", "setup_logging", "PROGRESS_TASK_FILE_PATH", "BatchClientSettings", "SettingProblem", "SettingsError",
    "SubmissionResult", "TaskSubmissionError", "submit_tasks", "EntryPointsRepository", "UnknownEntryPointError", "JobManager",
    "JobManagerBuilder", "JobManagerContext", "TaskSpecification", "WorkloadBase", "TaskBuildContext", "TaskContext", "WorkloadTask",
    "WorkloadTaskBuilder", "JobCompletedContext", "DELIVERY_HEADER", "SIGNATURE_HEADER", "TIMESTAMP_HEADER", "is_valid_callback_signature",
    "sign_callback",
]
