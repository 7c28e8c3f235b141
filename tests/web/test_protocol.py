"""Slow clients: connections whose request headers do not arrive in time are closed, on both of
uvicorn's HTTP parsers; a request whose headers arrived is never cut off."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest

from cli.serve import server_options
from core.config import Settings
from tests.web.conftest import LiveServer
from web.app import create_app
from web.protocol import header_deadline_protocol

DEADLINE_S = 0.5


def _parsers() -> list[Any]:
    from uvicorn.protocols.http.h11_impl import H11Protocol

    found = [pytest.param(H11Protocol, id="h11")]
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # httptools is optional; uvicorn then runs h11
        return found
    return [*found, pytest.param(HttpToolsProtocol, id="httptools")]


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    """True once the server closed the connection (EOF or reset) within `seconds`."""
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True
    return True


@pytest.fixture(params=_parsers())
def server(request: pytest.FixtureRequest, settings: Settings) -> Any:
    protocol = header_deadline_protocol(DEADLINE_S, base=request.param)
    app = create_app(settings.model_copy(update={"rate_limit_burst": 10_000}))
    # A long keep-alive: only the header deadline can be what closes an idle connection here.
    with LiveServer(app, lifespan=False, http=protocol, timeout_keep_alive=60) as live:
        yield live


def test_connections_that_never_finish_their_headers_are_closed(server: LiveServer) -> None:
    slow = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(20)]
    try:
        for sock in slow:
            sock.sendall(b"GET /api/x HTTP/1.1\r\nHost: t\r\nX-Slow: ")  # ...and never the rest
        started = time.monotonic()
        assert all(_closed_within(sock, 5 * DEADLINE_S + 5) for sock in slow)
        assert time.monotonic() - started < 5 * DEADLINE_S + 5
    finally:
        for sock in slow:
            sock.close()


def test_a_kept_alive_connection_gets_the_same_deadline_for_its_next_request(
    server: LiveServer,
) -> None:
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"GET /api/x HTTP/1.1\r\nHost: t\r\n\r\n")
        sock.settimeout(5)
        assert sock.recv(4096).startswith(b"HTTP/1.1 404")
        sock.sendall(b"GET /api/x HTTP/1.1\r\nHost: t\r\n")  # the blank line never comes
        assert _closed_within(sock, 5 * DEADLINE_S + 5)


def test_headers_in_time_then_a_slow_body_is_answered(server: LiveServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(b"POST /api/x HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n{")
        time.sleep(3 * DEADLINE_S)  # past the header deadline: the body may take its time
        sock.sendall(b"}")
        sock.settimeout(5)
        assert sock.recv(4096).startswith(b"HTTP/1.1 ")


def test_serve_sets_the_connection_limits(settings: Settings) -> None:
    tuned = settings.model_copy(
        update={"header_timeout_s": 7.0, "keep_alive_timeout_s": 3, "max_connections": 100}
    )
    options = server_options(tuned)
    assert options["timeout_keep_alive"] == 3
    assert options["limit_concurrency"] == 100
    assert options["http"].__name__.startswith("HeaderDeadline")
    assert options["proxy_headers"] is False
