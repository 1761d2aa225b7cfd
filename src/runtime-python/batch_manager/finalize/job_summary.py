# Why: the FinalizeTask's JSON summary of a job — the same document the TypeScript runtime posts: result, and every task's state, exit code, failure, error report, progress, outputs, timings.
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from collections.abc import Callable
from typing import Any, TypeVar

from azure.batch import BatchServiceClient, models

from ..application.error_report import ERROR_REPORT_TASK_FILE_PATH, parse_error_report
from ..application.roles import FINALIZE_GUARD_TASK_ID, FINALIZE_TASK_ID, JOB_MANAGER_TASK_ID, RuntimeVariables
from ..batch_tasks import list_all_tasks, read_task_file, read_task_progress
from ..json_text import enum_text, iso_time, round_to_tenth, without_none

T = TypeVar("T")


def _iso(moment: datetime | None) -> str | None:
    return iso_time(moment) if moment else None


def _seconds(start: datetime | None, end: datetime | None) -> int | float | None:
    return round_to_tenth((end - start).total_seconds()) if start and end else None


def _output_locations(task: models.CloudTask, runtime_container_url: str) -> dict[str, list[dict[str, str]]]:
    locations = []
    for file in task.output_files or []:
        container = file.destination.container if file.destination else None
        url = (container.container_url if container else "") or ""
        locations.append(without_none({"filePattern": file.file_pattern, "containerUrl": url.split("?")[0], "path": container.path if container else None}))
    runtime = [loc for loc in locations if loc["containerUrl"] == runtime_container_url]
    return {"outputs": [loc for loc in locations if loc["containerUrl"] != runtime_container_url], "runtimeFiles": runtime}


def _failure_info(info: models.TaskExecutionInformation | None) -> dict[str, Any] | None:
    failure = info.failure_info if info else None
    if failure is None:
        return None
    details = [without_none({"name": d.name, "value": d.value}) for d in failure.details] if failure.details else None
    return without_none({"category": enum_text(failure.category), "code": failure.code, "message": failure.message, "details": details})


def _unless_unreadable(read: Callable[[], T]) -> T | None:
    """A task file the service will not give (e.g. a task that failed before running on a node) is left out."""
    try:
        return read()
    except models.BatchErrorException:
        return None


def _summarize_task(client: BatchServiceClient, job_id: str, task: models.CloudTask, runtime_container_url: str) -> dict[str, Any]:
    info = task.execution_info
    result = enum_text(info.result) if info else None
    error_text = _unless_unreadable(lambda: read_task_file(client, job_id, task.id, ERROR_REPORT_TASK_FILE_PATH)) if result == "failure" else None
    progress = _unless_unreadable(lambda: read_task_progress(client, job_id, task.id))
    entry_point = next((s.value for s in task.environment_settings or [] if s.name == RuntimeVariables.ENTRY_POINT), None)
    start, end = (info.start_time, info.end_time) if info else (None, None)
    summary = without_none(
        {
            "id": task.id,
            "displayName": task.display_name or None,
            "kind": "jobManager" if task.id == JOB_MANAGER_TASK_ID else "task",
            "entryPoint": entry_point,
            "state": enum_text(task.state),
            "result": result,
            "exitCode": info.exit_code if info else None,
            "retryCount": info.retry_count if info else None,
            "failureInfo": _failure_info(info),
            "errorReport": parse_error_report(error_text) if error_text is not None else None,
            "progress": progress,
        }
    )
    timings = without_none({"createdAt": _iso(task.creation_time), "startedAt": _iso(start), "endedAt": _iso(end), "durationSeconds": _seconds(start, end)})
    return {**summary, **_output_locations(task, runtime_container_url), "timings": timings}


def _sort_key(task: dict[str, Any]) -> tuple[int, list[Any]]:
    """Job manager first, then ids in numeric-aware order (localeCompare with numeric: true)."""
    parts = [int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", task["id"]) if p]
    return (0 if task["kind"] == "jobManager" else 1, [(0, p, "") if isinstance(p, int) else (1, 0, p) for p in parts])


def build_job_summary(client: BatchServiceClient, job_id: str, runtime_container_url: str, workload_name: str | None = None) -> dict[str, Any]:
    """Reads the job's tasks (all but the FinalizeTask itself) and their task files, and summarizes them."""
    job = client.job.get(job_id)
    tasks = [task for task in list_all_tasks(client, job_id) if task.id not in (FINALIZE_TASK_ID, FINALIZE_GUARD_TASK_ID)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        summaries = list(pool.map(lambda task: _summarize_task(client, job_id, task, runtime_container_url), tasks))
    summaries.sort(key=_sort_key)
    succeeded = sum(1 for t in summaries if t.get("result") == "success")
    failed = sum(1 for t in summaries if t.get("result") == "failure")
    finalized_at = datetime.now(timezone.utc)
    return without_none(
        {
            "jobId": job_id,
            "workloadName": workload_name or None,
            "result": "succeeded" if failed == 0 and succeeded == len(summaries) else "failed",
            "counts": {"total": len(summaries), "succeeded": succeeded, "failed": failed, "notCompleted": len(summaries) - succeeded - failed},
            "tasks": summaries,
            "timings": without_none(
                {"jobCreatedAt": _iso(job.creation_time), "finalizedAt": iso_time(finalized_at), "durationSeconds": _seconds(job.creation_time, finalized_at)}
            ),
        }
    )
