# Why: the one rule for service and callback URLs: https, except plain http to a loopback address (local development and tests).
from __future__ import annotations

import re
from urllib.parse import urlsplit


def is_loopback_host(hostname: str) -> bool:
    host = hostname.strip("[]").lower()
    return host in ("localhost", "::1") or re.fullmatch(r"127(\.\d{1,3}){3}", host) is not None


def url_problem(raw: str) -> str | None:
    """None when `raw` is https, or http to a loopback host; otherwise what completes "<VARIABLE> …"."""
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
    except ValueError:
        parts, host = None, ""
    if parts is None or parts.scheme not in ("http", "https") or not host:
        return f'is not a valid URL (got "{raw}")'
    if parts.scheme == "https" or is_loopback_host(host):
        return None
    return f'must use https (plain http is accepted only for localhost/127.0.0.1/::1; got "{parts.scheme}://{parts.netloc}")'


def redact_url(raw: str) -> str:
    """The URL without query string or credentials, for logs and summaries (a callback URL may carry a signature)."""
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
    except ValueError:
        return "(invalid URL)"
    if not parts.scheme or not host:
        return "(invalid URL)"
    netloc = host if ":" not in host else f"[{host}]"
    if parts.port is not None:
        netloc += f":{parts.port}"
    return f"{parts.scheme}://{netloc}{parts.path or '/'}{'?…' if parts.query else ''}"
