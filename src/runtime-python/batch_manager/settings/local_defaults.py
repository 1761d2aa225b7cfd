# Why: the local Batch service's accounts for BATCH_AUTH_MODE=local: the documented well-known ones (README; not secrets),
# and the key a running service answers to, read from its data folder (keys are private to a data folder by default).
from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

LOCAL_BATCH_ACCOUNT_NAME = "localbatch"
LOCAL_BATCH_ACCOUNT_KEY = "bG9jYWwtYmF0Y2gtd2VsbC1rbm93bi1kZXZlbG9wbWVudC1hY2NvdW50LWtleS1ub3QtYS1zZWNyZXQtMDAwMQ=="
AZURITE_ACCOUNT_NAME = "devstoreaccount1"
AZURITE_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
AZURITE_DEFAULT_BLOB_ENDPOINT = "http://127.0.0.1:10000/devstoreaccount1"


def local_data_dir(env: Mapping[str, str]) -> Path:
    """$BATCH_MANAGER_LOCAL_DATA, else ~/.batch-manager/local (the CLI's and the extension's default)."""
    value = (env.get("BATCH_MANAGER_LOCAL_DATA") or "").strip()
    return Path(os.path.expanduser(value)).resolve() if value else Path.home() / ".batch-manager" / "local"


def local_account_key(env: Mapping[str, str]) -> str:
    """
    The key of the data folder's local service, for a process started by hand in local mode without BATCH_ACCOUNT_KEY:
    where its service.json says (accountKeySource), else its key file, else the well-known key. Tasks on local nodes
    need none of this: the node gives them BATCH_ACCOUNT_KEY.
    """
    data_dir = local_data_dir(env)
    try:
        source = json.loads((data_dir / "service.json").read_text(encoding="utf-8")).get("accountKeySource")
    except (OSError, ValueError, AttributeError):
        source = None
    if source == "wellKnown":
        return LOCAL_BATCH_ACCOUNT_KEY
    if source == "environment":
        return env.get("BATCH_MANAGER_LOCAL_ACCOUNT_KEY") or LOCAL_BATCH_ACCOUNT_KEY
    try:
        return (data_dir / "key").read_text(encoding="utf-8").strip() or LOCAL_BATCH_ACCOUNT_KEY
    except OSError:
        return LOCAL_BATCH_ACCOUNT_KEY
