# Why: the table of every runtime setting: its environment variable, settings-file key, default, check and the message a bad value gets.
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .urls import url_problem


@dataclass(frozen=True)
class SettingDefinition:
    key: str
    """the settings-file key (the TypeScript runtime's name)"""
    variable: str
    node_variable: str | None = None
    check: Callable[[str], str | None] = lambda raw: None
    """None when the text is acceptable, else what completes "<VARIABLE> …" """
    default: str | None = None
    choices: tuple[str, ...] = ()
    secret: bool = False


def _pattern(regex: str, problem: Callable[[str], str]) -> Callable[[str], str | None]:
    return lambda raw: None if re.fullmatch(regex, raw) else problem(raw)


def _choices(*choices: str) -> Callable[[str], str | None]:
    return lambda raw: None if raw in choices else f'must be one of {", ".join(choices)} (got "{raw}")'


def _minutes(raw: str) -> str | None:
    ok = re.fullmatch(r"\d+", raw) is not None and 1 <= int(raw) <= 7 * 24 * 60
    return None if ok else f'must be a whole number from 1 to {7 * 24 * 60} (got "{raw}")'


def _progress_interval(raw: str) -> str | None:
    ok = re.fullmatch(r"\d+", raw) is not None and 1 <= int(raw) <= 3600
    return None if ok else f'must be a whole number of seconds from 1 to 3600 (got "{raw}"): progress reports are sent at most this often'


def _service_url(raw: str) -> str | None:
    problem = url_problem(raw)
    return problem and (problem if problem.startswith("is not") else f'must be an https URL (http is accepted only for localhost/127.0.0.1/::1; got "{raw}")')


MIN_CALLBACK_SECRET_LENGTH = 32


def _callback_secret(raw: str) -> str | None:
    if len(raw) >= MIN_CALLBACK_SECRET_LENGTH:
        return None
    return f"must be at least {MIN_CALLBACK_SECRET_LENGTH} characters (generate one with `openssl rand -base64 32`)"


_BASE64 = _pattern(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})", lambda raw: "is not a base64 key")
_BATCH_ID = _pattern(r"[A-Za-z0-9_-]{1,64}", lambda raw: f'must be 1-64 letters, digits, hyphens or underscores (got "{raw}")')
_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

SETTING_DEFINITIONS: dict[str, SettingDefinition] = {
    d.key: d
    for d in (
        SettingDefinition("accountUrl", "BATCH_ACCOUNT_URL", "AZ_BATCH_ACCOUNT_URL", _service_url),
        SettingDefinition("accountName", "BATCH_ACCOUNT_NAME", "AZ_BATCH_ACCOUNT_NAME"),
        SettingDefinition("authMode", "BATCH_AUTH_MODE", check=_choices("sharedKey", "entraId", "local"), choices=("sharedKey", "entraId", "local")),
        SettingDefinition("accountKey", "BATCH_ACCOUNT_KEY", check=_BASE64, secret=True),
        SettingDefinition(
            "managedIdentityClientId",
            "BATCH_MANAGED_IDENTITY_CLIENT_ID",
            check=_pattern(_GUID, lambda raw: f'must be a GUID (client id of a user-assigned managed identity; got "{raw}")'),
        ),
        SettingDefinition("storageAccountName", "BATCH_STORAGE_ACCOUNT_NAME"),
        SettingDefinition("storageBlobEndpoint", "BATCH_STORAGE_BLOB_ENDPOINT", check=_service_url),
        SettingDefinition("storageAccountKey", "BATCH_STORAGE_ACCOUNT_KEY", check=_BASE64, secret=True),
        SettingDefinition(
            "runtimeContainer",
            "BATCH_RUNTIME_CONTAINER",
            check=_pattern(r"[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]", lambda raw: f'is not a valid blob container name (got "{raw}")'),
            default="batch-runtime",
        ),
        SettingDefinition("sasLifetimeMinutes", "BATCH_SAS_LIFETIME_MINUTES", check=_minutes, default=str(8 * 60)),
        SettingDefinition("poolId", "BATCH_POOL_ID", check=_BATCH_ID),
        SettingDefinition("applicationId", "BATCH_APPLICATION_ID", check=_BATCH_ID),
        SettingDefinition("applicationVersion", "BATCH_APPLICATION_VERSION"),
        SettingDefinition("callbackUrl", "BATCH_CALLBACK_URL", check=url_problem),
        # the value itself is never echoed in a problem
        SettingDefinition("callbackSecret", "BATCH_CALLBACK_SECRET", check=_callback_secret, secret=True),
        SettingDefinition("progressUrl", "BATCH_PROGRESS_URL", check=url_problem),
        SettingDefinition("progressIntervalSeconds", "BATCH_PROGRESS_INTERVAL_SECONDS", check=_progress_interval, default="15"),
        SettingDefinition("loggingConfig", "BATCH_LOGGING_CONFIG"),
        # the Python runtime runs main.py with this interpreter on the nodes (the TypeScript runtime: node)
        SettingDefinition("nodeExecutable", "BATCH_NODE_EXECUTABLE", default="python3"),
        SettingDefinition("nodeOs", "BATCH_NODE_OS", check=_choices("linux", "windows"), default="linux", choices=("linux", "windows")),
    )
}
SETTING_KEYS = list(SETTING_DEFINITIONS)
