# Why: the finalize role (the FinalizeTask on a node): waits for the job manager, writes the job summary, delivers it to the callback URL.
from __future__ import annotations

import logging
import os
import time

from azure.batch import BatchServiceClient, models

from ..finalize.callback_delivery import deliver_callback
from ..finalize.finalize_task import SUMMARY_FILE_NAME
from ..finalize.job_summary import build_job_summary
from ..json_text import enum_text, pretty_json
from ..settings.urls import redact_url
from .role_context import RoleContext
from .roles import JOB_MANAGER_TASK_ID, RuntimeVariables


def _wait_for_job_manager(client: BatchServiceClient, job_id: str, logger: logging.Logger, timeout_seconds: float = 600) -> None:
    """The job manager adds the FinalizeTask just before it exits; wait until Batch records its completion so the summary has its exit code."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        try:
            task = client.task.get(job_id, JOB_MANAGER_TASK_ID, task_get_options=models.TaskGetOptions(select="id,state"))
        except models.BatchErrorException:
            return
        if enum_text(task.state) == "completed":
            return
        if time.monotonic() > deadline:
            logger.warning("The job manager task has not completed; summarizing anyway")
            return
        time.sleep(1)


def run_finalize(context: RoleContext) -> int:
    client, settings, storage, logger, node = context.client, context.settings, context.storage, context.logger, context.node
    job_id = node.job_id or context.options.get("job-id")
    if not job_id:
        raise ValueError("finalize needs AZ_BATCH_JOB_ID (set on a Batch node) or --job-id")
    context.describe_task(jobId=job_id, taskId=node.task_id)
    _wait_for_job_manager(client, job_id, logger)
    runtime_container_url = storage.container_url(settings.storage_account_name or "", settings.runtime_container)
    summary = build_job_summary(client, job_id, runtime_container_url, context.env.get(RuntimeVariables.WORKLOAD_NAME))
    with open(os.path.join(node.directories.working, SUMMARY_FILE_NAME), "w", encoding="utf-8") as file:
        file.write(pretty_json(summary) + "\n")
    counts = summary["counts"]
    logger.info(f"Job {job_id} {summary['result']}: {counts['succeeded']} succeeded, {counts['failed']} failed, {counts['notCompleted']} not completed")
    if not settings.callback_url:
        logger.warning("No callback URL was set for this job: the summary is only stored as summary.json")
        return 0
    status = deliver_callback(settings.callback_url, summary, logger=logger)
    logger.info(f"Delivered the summary to {redact_url(settings.callback_url)} (HTTP {status})")
    return 0
