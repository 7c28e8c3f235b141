"""Payment fixtures: the Stripe fake over HTTP, an app served by uvicorn, signed webhook posts."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from core.config import Settings
from core.notify import Notice
from tests.fakes.stripe_api import FakeStripe, sign
from tests.orders.fixtures import db, db_url, storage
from tests.web.conftest import LiveServer
from web.app import create_app
from web.resources import Resources

__all__ = ["db", "db_url", "storage"]
WEBHOOK_SECRET = "whsec_test_secret"
CHANNELS = ("web", "telegram", "discord")


class RecordingNotifier:
    """A Notifier that keeps what it was asked to deliver (every channel shares it)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent: list[Notice] = []

    def notify(self, notice: Notice) -> None:
        with self.lock:
            self.sent.append(notice)

    def kinds(self, order_id: str) -> list[str]:
        with self.lock:
            return [n.kind for n in self.sent if n.order_id == order_id]


def stripe_settings(root: Path, fake: FakeStripe, **overrides: object) -> Settings:
    """Stripe pointed at the fake, small sprites, quick retries, limits off for one client IP."""
    values: dict[str, object] = {
        "data_dir": root / "data", "models_dir": root / "models",
        "public_url": "http://petpixel.test", "preview_sprite_size": 32,
        "progress_interval_s": 0.0, "task_max_retries": 1, "task_retry_backoff_s": 1,
        "stripe_secret_key": fake.api_key, "stripe_webhook_secret": WEBHOOK_SECRET,
        "stripe_api_base": fake.url, "stripe_max_network_retries": 0,
        "rate_limit_burst": 10_000, "upload_rate_limit_burst": 1_000,
        "build_steps": "tests.payments.steps:steps",
    }  # fmt: skip
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def fake_stripe() -> Iterator[FakeStripe]:
    with FakeStripe() as fake:
        yield fake


@pytest.fixture(scope="module")
def pay_settings(tmp_path_factory: pytest.TempPathFactory, fake_stripe: FakeStripe) -> Settings:
    return stripe_settings(tmp_path_factory.mktemp("pay"), fake_stripe)


@pytest.fixture(scope="module")
def notices() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture(scope="module")
def app(pay_settings: Settings, notices: RecordingNotifier) -> FastAPI:
    """The real app (its notifiers are replaced by a recording one once it runs: `server`)."""
    return create_app(pay_settings)


@pytest.fixture(scope="module")
def server(app: FastAPI, notices: RecordingNotifier) -> Iterator[LiveServer]:
    """The app on uvicorn over real HTTP (its lifespan runs the embedded worker), with a
    recording notifier on every channel of its runtime."""
    with LiveServer(app) as live:
        for channel in CHANNELS:
            app.state.resources.runtime.notifiers.register(channel, notices)
        yield live


@pytest.fixture(scope="module")
def http(server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30, follow_redirects=False) as client:
        yield client


@pytest.fixture(scope="module")
def resources(app: FastAPI, server: LiveServer) -> Resources:
    found: Resources = app.state.resources
    return found


def post_event(http: httpx.Client, body: bytes, **sign_args: object) -> httpx.Response:
    """Deliver a webhook as Stripe does: the raw body, signed with the endpoint's secret."""
    headers = sign(body, WEBHOOK_SECRET, **sign_args)  # type: ignore[arg-type]
    return http.post("/webhooks/stripe", content=body, headers=headers)
