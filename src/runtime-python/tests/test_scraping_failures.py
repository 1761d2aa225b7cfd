# Why: the failure paths on the real local service: submit refusing a job that could never start, a raising task, a raising job manager, and a callback that refuses the summary.
from __future__ import annotations

import json
import re

import pytest
from azure.batch import BatchServiceClient, models
from azure.storage.blob import BlobServiceClient
from azure.core.exceptions import ResourceNotFoundError

from batch_manager import ERROR_REPORT_TASK_FILE_PATH, read_task_file
from support.callback_server import CallbackServer
from support.local_service import LocalService, clean_environment, workload_settings
from support.scraping_job import APPLICATION, CALLBACK_SECRET, read_blob, submit_scraping_job, upload_texts, wait_until
from support.workload_package import EXAMPLE_DIR
from support.workload_process import run_main
from test_scraping_end_to_end import SUMMARY_TIMEOUT, assert_scraped, by_name


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"BATCH_POOL_ID": "no-such-pool"}, r'BATCH_POOL_ID names pool "no-such-pool", which does not exist in .*: create it \(batch-manager deploy creates the pool\)'),
        ({"BATCH_APPLICATION_VERSION": "9.9.9"}, r'BATCH_APPLICATION_VERSION names version "9\.9\.9" of application "scraping", which has no such package \(versions: 1\.0\.0\): deploy it'),
        ({"BATCH_APPLICATION_ID": "not-deployed"}, r'BATCH_APPLICATION_ID names application "not-deployed", which the account does not have: deploy it'),
    ],
)
def test_submit_refuses_a_missing_pool_or_package_version_before_creating_a_job(
    local_service: LocalService, scraping_pool: str, batch_client: BatchServiceClient, override: dict[str, str], expected: str
) -> None:
    job_id = f"never-created-{next(iter(override.values())).replace('.', '-')}"
    settings = workload_settings(local_service, **{"BATCH_POOL_ID": scraping_pool, **APPLICATION, **override})
    result = run_main(EXAMPLE_DIR / "main.py", ["submit", "--job-id", job_id], clean_environment(settings))
    assert result.code == 3, result.stderr
    assert re.search(expected, result.stderr), result.stderr
    with pytest.raises(models.BatchErrorException):
        batch_client.job.get(job_id)


def test_a_raising_task_leaves_error_json_and_the_summary_reports_it(
    local_service: LocalService, scraping_pool: str, blob_service: BlobServiceClient, callbacks: CallbackServer
) -> None:
    pages = {"mixed/a.html": "<title>A</title><a href='x'>x</a>", "mixed/bad.html": "<title>Bad</title>FAIL-SCRAPE", "mixed/c.html": "<title>C</title>"}
    upload_texts(blob_service, "pages", pages)
    job_args = {"pagesContainer": "pages", "pagesPrefix": "mixed/", "outputContainer": "scraped"}
    job_id = submit_scraping_job(local_service, scraping_pool, job_args, f"{callbacks.base_url}/mixed")["jobId"]
    summary = callbacks.wait_for("/mixed", SUMMARY_TIMEOUT).body

    assert summary["result"] == "failed"
    assert summary["counts"] == {"total": 5, "succeeded": 3, "failed": 2, "notCompleted": 0}
    assert_scraped(summary, local_service.blob_endpoint, "a.html", 1)
    assert_scraped(summary, local_service.blob_endpoint, "c.html", 0)
    bad = by_name(summary, "scrape bad.html")
    assert [bad["state"], bad["result"], bad["exitCode"], bad["failureInfo"]["category"]] == ["completed", "failure", 1, "usererror"]
    report = bad["errorReport"]
    assert [report["type"], report["message"], report["role"], report["exitCode"]] == ["ValueError", "bad.html asks this task to fail", "task", 1]
    assert report["task"] == {"jobId": job_id, "taskId": bad["id"], "entryPoint": "ScrapeTask"}
    assert report["stack"].startswith("Traceback (most recent call last):") and 'scraping_tasks.py", line' in report["stack"]
    assert report["time"].endswith("Z")
    assert bad["progress"]["percent"] == 50, "progress up to the failure"
    assert json.loads(read_blob(blob_service, "batch-runtime", f"{job_id}/{bad['id']}/error.json")) == report
    with pytest.raises(ResourceNotFoundError):
        read_blob(blob_service, "scraped", f"{job_id}/pages/bad.html.json")
    # the summarize task's inputs include the failed task's missing output: Batch fails it at download, before its code runs
    summarize = by_name(summary, "summarize")
    assert [summarize["result"], summarize.get("exitCode"), summarize["failureInfo"]["code"], summarize.get("errorReport")] == ["failure", None, "BlobNotFound", None]


def test_a_raising_job_manager_still_gets_a_finalize_task_and_a_summary(
    local_service: LocalService, scraping_pool: str, callbacks: CallbackServer
) -> None:
    # no "outputContainer": create_job() raises KeyError before adding any task
    job_id = submit_scraping_job(local_service, scraping_pool, {"pagesContainer": "pages", "pagesPrefix": "ok/"}, f"{callbacks.base_url}/jm")["jobId"]
    summary = callbacks.wait_for("/jm", SUMMARY_TIMEOUT).body
    assert [summary["jobId"], summary["result"], summary["counts"]] == [job_id, "failed", {"total": 1, "succeeded": 0, "failed": 1, "notCompleted": 0}]
    job_manager = summary["tasks"][0]
    assert [job_manager["id"], job_manager["result"], job_manager["exitCode"]] == ["job-manager", "failure", 1]
    report = job_manager["errorReport"]
    assert [report["type"], report["message"], report["role"], report["task"]] == ["KeyError", "'outputContainer'", "job-manager", {"jobId": job_id, "taskId": "job-manager"}]


def test_a_refused_callback_fails_the_finalize_task_with_exit_code_4(
    local_service: LocalService, scraping_pool: str, batch_client: BatchServiceClient, blob_service: BlobServiceClient, callbacks: CallbackServer
) -> None:
    callbacks.fail_next["/refused"] = 403  # not retryable: fails at the first attempt
    job_args = {"pagesContainer": "pages", "pagesPrefix": "none/", "outputContainer": "scraped"}
    job_id = submit_scraping_job(local_service, scraping_pool, job_args, f"{callbacks.base_url}/refused?sig=query-sentinel-7f3a")["jobId"]
    finalize = wait_until(lambda: _completed_task(batch_client, job_id, "finalize"), "the FinalizeTask to complete", SUMMARY_TIMEOUT)
    assert finalize.execution_info.exit_code == 4
    report = json.loads(read_task_file(batch_client, job_id, "finalize", ERROR_REPORT_TASK_FILE_PATH) or "{}")
    assert [report["type"], report["role"], report["exitCode"]] == ["CallbackDeliveryError", "finalize", 4]
    assert report["message"] == f"Could not deliver the job summary to {callbacks.base_url}/refused?… after 1 attempt(s): HTTP 403 Forbidden"
    log = read_blob(blob_service, "batch-runtime", f"{job_id}/finalize/stderr.txt")
    assert "query-sentinel-7f3a" not in log, "the callback URL's query never reaches the logs"
    assert CALLBACK_SECRET not in log, "nor does the callback secret"
    # the summary is stored even though it could not be delivered
    stored = wait_until(lambda: _maybe_blob(blob_service, f"{job_id}/summary.json"), "summary.json", 60)
    assert json.loads(stored)["counts"] == {"total": 2, "succeeded": 2, "failed": 0, "notCompleted": 0}  # job manager + summarize of no pages


def _completed_task(client: BatchServiceClient, job_id: str, task_id: str) -> models.CloudTask | None:
    try:
        task = client.task.get(job_id, task_id)
    except models.BatchErrorException as error:
        if error.error is not None and error.error.code == "TaskNotFound":  # the job manager has not added it yet
            return None
        raise
    return task if task.state == models.TaskState.completed else None


def _maybe_blob(blobs: BlobServiceClient, name: str) -> str | None:
    try:
        return read_blob(blobs, "batch-runtime", name)
    except ResourceNotFoundError:
        return None
