# Why: writes parent task ids as Batch dependsOn, folding runs of numeric ids into taskIdRanges so 10,000 parents stay small.
from __future__ import annotations

import re
from collections.abc import Sequence

from azure.batch import models

MAX_TASK_IDS_CHARACTERS = 64_000
"""Batch refuses dependsOn.taskIds longer than this many characters in total (TaskDependencyListTooLong)."""


def _is_canonical_number(task_id: str) -> bool:
    return re.fullmatch(r"0|[1-9]\d{0,9}", task_id) is not None


def to_task_dependencies(parent_ids: Sequence[str]) -> models.TaskDependencies | None:
    if not parent_ids:
        return None
    numbers = sorted({int(i) for i in parent_ids if _is_canonical_number(i)})
    task_ids = list(dict.fromkeys(i for i in parent_ids if not _is_canonical_number(i)))
    runs: list[list[int]] = []
    for value in numbers:
        if runs and runs[-1][1] + 1 == value:
            runs[-1][1] = value
        else:
            runs.append([value, value])
    # single numbers read better as ids; ranges only pay off from three on
    ranges = [models.TaskIdRange(start=start, end=end) for start, end in runs if end - start >= 2]
    task_ids += [str(n) for start, end in runs if end - start < 2 for n in range(start, end + 1)]
    length = sum(len(i) for i in task_ids)
    if length > MAX_TASK_IDS_CHARACTERS:
        raise ValueError(
            f"A task depends on {len(task_ids)} non-numeric task ids ({length} characters; Batch allows {MAX_TASK_IDS_CHARACTERS}); "
            "let the runtime number the tasks so they fold into ranges"
        )
    return models.TaskDependencies(task_ids=task_ids or None, task_id_ranges=ranges or None)


def dependency_ids(depends_on: models.TaskDependencies | None) -> list[str]:
    """Every id a dependsOn covers (ranges expanded)."""
    if depends_on is None:
        return []
    ids = list(depends_on.task_ids or [])
    for task_range in depends_on.task_id_ranges or []:
        ids += [str(n) for n in range(task_range.start, task_range.end + 1)]
    return ids
