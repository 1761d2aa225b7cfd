# Why: the FinalizeTask the job manager adds to every job: depends on all workload tasks, runs even when they failed, uploads summary.json.
from __future__ import annotations

from collections.abc import Sequence

from azure.batch import models

from ..application.node_command_line import application_package_references, node_command_line
from ..application.roles import FINALIZE_GUARD_TASK_ID, FINALIZE_TASK_ID, RuntimeVariables
from ..files.storage_access import StorageAccess
from ..settings.batch_client_settings import BatchClientSettings
from ..submission.runtime_outputs import runtime_container_upload_url, runtime_output_file, runtime_output_files
from ..submission.task_dependencies import to_task_dependencies

SUMMARY_FILE_NAME = "summary.json"


def summary_blob_path(job_id: str) -> str:
    return f"{job_id}/{SUMMARY_FILE_NAME}"


def finalize_environment(settings: BatchClientSettings, workload_name: str) -> list[models.EnvironmentSetting]:
    """What the job manager and the FinalizeTask get in their own environment (never the job's common one): the
    workload name, the callback URL, the callback secret and the progress URL. Settings logs mask the secret."""
    environment = [models.EnvironmentSetting(name=RuntimeVariables.WORKLOAD_NAME, value=workload_name)]
    if settings.callback_url:
        environment.append(models.EnvironmentSetting(name="BATCH_CALLBACK_URL", value=settings.callback_url))
    if settings.callback_secret:
        environment.append(models.EnvironmentSetting(name="BATCH_CALLBACK_SECRET", value=settings.callback_secret))
    if settings.progress_url:
        environment.append(models.EnvironmentSetting(name="BATCH_PROGRESS_URL", value=settings.progress_url))
        environment.append(models.EnvironmentSetting(name="BATCH_PROGRESS_INTERVAL_SECONDS", value=str(settings.progress_interval_seconds)))
    return environment


def finalize_guard_task_parameter(
    storage: StorageAccess, settings: BatchClientSettings, job_id: str, environment: list[models.EnvironmentSetting]
) -> models.TaskAddParameter:
    """The guard submit adds beside the job manager (no dependencies: it waits for the job manager itself)."""
    return models.TaskAddParameter(
        id=FINALIZE_GUARD_TASK_ID,
        display_name="FinalizeTask guard",
        command_line=node_command_line(settings, "finalize-guard"),
        environment_settings=environment,
        application_package_references=application_package_references(settings),
        output_files=runtime_output_files(runtime_container_upload_url(storage, settings), job_id, FINALIZE_GUARD_TASK_ID),
        # adding the FinalizeTask is idempotent (TaskExists), so a retry is harmless
        constraints=models.TaskConstraints(max_task_retry_count=2),
    )


def finalize_task_parameter(
    storage: StorageAccess,
    settings: BatchClientSettings,
    job_id: str,
    workload_task_ids: Sequence[str],
    environment: list[models.EnvironmentSetting],
) -> models.TaskAddParameter:
    container_url = runtime_container_upload_url(storage, settings)
    return models.TaskAddParameter(
        id=FINALIZE_TASK_ID,
        display_name="FinalizeTask",
        command_line=node_command_line(settings, "finalize"),
        environment_settings=environment,
        depends_on=to_task_dependencies(list(workload_task_ids)),
        application_package_references=application_package_references(settings),
        output_files=[
            *runtime_output_files(container_url, job_id, FINALIZE_TASK_ID),
            runtime_output_file(container_url, SUMMARY_FILE_NAME, summary_blob_path(job_id), "taskcompletion"),
        ],
    )
