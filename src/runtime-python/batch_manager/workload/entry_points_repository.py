# Why: the workload's registry of task entry points: which task class (and builder) runs under which name on the nodes.
from __future__ import annotations

from dataclasses import dataclass

from .workload_task import WorkloadTask, WorkloadTaskBuilder, entry_point_name_of


@dataclass(frozen=True)
class EntryPoint:
    name: str
    task_type: type[WorkloadTask]
    builder_type: type[WorkloadTaskBuilder] | None = None


class UnknownEntryPointError(Exception):
    """A task name no registered class answers to (exit code 2)."""

    def __init__(self, name: str, known: list[str]) -> None:
        names = ", ".join(known) if known else "none"
        super().__init__(
            f'No workload task is registered as "{name}" (registered: {names}); '
            "call self._entry_points_repository.register_entry_point(TaskType, TaskBuilderType)"
        )


class EntryPointsRepository:
    def __init__(self) -> None:
        self._by_name: dict[str, EntryPoint] = {}

    def register_entry_point(self, task_type: type[WorkloadTask], builder_type: type[WorkloadTaskBuilder] | None = None) -> EntryPointsRepository:
        """Registers `task_type` under its entry-point name; without a builder the task is constructed with `TaskType()`."""
        if not (isinstance(task_type, type) and issubclass(task_type, WorkloadTask)):
            raise TypeError(f"register_entry_point: {task_type!r} is not a WorkloadTask subclass")
        if builder_type is not None and not (isinstance(builder_type, type) and issubclass(builder_type, WorkloadTaskBuilder)):
            raise TypeError(f"register_entry_point: {builder_type!r} is not a WorkloadTaskBuilder subclass")
        name = entry_point_name_of(task_type)
        existing = self._by_name.get(name)
        if existing is not None and existing.task_type is not task_type:
            raise ValueError(f'register_entry_point: "{name}" is already registered for another task class')
        self._by_name[name] = EntryPoint(name, task_type, builder_type)
        return self

    def name_of(self, task_type: type[WorkloadTask]) -> str:
        """The registered name of `task_type`; raises when it was never registered (its tasks could not run on a node)."""
        name = entry_point_name_of(task_type)
        entry = self._by_name.get(name)
        if entry is None or entry.task_type is not task_type:
            raise UnknownEntryPointError(name, self.names())
        return name

    def resolve(self, name: str) -> EntryPoint:
        entry = self._by_name.get(name)
        if entry is None:
            raise UnknownEntryPointError(name, self.names())
        return entry

    def names(self) -> list[str]:
        return sorted(self._by_name)
