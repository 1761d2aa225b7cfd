# Why: job-level progress reports from the Python runtime on the real local service: the finalize-guard POSTs signed, throttled reports with a rising percent and a final 100% (the TypeScript runtime's figure), and a bad progress setting stops submit.
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from azure.batch import BatchServiceClient

from batch_manager.finalize.callback_signature import DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, is_valid_callback_signature
from batch_manager.job_progress import compute_job_progress
from support.callback_server import CallbackServer
from support.local_service import LocalService, clean_environment, deploy_application_package, workload_settings
from support.scraping_job import wait_until
from support.workload_package import build_workload_zip
from support.workload_process import run_main

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "parents_workload"
APPLICATION = {"BATCH_APPLICATION_ID": "parents-progress", "BATCH_APPLICATION_VERSION": "1.0.0"}
SECRET = "python-progress-secret-0123456789abcdef"
INTERVAL_SECONDS = 1


@pytest.fixture(scope="module")
def progress_package(local_service: LocalService, tmp_path_factory: pytest.TempPathFactory) -> None:
    package = build_workload_zip(FIXTURE, tmp_path_factory.mktemp("progress") / "parents.zip")
    deploy_application_package(local_service, APPLICATION["BATCH_APPLICATION_ID"], APPLICATION["BATCH_APPLICATION_VERSION"], package)


def test_the_guard_posts_signed_throttled_reports_rising_to_a_final_100(
    local_service: LocalService, scraping_pool: str, progress_package: None, batch_client: BatchServiceClient, callbacks: CallbackServer
) -> None:
    env = workload_settings(
        local_service,
        BATCH_POOL_ID=scraping_pool,
        BATCH_CALLBACK_SECRET=SECRET,
        BATCH_PROGRESS_URL=f"{callbacks.base_url}/py-progress",
        BATCH_PROGRESS_INTERVAL_SECONDS=str(INTERVAL_SECONDS),
        **APPLICATION,
    )
    submitted = run_main(FIXTURE / "main.py", ["submit", "--args", json.dumps({"mode": "steps", "tasks": 3, "stepSeconds": 1.2})], clean_environment(env))
    assert submitted.code == 0, submitted.stderr
    job_id = json.loads(submitted.stdout.strip().splitlines()[-1])["jobId"]
    wait_until(lambda: batch_client.job.get(job_id).state.value == "completed", "the job to complete", 180)

    received = [c for c in callbacks.received if c.path == "/py-progress" and c.body["jobId"] == job_id]
    reports = [c.body for c in received]
    assert len(reports) >= 3, f"several reports while the job ran: {reports}"
    for request in received:
        assert is_valid_callback_signature(SECRET, request.headers[TIMESTAMP_HEADER], request.raw_body, request.headers[SIGNATURE_HEADER])
    assert len({request.headers[DELIVERY_HEADER] for request in received}) == len(received), "one delivery id per report"
    assert [report["sequence"] for report in reports] == list(range(1, len(reports) + 1))
    percents = [report["percent"] for report in reports]
    assert percents == sorted(percents), f"the percent never falls: {percents}"
    assert len(set(percents)) >= 3, f"it rises in steps while tasks report progress: {percents}"
    assert [report["final"] for report in reports] == [False] * (len(reports) - 1) + [True]
    final = reports[-1]
    assert final["percent"] == 100 and final["etaSeconds"] == 0 and final["jobManagerRunning"] is False
    assert final["counts"] == {"total": 3, "completed": 3, "succeeded": 3, "failed": 0, "running": 0, "waiting": 0}
    # throttling: periodic reports at least one interval apart, so at most duration / interval + 1 of them (the final one on top)
    periodic = received[:-1]
    gaps = [later.received_at - earlier.received_at for earlier, later in zip(periodic, periodic[1:])]
    assert all(gap >= INTERVAL_SECONDS - 0.05 for gap in gaps), gaps
    duration = received[-1].received_at - received[0].received_at
    assert len(periodic) <= int(duration / INTERVAL_SECONDS) + 1


def test_a_bad_progress_url_or_interval_stops_submit_naming_the_setting(
    local_service: LocalService, scraping_pool: str, progress_package: None
) -> None:
    env = workload_settings(local_service, BATCH_POOL_ID=scraping_pool, BATCH_PROGRESS_URL="http://progress.example.com/p", BATCH_PROGRESS_INTERVAL_SECONDS="0", **APPLICATION)
    result = run_main(FIXTURE / "main.py", ["submit", "--job-id", "py-progress-never"], clean_environment(env))
    assert result.code == 3
    assert "BATCH_PROGRESS_URL must use https (plain http is accepted only for localhost" in result.stderr
    assert 'BATCH_PROGRESS_INTERVAL_SECONDS must be a whole number of seconds from 1 to 3600 (got "0")' in result.stderr


def test_the_figure_matches_the_typescript_runtimes() -> None:
    created = datetime(2026, 1, 1, tzinfo=timezone.utc)
    at = datetime(2026, 1, 1, 0, 1, tzinfo=timezone.utc)
    tasks = [
        {"id": "1", "state": "completed", "result": "success"},
        {"id": "2", "state": "completed", "result": "failure"},
        {"id": "3", "state": "running", "percent": 50, "message": "half"},
        {"id": "4", "state": "active"},
    ]
    progress = compute_job_progress(tasks, False, created, at)
    assert (progress["percent"], progress["etaSeconds"]) == (62, 36)
    assert progress["counts"] == {"total": 4, "completed": 2, "succeeded": 1, "failed": 1, "running": 1, "waiting": 1}
    done = [{**task, "state": "completed"} for task in tasks]
    assert compute_job_progress(done, True, created, at)["percent"] == 99
    assert compute_job_progress(done, False, created, at)["percent"] == 100
    assert compute_job_progress([], True, created, at)["etaSeconds"] is None
