"""Request ids: the web answers one in X-Request-ID (the client's when valid) and logs with it,
even for an unhandled error; a Celery task sent under one runs with it on a real worker."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.config import Settings
from core.observability import bound, configure_logging, current
from tests.orders.fixtures import wait_for
from web.app import create_app
from workers.celery_app import create_celery
from workers.embedded import EmbeddedWorker
from workers.tracing import trace_tasks

HEX32 = r"[0-9a-f]{32}"


@pytest.fixture
def log_lines(tmp_path: Path) -> Iterator[io.StringIO]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    configure_logging(Settings(data_dir=tmp_path, log_format="json"), stream=stream)
    yield stream
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    app = create_app(Settings(data_dir=tmp_path))
    log = logging.getLogger("petpixel.test")

    @app.get("/test/log")
    def logs() -> dict[str, str]:
        log.warning("inside the route")
        return current()

    @app.get("/test/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    return TestClient(app, raise_server_exceptions=False)  # no lifespan: routes touch nothing


def test_a_valid_incoming_id_is_kept_and_answered(client: TestClient) -> None:
    reply = client.get("/test/log", headers={"X-Request-ID": "edge-7f3a.42:abc"})
    assert reply.headers["x-request-id"] == "edge-7f3a.42:abc"
    assert reply.json() == {"request_id": "edge-7f3a.42:abc", "channel": "web"}


@pytest.mark.parametrize("sent", ["", "has spaces", "x" * 129, 'quote"s', "-leading-dash"])
def test_an_invalid_or_missing_id_is_replaced(client: TestClient, sent: str) -> None:
    reply = client.get("/health/live", headers={"X-Request-ID": sent} if sent else {})
    assert reply.status_code == 200
    assert reply.headers["x-request-id"] != sent
    assert re.fullmatch(HEX32, reply.headers["x-request-id"])


def test_each_request_gets_its_own_id(client: TestClient) -> None:
    ids = {client.get("/health/live").headers["x-request-id"] for _ in range(3)}
    assert len(ids) == 3
    assert current() == {}  # nothing leaks into the caller's context


def test_log_lines_of_a_request_and_its_unhandled_error_carry_the_id(
    client: TestClient, log_lines: io.StringIO
) -> None:
    client.get("/test/log", headers={"X-Request-ID": "req-ok-1"})
    reply = client.get("/test/boom", headers={"X-Request-ID": "req-boom-2"})
    assert reply.status_code == 500
    assert reply.headers["x-request-id"] == "req-boom-2"
    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    inside = next(line for line in lines if line["message"] == "inside the route")
    assert (inside["request_id"], inside["channel"]) == ("req-ok-1", "web")
    error = next(line for line in lines if line["message"].startswith("unhandled error"))
    assert error["request_id"] == "req-boom-2"
    assert "RuntimeError: boom" in error["exc_info"]


def test_a_task_runs_with_its_senders_ids_on_a_real_worker(tmp_path: Path) -> None:
    """In-memory broker, real JSON messages and a real worker thread (as `petpixel serve`)."""
    trace_tasks()
    app = create_celery(Settings(data_dir=tmp_path))
    seen: list[dict[str, str]] = []

    @app.task(name="test.observe_ids", shared=False)  # type: ignore[untyped-decorator]
    def observe_ids() -> None:
        seen.append(current())

    with EmbeddedWorker(app):
        with bound(request_id="req-tg-5", channel="telegram"):
            sent = app.send_task("test.observe_ids", queue="petpixel")
        app.send_task("test.observe_ids", queue="petpixel")  # sent with no ids bound
        wait_for(lambda: len(seen) == 2, timeout=20, what="the tasks to run")
    first, second = seen
    assert first == {"request_id": "req-tg-5", "channel": "telegram", "task_id": sent.id}
    assert set(second) == {"task_id"}
