# Why: what a dependent task learns about its parents when it starts (their results, for `context.parents`), and the rule that by default it runs only if every parent succeeded.
from __future__ import annotations

from azure.batch import BatchServiceClient, models

from ..batch_tasks import list_all_tasks
from ..json_text import enum_text
from ..submission.task_dependencies import dependency_ids
from ..workload.workload_task import ParentTaskResult


class UpstreamTaskFailedError(Exception):
    def __init__(self, failed_parents: list[str]) -> None:
        self.failed_parents = failed_parents
        more = ", …" if len(failed_parents) > 20 else ""
        super().__init__(
            f"Not running: task(s) this task depends on failed: {', '.join(failed_parents[:20])}{more} "
            '(add the task with after="completion" to run it anyway)'
        )


def _numeric_order(task_id: str) -> tuple[int, int | str]:
    return (0, int(task_id)) if task_id.isdigit() else (1, task_id)


def read_parents(client: BatchServiceClient, job_id: str, task_id: str) -> list[ParentTaskResult]:
    """The parents of the task (its dependsOn) with their outcome; [] when it has none."""
    task = client.task.get(job_id, task_id, task_get_options=models.TaskGetOptions(select="id,dependsOn"))
    parents = set(dependency_ids(task.depends_on))
    if not parents:
        return []
    found = []
    for parent in list_all_tasks(client, job_id, select="id,displayName,state,executionInfo"):
        if parent.id not in parents:
            continue
        info = parent.execution_info
        failure = info.failure_info if info else None
        found.append(
            ParentTaskResult(
                id=parent.id,
                state=enum_text(parent.state) or "unknown",
                display_name=parent.display_name,
                result=enum_text(info.result) if info and info.result else None,
                exit_code=info.exit_code if info else None,
                failure_info={"code": failure.code, "message": failure.message} if failure else None,
            )
        )
    return sorted(found, key=lambda parent: _numeric_order(parent.id))


def check_parents_succeeded(parents: list[ParentTaskResult]) -> None:
    """Raises UpstreamTaskFailedError naming the parents whose result is failure."""
    failed = [parent.id for parent in parents if parent.result == "failure"]
    if failed:
        raise UpstreamTaskFailedError(failed)
