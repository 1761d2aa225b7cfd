# Why: BatchClientSettings — every runtime setting from environment variables and/or a JSON settings file, all problems reported at once.
from __future__ import annotations

import os
from collections.abc import Mapping

from . import local_defaults as local
from .setting_definitions import SETTING_DEFINITIONS, SETTING_KEYS
from .settings_file import SETTINGS_FILE_VARIABLE, read_settings_file
from .settings_validation import SettingsPurpose, normalised, validated


def _with_defaults(values: dict[str, str], env: Mapping[str, str]) -> dict[str, str]:
    """The defaults that depend on other settings: auth mode from the key, the local service's well-known accounts."""
    auth_mode = values.get("authMode") or ("sharedKey" if "accountKey" in values else "entraId")
    is_local = auth_mode == "local"
    storage = values.get("storageAccountName") or (local.AZURITE_ACCOUNT_NAME if is_local else None)
    defaults = {
        "authMode": auth_mode,
        "accountName": local.LOCAL_BATCH_ACCOUNT_NAME if is_local else None,
        "accountKey": (values.get("accountKey") or local.local_account_key(env)) if is_local else None,
        "storageAccountName": storage,
        "storageBlobEndpoint": local.AZURITE_DEFAULT_BLOB_ENDPOINT if is_local else (storage and f"https://{storage}.blob.core.windows.net"),
        "storageAccountKey": local.AZURITE_ACCOUNT_KEY if is_local and storage == local.AZURITE_ACCOUNT_NAME else None,
    }
    return {**{k: v for k, v in defaults.items() if v is not None}, **values}


class BatchClientSettings:
    """
    `BatchClientSettings()` reads os.environ (and $BATCH_SETTINGS_FILE); environment variables win over the file.
    Raises SettingsError naming every missing or malformed setting by its variable.
    """

    def __init__(self, env: Mapping[str, str] | None = None, file: str | None = None, purpose: SettingsPurpose = "client") -> None:
        env = os.environ if env is None else env
        file = file or env.get(SETTINGS_FILE_VARIABLE) or None
        file_values, problems = read_settings_file(file) if file else ({}, [])
        raw: dict[str, str | None] = {}
        for key, definition in SETTING_DEFINITIONS.items():
            from_env = env.get(definition.variable)
            if from_env is None and definition.node_variable:
                from_env = env.get(definition.node_variable)
            raw[key] = from_env if from_env is not None else file_values.get(key)
        self._values = validated(_with_defaults(normalised(raw), env), purpose, problems)

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None, file: str | None = None, purpose: SettingsPurpose = "client") -> BatchClientSettings:
        return cls(env=env, file=file, purpose=purpose)

    def with_values(self, **overrides: str) -> BatchClientSettings:
        """A copy with some values (settings-file keys) replaced, checked like the originals."""
        copy = object.__new__(BatchClientSettings)
        copy._values = validated({**self._values, **normalised(dict(overrides))}, "any")
        return copy

    def get(self, key: str) -> str | None:
        return self._values.get(key)

    @property
    def account_url(self) -> str:
        return self._values["accountUrl"]

    @property
    def auth_mode(self) -> str:
        return self._values["authMode"]

    @property
    def account_name(self) -> str | None:
        return self._values.get("accountName")

    @property
    def account_key(self) -> str | None:
        return self._values.get("accountKey")

    @property
    def managed_identity_client_id(self) -> str | None:
        return self._values.get("managedIdentityClientId")

    @property
    def storage_account_name(self) -> str | None:
        return self._values.get("storageAccountName")

    @property
    def storage_blob_endpoint(self) -> str | None:
        return self._values.get("storageBlobEndpoint")

    @property
    def storage_account_key(self) -> str | None:
        return self._values.get("storageAccountKey")

    @property
    def runtime_container(self) -> str:
        return self._values["runtimeContainer"]

    @property
    def sas_lifetime_minutes(self) -> int:
        return int(self._values["sasLifetimeMinutes"])

    @property
    def pool_id(self) -> str | None:
        return self._values.get("poolId")

    @property
    def application_id(self) -> str | None:
        return self._values.get("applicationId")

    @property
    def application_version(self) -> str | None:
        return self._values.get("applicationVersion")

    @property
    def callback_url(self) -> str | None:
        return self._values.get("callbackUrl")

    @property
    def callback_secret(self) -> str | None:
        """The HMAC-SHA256 key the FinalizeTask signs its callback with (secret: never logged, never in for_nodes)."""
        return self._values.get("callbackSecret")

    @property
    def progress_url(self) -> str | None:
        """Where the finalize-guard POSTs job-level progress while the job runs (docs/runtime.md, Job progress reports)."""
        return self._values.get("progressUrl")

    @property
    def progress_interval_seconds(self) -> int:
        """The least time between two progress POSTs (the final one excepted)."""
        return int(self._values["progressIntervalSeconds"])

    @property
    def logging_config(self) -> str | None:
        return self._values.get("loggingConfig")

    @property
    def node_executable(self) -> str:
        return self._values["nodeExecutable"]

    @property
    def node_os(self) -> str:
        return self._values["nodeOs"]

    def for_nodes(self) -> list[dict[str, str]]:
        """The job's commonEnvironmentSettings: what nodes need to build the same client — never an account key, never the callback URL."""
        node_values = {**self._values, "authMode": "local" if self.auth_mode == "local" else "entraId"}
        node_values.pop("callbackUrl", None)
        # the guard gets these in its own environment when a progress URL is set (finalize_environment)
        node_values.pop("progressUrl", None)
        node_values.pop("progressIntervalSeconds", None)
        keys = [k for k in SETTING_KEYS if not SETTING_DEFINITIONS[k].secret and node_values.get(k) is not None]
        return [{"name": SETTING_DEFINITIONS[k].variable, "value": node_values[k]} for k in keys]

    def describe(self) -> dict[str, str]:
        """For logs: every setting that is set, secrets masked."""
        shown = [k for k in SETTING_KEYS if k in self._values]
        return {SETTING_DEFINITIONS[k].variable: "***" if SETTING_DEFINITIONS[k].secret else self._values[k] for k in shown}
