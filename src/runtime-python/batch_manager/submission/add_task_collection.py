# Why: one Add Task Collection request, without azure-batch's own bulk wrapper (which retries server errors forever and fails on TaskExists), so the submitter decides.
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from azure.batch import BatchServiceClient, models
from azure.batch.operations import TaskOperations


def _generated_add_collection() -> Callable[..., Any]:
    """azure-batch's patch wraps the generated TaskOperations.add_collection in a closure; the generated one is the wrapped function."""
    wrapper = TaskOperations.add_collection
    for cell in getattr(wrapper, "__closure__", None) or ():
        candidate = cell.cell_contents
        if callable(candidate) and getattr(candidate, "__name__", "") == "add_collection":
            return candidate
    return wrapper  # not patched: the generated operation itself


_ADD_COLLECTION = _generated_add_collection()


class AddTaskCollectionError(Exception):
    """A failed request (after the client's own retries), shaped where the submitter looks: status_code, code."""

    def __init__(self, status_code: int | None, code: str | None, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code


def add_task_collection(client: BatchServiceClient, job_id: str, tasks: Sequence[models.TaskAddParameter]) -> list[models.TaskAddResult]:
    """POST {batchUrl}/jobs/{jobId}/addtaskcollection through the client's pipeline (credentials, retries)."""
    try:
        result = _ADD_COLLECTION(client.task, job_id, list(tasks))
    except models.BatchErrorException as error:
        status = error.response.status_code if error.response is not None else None
        code = error.error.code if error.error is not None else None
        message = error.error.message.value if error.error is not None and error.error.message is not None else str(error)
        raise AddTaskCollectionError(status, code, message) from error
    return list(result.value or [])
