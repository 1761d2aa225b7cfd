# Why: runs the whole workload on the local Batch service (deploy, run, FinalizeTask callback) and checks the best point it picked.
import json

from local_run import run_workload_locally


def test_every_grid_point_is_evaluated_and_the_best_one_is_picked() -> None:
    run = run_workload_locally({"grid": {"x": [-1, 0, 2], "y": [1, 3]}, "outputContainer": "outputs"})

    assert run.summary["result"] == "succeeded", run.summary
    assert run.summary["counts"] == {"total": 8, "succeeded": 8, "failed": 0, "notCompleted": 0}, run.summary
    results = json.loads(run.outputs[f"outputs/{run.result['jobId']}/results.json"])
    assert len(results["results"]) == 6
    assert results["best"] == {"point": {"x": 0, "y": 1}, "score": -1}
