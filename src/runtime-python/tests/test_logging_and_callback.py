# Why: the log line formats and logging.yaml rules, progress rounding, and callback delivery (retry, refusal, bad URL) against a real HTTP server.
from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from batch_manager import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BatchClientSettings,
    CallbackDeliveryError,
    SettingsError,
    deliver_callback,
    is_valid_callback_signature,
    setup_logging,
    sign_callback,
)
from batch_manager.finalize.callback_signature import job_delivery_id
from batch_manager.progress_file import check_percent
from support.callback_server import CallbackServer


@pytest.fixture
def server() -> Iterator[CallbackServer]:
    callback = CallbackServer()
    yield callback
    callback.stop()


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    yield
    setup_logging(env={})
    for name in ("workload", "workload.Scrape", "runtime"):
        logging.getLogger(name).setLevel(logging.NOTSET)


def test_json_lines_carry_job_and_task_ids_and_the_most_specific_level_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "logging.yaml"
    config.write_text("format: json\nroot: {level: WARNING}\nloggers:\n  workload: {level: INFO}\n  workload.Scrape: DEBUG\n")
    setup_logging(config, env={"AZ_BATCH_JOB_ID": "job-1", "AZ_BATCH_TASK_ID": "3"})
    logging.getLogger("workload.Scrape.page").debug("parsed", extra={"fields": {"links": 2}})
    logging.getLogger("workload.Other").debug("hidden")
    logging.getLogger("workload.Other").info("shown")
    logging.getLogger("runtime.task").info("hidden too")
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        logging.getLogger("runtime.task").error("failed", exc_info=error)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [line["message"] for line in lines] == ["parsed", "shown", "failed"]
    first = lines[0]
    assert list(first) == ["time", "level", "logger", "message", "jobId", "taskId", "fields"]
    assert [first["level"], first["logger"], first["jobId"], first["taskId"], first["fields"]] == ["debug", "workload.Scrape.page", "job-1", "3", {"links": 2}]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", first["time"])
    assert lines[2]["error"]["type"] == "RuntimeError" and "raise RuntimeError" in lines[2]["error"]["stack"]


def test_text_lines_look_like_the_typescript_runtime_s(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "logging.json"
    config.write_text(json.dumps({"format": "text", "level": "info", "stream": "stdout"}))
    setup_logging(config, env={"AZ_BATCH_JOB_ID": "j", "AZ_BATCH_TASK_ID": "3"})
    logging.getLogger("workload.Scrape").warning("slow page", extra={"fields": {"page": "a b.html", "ms": 1200}})
    line = capsys.readouterr().out.strip()
    assert re.fullmatch(r'\S+Z WARNING workload\.Scrape \[job=j task=3\] slow page page="a b\.html" ms=1200', line), line


def test_a_bad_logging_config_names_the_file_and_the_fix(tmp_path: Path) -> None:
    config = tmp_path / "logging.yaml"
    config.write_text("loggers:\n  workload: loud\n")
    with pytest.raises(ValueError, match=r'logging\.yaml: loggers\.workload: unknown log level "loud" \(use debug, info, warning or error\)'):
        setup_logging(config, env={})


def test_progress_is_rounded_to_a_tenth_and_checked() -> None:
    assert [check_percent(50), check_percent(33.333), check_percent(0.05)] == [50, 33.3, 0.1]
    for bad in (-1, 100.5, float("nan"), "50", True):
        with pytest.raises(ValueError, match="percent must be a number from 0 to 100"):
            check_percent(bad)  # type: ignore[arg-type]


def test_the_callback_is_retried_on_503_and_posted_as_json(server: CallbackServer) -> None:
    calls: list[str] = []

    class Retrying(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            calls.append(record.getMessage())
            server.fail_next.pop("/done", None)  # the next attempt is accepted

    logger = logging.getLogger("test.callback")
    logger.addHandler(Retrying())
    server.fail_next["/done"] = 503
    status = deliver_callback(f"{server.base_url}/done?sig=abc", {"jobId": "j", "ü": 1}, initial_delay_seconds=0.01, logger=logger)
    assert status == 204
    assert calls == [f"Callback attempt 1/6 to {server.base_url}/done?… failed: HTTP 503 Service Unavailable"]
    received = server.wait_for("/done", 5)
    assert received.headers["content-type"] == "application/json" and received.body == {"jobId": "j", "ü": 1}


def test_a_refusing_callback_and_a_refused_connection_fail_at_once(server: CallbackServer) -> None:
    server.fail_next["/refuse"] = 400
    with pytest.raises(CallbackDeliveryError, match=r"after 1 attempt\(s\): HTTP 400 Bad Request"):
        deliver_callback(f"{server.base_url}/refuse", {}, initial_delay_seconds=0.01)
    started = time.monotonic()
    with pytest.raises(CallbackDeliveryError, match=r"http://127\.0\.0\.1:9/none after 1 attempt\(s\): .*check the host and port of BATCH_CALLBACK_URL") as refused:
        deliver_callback("http://127.0.0.1:9/none", {}, attempts=6, initial_delay_seconds=2, timeout_seconds=2)
    assert not refused.value.transient and time.monotonic() - started < 2, "no retries, no backoff"
    with pytest.raises(ValueError, match="BATCH_CALLBACK_URL must use https"):
        deliver_callback("http://example.com/done", {})


def test_a_signed_callback_carries_the_typescript_runtime_s_signature_and_one_delivery_id_across_retries(server: CallbackServer) -> None:
    # the same vector as test/runtime/callbackSignature.test.ts: both runtimes sign identically
    assert sign_callback("k" * 32, 1700000000, '{"jobId":"j","note":"ü"}') == "sha256=15473118db82f701ecf928e3fe119d4c69b52992ebf2566a78ef765ea4e4aff0"
    assert job_delivery_id("job-1", "2025-01-01T12:00:00.000Z") == "26db53e5-fe3d-a144-97e2-900d6586da8c"
    secret = "s" * 32
    seen: list[str] = []

    class AcceptSecond(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())
            server.fail_next.pop("/signed", None)

    logger = logging.getLogger("test.signed")
    logger.addHandler(AcceptSecond())
    server.fail_next["/signed"] = 502
    deliver_callback(f"{server.base_url}/signed", {"jobId": "j", "ü": 1}, initial_delay_seconds=0.01, logger=logger, secret=secret, delivery_id="delivery-7")
    received = server.wait_for("/signed", 5)
    assert len(seen) == 1 and received.headers[DELIVERY_HEADER] == "delivery-7"
    timestamp, signature = received.headers[TIMESTAMP_HEADER], received.headers[SIGNATURE_HEADER]
    assert abs(int(timestamp) - time.time()) < 60
    assert is_valid_callback_signature(secret, timestamp, received.raw_body, signature)
    assert not is_valid_callback_signature(secret, timestamp, received.raw_body.replace(b'"j"', b'"k"'), signature), "a tampered body fails"
    assert not is_valid_callback_signature("t" * 32, timestamp, received.raw_body, signature), "another secret fails"


def test_the_callback_secret_is_checked_and_never_echoed_or_sent_to_nodes() -> None:
    with pytest.raises(SettingsError) as error:
        BatchClientSettings.load(env={"BATCH_ACCOUNT_URL": "http://127.0.0.1:1", "BATCH_AUTH_MODE": "local", "BATCH_CALLBACK_SECRET": "short-secret-value"})
    assert "BATCH_CALLBACK_SECRET must be at least 32 characters" in str(error.value) and "short-secret-value" not in str(error.value)
    secret = "a-long-enough-callback-secret-0123456789"
    settings = BatchClientSettings.load(env={"BATCH_ACCOUNT_URL": "http://127.0.0.1:1", "BATCH_AUTH_MODE": "local", "BATCH_CALLBACK_SECRET": secret})
    assert settings.callback_secret == secret
    assert settings.describe()["BATCH_CALLBACK_SECRET"] == "***"
    assert all(item["value"] != secret for item in settings.for_nodes())
