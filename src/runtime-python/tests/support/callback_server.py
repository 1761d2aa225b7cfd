# Why: a loopback HTTP server standing in for a workload's callback endpoint: records every POSTed JSON body, can fail on purpose.
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass
class ReceivedCallback:
    path: str
    headers: dict[str, str]
    body: Any
    raw_body: bytes
    """the body exactly as received (what a signature covers)"""
    received_at: float = 0.0
    """time.monotonic() when it arrived"""


class CallbackServer:
    def __init__(self) -> None:
        self.received: list[ReceivedCallback] = []
        self.fail_next: dict[str, int] = {}
        """path (without query) → HTTP status to answer on that path instead of accepting (every time)"""
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                path = urlsplit(self.path).path
                status = server.fail_next.get(path)
                if status:
                    self.send_response(status)
                    self.end_headers()
                    return
                server.received.append(ReceivedCallback(path, {k.lower(): v for k, v in self.headers.items()}, json.loads(body), body, time.monotonic()))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self._thread.start()
        self.base_url = f"http://127.0.0.1:{self._http.server_address[1]}"

    def wait_for(self, path: str, timeout_seconds: float) -> ReceivedCallback:
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            found = next((c for c in self.received if c.path == path), None)
            if found:
                return found
            time.sleep(0.2)
        raise AssertionError(f"no callback on {path} within {timeout_seconds} s")

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()
