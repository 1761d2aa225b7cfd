# Why: how a workload names a task's inputs (blobs downloaded before it runs) and outputs (files uploaded after it succeeds).
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class InputFileSpecification:
    """A blob (or every blob under a prefix ending in "/") downloaded into the task's working directory before it runs."""

    storage_account_name: str
    container_name: str
    source_blob_path: str
    """blob name; ending in "/" means every blob under that prefix, kept as directories under target_file_path"""
    target_file_path: str
    """relative to the task working directory (a directory for a prefix)"""
    identity_reference: str | None = None
    """ARM resource id of a user-assigned managed identity of the pool that may read it; without it a short-lived read SAS is used"""


@dataclass
class OutputFileSpecification:
    """A file (or Batch pattern `*`, `**`, `?`) left in the working directory, uploaded when the task succeeds."""

    source_file_path: str
    storage_account_name: str
    container_name: str
    target_blob_path: str
    """the blob name; for a pattern, the virtual directory the matched files go under"""
    task_id: str | None = None
    """the producing task (filled in by TaskSpecification when left out)"""
    identity_reference: str | None = None
    """ARM resource id of a user-assigned managed identity of the pool that may write the container; without it a write SAS is used"""


def input_from_output(output: OutputFileSpecification, target_file_path: str) -> InputFileSpecification:
    """The input that downloads what `output` uploads (e.g. a gather task reading a scrape task's result)."""
    source = output.target_blob_path
    if re.search(r"[*?\[]", output.source_file_path) and source and not source.endswith("/"):
        source += "/"
    return InputFileSpecification(output.storage_account_name, output.container_name, source, target_file_path, output.identity_reference)
