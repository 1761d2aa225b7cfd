# Why: setup_logging(path) — applies a logging config file (the runtime's format, or a Python dictConfig with `version: 1`) and the node's job/task ids to every logger.
from __future__ import annotations

import logging
import logging.config
import os
import sys
from collections.abc import Mapping

from .log_config import LoggingConfig, parse_logging_config, read_config_file

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}
# the Azure SDKs log every HTTP request at INFO: quiet unless a config names them
_CHATTY_LIBRARIES = ("azure", "msrest", "urllib3", "adal-python")
_context: dict[str, str] = {}


class _ContextFilter(logging.Filter):
    """Stamps each record with the job and task ids (set_log_context)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in _context.items():
            if not hasattr(record, key):
                setattr(record, key, value)
        return True


def set_log_context(job_id: str | None = None, task_id: str | None = None) -> None:
    """Adds ids that become known later (e.g. the job id once submit chose it)."""
    if job_id:
        _context["jobId"] = job_id
    if task_id:
        _context["taskId"] = task_id


def _apply(config: LoggingConfig) -> None:
    from .log_format import RuntimeFormatter

    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "batch_manager", False)]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stdout if config.stream == "stdout" else sys.stderr)
    handler.batch_manager = True  # type: ignore[attr-defined]
    handler.setFormatter(RuntimeFormatter(config.format))
    handler.addFilter(_ContextFilter())
    root.addHandler(handler)
    root.setLevel(_LEVELS[config.level])
    for name in _CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name, level in config.loggers.items():
        logging.getLogger(name).setLevel(_LEVELS[level])


def setup_logging(config_file: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> LoggingConfig | None:
    """
    Configures logging from `config_file` (YAML or JSON); without one: text at info level to stderr. A file with
    `version: 1` is a standard `logging.config.dictConfig` (returns None); the job/task ids are added to its handlers.
    """
    env = os.environ if env is None else env
    set_log_context(env.get("AZ_BATCH_JOB_ID") or None, env.get("AZ_BATCH_TASK_ID") or None)
    from .failure_hook import install_failure_hook

    install_failure_hook()
    if config_file is None:
        config = LoggingConfig()
        _apply(config)
        return config
    file = os.path.abspath(os.fspath(config_file))
    raw = read_config_file(file)
    if isinstance(raw, dict) and "version" in raw:
        logging.config.dictConfig(raw)
        for handler in logging.getLogger().handlers:
            handler.addFilter(_ContextFilter())
        return None
    config = parse_logging_config(raw, file)
    _apply(config)
    return config
