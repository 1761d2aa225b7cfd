# Why: the pieces whose exact output other tools rely on: settings rules, node command lines, dependency folding, the job manager's task plan.
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from batch_manager import (
    BatchClientSettings,
    InputFileSpecification,
    JobManager,
    JobManagerContext,
    OutputFileSpecification,
    SettingsError,
    TaskContext,
    UnknownEntryPointError,
    WorkloadTask,
    application_package_variable,
    input_from_output,
    node_command_line,
)
from batch_manager.submission.task_dependencies import dependency_ids, to_task_dependencies
from batch_manager.workload.entry_points_repository import EntryPointsRepository

LOCAL = {"BATCH_AUTH_MODE": "LOCAL", "BATCH_ACCOUNT_URL": "http://127.0.0.1:8510/"}


def test_local_settings_take_the_well_known_accounts_and_nodes_never_get_a_key() -> None:
    settings = BatchClientSettings(env={**LOCAL, "BATCH_CALLBACK_URL": "http://localhost:9/done"})
    assert [settings.auth_mode, settings.account_url, settings.account_name, settings.storage_account_name] == [
        "local", "http://127.0.0.1:8510", "localbatch", "devstoreaccount1"]
    node_settings = {item["name"]: item["value"] for item in settings.for_nodes()}
    assert "BATCH_ACCOUNT_KEY" not in node_settings and "BATCH_STORAGE_ACCOUNT_KEY" not in node_settings and "BATCH_CALLBACK_URL" not in node_settings
    assert node_settings["BATCH_AUTH_MODE"] == "local" and node_settings["BATCH_NODE_EXECUTABLE"] == "python3"
    assert settings.describe()["BATCH_ACCOUNT_KEY"] == "***"


def test_azure_nodes_use_entra_id_and_submit_needs_the_managed_identity() -> None:
    env = {"BATCH_ACCOUNT_URL": "https://acct.westeurope.batch.azure.com", "BATCH_ACCOUNT_NAME": "acct", "BATCH_ACCOUNT_KEY": "a2V5", "BATCH_POOL_ID": "p",
           "BATCH_APPLICATION_ID": "app", "BATCH_APPLICATION_VERSION": "1.0.0", "BATCH_STORAGE_ACCOUNT_NAME": "store"}
    with pytest.raises(SettingsError) as raised:
        BatchClientSettings.load(env=env, purpose="submit")
    assert [p.variable for p in raised.value.problems] == ["BATCH_MANAGED_IDENTITY_CLIENT_ID"]
    settings = BatchClientSettings.load(env={**env, "BATCH_MANAGED_IDENTITY_CLIENT_ID": "00000000-0000-0000-0000-000000000001"}, purpose="submit")
    assert settings.auth_mode == "sharedKey"
    assert {i["name"]: i["value"] for i in settings.for_nodes()}["BATCH_AUTH_MODE"] == "entraId"


def test_a_settings_file_is_read_and_its_unknown_keys_are_named(tmp_path: Path) -> None:
    file = tmp_path / "settings.json"
    file.write_text(json.dumps({"accountUrl": "https://acct.batch.azure.com", "poolID": "x", "sasLifetimeMinutes": 60}))
    with pytest.raises(SettingsError) as raised:
        BatchClientSettings(env={}, file=str(file))
    assert len(raised.value.problems) == 1 and 'has an unknown setting "poolID"' in raised.value.problems[0].message
    file.write_text(json.dumps({"accountUrl": "https://acct.batch.azure.com", "accountName": "a", "accountKey": "a2V5", "sasLifetimeMinutes": 60}))
    settings = BatchClientSettings(env={"BATCH_ACCOUNT_NAME": "from-env"}, file=str(file))
    assert [settings.account_name, settings.sas_lifetime_minutes, settings.auth_mode] == ["from-env", 60, "sharedKey"]


def test_shared_key_without_a_key_names_both_variables() -> None:
    with pytest.raises(SettingsError) as raised:
        BatchClientSettings(env={"BATCH_ACCOUNT_URL": "https://a.batch.azure.com", "BATCH_AUTH_MODE": "sharedKey"})
    assert [p.variable for p in raised.value.problems] == ["BATCH_ACCOUNT_NAME", "BATCH_ACCOUNT_KEY"]


def test_node_command_lines_match_the_application_package_variables() -> None:
    assert application_package_variable("My-Workload", "1.0.0") == "AZ_BATCH_APP_PACKAGE_my_workload_1_0_0"
    assert application_package_variable("My-Workload", "1.0.0", "windows") == "AZ_BATCH_APP_PACKAGE_MY-WORKLOAD#1.0.0"
    settings = BatchClientSettings(env={**LOCAL, "BATCH_APPLICATION_ID": "scraping", "BATCH_APPLICATION_VERSION": "2.1.0"})
    assert node_command_line(settings, "task") == '/bin/sh -c "exec python3 $AZ_BATCH_APP_PACKAGE_scraping_2_1_0/main.py task"'
    windows = BatchClientSettings(env={**LOCAL, "BATCH_APPLICATION_ID": "scraping", "BATCH_APPLICATION_VERSION": "2.1.0", "BATCH_NODE_OS": "windows",
                                       "BATCH_NODE_EXECUTABLE": "python"})
    assert node_command_line(windows, "finalize") == "cmd /c python %AZ_BATCH_APP_PACKAGE_SCRAPING#2.1.0%\\main.py finalize"


def test_dependencies_fold_numeric_runs_into_ranges() -> None:
    dependencies = to_task_dependencies(["1", "2", "3", "4", "7", "8", "gather", "10", "11", "12"])
    assert dependencies is not None
    assert dependencies.task_ids == ["gather", "7", "8"]
    assert [(r.start, r.end) for r in dependencies.task_id_ranges] == [(1, 4), (10, 12)]
    assert sorted(dependency_ids(dependencies)) == sorted(["1", "2", "3", "4", "7", "8", "gather", "10", "11", "12"])
    assert to_task_dependencies([]) is None


def test_an_output_pattern_is_read_back_as_a_prefix() -> None:
    output = OutputFileSpecification("out/*.json", "acct", "results", "job/out", task_id="3")
    assert input_from_output(output, "inputs") == InputFileSpecification("acct", "results", "job/out/", "inputs", None)
    single = OutputFileSpecification("a.json", "acct", "results", "job/a.json")
    assert input_from_output(single, "a.json").source_blob_path == "job/a.json"


class _Fetch(WorkloadTask):
    def run(self, context: TaskContext) -> None:
        pass


class _Unregistered(WorkloadTask):
    def run(self, context: TaskContext) -> None:
        pass


class _Plan(JobManager):
    def create_job(self) -> None:
        pass


def _job_manager() -> _Plan:
    entry_points = EntryPointsRepository().register_entry_point(_Fetch)
    context: Any = JobManagerContext("job", {}, None, None, None, None, entry_points)  # type: ignore[arg-type]
    return _Plan(context)


def test_add_workload_task_numbers_tasks_and_checks_the_plan() -> None:
    plan = _job_manager()
    first = plan.add_workload_task(_Fetch, {"n": 1})
    second = plan.add_workload_task(_Fetch, {"n": 2}, [first], display_name="second")
    assert [first.id, second.id, second.depends_on, first.display_name, second.display_name] == ["1", "2", ["1"], "_Fetch 1", "second"]
    output = second.add_output_file(OutputFileSpecification("x", "acct", "c", "x"))
    assert output.task_id == "2"
    with pytest.raises(UnknownEntryPointError, match='No workload task is registered as "_Unregistered"'):
        plan.add_workload_task(_Unregistered, {})
    with pytest.raises(ValueError, match='task id "finalize" is reserved'):
        plan.add_workload_task(_Fetch, {}, id="finalize")
    with pytest.raises(ValueError, match='depends on "9", which was not added before it'):
        plan.add_workload_task(_Fetch, {}, ["9"])
    with pytest.raises(ValueError, match='task id "2" is already used'):
        plan.add_workload_task(_Fetch, {}, id="2")
    with pytest.raises(ValueError, match="invalid task id"):
        plan.add_workload_task(_Fetch, {}, id="a b")
    assert [t.id for t in plan.tasks] == ["1", "2"]
