# Why: the one job-level progress figure (percent, counts, ETA), computed as the TypeScript runtime's computeJobProgress does, and read from Batch for the finalize-guard's progress reports.
from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from azure.batch import BatchServiceClient

from .application.roles import JOB_MANAGER_TASK_ID, RESERVED_TASK_IDS
from .batch_tasks import list_all_tasks, read_task_progress


def _text(value: Any) -> str | None:
    """An SDK enum or string as its wire text."""
    return None if value is None else str(getattr(value, "value", value))


def compute_job_progress(tasks: list[dict[str, Any]], job_manager_running: bool, job_created_at: datetime | None, now: datetime) -> dict[str, Any]:
    """`tasks`: the workload tasks as {id, displayName?, state, result?, percent?, message?}; the same figure as the TypeScript runtime."""
    counts = {"total": len(tasks), "completed": 0, "succeeded": 0, "failed": 0, "running": 0, "waiting": 0}
    partial = 0.0
    running: list[dict[str, Any]] = []
    for task in tasks:
        if task["state"] == "completed":
            counts["completed"] += 1
            counts["failed" if task.get("result") == "failure" else "succeeded"] += 1
        elif task["state"] == "running":
            counts["running"] += 1
            if task.get("percent") is not None:
                partial += min(100.0, max(0.0, float(task["percent"]))) / 100
                entry = {"taskId": task["id"], "percent": task["percent"], "message": task.get("message") or ""}
                if task.get("displayName"):
                    entry = {"taskId": task["id"], "displayName": task["displayName"], "percent": task["percent"], "message": entry["message"]}
                running.append(entry)
        else:
            counts["waiting"] += 1
    exact = (counts["completed"] + partial) / counts["total"] * 100 if counts["total"] else 0.0
    # 100 only when every task is done and no more can come
    percent = min(math.floor(exact), 99 if job_manager_running or counts["completed"] < counts["total"] else 100)
    elapsed = max(0, round((now - job_created_at).total_seconds())) if job_created_at else 0
    eta: int | None
    if percent >= 100:
        eta = 0
    elif exact > 0 and job_created_at:
        eta = round(elapsed * (100 - exact) / exact)
    else:
        eta = None
    return {"percent": percent, "counts": counts, "jobManagerRunning": job_manager_running, "elapsedSeconds": elapsed, "etaSeconds": eta, "running": running}


def read_job_progress(client: BatchServiceClient, job_id: str, job_created_at: datetime | None) -> dict[str, Any]:
    """Reads the job's tasks and the progress files of its running workload tasks (8 at a time), then computes the figure."""
    tasks = list_all_tasks(client, job_id, select="id,displayName,state,executionInfo")
    manager = next((task for task in tasks if task.id == JOB_MANAGER_TASK_ID), None)
    workload = [task for task in tasks if task.id not in RESERVED_TASK_IDS]

    def state_of(task: Any) -> dict[str, Any]:
        state: dict[str, Any] = {"id": task.id, "state": _text(task.state) or "active"}
        if task.display_name:
            state["displayName"] = task.display_name
        result = _text(task.execution_info.result) if task.execution_info else None
        if result:
            state["result"] = result
        if state["state"] == "running":
            # a task that has not reported yet (or whose node is gone) counts as 0% of itself
            try:
                report = read_task_progress(client, job_id, task.id)
            except Exception:  # noqa: BLE001
                report = None
            if report:
                state["percent"], state["message"] = report["percent"], report.get("message", "")
        return state

    with ThreadPoolExecutor(max_workers=8) as pool:
        states = list(pool.map(state_of, workload))
    now = datetime.now(job_created_at.tzinfo) if job_created_at else datetime.now()
    return compute_job_progress(states, manager is not None and _text(manager.state) != "completed", job_created_at, now)
