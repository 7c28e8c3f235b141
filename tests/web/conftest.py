"""Web fixtures: apps built from each test's own Settings, a TestClient, a live uvicorn server."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from core.config import Settings
from tests.conftest import free_port
from web.app import create_app

POLL_S = 0.1
# Test clients talk from loopback, as a browser on the machine running `petpixel serve` would
# (/metrics answers loopback peers when no token is set).
LOCAL = ("127.0.0.1", 50000)


@pytest.fixture(scope="module")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """One data dir per test module; limits raised because every test shares one client IP (and
    the upload budget of everyone together is this module's alone)."""
    root = tmp_path_factory.mktemp("web")
    return Settings(
        data_dir=root / "data",
        models_dir=root / "models",
        rate_limit_burst=10_000,
        upload_rate_limit_burst=1_000,
        global_upload_burst=1_000,
    )


@pytest.fixture(scope="module")
def client(web_settings: Settings) -> Iterator[TestClient]:
    """A client of a running app (lifespan opened: database, storage, in-process worker).

    Shared by a module's tests because opening and closing the runtime takes seconds.
    """
    app = create_app(web_settings)
    with TestClient(app, raise_server_exceptions=False, client=LOCAL) as test_client:
        yield test_client


def web_client(settings: Settings, **overrides: object) -> TestClient:
    """A client of an app with some settings changed, lifespan NOT started: for middleware tests.

    Middleware answers (413, 429, CORS, headers) come before any route touches a resource.
    """
    changed = settings.model_copy(update=overrides)
    return TestClient(create_app(changed), raise_server_exceptions=False, client=LOCAL)


def wait_for(
    fetch: Callable[[], dict[str, Any]], done: Callable[[dict[str, Any]], bool], timeout: float = 60
) -> dict[str, Any]:
    """Poll a JSON status until done(body) (or a failure, which is reported with its reason)."""
    deadline = time.monotonic() + timeout
    while True:
        body = fetch()
        if done(body):
            return body
        assert body.get("status") != "failed", f"order failed: {body}"
        assert time.monotonic() < deadline, f"timed out waiting; last status {body}"
        time.sleep(POLL_S)


class LiveServer:
    """uvicorn serving an app on 127.0.0.1 in a thread, for the browser and the benchmark."""

    def __init__(
        self, app: FastAPI, port: int | None = None, *, lifespan: bool = True, **options: Any
    ) -> None:
        import uvicorn

        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on" if lifespan else "off",
            **options,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert self.thread.is_alive(), "uvicorn failed to start"
            assert time.monotonic() < deadline, "uvicorn did not start in 30 s"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
