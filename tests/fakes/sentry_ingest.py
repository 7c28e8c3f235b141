"""A local Sentry ingest: accepts envelopes at /api/<project>/envelope/ and keeps their items.

with SentryIngest() as ingest:          # DSN: ingest.dsn  (http://key@127.0.0.1:PORT/1)
    ...
    ingest.wait_for(lambda events: ...)  # the decoded event payloads received so far
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

ENVELOPE_PATH = re.compile(r"^/api/(\d+)/envelope/$")
PUBLIC_KEY = "5ec7e7f4ea1e4e0c9d4c7f7b0e2a9d11"


class SentryIngest:
    def __init__(self) -> None:
        self.raw: list[bytes] = []  # every envelope as it arrived, decompressed
        self.events: list[dict[str, Any]] = []  # the payloads of "event" items
        self._lock = threading.Lock()
        ingest = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                if not ENVELOPE_PATH.match(self.path.split("?")[0]):
                    self.send_error(404)
                    return
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                encoding = self.headers.get("Content-Encoding")
                if encoding == "gzip":
                    body = gzip.decompress(body)
                elif encoding == "br":  # sentry-sdk's choice when the brotli module is present
                    import brotli

                    body = brotli.decompress(body)
                ingest._keep(body)
                reply = b'{"id": "0"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.dsn = f"http://{PUBLIC_KEY}@127.0.0.1:{self.port}/1"

    def _keep(self, body: bytes) -> None:
        events = [payload for kind, payload in items(body) if kind == "event"]
        with self._lock:
            self.raw.append(body)
            self.events.extend(events)

    def wait_for(
        self, check: Callable[[list[dict[str, Any]]], bool], timeout: float = 30.0
    ) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                events = list(self.events)
            if check(events):
                return events
            if time.monotonic() > deadline:
                raise AssertionError(f"the fake Sentry ingest got no matching event: {events}")
            time.sleep(0.05)

    def __enter__(self) -> SentryIngest:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.server.shutdown()
        self.server.server_close()


def items(envelope: bytes) -> list[tuple[str, Any]]:
    """(type, payload) of each item: a header line, then item headers each followed by a
    payload of `length` bytes (or one line when no length is given)."""
    found = []
    _, rest = envelope.split(b"\n", 1)
    while rest.strip():
        header_line, rest = rest.split(b"\n", 1)
        header = json.loads(header_line)
        if "length" in header:
            payload, rest = rest[: header["length"]], rest[header["length"] + 1 :]
        else:
            payload, _, rest = rest.partition(b"\n")
        kind = header.get("type", "")
        found.append((kind, json.loads(payload) if kind == "event" else payload))
    return found
