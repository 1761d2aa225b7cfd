# Why: report_progress writes `progress.json` in the task's working directory, readable by any Batch client as the task file `wd/progress.json`.
from __future__ import annotations

import json
import math
import os
from typing import Any

from .json_text import compact_json, iso_time, round_to_tenth, without_none

PROGRESS_FILE_NAME = "progress.json"
PROGRESS_TASK_FILE_PATH = f"wd/{PROGRESS_FILE_NAME}"


def check_percent(percent: float) -> int | float:
    """Rounds a percentage to a tenth; ValueError for anything outside 0–100."""
    if isinstance(percent, bool) or not isinstance(percent, int | float) or not math.isfinite(percent) or not 0 <= percent <= 100:
        raise ValueError(f"report_progress: percent must be a number from 0 to 100 (got {percent!r})")
    return round_to_tenth(percent)


def write_progress_file(working_directory: str, percent: float, message: str, job_id: str | None = None, task_id: str | None = None) -> dict[str, Any]:
    """Writes `{"percent","message","jobId","taskId","updatedAt"}` atomically (temp file + rename)."""
    record = without_none({"percent": check_percent(percent), "message": str(message), "jobId": job_id, "taskId": task_id, "updatedAt": iso_time()})
    target = os.path.join(working_directory, PROGRESS_FILE_NAME)
    temp = f"{target}.{os.getpid()}.tmp"
    with open(temp, "w", encoding="utf-8") as file:
        file.write(compact_json(record) + "\n")
    os.replace(temp, target)
    return record


def parse_progress(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    ok = isinstance(value, dict) and isinstance(value.get("percent"), int | float) and isinstance(value.get("message"), str)
    return value if ok else None
