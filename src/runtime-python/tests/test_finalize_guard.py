# Why: exactly one FinalizeTask per job on the real local service: a job manager whose process dies midway still gets its job a FinalizeTask (added by the finalize-guard task submit adds) and one callback.
from __future__ import annotations

import json
from pathlib import Path

import pytest
from azure.batch import BatchServiceClient

from support.callback_server import CallbackServer
from support.local_service import LocalService, clean_environment, deploy_application_package, workload_settings
from support.scraping_job import wait_until
from support.workload_package import build_workload_zip
from support.workload_process import run_main

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "parents_workload"
APPLICATION = {"BATCH_APPLICATION_ID": "parents", "BATCH_APPLICATION_VERSION": "1.0.0"}


@pytest.fixture(scope="module")
def parents_package(local_service: LocalService, tmp_path_factory: pytest.TempPathFactory) -> None:
    package = build_workload_zip(FIXTURE, tmp_path_factory.mktemp("parents") / "parents.zip")
    deploy_application_package(local_service, APPLICATION["BATCH_APPLICATION_ID"], APPLICATION["BATCH_APPLICATION_VERSION"], package)


def test_a_job_manager_that_dies_midway_still_gets_one_finalize_task_and_one_callback(
    local_service: LocalService, scraping_pool: str, parents_package: None, batch_client: BatchServiceClient, callbacks: CallbackServer
) -> None:
    env = workload_settings(local_service, BATCH_POOL_ID=scraping_pool, **APPLICATION)
    submitted = run_main(FIXTURE / "main.py", ["submit", "--args", json.dumps({"mode": "crash"}), "--callback-url", f"{callbacks.base_url}/guard"], clean_environment(env))
    assert submitted.code == 0, submitted.stderr
    job_id = json.loads(submitted.stdout.strip().splitlines()[-1])["jobId"]
    summary = callbacks.wait_for("/guard", 180).body
    wait_until(lambda: batch_client.job.get(job_id).state == "completed", "the job to complete", 60)
    assert [c.path for c in callbacks.received].count("/guard") == 1, "exactly one callback"
    assert [task.id for task in batch_client.task.list(job_id)].count("finalize") == 1
    assert [(t["id"], t["result"], t.get("exitCode")) for t in summary["tasks"]] == [("job-manager", "failure", 9), ("1", "success", 0)]
    finalize = batch_client.task.get(job_id, "finalize")
    assert finalize.depends_on.task_ids == ["1"], "after every task the job manager added"
    guard = batch_client.task.get(job_id, "finalize-guard")
    assert guard.execution_info.exit_code == 0
