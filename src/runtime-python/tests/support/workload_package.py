# Why: builds the application package a Python workload ships as: its .py files and logging.yaml at the root of the zip, plus the pure-Python batch_manager package.
from __future__ import annotations

import zipfile
from pathlib import Path

RUNTIME_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_DIR = RUNTIME_ROOT / "examples" / "scraping"


def build_workload_zip(workload_dir: Path, target: Path) -> Path:
    """main.py at the root (the node command line runs `$AZ_BATCH_APP_PACKAGE_…/main.py`), batch_manager/ beside it."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(workload_dir.iterdir()):
            if file.is_file() and file.suffix in (".py", ".yaml", ".yml", ".json"):
                archive.write(file, file.name)
        for file in sorted((RUNTIME_ROOT / "batch_manager").rglob("*")):
            if file.is_file() and "__pycache__" not in file.parts:
                archive.write(file, file.relative_to(RUNTIME_ROOT).as_posix())
    return target
