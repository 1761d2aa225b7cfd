# Why: the four things a workload process can be, how each is named on the command line, and how the role is chosen.
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

Role = Literal["submit", "job-manager", "task", "finalize", "finalize-guard"]
ROLES: tuple[Role, ...] = ("submit", "job-manager", "task", "finalize", "finalize-guard")

JOB_MANAGER_TASK_ID = "job-manager"
"""Batch task id the runtime reserves for the job manager."""
FINALIZE_TASK_ID = "finalize"
"""Batch task id the runtime reserves for the FinalizeTask."""
FINALIZE_GUARD_TASK_ID = "finalize-guard"
"""The task submit adds beside the job manager: adds the FinalizeTask if the job manager ended without adding it."""
RESERVED_TASK_IDS = (JOB_MANAGER_TASK_ID, FINALIZE_TASK_ID, FINALIZE_GUARD_TASK_ID)
"""a workload task may not take them; the summary leaves out the last two"""


class RuntimeVariables:
    """Environment variables the runtime sets on the tasks it creates (besides the settings of forNodes)."""

    ROLE = "BATCH_WORKLOAD_ROLE"
    JOB_ARGS = "BATCH_JOB_ARGS"
    ENTRY_POINT = "BATCH_TASK_ENTRY_POINT"
    TASK_ARGS = "BATCH_TASK_ARGS"
    WORKLOAD_NAME = "BATCH_WORKLOAD_NAME"
    RUN_AFTER = "BATCH_TASK_RUN_AFTER"
    """completion: the task runs once its parents completed whatever their outcome (else only if all succeeded)"""


class UsageError(Exception):
    """Unknown role, bad option or argument (exit code 2)."""


def resolve_role(argv: Sequence[str], env: Mapping[str, str]) -> tuple[Role, list[str]]:
    """The role named by the first argument; without one: BATCH_WORKLOAD_ROLE, or `submit` when not on a Batch node."""
    if argv and not argv[0].startswith("-"):
        first = argv[0]
        if first not in ROLES:
            raise UsageError(f'unknown role "{first}" (expected one of {", ".join(ROLES)})')
        return first, list(argv[1:])  # type: ignore[return-value]
    from_env = env.get(RuntimeVariables.ROLE)
    if from_env in ROLES:
        return from_env, list(argv)  # type: ignore[return-value]
    if env.get("AZ_BATCH_TASK_ID") is not None:
        raise UsageError(f"running as Batch task {env['AZ_BATCH_TASK_ID']} but no role was given (expected one of {', '.join(ROLES)})")
    return "submit", list(argv)
