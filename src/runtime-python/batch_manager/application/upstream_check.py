# Why: a dependent task runs only if every parent succeeded (parents satisfy dependents even on failure so the FinalizeTask always runs).
from __future__ import annotations

from azure.batch import BatchServiceClient, models

from ..batch_tasks import list_all_tasks
from ..submission.task_dependencies import dependency_ids


class UpstreamTaskFailedError(Exception):
    def __init__(self, failed_parents: list[str]) -> None:
        self.failed_parents = failed_parents
        more = ", …" if len(failed_parents) > 20 else ""
        super().__init__(f"Not running: task(s) this task depends on failed: {', '.join(failed_parents[:20])}{more}")


def check_parents_succeeded(client: BatchServiceClient, job_id: str, task_id: str) -> None:
    task = client.task.get(job_id, task_id, task_get_options=models.TaskGetOptions(select="id,dependsOn"))
    parents = set(dependency_ids(task.depends_on))
    if not parents:
        return
    failed = list_all_tasks(client, job_id, filter="executionInfo/result eq 'failure'", select="id")
    failed_parents = [t.id for t in failed if t.id in parents]
    if failed_parents:
        raise UpstreamTaskFailedError(failed_parents)
