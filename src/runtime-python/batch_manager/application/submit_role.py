# Why: the submit role (developer machine or CI): creates the job with its job manager task and the settings its nodes need.
from __future__ import annotations

import random
import re
from datetime import datetime, timezone

from azure.batch import models

from ..finalize.finalize_task import finalize_environment, finalize_guard_task_parameter, summary_blob_path
from ..submission.task_submitter import TaskSubmissionError, submit_tasks
from ..json_text import compact_json
from ..logs.setup_logging import set_log_context
from ..settings.urls import redact_url
from ..submission.runtime_outputs import runtime_container_upload_url, runtime_output_files
from .node_command_line import application_package_references, node_command_line
from .role_context import RoleContext, parse_json_argument
from .roles import JOB_MANAGER_TASK_ID, RuntimeVariables, UsageError
from .submit_preflight import check_submit_prerequisites


def generate_job_id(workload_name: str, now: datetime | None = None) -> str:
    """`<workload>-<yyyymmddhhmmss>-<4 random hex>`, a valid Batch id."""
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", workload_name)
    name = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "workload"
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%d%H%M%S")
    suffix = f"{random.randrange(0x10000):04x}"
    return f"{name[: 64 - len(stamp) - len(suffix) - 2]}-{stamp}-{suffix}"


def _job_arguments(context: RoleContext) -> str:
    args_file = context.options.get("args-file")
    if args_file is not None:
        try:
            with open(args_file, encoding="utf-8") as file:
                text: str | None = file.read()
        except OSError as error:
            raise UsageError(f"--args-file {args_file} cannot be read: {error.strerror}") from None
        return compact_json(parse_json_argument(text, f"--args-file {args_file}"))
    return compact_json(parse_json_argument(context.options.get("args"), "--args"))


def _create_container_if_missing(context: RoleContext) -> None:
    from azure.core.exceptions import ResourceExistsError

    try:
        context.storage.container_client(context.settings.storage_account_name or "", context.settings.runtime_container).create_container()
    except ResourceExistsError:
        pass


def run_submit(context: RoleContext) -> int:
    settings, storage, workload, logger = context.settings, context.storage, context.workload, context.logger
    job_id = context.options.get("job-id") or generate_job_id(workload.workload_name)
    set_log_context(job_id=job_id)
    context.describe_task(jobId=job_id)
    callback_url = settings.callback_url
    summary_blob = storage.blob_url(settings.storage_account_name or "", settings.runtime_container, summary_blob_path(job_id))
    if not callback_url:
        logger.warning(
            "No callback URL is set (BATCH_CALLBACK_URL, submit --callback-url, or the workload's callback_url): "
            f"the FinalizeTask will only store the job summary at {summary_blob}"
        )
    job_args = _job_arguments(context)
    check_submit_prerequisites(context.client, settings)
    _create_container_if_missing(context)
    if callback_url and not settings.callback_secret:
        logger.warning("No BATCH_CALLBACK_SECRET is set: the FinalizeTask's callback will not be signed, so its receiver cannot tell it from a forgery")
    own_environment = finalize_environment(settings, workload.workload_name)
    environment = [models.EnvironmentSetting(name=RuntimeVariables.JOB_ARGS, value=job_args), *own_environment]
    job_manager = models.JobManagerTask(
        id=JOB_MANAGER_TASK_ID,
        display_name="JobManager",
        command_line=node_command_line(settings, "job-manager"),
        environment_settings=environment,
        application_package_references=application_package_references(settings),
        output_files=runtime_output_files(runtime_container_upload_url(storage, settings), job_id, JOB_MANAGER_TASK_ID),
        kill_job_on_completion=False,
        run_exclusive=False,
    )
    context.client.job.add(
        models.JobAddParameter(
            id=job_id,
            display_name=f"{workload.workload_name} {job_id}",
            pool_info=models.PoolInformation(pool_id=settings.pool_id or ""),  # required by the submit settings
            uses_task_dependencies=True,
            # "noaction" until the guard is in the job: a job manager that ends at once must not complete the job first
            on_all_tasks_complete="noaction",
            common_environment_settings=[models.EnvironmentSetting(**s) for s in settings.for_nodes()],
            metadata=[models.MetadataItem(name="batchManager.workload", value=workload.workload_name)],
            job_manager_task=job_manager,
        )
    )
    try:
        result = submit_tasks(context.client, job_id, [finalize_guard_task_parameter(storage, settings, job_id, own_environment)])
        if result.failed:
            raise TaskSubmissionError(result)
        context.client.job.patch(job_id, models.JobPatchParameter(on_all_tasks_complete="terminatejob"))
    except Exception:
        # without its guard the job could end without a callback: do not leave it running
        try:
            context.client.job.terminate(job_id)
        except Exception as terminate_error:  # noqa: BLE001 — the original failure is what submit reports
            logger.error(f"Could not terminate job {job_id} either", exc_info=terminate_error)
        raise
    shown = redact_url(callback_url) if callback_url else None
    logger.info(f"Submitted job {job_id} to pool {settings.pool_id}", extra={"fields": {"callbackUrl": shown}})
    context.print(compact_json({"jobId": job_id, "poolId": settings.pool_id, "callbackUrl": shown, "summaryBlob": summary_blob}))
    return 0
