# Why: runs the whole workload on the local Batch service (deploy, run, FinalizeTask callback) and checks what it wrote.
from local_run import run_workload_locally


def test_the_job_greets_the_name_it_is_given() -> None:
    run = run_workload_locally({"name": "Batch", "outputContainer": "outputs"})

    assert run.result["succeeded"], run.result
    assert run.summary["result"] == "succeeded", run.summary
    assert run.summary["counts"] == {"total": 2, "succeeded": 2, "failed": 0, "notCompleted": 0}, run.summary
    assert run.outputs[f"outputs/{run.result['jobId']}/hello.txt"] == "Hello, Batch!\n"
