"""Drive the real PTB Application against the fake Bot API, as Telegram users would."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx
import uvicorn
from fastapi import FastAPI

from bots.telegram.runner import RunningBot, running
from core.config import Settings
from tests.fakes.telegram_api import BOT, Call, FakeTelegram
from web.app import create_app

_ids = itertools.count(1)


def bot_settings(settings: Settings, fake: FakeTelegram, **extra: Any) -> Settings:
    """Fast test settings: tiny sprites, quick polling, no flood-control pacing."""
    values: dict[str, Any] = {
        "telegram_token": fake.token,
        "telegram_api_url": fake.api_url,
        "telegram_rate_limiter": False,
        "telegram_poll_interval_s": 0.05,
        "telegram_edit_interval_s": 0.2,
        "preview_sprite_size": 32,
        "progress_interval_s": 0.0,
        "view_flush_interval_s": 0.05,
    }
    return settings.model_copy(update={**values, **extra})


@asynccontextmanager
async def running_bot(
    settings: Settings, runtime: Any, fake: FakeTelegram
) -> AsyncIterator[RunningBot]:
    """The bot as `petpixel serve` runs it (long polling); the long poll is released at the end."""
    fake.resume()
    async with running(settings, runtime) as app:
        try:
            yield app
        finally:
            await fake.release()  # else the updater waits for the poll's timeout to stop


@asynccontextmanager
async def serving_web(settings: Settings, app: FastAPI | None = None) -> AsyncIterator[str]:
    """Serve the real web app (lifespan included) at settings.public_url; yields that URL."""
    url = settings.public_url
    port = urlsplit(url or "").port
    assert url, "base_settings puts public_url on a free local port"
    assert port
    web = app or create_app(settings)
    config = uvicorn.Config(web, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:  # uvicorn offers no event for "listening"
        if serving.done():
            await serving  # raises what stopped it
            raise AssertionError("the web app stopped before it started listening")
        await asyncio.sleep(0.01)
    try:
        yield url
    finally:
        server.should_exit = True
        await serving


def web_client() -> httpx.AsyncClient:
    """An HTTP client for the served web app. It asks for `Connection: close`: a server told to
    stop otherwise waits out the idle keep-alive connection (seconds per test)."""
    return httpx.AsyncClient(timeout=30, headers={"Connection": "close"})


class User:
    """One Telegram user in a private chat with the bot (or, with `group`, in that group)."""

    def __init__(
        self, fake: FakeTelegram, uid: int, name: str = "Ann", *, group: int | None = None
    ) -> None:
        self.fake, self.id, self.name, self.group = fake, uid, name, group
        self.person = {"id": uid, "is_bot": False, "first_name": name}

    def _message(self, **fields: Any) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.name}
        if self.group is not None:
            chat = {"id": self.group, "type": "supergroup", "title": f"Group {self.group}"}
        return {
            "message_id": next(_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self.person,
            **fields,
        }

    def send(self, **fields: Any) -> int:
        return self.fake.push({"message": self._message(**fields)})

    def text(self, text: str) -> int:
        if text.startswith("/"):
            command = text.split()[0]
            entity = {"type": "bot_command", "offset": 0, "length": len(command)}
            return self.send(text=text, entities=[entity])
        return self.send(text=text)

    def photo(self, data: bytes, **fields: Any) -> int:
        file_id, unique = self.fake.add_file(data)
        size = {
            "file_id": file_id,
            "file_unique_id": unique,
            "width": 640,
            "height": 480,
            "file_size": fields.pop("file_size", len(data)),
        }
        return self.send(photo=[size], **fields)

    def document(self, data: bytes, mime: str, name: str = "pet.png") -> int:
        file_id, unique = self.fake.add_file(data)
        doc = {
            "file_id": file_id,
            "file_unique_id": unique,
            "mime_type": mime,
            "file_name": name,
            "file_size": len(data),
        }
        return self.send(document=doc)

    def click(self, data: str) -> int:
        """Press the newest button with this callback data in our chat."""
        message = self.fake.latest_with_button(self.id, data)
        query = {
            "id": str(next(_ids)),
            "from": self.person,
            "chat_instance": "ci",
            "data": data,
            "message": message,
        }
        return self.fake.push({"callback_query": query})

    def press_old(self, data: str, message: dict[str, Any]) -> int:
        """Press a button on `message` that it may no longer show (a double tap, an old client,
        a keyboard from an earlier order)."""
        query = {
            "id": str(next(_ids)),
            "from": self.person,
            "chat_instance": "ci",
            "data": data,
            "message": message,
        }
        return self.fake.push({"callback_query": query})

    def play(self, message: dict[str, Any] | None = None, *, inline_message_id: str = "",
             chat_instance: str = "") -> int:  # fmt: skip
        """Press Play on a game message: one in a chat, or one shared with inline mode."""
        query: dict[str, Any] = {"id": str(next(_ids)), "from": self.person,
                                 "chat_instance": chat_instance or f"ci{self.group or self.id}",
                                 "game_short_name": "petpixel"}  # fmt: skip
        if message is not None:
            query["message"] = message
        else:
            query["inline_message_id"] = inline_message_id
        return self.fake.push({"callback_query": query})

    def inline(self, text: str = "") -> int:
        """Type `@bot text` in some chat (an inline query)."""
        query = {"id": str(next(_ids)), "from": self.person, "query": text, "offset": ""}
        return self.fake.push({"inline_query": query})

    def choose(self, result_id: str, inline_message_id: str) -> int:
        """Pick one of the inline results: Telegram posts it and reports the choice."""
        chosen = {"result_id": result_id, "from": self.person, "query": "",
                  "inline_message_id": inline_message_id}  # fmt: skip
        return self.fake.push({"chosen_inline_result": chosen})

    async def link(self, update_id: int) -> str:
        """The URL the bot answered a Play press (update `update_id`) with."""
        await self.fake.delivered(update_id)
        query = next(u["callback_query"]["id"] for u in self.fake.sent_updates
                     if u["update_id"] == update_id)  # fmt: skip
        answers = await self.fake.wait_for(
            "answerCallbackQuery", where=lambda c: c.params.get("callback_query_id") == query
        )
        return str(answers[0].params.get("url") or answers[0].params.get("text"))

    def message_saying(self, contains: str) -> dict[str, Any]:
        """The newest bot message in our chat whose text or caption contains `contains`."""
        for (chat, _mid), message in reversed(list(self.fake.messages.items())):
            if chat == self.id and contains in str(message.get("text") or message.get("caption")):
                return dict(message)
        raise AssertionError(f"no message saying {contains!r}: {self.fake.texts(self.id)}")

    async def toasts(self, contains: str, *, count: int = 1) -> None:
        """Wait for `count` button answers (toasts) to us containing `contains`."""

        def toast(call: Call) -> bool:
            return contains in str(call.params.get("text", ""))

        await self.fake.wait_for("answerCallbackQuery", where=toast, count=count)

    def pre_checkout(self, payload: str, amount: int, currency: str = "XTR") -> int:
        query = {
            "id": f"pcq{next(_ids)}",
            "from": self.person,
            "currency": currency,
            "total_amount": amount,
            "invoice_payload": payload,
        }
        return self.fake.push({"pre_checkout_query": query})

    def paid(self, payload: str, amount: int, charge: str) -> int:
        payment = {
            "currency": "XTR",
            "total_amount": amount,
            "invoice_payload": payload,
            "telegram_payment_charge_id": charge,
            "provider_payment_charge_id": "",
        }
        return self.send(successful_payment=payment)

    async def says(self, contains: str, *, count: int = 1, within: float = 60.0) -> list[Call]:
        """Wait for bot messages to us (sent or edited text/caption) containing `contains`."""

        def match(call: Call) -> bool:
            text = str(call.params.get("text") or call.params.get("caption") or "")
            return str(call.params.get("chat_id")) == str(self.id) and contains in text

        deadline = time.monotonic() + within
        while True:
            found = [c for c in self.fake.calls if match(c)]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"bot never said {contains!r}; said {self.fake.texts(self.id)}"
                )
            await asyncio.sleep(0.02)


__all__ = ["BOT", "User", "bot_settings", "running_bot", "serving_web", "web_client"]
