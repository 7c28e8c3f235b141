"""Process logs (core.observability.logs): JSON or text with the bound ids, and no secret or photo
data through any handler."""

from __future__ import annotations

import base64
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.config import Settings
from core.notify import Notice, Notifiers
from core.observability import bound, configure_logging
from core.observability.redact import MASK, Redactor

TELEGRAM = "123456789:AAH" + "x" * 32
DISCORD = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe." + "y" * 38
STRIPE = "sk_live_" + "7" * 24
WEBHOOK = "whsec_" + "Q" * 32
METRICS = "metrics-token-0123456789"
DB_PASSWORD = "pg-pass-5678xyz"
REDIS_PASSWORD = "redis-pass-9876abc"
SENTRY_KEY = "0123456789abcdef0123456789abcdef"
CONFIGURED = [TELEGRAM, DISCORD, STRIPE, WEBHOOK, METRICS, DB_PASSWORD, REDIS_PASSWORD, SENTRY_KEY]
# Not configured anywhere: caught by the patterns.
UNCONFIGURED = ["sk_test_" + "a1" * 12, "rk_live_" + "b2" * 12, "whsec_" + "c3" * 16,
                "987654321:BBH" + "z" * 33, "AKIAABCDEFGHIJKLMNOP", "s3cr3t-in-a-url"]  # fmt: skip
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 4


@pytest.fixture
def secret_settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path, telegram_token=TELEGRAM, discord_token=DISCORD,
        stripe_secret_key=STRIPE, stripe_webhook_secret=WEBHOOK, metrics_token=METRICS,
        public_url="https://pets.example", log_format="json",
        database_url=f"postgresql://petpixel:{DB_PASSWORD}@db:5432/petpixel",
        redis_url=f"redis://:{REDIS_PASSWORD}@redis:6379/0",
        sentry_dsn=f"https://{SENTRY_KEY}@o1.ingest.sentry.io/42",
    )  # fmt: skip


@pytest.fixture
def clean_root() -> Iterator[logging.Logger]:
    """The root logger's handlers and level, put back after the test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


def _leak_everything(log: logging.Logger, settings: Settings) -> None:
    log.error("startup with %s and %s", settings.database_url, settings.redis_url)
    log.warning("telegram %s discord %s", TELEGRAM, DISCORD)
    log.info(f"stripe {STRIPE} webhook {WEBHOOK} sentry {settings.sentry_dsn}")
    log.info("headers: %r", {"Authorization": f"Bearer {METRICS}"})
    log.info("unconfigured: %s", " ".join(UNCONFIGURED[:-1]))
    log.info("a url: https://someone:%s@host/path", UNCONFIGURED[-1])
    log.info("password=%s token: %s", "plainpass123", "tok-abcdef-123")
    log.info("photo bytes %r", PHOTO)
    log.info("photo base64 %s", base64.b64encode(PHOTO).decode())
    log.info("data url data:image/jpeg;base64,%s", base64.b64encode(PHOTO).decode())
    try:
        raise ConnectionError(f"could not reach {settings.database_url} with {STRIPE}")
    except ConnectionError:
        log.exception("it broke")


def test_no_secret_or_photo_reaches_any_handler(
    secret_settings: Settings, clean_root: logging.Logger
) -> None:
    # A library that set up its own handler first (as discord.py's setup_logging does).
    library_stream = io.StringIO()
    library = logging.getLogger("discord.gateway")
    library.addHandler(logging.StreamHandler(library_stream))
    ours = io.StringIO()
    try:
        configure_logging(secret_settings, stream=ours)
        _leak_everything(logging.getLogger("petpixel.test"), secret_settings)
        _leak_everything(library, secret_settings)
    finally:
        library.handlers.clear()
    outputs = {"ours": ours.getvalue(), "library": library_stream.getvalue()}
    for name, text in outputs.items():
        assert "it broke" in text, name
        assert "Traceback" in text, name
        assert text.count(MASK) >= 10, (name, text)
        for secret in [*CONFIGURED, *UNCONFIGURED, "plainpass123", "tok-abcdef-123"]:
            assert secret not in text, (name, secret)
        assert "\\x00\\x01\\x02" not in text  # the photo's bytes
        assert base64.b64encode(PHOTO).decode()[:60] not in text


def test_json_lines_carry_the_bound_ids(tmp_path: Path, clean_root: logging.Logger) -> None:
    stream = io.StringIO()
    configure_logging(Settings(data_dir=tmp_path, log_format="json"), stream=stream)
    log = logging.getLogger("petpixel.test")
    with bound(request_id="req-1", channel="telegram"):
        with bound(order_id="order-9", task_id="task-3"):
            log.warning("inside %s", "both")
        log.info("outer only")
    log.info("none")
    first, second, third = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "inside both"
    assert first["level"] == "WARNING"
    assert first["logger"] == "petpixel.test"
    assert first["time"].endswith("Z")
    assert {k: first[k] for k in ("request_id", "order_id", "task_id", "channel")} == {
        "request_id": "req-1", "order_id": "order-9", "task_id": "task-3", "channel": "telegram"
    }  # fmt: skip
    assert second["request_id"] == "req-1"
    assert "order_id" not in second
    assert set(third) == {"time", "level", "logger", "message"}


def test_text_is_the_default_with_ids_at_the_end(
    tmp_path: Path, clean_root: logging.Logger
) -> None:
    stream = io.StringIO()
    configure_logging(Settings(data_dir=tmp_path), stream=stream)
    with bound(request_id="req-2"):
        logging.getLogger("petpixel.test").warning("hello")
    line = stream.getvalue().strip()
    assert not line.startswith("{")
    assert line.endswith("WARNING petpixel.test: hello [request_id=req-2]")


def test_a_notifier_logs_with_the_order_and_channel(
    tmp_path: Path, clean_root: logging.Logger
) -> None:
    stream = io.StringIO()
    configure_logging(Settings(data_dir=tmp_path, log_format="json"), stream=stream)
    with bound(request_id="req-webhook-7", channel="web"):
        Notifiers().send(Notice(kind="payment_received", channel="web", user_id="u1",
                                order_id="order-5", text="thanks"))  # fmt: skip
    (line,) = [json.loads(x) for x in stream.getvalue().splitlines()]
    assert line["logger"] == "petpixel.notify"
    assert (line["request_id"], line["order_id"], line["channel"]) == (
        "req-webhook-7",
        "order-5",
        "web",
    )


def test_redactor_keeps_ordinary_text() -> None:
    text = "order 5f3a built in 2.5 s; /g/abc123 served; telegram_token_missing: set it"
    assert Redactor(["unrelated-secret"]).redact(text) == text


def test_access_lines_lose_private_order_and_webhook_tokens(
    secret_settings: Settings, clean_root: logging.Logger
) -> None:
    """uvicorn's access log writes request paths: an order page's or webhook's token is a secret.
    The records go straight to our handler, as uvicorn.access's do under `petpixel serve`
    (log_config=None); the loggers' own state (an earlier uvicorn may have set it) plays no part."""
    order_token, hook_token = "Zq3" + "k" * 29, "hook_" + "W" * 27
    ours = io.StringIO()
    handler = configure_logging(secret_settings, stream=ours)
    for client, method, path in [
        ("10.0.0.1:5100", "GET", f"/o/{order_token}"),
        ("10.0.0.1:5101", "POST", f"/telegram/webhook/{hook_token}"),
        ("10.0.0.1:5102", "GET", "/g/abc123/index.html"),
    ]:
        record = logging.getLogger("uvicorn.access").makeRecord(
            "uvicorn.access", logging.INFO, "h11_impl.py", 1, '%s - "%s %s HTTP/1.1" %d',
            (client, method, path, 200), None,
        )  # fmt: skip
        handler.handle(record)
    text = ours.getvalue()
    assert order_token not in text
    assert hook_token not in text
    assert f"/o/{MASK}" in text
    assert f"/telegram/webhook/{MASK}" in text
    assert "/g/abc123/index.html" in text  # public game links stay readable
