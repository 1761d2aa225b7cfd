# Why: the task role (on a node): resolves the workload task from the entry-point repository, builds it with its builder, runs it.
from __future__ import annotations

import logging

from ..progress_file import write_progress_file
from ..workload.workload_task import TaskBuildContext, TaskContext
from .role_context import RoleContext, parse_json_argument
from .roles import RuntimeVariables, UsageError
from .upstream_check import check_parents_succeeded, read_parents


def run_task(context: RoleContext) -> int:
    env, options, node, workload = context.env, context.options, context.node, context.workload
    entry_point_name = env.get(RuntimeVariables.ENTRY_POINT) or options.get("entry-point")
    if not entry_point_name:
        raise UsageError(f"task needs {RuntimeVariables.ENTRY_POINT} (set by the job manager) or --entry-point")
    job_id = node.job_id or options.get("job-id") or "local-job"
    task_id = node.task_id or options.get("task-id") or "local-task"
    context.describe_task(jobId=job_id, taskId=task_id, entryPoint=entry_point_name)
    entry_point = workload.entry_points_repository.resolve(entry_point_name)
    args = parse_json_argument(env.get(RuntimeVariables.TASK_ARGS, options.get("args")), RuntimeVariables.TASK_ARGS)
    parents = read_parents(context.client, job_id, task_id) if node.on_node else []
    if env.get(RuntimeVariables.RUN_AFTER) != "completion":
        check_parents_succeeded(parents)
    logger = logging.getLogger(f"workload.{entry_point_name}")
    if entry_point.builder_type is not None:
        build_context = TaskBuildContext(context.client, context.settings, context.storage, logger, job_id, task_id)
        task = entry_point.builder_type().build(build_context)
    else:
        task = entry_point.task_type()

    def report_progress(percent: float, message: str) -> dict[str, object]:
        progress = write_progress_file(node.directories.working, percent, message, job_id, task_id)
        logger.info(f"Progress {progress['percent']}%: {message}")
        return progress

    logger.info(f"Running {entry_point_name}")
    task.run(TaskContext(args, job_id, task_id, node.directories, logger, report_progress, tuple(parents)))
    logger.info(f"{entry_point_name} finished")
    return 0
