# Why: lets the tests run the workload on the local Batch service through the batch-manager CLI (deploy a test version, upload inputs, run it, catch the callback, read the outputs).
from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

from azure.storage.blob import ContainerClient

from batch_manager.settings.local_defaults import AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME

WORKLOAD_DIR = Path(__file__).resolve().parents[1]


def cli_command() -> list[str]:
    """$BATCH_MANAGER_CLI (e.g. `node /path/to/cli.js`), else `batch-manager` on PATH."""
    configured = os.environ.get("BATCH_MANAGER_CLI")
    if configured:
        return shlex.split(configured)
    found = shutil.which("batch-manager")
    if not found:
        raise RuntimeError("the batch-manager CLI is not on PATH: install it (npm install -g @batch-manager/cli) or set BATCH_MANAGER_CLI")
    return [found]


def run_cli(*args: str, timeout: float) -> dict[str, Any]:
    # `run` submits with $BATCH_PYTHON (default: python3 on PATH): make it the interpreter these tests run on, which has the Azure SDKs
    env = {**os.environ, "BATCH_PYTHON": os.environ.get("BATCH_PYTHON", sys.executable)}
    done = subprocess.run([*cli_command(), *args], cwd=WORKLOAD_DIR, capture_output=True, text=True, timeout=timeout, env=env)
    if done.returncode not in (0, 3):
        raise RuntimeError(f"batch-manager {args[0]} failed (exit code {done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass
class CallbackSink:
    """An HTTP server on 127.0.0.1 that keeps the FinalizeTask's POSTed summaries."""

    bodies: list[Any] = field(default_factory=list)

    def __enter__(self) -> CallbackSink:
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                sink.bodies.append(json.loads(self.rfile.read(int(self.headers.get("content-length", "0")))))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self._server = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/done"

    def wait_for_summary(self, timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        while not self.bodies and time.monotonic() < deadline:
            time.sleep(0.2)
        if not self.bodies:
            raise TimeoutError(f"no callback within {timeout} s")
        return self.bodies[0]

    def __exit__(self, *_: Any) -> None:
        self._server.shutdown()


def local_container(container: str) -> ContainerClient:
    """A container of the local service's Azurite (its well-known development account), created when missing."""
    status = json.loads(subprocess.run([*cli_command(), "local", "status"], capture_output=True, text=True, timeout=30).stdout or "{}")
    if not status.get("running"):
        raise RuntimeError("the local Batch service is not running (batch-manager deploy starts it)")
    client = ContainerClient(status["blobEndpoint"], container, credential={"account_name": AZURITE_ACCOUNT_NAME, "account_key": AZURITE_ACCOUNT_KEY})
    if not client.exists():
        client.create_container()
    return client


@dataclass
class LocalRun:
    result: dict[str, Any]
    """the callback's body: the job summary the FinalizeTask posted"""
    summary: Any
    """every blob under <container>/<jobId>/ of the output containers, as text, keyed "container/path" """
    outputs: dict[str, str]


def run_workload_locally(
    args: dict[str, Any], inputs: dict[str, str] | None = None, output_containers: tuple[str, ...] = ("outputs",), timeout: float = 240
) -> LocalRun:
    """Deploys a test version (pyproject.toml unchanged), uploads `inputs` ("container/path": text), runs the job to its end."""
    version = f"0.0.0-test.{time.time_ns()}"
    run_cli("deploy", "--yes", "--json", "--package-version", version, timeout=timeout)
    for name, text in (inputs or {}).items():
        container, blob = name.split("/", 1)
        local_container(container).upload_blob(blob, text.encode(), overwrite=True)
    with CallbackSink() as sink:
        result = run_cli(
            "run", "--wait", "--json", "--package-version", version, "--args", json.dumps(args), "--callback-url", sink.url, timeout=timeout
        )
        summary = sink.wait_for_summary(60)
    outputs: dict[str, str] = {}
    for container in output_containers:
        client = local_container(container)
        for blob in client.list_blobs(name_starts_with=f"{result['jobId']}/"):
            outputs[f"{container}/{blob.name}"] = client.download_blob(blob.name).readall().decode()
    return LocalRun(result, summary, outputs)
