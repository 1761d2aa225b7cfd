# Why: the FinalizeTask's on_job_completed as a real process against the real local service: it enriches the summary, or its failure is in the summary, the callback is still made, and the role then exits 1.
from __future__ import annotations

import json
import uuid
from pathlib import Path

from azure.batch import BatchServiceClient, models

from support.callback_server import CallbackServer
from support.local_service import LocalService, clean_environment, workload_settings
from support.scraping_job import wait_until
from support.workload_process import run_main

MAIN = Path(__file__).resolve().parent / "fixtures" / "parents_workload" / "main.py"


def _job_with_one_finished_task(client: BatchServiceClient, pool_id: str, prefix: str) -> str:
    job_id = f"{prefix}-{uuid.uuid4().hex[:8]}"
    client.job.add(models.JobAddParameter(id=job_id, pool_info=models.PoolInformation(pool_id=pool_id)))
    client.task.add(job_id, models.TaskAddParameter(id="1", command_line='/bin/sh -c "exit 0"'))
    wait_until(lambda: client.task.get(job_id, "1").state == models.TaskState.completed, "task 1 to complete", 120)
    return job_id


def _finalize(service: LocalService, job_id: str, working: Path, callback_url: str):  # noqa: ANN202
    working.mkdir()
    env = workload_settings(service, AZ_BATCH_TASK_WORKING_DIR=str(working), BATCH_CALLBACK_URL=callback_url)
    return run_main(MAIN, ["finalize", "--job-id", job_id], clean_environment(env))


def test_on_job_completed_enriches_the_summary_before_it_is_stored_and_posted(
    local_service: LocalService, scraping_pool: str, batch_client: BatchServiceClient, callbacks: CallbackServer, tmp_path: Path
) -> None:
    job_id = _job_with_one_finished_task(batch_client, scraping_pool, "py-hook-ok")
    result = _finalize(local_service, job_id, tmp_path / "wd", f"{callbacks.base_url}/hook-ok")
    assert result.code == 0, result.stderr
    posted = callbacks.wait_for("/hook-ok", 10).body
    assert posted["workloadResult"] == {"tasks": 1, "jobId": job_id}
    assert json.loads((tmp_path / "wd" / "summary.json").read_text())["workloadResult"] == posted["workloadResult"]


def test_a_raising_on_job_completed_is_reported_in_the_summary_still_posted_and_fails_the_role(
    local_service: LocalService, scraping_pool: str, batch_client: BatchServiceClient, callbacks: CallbackServer, tmp_path: Path
) -> None:
    job_id = _job_with_one_finished_task(batch_client, scraping_pool, "py-hook-raises")
    result = _finalize(local_service, job_id, tmp_path / "wd", f"{callbacks.base_url}/hook-raises")
    assert result.code == 1, result.stderr
    posted = callbacks.wait_for("/hook-raises", 10).body
    assert posted["result"] == "failed" and posted["counts"]["failed"] == 0
    error = posted["onJobCompletedError"]
    assert [error["type"], error["message"]] == ["RuntimeError", "on_job_completed cannot clean up"]
    assert "raise RuntimeError" in error["stack"]
    report = json.loads((tmp_path / "wd" / "error.json").read_text())
    assert [report["type"], report["role"], report["exitCode"]] == ["RuntimeError", "finalize", 1]
