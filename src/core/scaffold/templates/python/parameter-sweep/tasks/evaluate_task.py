# Why: the sweep's task: scores one point of the grid with the model and writes the result as JSON.
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from batch_manager import TaskBuildContext, TaskContext, WorkloadTask, WorkloadTaskBuilder

Model = Callable[[dict[str, float]], float]


def sum_of_squares(point: dict[str, float]) -> float:
    """The example model: the closer to the origin, the better (replace it with yours)."""
    return -sum(value * value for value in point.values())


class EvaluateTask(WorkloadTask):
    """Args: {"point": {"<parameter>": value, ...}, "outputFile": "<result it writes in the working directory>"}."""

    def __init__(self, score: Model) -> None:
        self.score = score

    def run(self, context: TaskContext) -> None:
        point = context.args["point"]
        result = {"point": point, "score": self.score(point)}
        Path(context.directories.working, context.args["outputFile"]).write_text(json.dumps(result))
        context.report_progress(100, f"score {result['score']}")
        context.logger.debug("evaluated", extra={"fields": {**point, "score": result["score"]}})


class EvaluateTaskBuilder(WorkloadTaskBuilder):
    """Builds the task on the node: the place to inject the model."""

    def build(self, context: TaskBuildContext) -> EvaluateTask:
        return EvaluateTask(sum_of_squares)
