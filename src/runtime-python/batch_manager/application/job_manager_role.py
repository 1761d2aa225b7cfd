# Why: the job-manager role (on a node): builds the workload's JobManager, runs create_job(), submits its tasks, and always adds the FinalizeTask.
from __future__ import annotations

import logging

from ..finalize.finalize_task import finalize_environment, finalize_task_parameter
from ..submission.task_submitter import SubmissionResult, TaskSubmissionError, submit_tasks
from ..workload.job_manager import JobManager, JobManagerContext
from .role_context import RoleContext, parse_json_argument
from .roles import RuntimeVariables


def _submitted_ids(results: list[SubmissionResult]) -> list[str]:
    return [task_id for result in results for task_id in [*result.added, *result.already_existed]]


def add_finalize_task(context: RoleContext, job_id: str, workload_task_ids: list[str]) -> None:
    """Adds the FinalizeTask depending on `workload_task_ids` (a FinalizeTask that already exists counts as added)."""
    environment = finalize_environment(context.settings, context.env.get(RuntimeVariables.WORKLOAD_NAME) or context.workload.workload_name)
    finalize = finalize_task_parameter(context.storage, context.settings, job_id, workload_task_ids, environment)
    result = submit_tasks(context.client, job_id, [finalize])
    if result.failed:
        raise TaskSubmissionError(result)
    context.logger.info(f"Added the FinalizeTask, depending on {len(workload_task_ids)} task(s)")


def run_job_manager(context: RoleContext) -> int:
    job_id = context.node.job_id or context.options.get("job-id")
    if not job_id:
        raise ValueError("job-manager needs AZ_BATCH_JOB_ID (set on a Batch node) or --job-id")
    context.describe_task(jobId=job_id, taskId=context.node.task_id)
    args = parse_json_argument(context.env.get(RuntimeVariables.JOB_ARGS, context.options.get("args")), RuntimeVariables.JOB_ARGS)
    job_manager: JobManager | None = None
    failure: BaseException | None = None
    try:
        builder = context.workload.job_manager_builder_type()
        job_manager = builder.build(
            JobManagerContext(
                job_id=job_id,
                args=args,
                client=context.client,
                settings=context.settings,
                storage=context.storage,
                logger=logging.getLogger("workload.jobManager"),
                entry_points=context.workload.entry_points_repository,
            )
        )
        job_manager.create_job()
        result = job_manager.submit_pending_tasks()
        if result.failed:
            raise TaskSubmissionError(result)
    except Exception as error:  # noqa: BLE001 — reported after the FinalizeTask is added
        failure = error
    # the FinalizeTask reports on the job even when create_job() or the submission failed
    try:
        add_finalize_task(context, job_id, _submitted_ids(job_manager.submission_results if job_manager else []))
    except Exception as error:
        if failure is None:
            raise
        context.logger.error("Could not add the FinalizeTask either", exc_info=error)
    if failure is not None:
        raise failure
    return 0
