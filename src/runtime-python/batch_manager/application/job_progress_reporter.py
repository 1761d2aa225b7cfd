# Why: while a job runs, POSTs its job-level progress (signed like the callback) to BATCH_PROGRESS_URL — at most every BATCH_PROGRESS_INTERVAL_SECONDS, only when the figure changed, plus one final report; never fails the role that sends it.
from __future__ import annotations

import json
import logging
import threading
from datetime import datetime, timezone
from typing import Any

from azure.batch import BatchServiceClient

from ..finalize.callback_delivery import deliver_callback
from ..job_progress import read_job_progress
from ..settings.urls import redact_url

MAX_RUNNING_LISTED = 20


class JobProgressReporter:
    def __init__(
        self,
        client: BatchServiceClient,
        job_id: str,
        url: str,
        secret: str | None,
        interval_seconds: int,
        logger: logging.Logger,
        workload_name: str | None = None,
        job_created_at: datetime | None = None,
    ) -> None:
        self._client, self._job_id, self._url, self._secret = client, job_id, url, secret
        self._interval, self._logger, self._workload_name, self._created = interval_seconds, logger, workload_name, job_created_at
        self._sequence = 0
        self._last_figure = ""
        self._last_problem = ""
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="progress-reports", daemon=True)

    def start(self) -> None:
        """Starts reporting in the background: one report now, then at most one per interval."""
        self._logger.info(f"Reporting job progress to {redact_url(self._url)} at most every {self._interval} s")
        self._thread.start()

    def finish(self) -> None:
        """Stops the periodic reports and sends the final one."""
        self._stopped.set()
        self._thread.join()
        self._report(final=True)

    def _run(self) -> None:
        while not self._stopped.is_set():
            self._report(final=False)
            self._stopped.wait(self._interval)

    def _report(self, final: bool) -> None:
        try:
            progress = read_job_progress(self._client, self._job_id, self._created)
        except Exception as error:  # noqa: BLE001
            self._logger.warning(f"Could not read the job's progress ({error}); trying again in {self._interval} s")
            return
        figure = json.dumps([progress["percent"], progress["counts"], progress["jobManagerRunning"]], sort_keys=True)
        if not final and figure == self._last_figure:
            return
        self._sequence += 1
        body: dict[str, Any] = {"jobId": self._job_id}
        if self._workload_name:
            body["workloadName"] = self._workload_name
        reported_at = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        body.update({"sequence": self._sequence, "final": final, "reportedAt": reported_at, **progress})
        body["running"] = progress["running"][:MAX_RUNNING_LISTED]
        try:
            # best effort: one quick retry of a transient failure; the next report supersedes a lost one anyway
            deliver_callback(
                self._url, body, attempts=2, initial_delay_seconds=1.0, timeout_seconds=10.0, secret=self._secret, what="a progress report", setting="BATCH_PROGRESS_URL"
            )
            self._last_figure = figure
        except Exception as error:  # noqa: BLE001
            problem = str(error)
            if problem != self._last_problem:
                self._logger.warning(f"{problem}; the job is not affected, later reports are still attempted")
            self._last_problem = problem
