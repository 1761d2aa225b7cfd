# Why: a dependent task's view of its parents on the real local service: by default it stops (exit 6) when one failed; with after="completion" it runs and `context.parents` says which failed.
from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from azure.batch import BatchServiceClient, models

from batch_manager import BatchClientSettings, StorageAccess, TaskSpecification
from batch_manager.application.roles import RuntimeVariables
from batch_manager.submission.task_parameters import TaskParameterContext, to_task_add_parameter
from support.local_service import LocalService, clean_environment, workload_settings
from support.scraping_job import wait_until
from support.workload_process import run_main

MAIN = Path(__file__).resolve().parent / "fixtures" / "parents_workload" / "main.py"


def _shell_task(task_id: str, exit_code: int, depends_on: list[str] | None = None) -> models.TaskAddParameter:
    return models.TaskAddParameter(
        id=task_id,
        command_line=f'/bin/sh -c "exit {exit_code}"',
        depends_on=models.TaskDependencies(task_ids=depends_on) if depends_on else None,
        exit_conditions=models.ExitConditions(default=models.ExitOptions(dependency_action="satisfy")),
    )


def test_after_must_be_success_or_completion_and_completion_reaches_the_task_s_environment() -> None:
    with pytest.raises(ValueError, match='after must be "success" or "completion"'):
        TaskSpecification("1", "T", None, [], after="always")
    settings = BatchClientSettings.load(env={"BATCH_AUTH_MODE": "local", "BATCH_ACCOUNT_URL": "http://127.0.0.1:9"})
    context = TaskParameterContext(StorageAccess(settings), settings, "job", "cmd", [], "https://sa/c")

    def environment(spec: TaskSpecification) -> dict[str, str]:
        return {setting.name: setting.value for setting in to_task_add_parameter(spec, context).environment_settings}

    assert environment(TaskSpecification("3", "T", None, ["1"], after="completion"))[RuntimeVariables.RUN_AFTER] == "completion"
    assert RuntimeVariables.RUN_AFTER not in environment(TaskSpecification("3", "T", None, ["1"]))


def test_a_dependent_task_sees_its_parents_and_runs_after_completion_only_when_asked(
    local_service: LocalService, scraping_pool: str, batch_client: BatchServiceClient, tmp_path: Path
) -> None:
    job_id = f"py-parents-{uuid.uuid4().hex[:8]}"
    batch_client.job.add(models.JobAddParameter(id=job_id, pool_info=models.PoolInformation(pool_id=scraping_pool), uses_task_dependencies=True))
    batch_client.task.add_collection(job_id, [_shell_task("1", 0), _shell_task("2", 3), _shell_task("gather", 0, ["1", "2"])])
    wait_until(lambda: batch_client.task.get(job_id, "gather").state == models.TaskState.completed, "the parents and the gather task to complete", 120)

    def run_gather(working: Path, **extra: str):  # noqa: ANN202
        working.mkdir()
        env = workload_settings(local_service, AZ_BATCH_NODE_ID="tvm-test", AZ_BATCH_JOB_ID=job_id, AZ_BATCH_TASK_ID="gather", AZ_BATCH_TASK_WORKING_DIR=str(working), **extra)
        return run_main(MAIN, ["task", "--entry-point", "ParentsReport"], clean_environment(env))

    by_default = run_gather(tmp_path / "default")
    assert by_default.code == 6, by_default.stderr
    report = json.loads((tmp_path / "default" / "error.json").read_text())
    assert report["message"].startswith("Not running: task(s) this task depends on failed: 2 (")

    after_completion = run_gather(tmp_path / "completion", **{RuntimeVariables.RUN_AFTER: "completion"})
    assert after_completion.code == 0, after_completion.stderr
    progress = json.loads((tmp_path / "completion" / "progress.json").read_text())
    assert json.loads(progress["message"]) == [["1", "success", 0], ["2", "failure", 3]]
