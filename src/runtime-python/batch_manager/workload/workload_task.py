# Why: WorkloadTask (the code one Batch task runs) and WorkloadTaskBuilder (how the runtime constructs it on the node).
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from ..application.node_environment import TaskDirectories

if TYPE_CHECKING:
    from azure.batch import BatchServiceClient

    from ..files.storage_access import StorageAccess
    from ..settings.batch_client_settings import BatchClientSettings


@dataclass(frozen=True)
class ParentTaskResult:
    """A task this one depends on, as it ended (read from Batch when the task starts on a node)."""

    id: str
    state: str
    display_name: str | None = None
    result: str | None = None
    """success or failure (Batch's task execution result)"""
    exit_code: int | None = None
    failure_info: dict[str, str | None] | None = None
    """{"code", "message"} when Batch recorded a failure"""


@dataclass(frozen=True)
class TaskContext:
    """What `WorkloadTask.run` gets."""

    args: Any
    """the arguments the job manager gave add_workload_task (JSON)"""
    job_id: str
    task_id: str
    directories: TaskDirectories
    logger: logging.Logger
    report_progress: Callable[[float, str], dict[str, Any]]
    """records progress (0–100) in progress.json of the working directory (task file `wd/progress.json`)"""
    parents: tuple[ParentTaskResult, ...] = ()
    """the tasks this one depends on and how they ended (on a node; empty locally); a task added with
    after="completion" runs even when some failed and can look here to see which"""


@dataclass(frozen=True)
class TaskBuildContext:
    """What a WorkloadTaskBuilder gets to construct a task (services the task may need)."""

    client: BatchServiceClient
    settings: BatchClientSettings
    storage: StorageAccess
    logger: logging.Logger
    job_id: str
    task_id: str


class WorkloadTask(ABC):
    """The code of one kind of Batch task; dispatched on the node by its entry-point name (the class name, or `entry_point_name`)."""

    entry_point_name: ClassVar[str | None] = None

    @abstractmethod
    def run(self, context: TaskContext) -> None: ...


class WorkloadTaskBuilder(ABC):
    """Builds a task on the node; override `build` to inject what the task's constructor needs."""

    @abstractmethod
    def build(self, context: TaskBuildContext) -> WorkloadTask: ...


def entry_point_name_of(task_type: type[WorkloadTask]) -> str:
    return task_type.entry_point_name or task_type.__name__
