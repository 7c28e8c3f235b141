"""uvicorn's HTTP protocol with a deadline for request headers (slow-client protection).

uvicorn closes idle keep-alive connections (`timeout_keep_alive`) but gives a request's headers no
time limit: a client that opens a connection and sends its headers a byte at a time ("slowloris")
holds it open for as long as it likes. Here each connection, and each request after a response on
a kept-alive one, must finish its headers within `timeout_s`, or it is closed. A request whose
headers arrived is never cut off by this (an upload may stream its body for as long as it takes;
the body limit, web/bodylimit.py, bounds its size).

What still needs a reverse proxy in front (nginx, Caddy, a cloud load balancer): a time limit on
slow request *bodies* (nginx `client_body_timeout`), per-address connection caps (`limit_conn`),
and TLS. `petpixel serve` sets what uvicorn supports: this deadline, `timeout_keep_alive`,
`limit_concurrency` (503 past PETPIXEL_MAX_CONNECTIONS) and h11's header size limit.
"""

from __future__ import annotations

import asyncio
from typing import Any


def base_protocol() -> type[Any]:
    """The class uvicorn's "auto" would pick: httptools when installed, else h11."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # httptools is an optional speed-up
        from uvicorn.protocols.http.h11_impl import H11Protocol

        return H11Protocol
    return HttpToolsProtocol


def header_deadline_protocol(timeout_s: float, base: type[Any] | None = None) -> type[Any]:
    """A uvicorn HTTP protocol class (pass as `http=`) closing connections whose request headers
    take longer than `timeout_s`."""
    parent = base or base_protocol()

    class HeaderDeadline(parent):  # type: ignore[misc, valid-type]
        _deadline: asyncio.TimerHandle | None = None
        _waiting_for: object = None

        def connection_made(self, transport: asyncio.Transport) -> None:
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()  # the next request on this connection gets the same time for its headers

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            self._disarm()
            # uvicorn makes a new request cycle once a request's headers are complete.
            self._waiting_for = self.cycle
            self._deadline = self.loop.call_later(timeout_s, self._expire)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _expire(self) -> None:
            self._deadline = None
            if self.cycle is self._waiting_for and not self.transport.is_closing():
                self.transport.close()  # no complete request headers in time

    HeaderDeadline.__name__ = HeaderDeadline.__qualname__ = f"HeaderDeadline{parent.__name__}"
    return HeaderDeadline
