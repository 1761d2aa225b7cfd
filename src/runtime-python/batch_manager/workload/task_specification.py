# Why: TaskSpecification — one workload task as the job manager describes it (entry point, args, dependencies, files), before it becomes a Batch task.
from __future__ import annotations

from typing import Any

from ..files.file_specifications import InputFileSpecification, OutputFileSpecification


class TaskSpecification:
    """`input_files` / `output_files` are plain lists: append InputFileSpecification / OutputFileSpecification until it is submitted."""

    def __init__(
        self,
        id: str,
        entry_point: str,
        args: Any,
        depends_on: list[str],
        display_name: str | None = None,
        max_task_retry_count: int | None = None,
        max_wall_clock_time_seconds: int | None = None,
        after: str = "success",
    ) -> None:
        if after not in ("success", "completion"):
            raise ValueError(f'add_workload_task: after must be "success" or "completion" (got {after!r})')
        self.id = id
        self.entry_point = entry_point
        self.args = args
        self.depends_on = list(depends_on)
        self.display_name = display_name or f"{entry_point} {id}"
        self.max_task_retry_count = max_task_retry_count
        self.max_wall_clock_time_seconds = max_wall_clock_time_seconds
        self.after = after
        """success: run only if every parent succeeded (else exit code 6); completion: run whatever their outcome"""
        self.input_files: list[InputFileSpecification] = []
        self.output_files: list[OutputFileSpecification] = []

    def add_input_file(self, spec: InputFileSpecification) -> TaskSpecification:
        self.input_files.append(spec)
        return self

    def add_output_file(self, spec: OutputFileSpecification) -> OutputFileSpecification:
        """Adds an output of this task (its task_id set) and returns it, e.g. for input_from_output."""
        spec.task_id = self.id
        self.output_files.append(spec)
        return spec

    def __repr__(self) -> str:
        return f"TaskSpecification(id={self.id!r}, entry_point={self.entry_point!r}, depends_on={self.depends_on!r})"
