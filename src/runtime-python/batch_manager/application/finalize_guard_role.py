# Why: the finalize-guard role (a task submit adds beside the job manager): once the job manager has ended, adds the FinalizeTask if the job manager did not — so every job gets exactly one.
from __future__ import annotations

import math

from ..batch_tasks import list_all_tasks
from .finalize_role import wait_for_job_manager
from .job_manager_role import add_finalize_task
from .role_context import RoleContext
from .roles import FINALIZE_TASK_ID, RESERVED_TASK_IDS


def run_finalize_guard(context: RoleContext) -> int:
    job_id = context.node.job_id or context.options.get("job-id")
    if not job_id:
        raise ValueError("finalize-guard needs AZ_BATCH_JOB_ID (set on a Batch node) or --job-id")
    context.describe_task(jobId=job_id, taskId=context.node.task_id)
    # the job manager may plan for hours; its own constraints bound it, not the guard
    wait_for_job_manager(context.client, job_id, context.logger, timeout_seconds=math.inf, strict=True)
    # the job manager has ended: the job's set of workload tasks is final
    task_ids = [task.id for task in list_all_tasks(context.client, job_id, select="id")]
    if FINALIZE_TASK_ID in task_ids:
        context.logger.info("The job manager added the FinalizeTask; nothing to do")
        return 0
    workload_task_ids = [task_id for task_id in task_ids if task_id not in RESERVED_TASK_IDS]
    context.logger.warning(f"The job manager ended without adding the FinalizeTask; adding it after the {len(workload_task_ids)} task(s) it did add")
    add_finalize_task(context, job_id, workload_task_ids)
    return 0
