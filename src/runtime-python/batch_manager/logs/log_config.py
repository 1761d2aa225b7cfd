# Why: reads a logging config file (YAML or JSON) in the runtime's format — `format`, `level`, `stream`, `loggers` — accepting Python dictConfig spellings.
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

import yaml

LEVEL_ALIASES = {"debug": "debug", "info": "info", "warning": "warning", "warn": "warning", "error": "error", "critical": "error", "fatal": "error"}


@dataclass(frozen=True)
class LoggingConfig:
    format: str = "text"
    level: str = "info"
    stream: str = "stderr"
    loggers: dict[str, str] = field(default_factory=dict)


def parse_log_level(raw: Any, where: str) -> str:
    level = LEVEL_ALIASES.get(raw.lower()) if isinstance(raw, str) else None
    if level is None:
        raise ValueError(f"{where}: unknown log level {json.dumps(raw)} (use debug, info, warning or error)")
    return level


def _level_of(value: Any) -> Any:
    return value.get("level") if isinstance(value, dict) else value


def _as_object(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"{where} must be an object")
    return value


def parse_logging_config(raw: Any, file: str) -> LoggingConfig:
    root = _as_object(raw, file)
    fmt = root.get("format", "text")
    if fmt not in ("text", "json"):
        raise ValueError(f'{file}: format must be "text" or "json" (got {json.dumps(fmt)})')
    stream = root.get("stream", "stderr")
    if stream not in ("stderr", "stdout"):
        raise ValueError(f'{file}: stream must be "stderr" or "stdout" (got {json.dumps(stream)})')
    root_level = root.get("level", _level_of(root.get("root")))
    loggers = {name: parse_log_level(_level_of(value), f"{file}: loggers.{name}") for name, value in _as_object(root.get("loggers"), f"{file}: loggers").items()}
    level = "info" if root_level is None else parse_log_level(root_level, f"{file}: level")
    return LoggingConfig(format=fmt, level=level, stream=stream, loggers=loggers)


def read_config_file(file: str) -> Any:
    """The file's content: YAML for .yaml/.yml, JSON otherwise."""
    with open(file, encoding="utf-8") as handle:
        text = handle.read()
    return yaml.safe_load(text) if os.path.splitext(file)[1].lower() in (".yaml", ".yml") else json.loads(text)
