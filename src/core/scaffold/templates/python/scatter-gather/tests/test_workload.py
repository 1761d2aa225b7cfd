# Why: runs the whole workload on the local Batch service (upload inputs, deploy, run, FinalizeTask callback) and checks the gathered report.
import json
import time

from local_run import run_workload_locally


def test_every_input_blob_is_counted_and_the_counts_are_gathered() -> None:
    prefix = f"test-{time.time_ns()}/"
    run = run_workload_locally(
        {"inputContainer": "inputs", "inputPrefix": prefix, "outputContainer": "outputs"},
        inputs={f"inputs/{prefix}a.txt": "one two three\nfour\n", f"inputs/{prefix}b.txt": "five six\n"},
    )

    assert run.summary["result"] == "succeeded", run.summary
    assert run.summary["counts"] == {"total": 4, "succeeded": 4, "failed": 0, "notCompleted": 0}, run.summary
    report = json.loads(run.outputs[f"outputs/{run.result['jobId']}/report.json"])
    assert [(file["file"], file["words"]) for file in report["files"]] == [("a.txt", 4), ("b.txt", 2)]
    assert report["totalWords"] == 6
    assert json.loads(run.outputs[f"outputs/{run.result['jobId']}/counts/a.txt.count.json"])["lines"] == 2
