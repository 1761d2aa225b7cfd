# Why: POSTs the job summary to the workload's callback URL — signed when a callback secret is set — retrying only transient failures; failing for good is an error (exit code 4).
from __future__ import annotations

import errno
import logging
import socket
import time
import urllib.error
import urllib.request
import uuid
from typing import Any

from ..json_text import compact_json
from ..settings.urls import redact_url, url_problem
from .callback_signature import DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign_callback

USER_AGENT = "batch-manager-runtime-python/0.1.0"
_RETRY_AFTER_CAP_SECONDS = 60.0


class CallbackDeliveryError(Exception):
    def __init__(self, url: str, attempts: int, last_problem: str, transient: bool = True, what: str = "the job summary") -> None:
        super().__init__(f"Could not deliver {what} to {redact_url(url)} after {attempts} attempt(s): {last_problem}")
        self.transient = transient
        """False when the failure was not worth retrying (a refusal, a wrong URL, port or host)."""


def is_transient_status(status: int) -> bool:
    """408, 425, 429 and 5xx answers are transient, except 501 and 505."""
    return status in (408, 425, 429) or (status >= 500 and status not in (501, 505))


def _is_transient_network_error(error: BaseException) -> bool:
    """Resets, timeouts, temporary DNS failures and unreachable networks; not a refused connection or an unknown host."""
    reason = getattr(error, "reason", error)
    if isinstance(reason, (TimeoutError, socket.timeout, ConnectionResetError, ConnectionAbortedError, BrokenPipeError)):
        return True
    if isinstance(reason, socket.gaierror):
        return reason.errno == socket.EAI_AGAIN
    return isinstance(reason, OSError) and reason.errno in (errno.ETIMEDOUT, errno.EHOSTUNREACH, errno.ENETUNREACH)


def _describe(error: BaseException, setting: str) -> str:
    reason = getattr(error, "reason", error)
    if isinstance(reason, ConnectionRefusedError):
        return f"{reason} (nothing accepts connections there: check the host and port of {setting})"
    if isinstance(reason, socket.gaierror) and reason.errno != socket.EAI_AGAIN:
        return f"{reason} (unknown host: check the host name of {setting})"
    return str(reason)


def _retry_after_seconds(header: str | None) -> float:
    if header and header.strip().isdigit():
        return min(float(header.strip()), _RETRY_AFTER_CAP_SECONDS)
    return 0.0


def _headers(payload: bytes, delivery_id: str, secret: str | None) -> dict[str, str]:
    timestamp = str(int(time.time()))
    headers = {"content-type": "application/json", "user-agent": USER_AGENT, DELIVERY_HEADER: delivery_id, TIMESTAMP_HEADER: timestamp}
    if secret:
        headers[SIGNATURE_HEADER] = sign_callback(secret, timestamp, payload)
    return headers


def deliver_callback(
    url: str,
    body: Any,
    attempts: int = 6,
    initial_delay_seconds: float = 1.0,
    timeout_seconds: float = 30.0,
    logger: logging.Logger | None = None,
    secret: str | None = None,
    delivery_id: str | None = None,
    what: str = "the job summary",
    setting: str = "BATCH_CALLBACK_URL",
) -> int:
    """Delivers `body` as JSON; returns the HTTP status of the accepting (2xx) response. Retries only transient failures."""
    if problem := url_problem(url):
        raise ValueError(f"{setting} {problem}")
    payload = compact_json(body).encode("utf-8")
    delivery = delivery_id or str(uuid.uuid4())
    last_problem = "not attempted"
    wait_seconds = 0.0
    for attempt in range(1, attempts + 1):
        if attempt > 1:
            time.sleep(max(wait_seconds, initial_delay_seconds * 2 ** (attempt - 2)))
        wait_seconds = 0.0
        request = urllib.request.Request(url, data=payload, method="POST", headers=_headers(payload, delivery, secret))
        try:
            with urllib.request.urlopen(request, timeout=timeout_seconds) as response:
                response.read()
                return int(response.status)
        except urllib.error.HTTPError as error:
            last_problem = f"HTTP {error.code} {error.reason}"
            if not is_transient_status(error.code):
                raise CallbackDeliveryError(url, attempt, last_problem, transient=False, what=what) from None
            wait_seconds = _retry_after_seconds(error.headers.get("retry-after") if error.headers else None)
        except (urllib.error.URLError, OSError) as error:
            last_problem = _describe(error, setting)
            if not _is_transient_network_error(error):
                raise CallbackDeliveryError(url, attempt, last_problem, transient=False, what=what) from None
        if logger:
            logger.warning(f"Callback attempt {attempt}/{attempts} to {redact_url(url)} failed: {last_problem}")
    raise CallbackDeliveryError(url, attempts, last_problem, what=what)
