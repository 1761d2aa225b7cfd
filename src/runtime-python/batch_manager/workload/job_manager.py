# Why: JobManager (the workload's job-manager code: create_job() adds workload tasks) and JobManagerBuilder (how the runtime constructs it).
from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..application.roles import RESERVED_TASK_IDS
from ..files.file_specifications import InputFileSpecification, OutputFileSpecification
from .entry_points_repository import EntryPointsRepository
from .task_specification import TaskSpecification
from .workload_task import WorkloadTask

if TYPE_CHECKING:
    from azure.batch import BatchServiceClient

    from ..files.storage_access import StorageAccess
    from ..settings.batch_client_settings import BatchClientSettings
    from ..submission.task_submitter import SubmissionResult

_RESERVED_TASK_IDS = set(RESERVED_TASK_IDS)


@dataclass(frozen=True)
class JobManagerContext:
    job_id: str
    args: Any
    """the arguments given to `submit` (--args / --args-file)"""
    client: BatchServiceClient
    settings: BatchClientSettings
    storage: StorageAccess
    logger: logging.Logger
    entry_points: EntryPointsRepository
    submit_options: dict[str, Any] = field(default_factory=dict)


class JobManager(ABC):
    def __init__(self, context: JobManagerContext) -> None:
        self.context = context
        self._added: list[TaskSpecification] = []
        self._ids: set[str] = set()
        self._unsubmitted = 0
        self._next_number = 1
        self._submissions: list[SubmissionResult] = []

    @property
    def job_id(self) -> str:
        return self.context.job_id

    @property
    def args(self) -> Any:
        return self.context.args

    @property
    def logger(self) -> logging.Logger:
        return self.context.logger

    @abstractmethod
    def create_job(self) -> None:
        """The workload's plan: add its tasks with add_workload_task (submitted when it returns, or by submit_pending_tasks)."""

    def add_workload_task(
        self,
        task_type: type[WorkloadTask],
        args: Any,
        depends_on: Sequence[TaskSpecification | str] = (),
        *,
        id: str | None = None,
        display_name: str | None = None,
        input_files: Sequence[InputFileSpecification] = (),
        output_files: Sequence[OutputFileSpecification] = (),
        max_task_retry_count: int | None = None,
        max_wall_clock_time_seconds: int | None = None,
        after: str = "success",
    ) -> TaskSpecification:
        """Adds a task running `task_type` with `args` after every task in `depends_on` has completed; returns its specification."""
        entry_point = self.context.entry_points.name_of(task_type)
        parents = [parent if isinstance(parent, str) else parent.id for parent in depends_on]
        task_id = id if id is not None else self._next_free_number()
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", task_id):
            raise ValueError(f'add_workload_task: invalid task id "{task_id}" (1-64 letters, digits, - or _)')
        if task_id.lower() in _RESERVED_TASK_IDS:
            raise ValueError(f'add_workload_task: task id "{task_id}" is reserved by the runtime')
        if task_id.lower() in self._ids:
            raise ValueError(f'add_workload_task: task id "{task_id}" is already used in this job')
        for parent in parents:
            if parent.lower() not in self._ids:
                raise ValueError(f'add_workload_task: task {task_id} depends on "{parent}", which was not added before it')
        spec = TaskSpecification(task_id, entry_point, args, parents, display_name, max_task_retry_count, max_wall_clock_time_seconds, after)
        spec.input_files.extend(input_files)
        for output in output_files:
            spec.add_output_file(output)
        self._ids.add(task_id.lower())
        self._added.append(spec)
        self._unsubmitted += 1
        return spec

    @property
    def tasks(self) -> list[TaskSpecification]:
        """Every task added so far (submitted or not)."""
        return list(self._added)

    @property
    def submission_results(self) -> list[SubmissionResult]:
        return list(self._submissions)

    def submit_pending_tasks(self) -> SubmissionResult:
        """Submits the tasks added since the last call (chunked, parallel add_collection). Called by the runtime after create_job()."""
        from ..files.output_containers import ensure_output_containers
        from ..submission.task_parameters import TaskParameterContext, to_task_add_parameter
        from ..submission.task_submitter import submit_tasks

        pending = self._added[len(self._added) - self._unsubmitted :]
        self._unsubmitted = 0
        for spec in pending:
            for output in spec.output_files:
                output.task_id = output.task_id or spec.id
        ensure_output_containers([o for spec in pending for o in spec.output_files], self.context.storage, self.logger)
        shared = TaskParameterContext.create(self.context.storage, self.context.settings, self.job_id)
        parameters = [to_task_add_parameter(spec, shared) for spec in pending]
        result = submit_tasks(self.context.client, self.job_id, parameters, **self.context.submit_options)
        self._submissions.append(result)
        return result

    def _next_free_number(self) -> str:
        while str(self._next_number) in self._ids:
            self._next_number += 1
        return str(self._next_number)


class JobManagerBuilder(ABC):
    """Builds the workload's JobManager on the node; override `build` to inject what its constructor needs."""

    @abstractmethod
    def build(self, context: JobManagerContext) -> JobManager: ...
