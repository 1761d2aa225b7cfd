# Why: reads a JSON settings file (`{"accountUrl": "…", …}`, the same file the TypeScript runtime reads) and names its problems.
from __future__ import annotations

import json

from .setting_definitions import SETTING_DEFINITIONS, SETTING_KEYS
from .settings_error import SettingProblem

SETTINGS_FILE_VARIABLE = "BATCH_SETTINGS_FILE"


def read_settings_file(file: str) -> tuple[dict[str, str], list[SettingProblem]]:
    """The text of each known key's value, and the file's problems."""
    where = f"{SETTINGS_FILE_VARIABLE} ({file})"
    try:
        with open(file, encoding="utf-8") as handle:
            parsed = json.load(handle)
    except (OSError, ValueError) as error:
        return {}, [SettingProblem(where, f"cannot be read as JSON: {error}")]
    if not isinstance(parsed, dict):
        return {}, [SettingProblem(where, "must contain a JSON object")]
    values: dict[str, str] = {}
    problems: list[SettingProblem] = []
    for key, value in parsed.items():
        if key not in SETTING_DEFINITIONS:
            problems.append(SettingProblem(where, f'has an unknown setting "{key}" (known: {", ".join(SETTING_KEYS)})'))
        elif isinstance(value, bool):
            values[key] = "true" if value else "false"
        elif isinstance(value, str | int | float):
            values[key] = str(value)
        else:
            problems.append(SettingProblem(SETTING_DEFINITIONS[key].variable, f'(settings file key "{key}") must be a string or number'))
    return values, problems
