# Why: the outputs the runtime adds to every task it creates: error.json on failure and stdout/stderr, under <jobId>/<taskId>/ of the runtime container.
from __future__ import annotations

from azure.batch import models

from ..application.error_report import ERROR_REPORT_FILE_NAME
from ..files.storage_access import StorageAccess
from ..settings.batch_client_settings import BatchClientSettings


def runtime_blob_prefix(job_id: str, task_id: str) -> str:
    return f"{job_id}/{task_id}/"


def runtime_container_upload_url(storage: StorageAccess, settings: BatchClientSettings) -> str:
    """The runtime container's URL with a write SAS."""
    if not settings.storage_account_name:
        raise ValueError("BATCH_STORAGE_ACCOUNT_NAME is needed for the runtime's outputs (error reports, logs, summary)")
    return storage.with_sas(settings.storage_account_name, settings.runtime_container, None, "cw")


def runtime_output_file(container_url: str, source_file_path: str, target_blob_path: str, upload_condition: str) -> models.OutputFile:
    return models.OutputFile(
        file_pattern=source_file_path,
        destination=models.OutputFileDestination(container=models.OutputFileBlobContainerDestination(container_url=container_url, path=target_blob_path)),
        upload_options=models.OutputFileUploadOptions(upload_condition=upload_condition),
    )


def runtime_output_files(container_url: str, job_id: str, task_id: str) -> list[models.OutputFile]:
    prefix = runtime_blob_prefix(job_id, task_id)
    return [
        runtime_output_file(container_url, ERROR_REPORT_FILE_NAME, f"{prefix}{ERROR_REPORT_FILE_NAME}", "taskfailure"),
        # a pattern's path is a virtual directory: stdout.txt and stderr.txt land under the prefix with their own names
        runtime_output_file(container_url, "../std*.txt", prefix[:-1], "taskcompletion"),
    ]
