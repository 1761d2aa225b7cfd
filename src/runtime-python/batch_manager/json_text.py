# Why: writes JSON, times and numbers exactly as the TypeScript runtime does (JSON.stringify, Date.toISOString), so both runtimes' files are interchangeable.
from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from typing import Any


def compact_json(value: Any) -> str:
    """JSON.stringify(value): no spaces, non-ASCII kept."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def pretty_json(value: Any) -> str:
    """JSON.stringify(value, null, 2)."""
    return json.dumps(value, indent=2, ensure_ascii=False)


def iso_time(moment: datetime | None = None) -> str:
    """Date.toISOString(): UTC, milliseconds, a trailing Z."""
    moment = (moment or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def js_number(value: float) -> int | float:
    """A number as JavaScript would print it: whole numbers without ".0"."""
    return int(value) if float(value).is_integer() else value


def round_to_tenth(value: float) -> int | float:
    """Math.round(value * 10) / 10 (half rounds up, as in JavaScript)."""
    return js_number(math.floor(value * 10 + 0.5) / 10)


def without_none(values: dict[str, Any]) -> dict[str, Any]:
    """Drops keys whose value is None (JSON.stringify drops undefined)."""
    return {key: value for key, value in values.items() if value is not None}


def enum_text(value: Any) -> Any:
    """An SDK enum member as its wire text ("servererror", "completed"); other values unchanged."""
    from enum import Enum

    return value.value if isinstance(value, Enum) else value
