# Why: the Batch client a task run on this machine gets when no BATCH_ACCOUNT_URL is set: nothing fails until the task really uses it, and then the error names the setting.
from __future__ import annotations

from typing import Any

from ..settings.settings_error import SettingProblem, SettingsError


class UnavailableClient:
    """A stand-in whose every use raises a SettingsError (exit code 3) asking for BATCH_ACCOUNT_URL."""

    def __getattr__(self, name: str) -> Any:
        raise SettingsError(
            [
                SettingProblem(
                    "BATCH_ACCOUNT_URL",
                    "is missing (this task uses the Batch client; set it to the Batch account endpoint, "
                    "e.g. https://<account>.<region>.batch.azure.com, or the local service's batchUrl)",
                )
            ]
        )
