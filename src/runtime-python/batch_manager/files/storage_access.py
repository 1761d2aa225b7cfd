# Why: knows each storage account's blob endpoint and signs short-lived SAS for it (account key, or an Entra ID user-delegation key).
from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Any, Literal
from urllib.parse import quote

from azure.storage.blob import BlobServiceClient, ContainerClient, generate_blob_sas, generate_container_sas

from ..settings.batch_client_settings import BatchClientSettings

SasPermission = Literal["r", "rl", "cw"]
_CLOCK_SKEW = timedelta(minutes=5)
_SAS_REUSE_SECONDS = 60.0


def encode_blob_path(blob_path: str) -> str:
    return "/".join(quote(part, safe="") for part in blob_path.split("/"))


class StorageAccess:
    def __init__(self, settings: BatchClientSettings, token_credential: Any | None = None) -> None:
        self._settings = settings
        self._token_credential = token_credential
        self._recent: dict[tuple[str, str, str | None, str], tuple[float, str]] = {}
        self._delegation_keys: dict[str, Any] = {}
        self._lock = threading.Lock()

    def blob_endpoint(self, account_name: str) -> str:
        """The settings' account uses BATCH_STORAGE_BLOB_ENDPOINT (Azurite locally); any other account its public endpoint."""
        if account_name == self._settings.storage_account_name and self._settings.storage_blob_endpoint:
            return self._settings.storage_blob_endpoint
        return f"https://{account_name}.blob.core.windows.net"

    def container_url(self, account_name: str, container_name: str) -> str:
        return f"{self.blob_endpoint(account_name)}/{container_name}"

    def blob_url(self, account_name: str, container_name: str, blob_path: str) -> str:
        return f"{self.container_url(account_name, container_name)}/{encode_blob_path(blob_path)}"

    def container_client(self, account_name: str, container_name: str) -> ContainerClient:
        """A container client with the account key, or the Entra ID credential, of the account."""
        key = self._account_key(account_name)
        credential: Any = {"account_name": account_name, "account_key": key} if key else self._token_credential
        if credential is None:
            raise self._no_credential(account_name)
        return ContainerClient(self.blob_endpoint(account_name), container_name, credential=credential)

    def with_sas(self, account_name: str, container_name: str, blob_path: str | None, permission: SasPermission) -> str:
        """`url?<sas>` valid from 5 minutes ago for BATCH_SAS_LIFETIME_MINUTES; a SAS is reused for a minute."""
        base = self.container_url(account_name, container_name) if blob_path is None else self.blob_url(account_name, container_name, blob_path)
        cache_key = (account_name, container_name, blob_path, permission)
        with self._lock:
            recent = self._recent.get(cache_key)
            if recent is None or time.monotonic() - recent[0] >= _SAS_REUSE_SECONDS:
                recent = (time.monotonic(), self._sign(account_name, container_name, blob_path, permission))
                self._recent[cache_key] = recent
        return f"{base}?{recent[1]}"

    def _sign(self, account_name: str, container_name: str, blob_path: str | None, permission: str) -> str:
        now = datetime.now(timezone.utc)
        start, expiry = now - _CLOCK_SKEW, now + timedelta(minutes=self._settings.sas_lifetime_minutes)
        protocol = "https" if self.blob_endpoint(account_name).startswith("https:") else "https,http"
        key = self._account_key(account_name)
        signing: dict[str, Any]
        if key:
            signing = {"account_key": key}
        elif self._token_credential is not None:
            signing = {"user_delegation_key": self._delegation_key(account_name, start, expiry)}
        else:
            raise self._no_credential(account_name)
        common: dict[str, Any] = {"account_name": account_name, "container_name": container_name, "permission": permission, "start": start, "expiry": expiry}
        if blob_path is None:
            return str(generate_container_sas(**common, protocol=protocol, **signing))
        return str(generate_blob_sas(**common, blob_name=blob_path, protocol=protocol, **signing))

    def _account_key(self, account_name: str) -> str | None:
        return self._settings.storage_account_key if account_name == self._settings.storage_account_name else None

    def _delegation_key(self, account_name: str, start: datetime, expiry: datetime) -> Any:
        if account_name not in self._delegation_keys:
            service = BlobServiceClient(self.blob_endpoint(account_name), credential=self._token_credential)
            self._delegation_keys[account_name] = service.get_user_delegation_key(start, expiry)
        return self._delegation_keys[account_name]

    @staticmethod
    def _no_credential(account_name: str) -> Exception:
        return ValueError(
            f'No way to sign a SAS for storage account "{account_name}": give the file an identity_reference, set BATCH_STORAGE_ACCOUNT_KEY '
            "(for BATCH_STORAGE_ACCOUNT_NAME), or use BATCH_AUTH_MODE=entraId (user-delegation SAS)"
        )
