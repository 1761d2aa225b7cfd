# Why: what every role gets from Application: parsed options, settings, the Batch client, storage access, the workload, its node environment.
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .node_environment import NodeEnvironment
from .roles import UsageError

if TYPE_CHECKING:
    from azure.batch import BatchServiceClient

    from ..files.storage_access import StorageAccess
    from ..settings.batch_client_settings import BatchClientSettings
    from ..workload.workload_base import WorkloadBase


@dataclass
class RoleContext:
    options: dict[str, str]
    env: Mapping[str, str]
    settings: BatchClientSettings
    client: BatchServiceClient
    storage: StorageAccess
    workload: WorkloadBase
    node: NodeEnvironment
    logger: logging.Logger
    print: Callable[[str], None]
    """prints a machine-readable line on stdout (submit's result)"""
    describe_task: Callable[..., None]
    """tells Application which job/task/entry point an error report should name (jobId=…, taskId=…, entryPoint=…)"""


def parse_json_argument(text: str | None, where: str) -> Any:
    """A JSON argument value (None when absent), naming where it came from when it is not JSON."""
    if text is None or text == "":
        return None
    try:
        return json.loads(text)
    except ValueError as error:
        raise UsageError(f"{where} is not valid JSON: {error}") from None
