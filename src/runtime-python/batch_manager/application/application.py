# Why: Application(workload).run() — the entry point of a workload's main.py: picks the role, sets everything up, and turns any failure into an error report and exit code.
from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..client.batch_client_factory import BatchClientFactory
from ..client.unavailable_client import UnavailableClient
from ..files.storage_access import StorageAccess
from ..logs.setup_logging import setup_logging
from ..settings.batch_client_settings import BatchClientSettings
from .error_report import create_error_report, write_error_report
from .exit_codes import ExitCode
from .failure_exit_code import exit_code_for
from .finalize_guard_role import run_finalize_guard
from .finalize_role import run_finalize
from .job_manager_role import run_job_manager
from .node_environment import read_node_environment
from .role_context import RoleContext
from .role_options import parse_role_options
from .roles import resolve_role
from .submit_role import run_submit
from .task_role import run_task

if TYPE_CHECKING:
    from azure.batch import BatchServiceClient

    from ..workload.workload_base import WorkloadBase

WorkloadFactory = Callable[["BatchServiceClient", BatchClientSettings], "WorkloadBase"]
"""Builds the workload once settings and client exist (so their problems are reported like any other failure)."""

_ROLE_RUNNERS: dict[str, Callable[[RoleContext], int]] = {"submit": run_submit, "job-manager": run_job_manager, "task": run_task, "finalize": run_finalize, "finalize-guard": run_finalize_guard}


def _logging_config_path(env: Mapping[str, str]) -> str | None:
    """BATCH_LOGGING_CONFIG; a relative path is taken from the directory of main.py (the application package on a node)."""
    configured = env.get("BATCH_LOGGING_CONFIG")
    if not configured:
        return None
    return configured if os.path.isabs(configured) else os.path.join(os.path.dirname(os.path.abspath(sys.argv[0] or ".")), configured)


class Application:
    """`Application(MyWorkload(batch_client=client)).run()` or `Application(lambda client, settings: MyWorkload(batch_client=client)).run()`."""

    def __init__(self, workload: WorkloadBase | WorkloadFactory, env: Mapping[str, str] | None = None, print_line: Callable[[str], None] | None = None) -> None:
        self._workload = workload
        self._env = os.environ if env is None else env
        self._node = read_node_environment(self._env)
        self._print = print_line or (lambda line: print(line, flush=True))
        self._role = "submit"
        self._task: dict[str, str] = {}
        self._logger = logging.getLogger("runtime")

    def run(self, argv: Sequence[str] | None = None, exit_process: bool = True) -> int:
        """Runs the role named by argv (default sys.argv[1:]) and exits with its exit code — or, with exit_process=False, returns it."""
        try:
            code = self._run_role(list(sys.argv[1:] if argv is None else argv))
        except (Exception, KeyboardInterrupt) as error:  # every failure becomes an error report and an exit code (sys.exit passes)
            code = self._fail(error)
        if exit_process:
            sys.stdout.flush()
            sys.stderr.flush()
            sys.exit(code)
        return code

    def _describe_task(self, **task: Any) -> None:
        self._task.update({key: value for key, value in task.items() if value})

    def _run_role(self, argv: list[str]) -> int:
        self._describe_task(jobId=self._node.job_id, taskId=self._node.task_id)
        setup_logging(_logging_config_path(self._env), env=self._env)
        role, rest = resolve_role(argv, self._env)
        self._role = role
        self._logger = logging.getLogger(f"runtime.{role}")
        options = parse_role_options(role, rest)
        env = {**self._env, **({"BATCH_CALLBACK_URL": options["callback-url"]} if "callback-url" in options else {})}
        # one task run on this machine needs the Batch account only if its code uses the client
        purpose = "submit" if role == "submit" else "localTask" if role == "task" and not self._node.on_node else "client"
        settings = BatchClientSettings.load(env=env, file=options.get("settings"), purpose=purpose)
        if callable(self._workload) and not hasattr(self._workload, "entry_points_repository"):
            client = BatchClientFactory.create(settings) if settings.get("accountUrl") else UnavailableClient()
            workload = self._workload(client, settings)
        else:
            workload = self._workload  # type: ignore[assignment]
            client = workload.batch_client
        if not settings.callback_url and workload.callback_url:
            settings = settings.with_values(callbackUrl=workload.callback_url)
        storage = StorageAccess(settings, BatchClientFactory.token_credential(settings))
        self._logger.debug(f"Starting role {role}", extra={"fields": {"settings": settings.describe()}})
        context = RoleContext(options, env, settings, client, storage, workload, self._node, self._logger, self._print, self._describe_task)
        return _ROLE_RUNNERS[role](context)

    def _fail(self, error: BaseException) -> int:
        """Logs the failure (with its stack unless it is a configuration mistake), leaves error.json (every role but submit), returns the exit code."""
        code = exit_code_for(error)
        if code in (ExitCode.SETTINGS_ERROR, ExitCode.USAGE_ERROR):
            self._logger.error(f"{self._role} failed (exit code {int(code)}): {error}")
        else:
            self._logger.error(f"{self._role} failed (exit code {int(code)})", exc_info=error)
        if self._role != "submit":
            try:
                path = write_error_report(self._node.directories.working, create_error_report(error, self._role, self._task, int(code)))
                self._logger.info(f"Error report written to {path}")
            except OSError as write_error:
                self._logger.error("Could not write the error report", exc_info=write_error)
        return int(code)
