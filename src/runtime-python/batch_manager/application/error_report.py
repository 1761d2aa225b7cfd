# Why: the error report (`error.json`) a failing role leaves in its working directory; uploaded with the task's outputs and quoted in the job summary.
from __future__ import annotations

import json
import os
import traceback
from typing import Any

from ..json_text import iso_time, pretty_json

ERROR_REPORT_FILE_NAME = "error.json"
ERROR_REPORT_TASK_FILE_PATH = f"wd/{ERROR_REPORT_FILE_NAME}"


def create_error_report(error: BaseException, role: str, task: dict[str, str], exit_code: int) -> dict[str, Any]:
    """`{type, message, stack, role, task: {jobId, taskId, entryPoint}, time, exitCode}`, as the TypeScript runtime writes it."""
    stack = "".join(traceback.format_exception(error)).rstrip("\n")
    return {
        "type": type(error).__name__,
        "message": str(error),
        "stack": stack,
        "role": role,
        "task": dict(task),
        "time": iso_time(),
        "exitCode": int(exit_code),
    }


def write_error_report(directory: str, report: dict[str, Any]) -> str:
    path = os.path.join(directory, ERROR_REPORT_FILE_NAME)
    with open(path, "w", encoding="utf-8") as file:
        file.write(pretty_json(report) + "\n")
    return path


def parse_error_report(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    ok = isinstance(value, dict) and isinstance(value.get("message"), str) and isinstance(value.get("type"), str)
    return value if ok else None
