# Why: the workload's one task: writes a greeting into its working directory, from where Batch uploads it.
from __future__ import annotations

from pathlib import Path

from batch_manager import TaskBuildContext, TaskContext, WorkloadTask, WorkloadTaskBuilder


class HelloTask(WorkloadTask):
    def __init__(self, greeting: str) -> None:
        self.greeting = greeting

    def run(self, context: TaskContext) -> None:
        name = context.args["name"]
        Path(context.directories.working, "hello.txt").write_text(f"{self.greeting}, {name}!\n")
        context.report_progress(100, f"greeted {name}")
        context.logger.info("wrote hello.txt", extra={"fields": {"name": name}})


class HelloTaskBuilder(WorkloadTaskBuilder):
    """Builds the task on the node: the place to inject services and configuration."""

    def build(self, context: TaskBuildContext) -> HelloTask:
        return HelloTask("Hello")
