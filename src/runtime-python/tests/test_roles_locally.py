# Why: the roles as real processes on this machine: exit codes, error.json and progress.json for good and bad command lines and settings.
from __future__ import annotations

import json
from pathlib import Path

from support.local_service import clean_environment
from support.workload_package import EXAMPLE_DIR
from support.workload_process import run_main

MAIN = EXAMPLE_DIR / "main.py"


def log_messages(stderr: str) -> str:
    """The messages of the example's JSON log lines (logging.yaml), one per line."""
    return "\n".join(json.loads(line)["message"] if line.startswith("{") else line for line in stderr.splitlines())

LOCAL = {"BATCH_AUTH_MODE": "local", "BATCH_ACCOUNT_URL": "http://127.0.0.1:9"}  # never contacted by these runs
SUBMIT = {**LOCAL, "BATCH_POOL_ID": "pool", "BATCH_APPLICATION_ID": "scraping", "BATCH_APPLICATION_VERSION": "1.0.0"}


def test_an_unknown_role_is_a_usage_error() -> None:
    result = run_main(MAIN, ["scrape"], clean_environment(LOCAL))
    assert result.code == 2
    assert 'unknown role "scrape" (expected one of submit, job-manager, task, finalize, finalize-guard)' in log_messages(result.stderr)


def test_an_unknown_option_is_a_usage_error_naming_the_role_s_options() -> None:
    result = run_main(MAIN, ["submit", "--arg", "{}"], clean_environment(SUBMIT))
    assert result.code == 2
    text = log_messages(result.stderr)
    assert "submit: unrecognized arguments: --arg {}" in text and "(options: --settings, --job-id, --args, --args-file, --callback-url)" in text


def test_missing_settings_in_main_exit_with_code_3_naming_the_variable() -> None:
    result = run_main(MAIN, ["submit"], clean_environment({}))
    assert result.code == 3
    assert "BATCH_ACCOUNT_URL is missing (the Batch account endpoint" in log_messages(result.stderr)
    assert "Traceback" not in result.stderr


def test_malformed_settings_are_all_named_at_once() -> None:
    env = clean_environment({**LOCAL, "BATCH_SAS_LIFETIME_MINUTES": "forever", "BATCH_CALLBACK_URL": "http://example.com/done"})
    result = run_main(MAIN, ["submit"], env)
    assert result.code == 3
    text = log_messages(result.stderr)
    assert "Invalid Batch settings (2 problems)" in text
    assert 'BATCH_SAS_LIFETIME_MINUTES must be a whole number from 1 to 10080 (got "forever")' in text
    assert 'BATCH_CALLBACK_URL must use https (plain http is accepted only for localhost/127.0.0.1/::1; got "http://example.com")' in text


def test_submit_names_every_setting_it_needs() -> None:
    result = run_main(MAIN, ["submit"], clean_environment(LOCAL))
    assert result.code == 3
    text = log_messages(result.stderr)
    assert "submit failed (exit code 3): Invalid Batch settings (3 problems)" in text
    assert "BATCH_POOL_ID is missing (the pool the job runs on)" in text
    assert "BATCH_APPLICATION_ID is missing (the application package that holds the workload's main.py)" in text
    assert "BATCH_APPLICATION_VERSION is missing" in text


def test_submit_refuses_args_that_are_not_json() -> None:
    result = run_main(MAIN, ["submit", "--args", "{pages}"], clean_environment(SUBMIT))
    assert result.code == 2
    assert "--args is not valid JSON" in log_messages(result.stderr)


def test_a_task_runs_locally_in_the_current_directory(tmp_path: Path) -> None:
    (tmp_path / "p.html").write_text("<title>Local</title><a href='x'>x</a> words words", encoding="utf-8")
    args = json.dumps({"page": "p.html", "output": "p.json"})
    result = run_main(MAIN, ["task", "--entry-point", "ScrapeTask", "--args", args], clean_environment(LOCAL), cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert json.loads((tmp_path / "p.json").read_text())["title"] == "Local"
    progress_text = (tmp_path / "progress.json").read_text()
    progress = json.loads(progress_text)
    assert list(progress) == ["percent", "message", "jobId", "taskId", "updatedAt"]
    assert [progress["percent"], progress["message"], progress["jobId"], progress["taskId"]] == [100, "scraped p.html: 1 links", "local-job", "local-task"]
    assert progress_text.startswith('{"percent":100,"message":') and progress_text.endswith("}\n"), "compact JSON like JSON.stringify"
    assert not (tmp_path / "error.json").exists()


def test_a_raising_task_writes_error_json_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "p.html").write_text("FAIL-SCRAPE", encoding="utf-8")
    args = json.dumps({"page": "p.html", "output": "p.json"})
    result = run_main(MAIN, ["task", "--entry-point", "ScrapeTask", "--args", args, "--task-id", "7"], clean_environment(LOCAL), cwd=tmp_path)
    assert result.code == 1
    report = json.loads((tmp_path / "error.json").read_text())
    assert list(report) == ["type", "message", "stack", "role", "task", "time", "exitCode"]
    assert [report["type"], report["message"], report["role"], report["exitCode"]] == ["ValueError", "p.html asks this task to fail", "task", 1]
    assert report["task"] == {"jobId": "local-job", "taskId": "7", "entryPoint": "ScrapeTask"}
    assert "raise ValueError" in report["stack"]
    assert json.loads((tmp_path / "progress.json").read_text())["percent"] == 50


def test_an_unregistered_entry_point_is_a_usage_error_with_an_error_report(tmp_path: Path) -> None:
    result = run_main(MAIN, ["task", "--entry-point", "CrawlTask"], clean_environment(LOCAL), cwd=tmp_path)
    assert result.code == 2
    report = json.loads((tmp_path / "error.json").read_text())
    assert report["type"] == "UnknownEntryPointError" and report["exitCode"] == 2
    assert 'No workload task is registered as "CrawlTask" (registered: ScrapeTask, SummarizeTask)' in report["message"]


def test_a_task_without_entry_point_says_how_to_name_one(tmp_path: Path) -> None:
    result = run_main(MAIN, ["task"], clean_environment(LOCAL), cwd=tmp_path)
    assert result.code == 2
    assert "task needs BATCH_TASK_ENTRY_POINT (set by the job manager) or --entry-point" in log_messages(result.stderr)


def test_one_task_runs_locally_without_batch_account_url_unless_it_uses_the_client(tmp_path: Path) -> None:
    fixture = Path(__file__).resolve().parent / "fixtures" / "parents_workload" / "main.py"
    bare = clean_environment({"AZ_BATCH_TASK_WORKING_DIR": str(tmp_path)})
    report = run_main(fixture, ["task", "--entry-point", "ParentsReport"], bare)
    assert report.code == 0, report.stderr
    assert json.loads((tmp_path / "progress.json").read_text())["message"] == "[]", "no parents when run locally"
    uses_client = run_main(fixture, ["task", "--entry-point", "ClientTask"], bare)
    assert uses_client.code == 3, uses_client.stderr
    assert "BATCH_ACCOUNT_URL is missing (this task uses the Batch client" in json.loads((tmp_path / "error.json").read_text())["message"]
    on_node = run_main(fixture, ["task", "--entry-point", "ParentsReport"], {**bare, "AZ_BATCH_NODE_ID": "tvm-1"})
    assert on_node.code == 3 and "BATCH_ACCOUNT_URL is missing" in on_node.stderr
    half = run_main(fixture, ["task", "--entry-point", "ParentsReport"], {**bare, "BATCH_ACCOUNT_URL": "https://a.westeurope.batch.azure.com", "BATCH_AUTH_MODE": "sharedKey"})
    assert half.code == 3 and "BATCH_ACCOUNT_KEY is missing" in half.stderr
