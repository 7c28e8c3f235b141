"""The composition root: one engine and one storage per embedded process, every service built
over them, and the same start-up error for the same misconfigured checkout on every channel."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from cli.main import app as cli
from core.config import Settings
from core.db import Database
from core.errors import InvalidRequest
from core.orders.lifecycle import OrderStatus
from core.storage import LocalStorage
from runtime import enabled_channels, open_runtime, worker_app
from tests.orders.fixtures import wait_for
from tests.web.conftest import LiveServer
from web.app import create_app
from workers.context import context


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many database engines and storages this process builds while the test runs."""
    counts = {"database": 0, "storage": 0}
    for key, cls in (("database", Database), ("storage", LocalStorage)):
        original = cls.__init__

        def counting(self: Any, *args: Any, _key: str = key, _orig: Any = original,
                     **kwargs: Any) -> None:  # fmt: skip
            counts[_key] += 1
            _orig(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", counting)
    return counts


def test_an_embedded_web_process_has_one_engine_and_one_storage(
    order_settings: Settings, cat_jpeg: bytes, built: dict[str, int]
) -> None:
    """The web app, its worker thread and every service share one engine and one storage,
    through a whole order: upload, preview, free checkout, build, play page."""
    app = create_app(order_settings)
    with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        files = {"photo": ("cat.jpg", cat_jpeg, "image/jpeg")}
        upload = http.post("/api/images/upload", files=files, data={"pet_name": "Chelsea"})
        assert upload.status_code == 201, upload.text
        token = upload.json()["image_id"]  # the order's private token names it in the API
        choices = {"image_id": token, "style": "16bit", "pet_name": "Chelsea", "theme": "park"}
        generate = http.post("/api/pixel-art/generate", json=choices)
        assert generate.status_code == 202, generate.text
        rt = app.state.resources.runtime
        svc = rt.orders
        order_id = svc.order_by_token(token=token).id
        wait_for(lambda: svc.status(order_id=order_id).status != OrderStatus.DRAFT,
                 what="preview")  # fmt: skip
        bought = http.post("/api/games/create", json={"image_id": token, "package": "classic"})
        assert bought.status_code == 202, bought.text
        wait_for(lambda: svc.status(order_id=order_id).status in {"ready", "failed"},
                 what="game")  # fmt: skip
        done = svc.status(order_id=order_id)
        assert done.status == OrderStatus.READY, done.error_message
        assert done.links.game_code is not None
        assert http.get(f"/g/{done.links.game_code}").status_code == 200
        worker = context(rt.celery)
        assert worker.db is rt.db
        assert worker.storage is rt.storage
        assert worker.builds.db is rt.db
        assert all(s.db is rt.db and s.storage is rt.storage for s in rt.checkouts.values())
        assert app.state.resources.service is rt.orders
    assert built == {"database": 1, "storage": 1}


def test_services_follow_the_channels_that_are_served(order_settings: Settings) -> None:
    chat = order_settings.model_copy(
        update={"telegram_token": "1:abc", "discord_token": "d", "discord_checkout": "free"}
    )
    assert enabled_channels(order_settings) == ("web",)
    assert enabled_channels(chat) == ("web", "telegram", "discord")
    with open_runtime(chat, role="cli") as rt:
        assert set(rt.checkouts) == {"web", "telegram", "discord"}
        assert set(rt.notifiers._by_channel) == {"web", "telegram", "discord"}
        assert rt.fulfilment is None  # no Stripe key
        assert rt.checkout("telegram") is rt.checkouts["telegram"]


MISCONFIGURED = [
    ({"telegram_token": "1:abc", "telegram_checkout": "stripe"}, ["bot", "telegram"]),
    ({"discord_token": "d", "discord_checkout": "stripe"}, ["bot", "discord"]),
    ({"payments_backend": "stripe"}, ["serve"]),
]


@pytest.mark.parametrize(("update", "command"), MISCONFIGURED)
def test_a_misconfigured_checkout_stops_every_process_with_the_same_error(
    order_settings: Settings, update: dict[str, str], command: list[str]
) -> None:
    """Stripe asked for, no Stripe key: the same code and message from the runtime, the worker
    and the command line, whichever channel asked for it."""
    settings = order_settings.model_copy(update=update)
    with pytest.raises(InvalidRequest) as opened, open_runtime(settings, role="cli"):
        pass
    with pytest.raises(InvalidRequest) as worker:
        worker_app(settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"}))
    assert opened.value.code == worker.value.code == "payments_unavailable"
    assert opened.value.message == worker.value.message
    assert "PETPIXEL_STRIPE_SECRET_KEY" in opened.value.message

    env = {f"PETPIXEL_{k.upper()}": v for k, v in update.items()}
    env |= {"PETPIXEL_DATA_DIR": str(settings.data_dir), "PETPIXEL_STRIPE_SECRET_KEY": ""}
    result = CliRunner().invoke(cli, command, env=env)
    assert result.exit_code == 2, result.output
    assert f"error: payments_unavailable: {opened.value.message}" in result.output
