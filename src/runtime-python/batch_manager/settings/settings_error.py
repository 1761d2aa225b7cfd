# Why: every missing or malformed setting, named by its environment variable, reported at once (exit code 3).
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SettingProblem:
    variable: str
    message: str


class SettingsError(Exception):
    def __init__(self, problems: list[SettingProblem]) -> None:
        self.problems = list(problems)
        plural = "" if len(problems) == 1 else "s"
        lines = "\n".join(f"  - {p.variable} {p.message}" for p in problems)
        super().__init__(f"Invalid Batch settings ({len(problems)} problem{plural}):\n{lines}")
