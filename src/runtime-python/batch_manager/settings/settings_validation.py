# Why: checks settings values and which ones each purpose needs (talk to Batch; also submit jobs), every problem named by its variable.
from __future__ import annotations

from typing import Literal

from .setting_definitions import SETTING_DEFINITIONS, SETTING_KEYS
from .settings_error import SettingProblem, SettingsError

SettingsPurpose = Literal["client", "submit", "any", "localTask"]
"""localTask: one task run on this machine, which needs nothing until it uses the Batch client (with an account URL,
the client must be complete)"""

_URL_KEYS = ("accountUrl", "storageBlobEndpoint", "callbackUrl")


def normalised(raw: dict[str, str | None]) -> dict[str, str]:
    """Trimmed (empty means unset), choices in their canonical case, URLs without trailing slashes."""
    values: dict[str, str] = {}
    for key, text in raw.items():
        value = (text or "").strip()
        if not value:
            continue
        choices = SETTING_DEFINITIONS[key].choices
        canonical = next((choice for choice in choices if choice.lower() == value.lower()), None)
        values[key] = canonical or (value.rstrip("/") if key in _URL_KEYS else value)
    return values


def _needs(values: dict[str, str], purpose: SettingsPurpose) -> list[tuple[list[str], str]]:
    if purpose == "any" or (purpose == "localTask" and "accountUrl" not in values):
        return []
    needs = [(["accountUrl"], "the Batch account endpoint, e.g. https://<account>.<region>.batch.azure.com")]
    if values.get("authMode") == "sharedKey":
        needs.append((["accountName", "accountKey"], "BATCH_AUTH_MODE is sharedKey"))
    if purpose == "submit":
        needs += [
            (["poolId"], "the pool the job runs on"),
            (["applicationId", "applicationVersion"], "the application package that holds the workload's main.py"),
            (["storageAccountName"], "error reports, logs and the job summary are uploaded there"),
        ]
        if values.get("authMode") != "local":
            why = "nodes in Azure authenticate to Batch and Storage with the pool's user-assigned managed identity; account keys are never sent to nodes"
            needs.append((["managedIdentityClientId"], why))
    return needs


def validated(values: dict[str, str], purpose: SettingsPurpose, earlier: list[SettingProblem] | None = None) -> dict[str, str]:
    """`values` with defaults filled in; else a SettingsError naming every problem (bad values first), each variable once."""
    problems = list(earlier or [])

    def add(key: str, message: str) -> None:
        variable = SETTING_DEFINITIONS[key].variable
        if all(problem.variable != variable for problem in problems):
            problems.append(SettingProblem(variable, message))

    for key in SETTING_KEYS:
        if key in values and (problem := SETTING_DEFINITIONS[key].check(values[key])):
            add(key, problem)
    for keys, why in _needs(values, purpose):
        for key in keys:
            if key not in values:
                add(key, f"is missing ({why})")
    if problems:
        raise SettingsError(problems)
    defaults = {key: d.default for key, d in SETTING_DEFINITIONS.items() if d.default is not None}
    return {**defaults, **values}
