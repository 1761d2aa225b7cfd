# Why: the sweep's gather task: reads every EvaluateTask result (downloaded into one folder) and writes results.json with the best point.
from __future__ import annotations

import json
from pathlib import Path

from batch_manager import TaskContext, WorkloadTask


class CollectResultsTask(WorkloadTask):
    """Args: {"resultsDirectory": "<working-directory folder holding every EvaluateTask result>"}."""

    def run(self, context: TaskContext) -> None:
        directory = Path(context.directories.working, context.args["resultsDirectory"])
        results = [json.loads(path.read_text()) for path in sorted(directory.iterdir())]
        best = max(results, key=lambda result: result["score"], default=None)
        Path(context.directories.working, "results.json").write_text(json.dumps({"results": results, "best": best}, indent=2))
        context.report_progress(100, f"collected {len(results)} result(s)")
        context.logger.info(f"best of {len(results)} point(s)", extra={"fields": {**(best or {}).get("point", {}), "score": (best or {}).get("score")}})
