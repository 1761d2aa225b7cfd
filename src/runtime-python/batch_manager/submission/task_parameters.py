# Why: turns a TaskSpecification into the Batch task the job manager adds (command line, args, files, dependencies, exit behaviour).
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from azure.batch import models

from ..application.node_command_line import application_package_references, node_command_line
from ..application.roles import RuntimeVariables
from ..files.batch_file_mapping import to_output_file, to_resource_file
from ..files.storage_access import StorageAccess
from ..json_text import compact_json
from ..settings.batch_client_settings import BatchClientSettings
from ..workload.task_specification import TaskSpecification
from .runtime_outputs import runtime_container_upload_url, runtime_output_files
from .task_dependencies import to_task_dependencies


def satisfy_dependents_on_failure() -> models.ExitConditions:
    """Every workload task satisfies its dependents whatever its exit code, so the FinalizeTask always runs."""
    return models.ExitConditions(default=models.ExitOptions(dependency_action="satisfy"))


@dataclass(frozen=True)
class TaskParameterContext:
    """What every task of one submission shares, computed once."""

    storage: StorageAccess
    settings: BatchClientSettings
    job_id: str
    command_line: str
    application_package_references: list[models.ApplicationPackageReference]
    runtime_container_url: str

    @staticmethod
    def create(storage: StorageAccess, settings: BatchClientSettings, job_id: str) -> TaskParameterContext:
        return TaskParameterContext(
            storage,
            settings,
            job_id,
            node_command_line(settings, "task"),
            application_package_references(settings),
            runtime_container_upload_url(storage, settings),
        )


def _constraints(spec: TaskSpecification) -> models.TaskConstraints | None:
    if spec.max_task_retry_count is None and spec.max_wall_clock_time_seconds is None:
        return None
    given: dict[str, Any] = {}
    if spec.max_task_retry_count is not None:
        given["max_task_retry_count"] = spec.max_task_retry_count
    if spec.max_wall_clock_time_seconds is not None:
        given["max_wall_clock_time"] = timedelta(seconds=spec.max_wall_clock_time_seconds)
    return models.TaskConstraints(**given)


def to_task_add_parameter(spec: TaskSpecification, context: TaskParameterContext) -> models.TaskAddParameter:
    resource_files = [to_resource_file(i, context.storage) for i in spec.input_files]
    outputs = [to_output_file(o, context.storage, "tasksuccess") for o in spec.output_files]
    return models.TaskAddParameter(
        id=spec.id,
        display_name=spec.display_name,
        command_line=context.command_line,
        environment_settings=[
            models.EnvironmentSetting(name=RuntimeVariables.ENTRY_POINT, value=spec.entry_point),
            models.EnvironmentSetting(name=RuntimeVariables.TASK_ARGS, value=compact_json(spec.args)),
            *([models.EnvironmentSetting(name=RuntimeVariables.RUN_AFTER, value="completion")] if spec.after == "completion" else []),
        ],
        resource_files=resource_files or None,
        output_files=outputs + runtime_output_files(context.runtime_container_url, context.job_id, spec.id),
        depends_on=to_task_dependencies(spec.depends_on),
        exit_conditions=satisfy_dependents_on_failure(),
        application_package_references=context.application_package_references,
        constraints=_constraints(spec),
    )
