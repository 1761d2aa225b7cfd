# Why: turns one log record into one line, readable text or a JSON object, with the job and task ids — byte-compatible with the TypeScript runtime's lines.
from __future__ import annotations

import json
import logging
import re
import traceback
from datetime import datetime, timezone
from typing import Any

from ..json_text import compact_json, iso_time

LEVEL_NAMES = {logging.DEBUG: "debug", logging.INFO: "info", logging.WARNING: "warning", logging.ERROR: "error", logging.CRITICAL: "error"}


def level_name(levelno: int) -> str:
    for threshold in (logging.ERROR, logging.WARNING, logging.INFO):
        if levelno >= threshold:
            return LEVEL_NAMES[threshold]
    return "debug"


def _text_value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), default=str)
    return json.dumps(text) if re.search(r'[\s"=]', text) else text


def _error_of(record: logging.LogRecord) -> dict[str, str] | None:
    if not record.exc_info or record.exc_info[1] is None:
        return None
    error = record.exc_info[1]
    stack = "".join(traceback.format_exception(error)).rstrip("\n")
    return {"type": type(error).__name__, "message": str(error), "stack": stack}


class RuntimeFormatter(logging.Formatter):
    """`2025-… INFO    workload.ScrapeTask [job=j task=3] message key=value`, or one JSON object per line.

    Structured fields: `logger.info("message", extra={"fields": {"key": value}})`.
    """

    def __init__(self, fmt: str = "text") -> None:
        super().__init__()
        self.kind = fmt

    def format(self, record: logging.LogRecord) -> str:
        time = iso_time(datetime.fromtimestamp(record.created, timezone.utc))
        level = level_name(record.levelno)
        job_id, task_id = getattr(record, "jobId", None), getattr(record, "taskId", None)
        fields = getattr(record, "fields", None) or {}
        error = _error_of(record)
        message = record.getMessage()
        if self.kind == "json":
            line: dict[str, Any] = {"time": time, "level": level, "logger": record.name, "message": message}
            line.update({key: value for key, value in (("jobId", job_id), ("taskId", task_id), ("error", error)) if value})
            if fields:
                line["fields"] = fields
            return compact_json(json.loads(json.dumps(line, default=str)))
        ids = " ".join(part for part in (job_id and f"job={job_id}", task_id and f"task={task_id}") if part)
        head = f"{time} {level.upper():<7} {record.name}{f' [{ids}]' if ids else ''} {message}"
        head += "".join(f" {key}={_text_value(value)}" for key, value in fields.items())
        return f"{head}\n{error['stack']}" if error else head
