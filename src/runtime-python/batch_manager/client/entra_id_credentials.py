# Why: signs azure-batch (msrest) requests with a Microsoft Entra ID bearer token for the Batch resource; the SDK's own credential types are shared-key or ADAL only.
from __future__ import annotations

import time
from typing import Any

import requests
from msrest.authentication import Authentication

BATCH_SCOPE = "https://batch.core.windows.net//.default"


class EntraIdBatchCredentials(Authentication):
    """Adds `Authorization: Bearer …` from an azure-identity TokenCredential, refreshing the token before it expires."""

    def __init__(self, credential: Any) -> None:
        super().__init__()
        self._credential = credential
        self._token: Any = None

    def signed_session(self, session: requests.Session | None = None) -> requests.Session:
        session = super().signed_session(session)
        session.headers["Authorization"] = f"Bearer {self._access_token()}"
        return session

    def _access_token(self) -> str:
        if self._token is None or self._token.expires_on - time.time() < 120:
            self._token = self._credential.get_token(BATCH_SCOPE)
        return str(self._token.token)


def create_token_credential(managed_identity_client_id: str | None, on_node: bool) -> Any:
    """On a Batch node with a client id: the pool's user-assigned managed identity; elsewhere DefaultAzureCredential."""
    from azure.identity import DefaultAzureCredential, ManagedIdentityCredential

    if on_node and managed_identity_client_id:
        return ManagedIdentityCredential(client_id=managed_identity_client_id)
    return DefaultAzureCredential(managed_identity_client_id=managed_identity_client_id) if managed_identity_client_id else DefaultAzureCredential()
