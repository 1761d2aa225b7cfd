# Why: a settings problem raised by `BatchClientSettings()` in main.py, before Application runs, still ends the process with exit code 3 and a clear message.
from __future__ import annotations

import logging
import os
import sys
from types import TracebackType

_installed = False


def _report(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    from ..settings.settings_error import SettingsError

    if isinstance(error, SettingsError):
        logging.getLogger("runtime").error("settings failed (exit code 3): %s", error)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(3)
    sys.__excepthook__(kind, error, trace)


def install_failure_hook() -> None:
    global _installed
    if not _installed:
        sys.excepthook = _report
        _installed = True
