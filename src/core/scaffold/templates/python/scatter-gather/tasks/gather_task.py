# Why: the gather task: reads every CountWordsTask result (downloaded into one folder) and writes report.json.
from __future__ import annotations

import json
from pathlib import Path

from batch_manager import TaskContext, WorkloadTask


class GatherTask(WorkloadTask):
    """Args: {"resultsDirectory": "<working-directory folder holding every CountWordsTask result>"}."""

    def run(self, context: TaskContext) -> None:
        working = Path(context.directories.working)
        names = sorted(path.name for path in (working / context.args["resultsDirectory"]).iterdir())
        files = []
        for name in names:
            files.append(json.loads((working / context.args["resultsDirectory"] / name).read_text()))
            context.report_progress(len(files) * 100 / len(names), f"read {len(files)} of {len(names)} results")
        report = {"files": files, "totalWords": sum(file["words"] for file in files)}
        (working / "report.json").write_text(json.dumps(report, indent=2))
        context.logger.info(f"gathered {len(files)} result(s)", extra={"fields": {"totalWords": report["totalWords"]}})
