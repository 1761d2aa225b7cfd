# Why: lists a job's tasks and reads small task files (progress.json, error.json) through the Batch API, which works for any client and any node.
from __future__ import annotations

from typing import Any

from azure.batch import BatchServiceClient, models

from .progress_file import PROGRESS_TASK_FILE_PATH, parse_progress


def list_all_tasks(client: BatchServiceClient, job_id: str, filter: str | None = None, select: str | None = None) -> list[models.CloudTask]:
    """Every task of the job across result pages."""
    given: dict[str, Any] = {key: value for key, value in (("filter", filter), ("select", select)) if value is not None}
    return list(client.task.list(job_id, task_list_options=models.TaskListOptions(**given)))


def read_task_file(client: BatchServiceClient, job_id: str, task_id: str, file_path: str) -> str | None:
    """The text of a task file, or None when the task or file does not exist (404)."""
    try:
        return b"".join(client.file.get_from_task(job_id, task_id, file_path)).decode("utf-8")
    except models.BatchErrorException as error:
        if error.response is not None and error.response.status_code == 404:
            return None
        raise


def read_task_progress(client: BatchServiceClient, job_id: str, task_id: str) -> dict[str, Any] | None:
    """The progress a task last reported with report_progress, if any."""
    text = read_task_file(client, job_id, task_id, PROGRESS_TASK_FILE_PATH)
    return None if text is None else parse_progress(text)
