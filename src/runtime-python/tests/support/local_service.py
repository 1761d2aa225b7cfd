# Why: starts the repository's real local Batch service (with Azurite) the documented way — `batch-manager local start --detach` — and stops it.
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[4]
CLI = REPO_ROOT / "dist" / "cli.js"
AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


@dataclass(frozen=True)
class LocalService:
    batch_url: str
    account_name: str
    account_key: str
    blob_endpoint: str
    storage_account_name: str
    data_dir: str


def _ensure_cli() -> None:
    if not CLI.exists():
        subprocess.run(["node", "esbuild.mjs"], cwd=REPO_ROOT, check=True, capture_output=True, timeout=300)


def start_local_service() -> LocalService:
    _ensure_cli()
    data_dir = tempfile.mkdtemp(prefix="batch-manager-python-")
    completed = subprocess.run(
        # the documented well-known account (as samples and CI use; the runtime's local mode signs with it); --show-key puts it in the line
        ["node", str(CLI), "local", "start", "--detach", "--port", "0", "--nodes", "4", "--data", data_dir, "--well-known-account", "--show-key"],
        capture_output=True, text=True, timeout=120, cwd=REPO_ROOT,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"local start failed ({completed.returncode}):\n{completed.stderr}")
    info = json.loads(completed.stdout.strip().splitlines()[-1])
    return LocalService(info["batchUrl"], info["accountName"], info["accountKey"], info["blobEndpoint"], info["storageAccountName"], data_dir)


def stop_local_service(service: LocalService) -> None:
    """Stops the service (and its nodes' processes) and removes its data folder."""
    stopped = subprocess.run(["node", str(CLI), "local", "stop", "--data", service.data_dir], capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)
    if stopped.returncode != 0:
        raise RuntimeError(f"local stop failed ({stopped.returncode}):\n{stopped.stderr}")
    shutil.rmtree(service.data_dir, ignore_errors=True)


def deploy_application_package(service: LocalService, application_id: str, version: str, zip_file: Path) -> None:
    """The documented local deployment: `<dataDir>/applications/<id>/<version>.zip`."""
    folder = Path(service.data_dir, "applications", application_id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{version}.zip").write_bytes(zip_file.read_bytes())


def workload_settings(service: LocalService, **extra: str) -> dict[str, str]:
    """What a developer sets to run a workload against the local service (docs/python.md)."""
    return {
        "BATCH_AUTH_MODE": "local",
        "BATCH_ACCOUNT_URL": service.batch_url,
        "BATCH_STORAGE_BLOB_ENDPOINT": service.blob_endpoint,
        # local mode reads the key of this data folder's service, never the developer's own ~/.batch-manager/local
        "BATCH_MANAGER_LOCAL_DATA": service.data_dir,
        # nodes inherit only a system PATH: name Debian's interpreter, which has the Azure SDKs
        "BATCH_NODE_EXECUTABLE": "/usr/bin/python3",
        **extra,
    }


def clean_environment(settings: dict[str, str]) -> dict[str, str]:
    """A process environment with none of this shell's BATCH_*/AZ_BATCH_* variables."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("BATCH_", "AZ_BATCH_"))}
    return {**keep, **settings}
