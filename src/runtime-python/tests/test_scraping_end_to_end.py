# Why: the seed's scraping example end to end on the real local Batch service and Azurite: submit → job manager → tasks → FinalizeTask → callback.
from __future__ import annotations

import json
from typing import Any

from azure.batch import BatchServiceClient
from azure.storage.blob import BlobServiceClient

from batch_manager import DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, is_valid_callback_signature, read_task_progress
from support.callback_server import CallbackServer
from support.local_service import LocalService
from support.scraping_job import CALLBACK_SECRET, read_blob, submit_scraping_job, upload_texts, wait_until

SUMMARY_TIMEOUT = 180
PAGES = {
    "a.html": "<html><title>Alpha</title><body>first page <a href='b.html'>b</a> <a href='c.html'>c</a></body></html>",
    "b.html": "<html><title>Beta</title><body>second page <a href='a.html'>a</a></body></html>",
    "c.html": "<html><title>Gamma</title><body>no links at all here</body></html>",
}


def by_name(summary: dict[str, Any], display_name: str) -> dict[str, Any]:
    task = next((t for t in summary["tasks"] if t.get("displayName") == display_name), None)
    assert task, f"no task {display_name!r} in {[t.get('displayName') for t in summary['tasks']]}"
    return task


def assert_timings(task: dict[str, Any]) -> None:
    timings = task["timings"]
    assert timings["createdAt"].endswith("Z") and timings["startedAt"] <= timings["endedAt"], task["id"]
    assert isinstance(timings["durationSeconds"], int | float)


def assert_scraped(summary: dict[str, Any], endpoint: str, name: str, links: int) -> dict[str, Any]:
    task = by_name(summary, f"scrape {name}")
    assert [task["kind"], task["entryPoint"], task["state"], task["result"], task["exitCode"]] == ["task", "ScrapeTask", "completed", "success", 0]
    assert "errorReport" not in task and "failureInfo" not in task
    progress = task["progress"]
    assert [progress["percent"], progress["message"], progress["taskId"]] == [100, f"scraped {name}: {links} links", task["id"]]
    assert task["outputs"] == [{"filePattern": f"{name}.json", "containerUrl": f"{endpoint}/scraped", "path": f"{summary['jobId']}/pages/{name}.json"}]
    assert {"filePattern": "../std*.txt", "containerUrl": f"{endpoint}/batch-runtime", "path": f"{summary['jobId']}/{task['id']}"} in task["runtimeFiles"]
    assert_timings(task)
    return task


def test_runs_the_scraping_workload_and_posts_the_summary(
    local_service: LocalService, scraping_pool: str, batch_client: BatchServiceClient, blob_service: BlobServiceClient, callbacks: CallbackServer
) -> None:
    upload_texts(blob_service, "pages", {f"ok/{name}": html for name, html in PAGES.items()})
    printed = submit_scraping_job(local_service, scraping_pool, {"pagesContainer": "pages", "pagesPrefix": "ok/", "outputContainer": "scraped"}, f"{callbacks.base_url}/ok")
    job_id = printed["jobId"]
    assert printed == {"jobId": job_id, "poolId": scraping_pool, "callbackUrl": f"{callbacks.base_url}/ok", "summaryBlob": f"{local_service.blob_endpoint}/batch-runtime/{job_id}/summary.json"}
    callback = callbacks.wait_for("/ok", SUMMARY_TIMEOUT)
    assert callback.headers["content-type"] == "application/json"
    # signed with BATCH_CALLBACK_SECRET over timestamp + "." + body; a tampered body would not verify
    headers = callback.headers
    assert is_valid_callback_signature(CALLBACK_SECRET, headers[TIMESTAMP_HEADER], callback.raw_body, headers[SIGNATURE_HEADER])
    assert not is_valid_callback_signature(CALLBACK_SECRET, headers[TIMESTAMP_HEADER], callback.raw_body.replace(b"succeeded", b"failed"), headers[SIGNATURE_HEADER])
    assert len(headers[DELIVERY_HEADER]) == 36
    summary = callback.body
    assert summary["workloadResult"] == {"pagesScraped": 3}, "on_job_completed enriched the summary"
    endpoint = local_service.blob_endpoint

    assert [summary["jobId"], summary["workloadName"], summary["result"]] == [job_id, "scraping", "succeeded"]
    assert summary["counts"] == {"total": 5, "succeeded": 5, "failed": 0, "notCompleted": 0}
    assert set(summary["timings"]) == {"jobCreatedAt", "finalizedAt", "durationSeconds"}
    job_manager = summary["tasks"][0]
    assert [job_manager["id"], job_manager["kind"], job_manager["result"], job_manager["exitCode"]] == ["job-manager", "jobManager", "success", 0]
    assert_timings(job_manager)
    assert_scraped(summary, endpoint, "a.html", 2)
    assert_scraped(summary, endpoint, "b.html", 1)
    assert_scraped(summary, endpoint, "c.html", 0)
    summarize = by_name(summary, "summarize")
    assert [summarize["id"], summarize["entryPoint"], summarize["result"], summarize["progress"]["percent"]] == ["summarize", "SummarizeTask", "success", 100]
    assert summarize["outputs"] == [{"filePattern": "report.json", "containerUrl": f"{endpoint}/scraped", "path": f"{job_id}/report.json"}]
    assert all(task["id"] != "finalize" for task in summary["tasks"]), "the FinalizeTask does not summarize itself"

    assert json.loads(read_blob(blob_service, "scraped", f"{job_id}/pages/a.html.json")) == {
        "page": "a.html", "title": "Alpha", "links": ["b.html", "c.html"], "words": 3,  # the builder counts words of 3+ letters
    }
    report = json.loads(read_blob(blob_service, "scraped", f"{job_id}/report.json"))
    assert [(p["name"], p["title"], p["links"]) for p in report["pages"]] == [("a.html.json", "Alpha", 2), ("b.html.json", "Beta", 1), ("c.html.json", "Gamma", 0)]
    assert report["totalLinks"] == 3

    # logging.yaml: JSON lines with the job and task ids; workload.ScrapeTask logs at debug
    scrape_a = by_name(summary, "scrape a.html")
    lines = [json.loads(line) for line in read_blob(blob_service, "batch-runtime", f"{job_id}/{scrape_a['id']}/stderr.txt").splitlines() if line]
    assert lines and all([line["jobId"], line["taskId"]] == [job_id, scrape_a["id"]] for line in lines)
    assert any(line["level"] == "debug" and line["logger"] == "workload.ScrapeTask" for line in lines)
    assert read_task_progress(batch_client, job_id, scrape_a["id"])["percent"] == 100  # type: ignore[index]

    job: Any = wait_until(lambda: (j := batch_client.job.get(job_id)).state == "completed" and j, "the job to complete", 60)
    assert job.execution_info.terminate_reason == "AllTasksComplete"
    stored = json.loads(read_blob(blob_service, "batch-runtime", f"{job_id}/summary.json"))
    assert [stored["jobId"], stored["result"]] == [job_id, "succeeded"]
