# Why: what the Batch node tells a task about itself (AZ_BATCH_* variables), with working-directory fallbacks on a developer machine.
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class TaskDirectories:
    working: str
    """AZ_BATCH_TASK_WORKING_DIR: the current directory; inputs land here, outputs are picked up from here"""
    task: str
    """AZ_BATCH_TASK_DIR: holds stdout.txt/stderr.txt and the working directory"""
    shared: str
    """AZ_BATCH_NODE_SHARED_DIR: read/write for every task on the node"""


@dataclass(frozen=True)
class NodeEnvironment:
    job_id: str | None
    task_id: str | None
    on_node: bool
    directories: TaskDirectories


def read_node_environment(env: Mapping[str, str] | None = None, cwd: str | None = None) -> NodeEnvironment:
    env = os.environ if env is None else env
    working = env.get("AZ_BATCH_TASK_WORKING_DIR") or cwd or os.getcwd()
    return NodeEnvironment(
        job_id=env.get("AZ_BATCH_JOB_ID") or None,
        task_id=env.get("AZ_BATCH_TASK_ID") or None,
        on_node=env.get("AZ_BATCH_NODE_ID") is not None,
        directories=TaskDirectories(working, env.get("AZ_BATCH_TASK_DIR") or working, env.get("AZ_BATCH_NODE_SHARED_DIR") or working),
    )
