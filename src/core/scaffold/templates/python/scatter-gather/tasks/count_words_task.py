# Why: the fan-out task: counts the lines and words of one downloaded input blob and writes them as JSON.
from __future__ import annotations

import json
from pathlib import Path

from batch_manager import TaskBuildContext, TaskContext, WorkloadTask, WorkloadTaskBuilder


class CountWordsTask(WorkloadTask):
    """Args: {"inputFile": "<downloaded input in the working directory>", "outputFile": "<result it writes there>"}."""

    def run(self, context: TaskContext) -> None:
        working = Path(context.directories.working)
        lines = [line for line in (working / context.args["inputFile"]).read_text().split("\n") if line.strip()]
        count = {"file": context.args["inputFile"], "lines": len(lines), "words": sum(len(line.split()) for line in lines)}
        (working / context.args["outputFile"]).write_text(json.dumps(count))
        context.report_progress(100, f"counted {count['words']} words in {count['file']}")
        context.logger.debug(f"wrote {context.args['outputFile']}", extra={"fields": count})


class CountWordsTaskBuilder(WorkloadTaskBuilder):
    def build(self, context: TaskBuildContext) -> CountWordsTask:
        return CountWordsTask()
