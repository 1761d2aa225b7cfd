# Why: runs a workload's main.py as a real process with Debian's Python (which has the Azure SDKs), the way a developer or CI does.
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .workload_package import RUNTIME_ROOT

PYTHON = "/usr/bin/python3"


@dataclass(frozen=True)
class ProcessResult:
    code: int
    stdout: str
    stderr: str


def run_main(main_py: Path, args: list[str], env: dict[str, str], cwd: Path | None = None, timeout: float = 120) -> ProcessResult:
    """`python3 main.py <args>` with batch_manager importable (PYTHONPATH = src/runtime-python)."""
    env = {**env, "PYTHONPATH": str(RUNTIME_ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    completed = subprocess.run([PYTHON, str(main_py), *args], env=env, cwd=cwd or main_py.parent, capture_output=True, text=True, timeout=timeout)
    return ProcessResult(completed.returncode, completed.stdout, completed.stderr)
