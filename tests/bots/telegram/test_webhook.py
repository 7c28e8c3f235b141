"""Webhook mode: Telegram posts updates to the web app's secret path; the bot answers them."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import uvicorn

from cli.common import bot_companions
from core.config import Settings
from core.telegram_webhook import path_token, webhook_url
from tests.bots.telegram.harness import web_client
from tests.conftest import free_port
from tests.fakes.telegram_api import FakeTelegram
from web.app import create_app

SECRET = "s3cret-token_value"


def _update(uid: int, text: str) -> dict[str, Any]:
    entity = {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
    person = {"id": uid, "is_bot": False, "first_name": "Web"}
    message = {"message_id": 1, "date": int(time.time()), "text": text, "entities": [entity],
               "chat": {"id": uid, "type": "private"}, "from": person}  # fmt: skip
    return {"update_id": 9001, "message": message}


def test_webhook_route_feeds_the_bot(play: Any) -> None:
    """`petpixel bot telegram` in webhook mode: one web app, its runtime, the bot inside it."""

    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        port = free_port()
        settings = settings.model_copy(update={
            "telegram_webhook_url": f"http://127.0.0.1:{port}", "telegram_webhook_secret": SECRET,
        })  # fmt: skip
        web = create_app(settings, companions=bot_companions(settings, only="telegram"))
        config = uvicorn.Config(web, host="127.0.0.1", port=port, log_level="warning")
        server = uvicorn.Server(config)
        serving = asyncio.create_task(server.serve())
        for _ in range(1000):  # uvicorn offers no event for "listening"
            if server.started:
                break
            await asyncio.sleep(0.01)
        try:
            await _post_updates(fake, settings, port)
        finally:
            server.should_exit = True
            await serving
        (registered,) = fake.called("setWebhook")
        assert registered.params["url"] == webhook_url(settings)
        assert registered.params["secret_token"] == SECRET

    play(scenario)


async def _post_updates(fake: FakeTelegram, settings: Settings, port: int) -> None:
    url = webhook_url(settings)
    assert url == f"http://127.0.0.1:{port}/telegram/webhook/{path_token(SECRET)}"
    header = "X-Telegram-Bot-Api-Secret-Token"
    async with web_client() as client:
        wrong_secret = await client.post(url, json=_update(401, "/start"), headers={header: "no"})
        assert wrong_secret.status_code == 403
        no_secret = await client.post(url, json=_update(401, "/start"))
        assert no_secret.status_code == 403
        wrong_path = await client.post(url + "x", json=_update(401, "/start"),
                                       headers={header: SECRET})  # fmt: skip
        assert wrong_path.status_code == 404
        not_json = await client.post(url, content=b"{oops", headers={header: SECRET})
        assert not_json.status_code == 400
        not_an_object = await client.post(url, json=[1, 2], headers={header: SECRET})
        assert not_an_object.status_code == 400
        ok = await client.post(url, json=_update(402, "/start"), headers={header: SECRET})
        assert ok.status_code == 200
    await fake.wait_for("sendMessage", chat_id=402, where=lambda c: "PetPixel" in c.params["text"])
    assert fake.called("sendMessage", 401) == []  # refused updates never reach the bot
