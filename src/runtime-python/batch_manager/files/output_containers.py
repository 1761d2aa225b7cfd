# Why: Batch uploads output files only into existing containers; the job manager creates the ones its tasks write to before adding them.
from __future__ import annotations

import logging
from collections.abc import Sequence

from azure.core.exceptions import ResourceExistsError

from .file_specifications import OutputFileSpecification
from .storage_access import StorageAccess


def ensure_output_containers(outputs: Sequence[OutputFileSpecification], storage: StorageAccess, logger: logging.Logger) -> None:
    """Creates each distinct output container if missing; one the runtime cannot reach is left alone with a warning."""
    distinct = {(o.storage_account_name, o.container_name) for o in outputs}
    for account, container in sorted(distinct):
        try:
            storage.container_client(account, container).create_container()
            logger.info(f"Created output container {account}/{container}")
        except ResourceExistsError:
            pass
        except Exception as error:  # noqa: BLE001 — a container only a pool identity may write must already exist
            logger.warning(f"Could not make sure output container {account}/{container} exists (it must exist before tasks upload): {error}")
