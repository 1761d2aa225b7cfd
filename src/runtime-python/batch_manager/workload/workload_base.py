# Why: WorkloadBase — a workload: its Batch client, its job-manager builder, and the entry points of its tasks.
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .entry_points_repository import EntryPointsRepository
from .job_manager import JobManagerBuilder

if TYPE_CHECKING:
    import logging

    from azure.batch import BatchServiceClient

    from ..files.storage_access import StorageAccess
    from ..settings.batch_client_settings import BatchClientSettings
    from ..application.node_environment import TaskDirectories


@dataclass(frozen=True)
class JobCompletedContext:
    """What `WorkloadBase.on_job_completed` gets besides the summary (it runs in the FinalizeTask, on a node)."""

    job_id: str
    client: BatchServiceClient
    settings: BatchClientSettings
    storage: StorageAccess
    logger: logging.Logger
    directories: TaskDirectories


class WorkloadBase:
    """Register every task class in `__init__`: `self._entry_points_repository.register_entry_point(TaskType, TaskBuilderType)`."""

    def __init__(self, batch_client: BatchServiceClient, job_manager_builder_type: type[JobManagerBuilder]) -> None:
        if not (isinstance(job_manager_builder_type, type) and issubclass(job_manager_builder_type, JobManagerBuilder)):
            raise TypeError(f"WorkloadBase: job_manager_builder_type must be a JobManagerBuilder subclass (got {job_manager_builder_type!r})")
        self.batch_client = batch_client
        self.job_manager_builder_type = job_manager_builder_type
        self._entry_points_repository = EntryPointsRepository()

    @property
    def entry_points_repository(self) -> EntryPointsRepository:
        return self._entry_points_repository

    @property
    def workload_name(self) -> str:
        """Used in generated job ids and job metadata; defaults to the class name."""
        return type(self).__name__

    @property
    def callback_url(self) -> str | None:
        """Where the FinalizeTask POSTs the job summary; BATCH_CALLBACK_URL and `submit --callback-url` override it."""
        return None

    def on_job_completed(self, summary: dict[str, Any], context: JobCompletedContext) -> None:
        """Runs in the FinalizeTask once the summary is built, before it is stored and POSTed: enrich it (e.g.
        `summary["workloadResult"] = …`) or clean up. If it raises, the summary says so (`onJobCompletedError`, result
        `failed`), the callback is still made, and the FinalizeTask then exits with code 1."""
