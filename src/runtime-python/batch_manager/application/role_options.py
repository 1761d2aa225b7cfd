# Why: the command-line options each role accepts, parsed strictly so a typo is a usage error (exit 2) rather than silently ignored.
from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import NoReturn

from .roles import Role, UsageError

_COMMON = ["settings"]
ROLE_OPTIONS: dict[str, list[str]] = {
    "submit": [*_COMMON, "job-id", "args", "args-file", "callback-url"],
    "job-manager": [*_COMMON, "job-id", "args"],
    "task": [*_COMMON, "entry-point", "args", "job-id", "task-id"],
    "finalize": [*_COMMON, "job-id"],
    "finalize-guard": [*_COMMON, "job-id"],
}


class _StrictParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def parse_role_options(role: Role, args: Sequence[str]) -> dict[str, str]:
    """`{"job-id": "…"}` for `--job-id …`; only the options given."""
    names = ROLE_OPTIONS[role]
    parser = _StrictParser(prog=role, add_help=False, allow_abbrev=False, exit_on_error=False)
    for name in names:
        parser.add_argument(f"--{name}", dest=name, default=None)
    try:
        parsed = vars(parser.parse_args(list(args)))
    except (UsageError, argparse.ArgumentError) as error:
        raise UsageError(f"{role}: {error} (options: {', '.join('--' + name for name in names)})") from None
    return {name: value for name, value in parsed.items() if value is not None}
