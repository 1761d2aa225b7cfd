# Why: adds many tasks fast: add_collection in chunks of 100, several chunks in flight, retrying the tasks the service reports as retryable.
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from azure.batch import BatchServiceClient, models

from ..json_text import enum_text
from .add_task_collection import AddTaskCollectionError, add_task_collection
from .task_dependencies import dependency_ids

MAX_TASKS_PER_ADD_COLLECTION = 100


@dataclass
class FailedTask:
    task_id: str
    code: str
    message: str


@dataclass
class SubmissionResult:
    added: list[str] = field(default_factory=list)
    already_existed: list[str] = field(default_factory=list)
    """present with that id already (e.g. a restarted job manager): counted as submitted"""
    failed: list[FailedTask] = field(default_factory=list)
    requests: int = 0


class TaskSubmissionError(Exception):
    """The job manager could not add some tasks (exit code 5)."""

    def __init__(self, result: SubmissionResult) -> None:
        self.result = result
        sample = "; ".join(f"{f.task_id}: {f.code} {f.message}" for f in result.failed[:5])
        super().__init__(f"{len(result.failed)} task(s) could not be added: {sample}{'; …' if len(result.failed) > 5 else ''}")


class _Submission:
    def __init__(self, client: BatchServiceClient, job_id: str, max_attempts: int, retry_delay_seconds: float, logger: logging.Logger) -> None:
        self.client, self.job_id, self.logger = client, job_id, logger
        self.max_attempts, self.retry_delay_seconds = max_attempts, retry_delay_seconds
        self.result = SubmissionResult()
        self.lock = threading.Lock()

    def send(self, tasks: list[models.TaskAddParameter]) -> None:
        """Sends one chunk until every task in it is added, exists, or failed for good."""
        pending, attempt = tasks, 1
        while pending:
            if attempt > 1:
                time.sleep(self.retry_delay_seconds * 2 ** (attempt - 2))
            pending = self._attempt(pending, attempt >= self.max_attempts)
            attempt += 1

    def _attempt(self, tasks: list[models.TaskAddParameter], last: bool) -> list[models.TaskAddParameter]:
        with self.lock:
            self.result.requests += 1
        try:
            outcomes = add_task_collection(self.client, self.job_id, tasks)
        except AddTaskCollectionError as error:
            return self._request_failed(tasks, error)
        by_id = {task.id: task for task in tasks}
        retry: list[models.TaskAddParameter] = []
        with self.lock:
            for outcome in outcomes:
                status = enum_text(outcome.status)
                code = (outcome.error.code if outcome.error else None) or status
                if status == "success":
                    self.result.added.append(outcome.task_id)
                elif code == "TaskExists":
                    self.result.already_existed.append(outcome.task_id)
                elif status == "servererror" and not last:
                    retry.append(by_id[outcome.task_id])
                else:
                    message = outcome.error.message.value if outcome.error and outcome.error.message else status
                    self.result.failed.append(FailedTask(outcome.task_id, code, message))
                by_id.pop(outcome.task_id, None)
            for missing in by_id.values():
                if last:
                    self.result.failed.append(FailedTask(missing.id, "NoResult", "addCollection returned no result for this task"))
                else:
                    retry.append(missing)
        if retry:
            self.logger.warning(f"Retrying {len(retry)} task(s) the service could not add yet")
        return retry

    def _request_failed(self, tasks: list[models.TaskAddParameter], error: AddTaskCollectionError) -> list[models.TaskAddParameter]:
        if (error.status_code == 413 or error.code == "RequestBodyTooLarge") and len(tasks) > 1:
            half = (len(tasks) + 1) // 2
            self.send(tasks[:half])
            self.send(tasks[half:])
            return []
        with self.lock:
            for task in tasks:
                self.result.failed.append(FailedTask(task.id, error.code or f"HTTP{error.status_code or ''}", str(error)))
        return []


def submit_tasks(
    client: BatchServiceClient,
    job_id: str,
    tasks: Sequence[models.TaskAddParameter],
    chunk_size: int = MAX_TASKS_PER_ADD_COLLECTION,
    concurrency: int = 8,
    max_attempts: int = 5,
    retry_delay_seconds: float = 0.25,
    logger: logging.Logger | None = None,
) -> SubmissionResult:
    """
    Adds `tasks` in order; a chunk holding a task whose parent is in an earlier chunk is sent only after that chunk was
    answered. Never raises for task-level failures: check `result.failed`.
    """
    if not 1 <= chunk_size <= MAX_TASKS_PER_ADD_COLLECTION:
        raise ValueError(f"chunk_size must be 1-{MAX_TASKS_PER_ADD_COLLECTION}")
    submission = _Submission(client, job_id, max_attempts, retry_delay_seconds, logger or logging.getLogger("runtime.submission"))
    chunks = [list(tasks[i : i + chunk_size]) for i in range(0, len(tasks), chunk_size)]
    chunk_of = {task.id: index for index, chunk in enumerate(chunks) for task in chunk}
    done = [threading.Event() for _ in chunks]
    started = time.monotonic()

    def run_chunk(index: int) -> None:
        parents = {chunk_of[p] for task in chunks[index] for p in dependency_ids(task.depends_on) if chunk_of.get(p, index) < index}
        for parent in parents:
            done[parent].wait()
        try:
            submission.send(chunks[index])
        finally:
            done[index].set()

    if chunks:
        with ThreadPoolExecutor(max_workers=min(concurrency, len(chunks))) as pool:
            list(pool.map(run_chunk, range(len(chunks))))
    result = submission.result
    submission.logger.info(
        f"Submitted {len(tasks)} task(s) in {result.requests} addCollection request(s)",
        extra={"fields": {"added": len(result.added), "alreadyExisted": len(result.already_existed), "failed": len(result.failed),
                          "ms": round((time.monotonic() - started) * 1000)}},
    )
    return result
