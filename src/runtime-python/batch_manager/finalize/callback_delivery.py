# Why: POSTs the job summary to the workload's callback URL, retrying with exponential backoff; failing for good is an error (exit code 4).
from __future__ import annotations

import logging
import time
import urllib.error
import urllib.request
from typing import Any

from ..json_text import compact_json
from ..settings.urls import redact_url, url_problem

USER_AGENT = "batch-manager-runtime-python/0.1.0"


class CallbackDeliveryError(Exception):
    def __init__(self, url: str, attempts: int, last_problem: str) -> None:
        super().__init__(f"Could not deliver the job summary to {redact_url(url)} after {attempts} attempt(s): {last_problem}")


def _is_retryable(status: int) -> bool:
    return status in (408, 425, 429) or status >= 500


def deliver_callback(
    url: str,
    body: Any,
    attempts: int = 6,
    initial_delay_seconds: float = 1.0,
    timeout_seconds: float = 30.0,
    logger: logging.Logger | None = None,
) -> int:
    """Delivers `body` as JSON; returns the HTTP status of the accepting (2xx) response."""
    if problem := url_problem(url):
        raise ValueError(f"BATCH_CALLBACK_URL {problem}")
    payload = compact_json(body).encode("utf-8")
    last_problem = "not attempted"
    for attempt in range(1, attempts + 1):
        if attempt > 1:
            time.sleep(initial_delay_seconds * 2 ** (attempt - 2))
        request = urllib.request.Request(url, data=payload, method="POST", headers={"content-type": "application/json", "user-agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout_seconds) as response:
                response.read()
                return int(response.status)
        except urllib.error.HTTPError as error:
            last_problem = f"HTTP {error.code} {error.reason}"
            if not _is_retryable(error.code):
                raise CallbackDeliveryError(url, attempt, last_problem) from None
        except (urllib.error.URLError, OSError) as error:
            last_problem = str(getattr(error, "reason", error))
        if logger:
            logger.warning(f"Callback attempt {attempt}/{attempts} to {redact_url(url)} failed: {last_problem}")
    raise CallbackDeliveryError(url, attempts, last_problem)
