# Why: submits the scraping example the way a developer does (`python3 main.py submit …`) and reads back what the job left in Batch and Azurite.
from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

from azure.storage.blob import BlobServiceClient

from .local_service import LocalService, clean_environment, workload_settings
from .workload_package import EXAMPLE_DIR
from .workload_process import run_main

T = TypeVar("T")
APPLICATION = {"BATCH_APPLICATION_ID": "scraping", "BATCH_APPLICATION_VERSION": "1.0.0"}
CALLBACK_SECRET = "scraping-callback-secret-0123456789abcdef"
"""every scraping job is submitted with this BATCH_CALLBACK_SECRET, so its callback is signed"""


def submit_scraping_job(service: LocalService, pool_id: str, job_args: dict[str, Any], callback_url: str | None) -> dict[str, Any]:
    env = clean_environment(workload_settings(service, BATCH_POOL_ID=pool_id, BATCH_LOGGING_CONFIG="logging.yaml", BATCH_CALLBACK_SECRET=CALLBACK_SECRET, **APPLICATION))
    argv = ["submit", "--args", json.dumps(job_args)] + (["--callback-url", callback_url] if callback_url else [])
    result = run_main(EXAMPLE_DIR / "main.py", argv, env)
    assert result.code == 0, f"submit failed ({result.code}):\n{result.stderr}"
    printed: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return printed


def upload_texts(blobs: BlobServiceClient, container: str, files: dict[str, str]) -> None:
    client = blobs.get_container_client(container)
    if not client.exists():
        client.create_container()
    for name, text in files.items():
        client.upload_blob(name, text.encode("utf-8"), overwrite=True)


def read_blob(blobs: BlobServiceClient, container: str, name: str) -> str:
    return blobs.get_blob_client(container, name).download_blob().readall().decode("utf-8")


def wait_until(condition: Callable[[], T | None], what: str, timeout_seconds: float, interval: float = 0.5) -> T:
    """Polls `condition` until it returns something truthy; fails naming `what` after the bound."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_seconds} s waiting for {what}")
        time.sleep(interval)
