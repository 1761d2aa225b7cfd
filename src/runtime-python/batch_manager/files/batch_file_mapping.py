# Why: maps input/output file specifications to Batch resource files and output files — managed identity when given, otherwise short-lived SAS.
from __future__ import annotations

from azure.batch import models

from .file_specifications import InputFileSpecification, OutputFileSpecification
from .storage_access import StorageAccess


def _identity(resource_id: str | None) -> models.ComputeNodeIdentityReference | None:
    return models.ComputeNodeIdentityReference(resource_id=resource_id) if resource_id else None


def to_resource_file(spec: InputFileSpecification, storage: StorageAccess) -> models.ResourceFile:
    account, container, source = spec.storage_account_name, spec.container_name, spec.source_blob_path
    identity = _identity(spec.identity_reference)
    if source == "" or source.endswith("/"):
        url = storage.container_url(account, container) if identity else storage.with_sas(account, container, None, "rl")
        prefix = {"blob_prefix": source} if source else {}
        return models.ResourceFile(storage_container_url=url, file_path=spec.target_file_path, identity_reference=identity, **prefix)
    url = storage.blob_url(account, container, source) if identity else storage.with_sas(account, container, source, "r")
    return models.ResourceFile(http_url=url, file_path=spec.target_file_path, identity_reference=identity)


def to_output_file(spec: OutputFileSpecification, storage: StorageAccess, upload_condition: str) -> models.OutputFile:
    account, container = spec.storage_account_name, spec.container_name
    identity = _identity(spec.identity_reference)
    url = storage.container_url(account, container) if identity else storage.with_sas(account, container, None, "cw")
    destination = models.OutputFileBlobContainerDestination(container_url=url, path=spec.target_blob_path, identity_reference=identity)
    return models.OutputFile(
        file_pattern=spec.source_file_path,
        destination=models.OutputFileDestination(container=destination),
        upload_options=models.OutputFileUploadOptions(upload_condition=upload_condition),
    )
