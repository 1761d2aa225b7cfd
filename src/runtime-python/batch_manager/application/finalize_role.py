# Why: the finalize role (the FinalizeTask on a node): waits for the job manager, writes the job summary, delivers it to the callback URL.
from __future__ import annotations

import logging
import os
import time
import traceback

from azure.batch import BatchServiceClient, models

from ..finalize.callback_delivery import deliver_callback
from ..finalize.callback_signature import job_delivery_id
from ..finalize.finalize_task import SUMMARY_FILE_NAME
from ..finalize.job_summary import build_job_summary
from ..json_text import enum_text, pretty_json
from ..settings.urls import redact_url
from ..workload.workload_base import JobCompletedContext
from .role_context import RoleContext
from .roles import JOB_MANAGER_TASK_ID, RuntimeVariables


def wait_for_job_manager(client: BatchServiceClient, job_id: str, logger: logging.Logger, timeout_seconds: float = 600, strict: bool = False) -> None:
    """Waits until Batch records the job manager's completion (the summary then has its exit code); gives up after
    `timeout_seconds`. A job without a job manager task counts as done. Other errors: the FinalizeTask summarizes anyway;
    the guard (`strict`) raises instead — Batch retries it — rather than act on a guess."""
    deadline = time.monotonic() + timeout_seconds
    poll_seconds = 1.0
    while True:
        try:
            task = client.task.get(job_id, JOB_MANAGER_TASK_ID, task_get_options=models.TaskGetOptions(select="id,state"))
        except models.BatchErrorException as error:
            if getattr(getattr(error, "response", None), "status_code", None) == 404 or not strict:
                return
            raise
        if enum_text(task.state) == "completed":
            return
        if time.monotonic() > deadline:
            logger.warning("The job manager task has not completed; summarizing anyway")
            return
        time.sleep(poll_seconds)
        # every second at first, then less often (a long-running job manager should not cost a request a second)
        poll_seconds = min(poll_seconds * 1.5, 15.0)


def _run_completion_hook(context: RoleContext, summary: dict) -> BaseException | None:
    """Runs the workload's on_job_completed; a failure is recorded in the summary (and returned) rather than raised."""
    hook_context = JobCompletedContext(summary["jobId"], context.client, context.settings, context.storage, context.logger, context.node.directories)
    try:
        context.workload.on_job_completed(summary, hook_context)
        return None
    except Exception as error:  # noqa: BLE001 — reported in the summary, raised after the callback
        summary["onJobCompletedError"] = {"type": type(error).__name__, "message": str(error), "stack": "".join(traceback.format_exception(error))}
        summary["result"] = "failed"
        context.logger.warning(f"The workload's on_job_completed raised ({error}); the summary reports it and is delivered anyway")
        return error


def run_finalize(context: RoleContext) -> int:
    client, settings, storage, logger, node = context.client, context.settings, context.storage, context.logger, context.node
    job_id = node.job_id or context.options.get("job-id")
    if not job_id:
        raise ValueError("finalize needs AZ_BATCH_JOB_ID (set on a Batch node) or --job-id")
    context.describe_task(jobId=job_id, taskId=node.task_id)
    wait_for_job_manager(client, job_id, logger)
    runtime_container_url = storage.container_url(settings.storage_account_name or "", settings.runtime_container)
    summary = build_job_summary(client, job_id, runtime_container_url, context.env.get(RuntimeVariables.WORKLOAD_NAME))
    hook_error = _run_completion_hook(context, summary)
    with open(os.path.join(node.directories.working, SUMMARY_FILE_NAME), "w", encoding="utf-8") as file:
        file.write(pretty_json(summary) + "\n")
    counts = summary["counts"]
    logger.info(f"Job {job_id} {summary['result']}: {counts['succeeded']} succeeded, {counts['failed']} failed, {counts['notCompleted']} not completed")
    if not settings.callback_url:
        logger.warning("No callback URL was set for this job: the summary is only stored as summary.json")
    else:
        if not settings.callback_secret:
            logger.warning("No BATCH_CALLBACK_SECRET was set for this job: the callback is not signed")
        delivery_id = job_delivery_id(job_id, summary.get("timings", {}).get("jobCreatedAt"))
        status = deliver_callback(settings.callback_url, summary, logger=logger, secret=settings.callback_secret, delivery_id=delivery_id)
        signed = ", signed" if settings.callback_secret else ""
        logger.info(f"Delivered the summary to {redact_url(settings.callback_url)} (HTTP {status}, delivery {delivery_id}{signed})")
    # the FinalizeTask fails visibly in Batch too once the summary is out
    if hook_error is not None:
        raise hook_error
    return 0
