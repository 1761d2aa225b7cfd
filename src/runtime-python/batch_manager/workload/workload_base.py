# Why: WorkloadBase — a workload: its Batch client, its job-manager builder, and the entry points of its tasks.
from __future__ import annotations

from typing import TYPE_CHECKING

from .entry_points_repository import EntryPointsRepository
from .job_manager import JobManagerBuilder

if TYPE_CHECKING:
    from azure.batch import BatchServiceClient


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
