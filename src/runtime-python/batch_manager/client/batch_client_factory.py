# Why: BatchClientFactory — the one place an azure-batch BatchServiceClient is built from settings (shared key, Entra ID, or the local service).
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from azure.batch import BatchServiceClient
from azure.batch.batch_auth import SharedKeyCredentials

from ..settings.batch_client_settings import BatchClientSettings
from .entra_id_credentials import EntraIdBatchCredentials, create_token_credential


def runs_on_batch_node(env: Mapping[str, str] | None = None) -> bool:
    """True inside a Batch task (the node sets AZ_BATCH_NODE_ID)."""
    return (os.environ if env is None else env).get("AZ_BATCH_NODE_ID") is not None


class BatchClientFactory:
    @staticmethod
    def create(settings: BatchClientSettings) -> BatchServiceClient:
        """A client for the settings' account (api-version of azure-batch 13: 2022-10-01.16.0)."""
        if settings.auth_mode == "entraId":
            credentials: Any = EntraIdBatchCredentials(BatchClientFactory.token_credential(settings))
        else:
            # sharedKey and local: settings guarantee name and key (local defaults to the well-known development account)
            credentials = SharedKeyCredentials(settings.account_name, settings.account_key)
        return BatchServiceClient(credentials, batch_url=settings.account_url)

    @staticmethod
    def token_credential(settings: BatchClientSettings) -> Any | None:
        """The Entra ID credential the settings describe (also for Storage user-delegation SAS); None for key-based modes."""
        if settings.auth_mode != "entraId":
            return None
        return create_token_credential(settings.managed_identity_client_id, runs_on_batch_node())
