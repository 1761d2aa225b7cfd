# Why: the finalize-guard role (a task submit adds beside the job manager): once the job manager has ended, adds the FinalizeTask if the job manager did not — so every job gets exactly one; with BATCH_PROGRESS_URL it also reports the job's progress until the FinalizeTask starts.
from __future__ import annotations

import math
import time

from azure.batch import BatchServiceClient, models

from ..batch_tasks import list_all_tasks
from .finalize_role import wait_for_job_manager
from .job_manager_role import add_finalize_task
from .job_progress_reporter import JobProgressReporter
from .role_context import RoleContext
from .roles import FINALIZE_TASK_ID, RESERVED_TASK_IDS, RuntimeVariables


def run_finalize_guard(context: RoleContext) -> int:
    job_id = context.node.job_id or context.options.get("job-id")
    if not job_id:
        raise ValueError("finalize-guard needs AZ_BATCH_JOB_ID (set on a Batch node) or --job-id")
    context.describe_task(jobId=job_id, taskId=context.node.task_id)
    reporter = _start_progress_reporter(context, job_id)
    # the job manager may plan for hours; its own constraints bound it, not the guard
    wait_for_job_manager(context.client, job_id, context.logger, timeout_seconds=math.inf, strict=True)
    _add_finalize_task_if_missing(context, job_id)
    if reporter:
        # the FinalizeTask starts once every workload task has completed: the figure is final then
        _wait_for_finalize_task_start(context.client, job_id, context.settings.progress_interval_seconds)
        reporter.finish()
    return 0


def _add_finalize_task_if_missing(context: RoleContext, job_id: str) -> None:
    # the job manager has ended: the job's set of workload tasks is final
    task_ids = [task.id for task in list_all_tasks(context.client, job_id, select="id")]
    if FINALIZE_TASK_ID in task_ids:
        context.logger.info("The job manager added the FinalizeTask; nothing to do")
        return
    workload_task_ids = [task_id for task_id in task_ids if task_id not in RESERVED_TASK_IDS]
    context.logger.warning(f"The job manager ended without adding the FinalizeTask; adding it after the {len(workload_task_ids)} task(s) it did add")
    add_finalize_task(context, job_id, workload_task_ids)


def _start_progress_reporter(context: RoleContext, job_id: str) -> JobProgressReporter | None:
    settings = context.settings
    if not settings.progress_url:
        return None
    job = context.client.job.get(job_id, job_get_options=models.JobGetOptions(select="id,creationTime"))
    reporter = JobProgressReporter(
        context.client,
        job_id,
        settings.progress_url,
        settings.callback_secret,
        settings.progress_interval_seconds,
        context.logger,
        workload_name=context.env.get(RuntimeVariables.WORKLOAD_NAME) or context.workload.workload_name,
        job_created_at=job.creation_time,
    )
    reporter.start()
    return reporter


def _wait_for_finalize_task_start(client: BatchServiceClient, job_id: str, interval_seconds: int) -> None:
    """Polls (at the report interval, at most every 15 s) until the FinalizeTask is running or done."""
    while True:
        try:
            state = client.task.get(job_id, FINALIZE_TASK_ID, task_get_options=models.TaskGetOptions(select="id,state")).state
            if str(getattr(state, "value", state)) in ("running", "completed"):
                return
        except models.BatchErrorException as error:
            if error.response is None or error.response.status_code != 404:
                raise
        time.sleep(min(interval_seconds, 15))
