"""Running the bot: long polling (default) or webhook mode behind the web app.

Webhook mode serves the whole web app plus POST /telegram/webhook/<path token>; Telegram's
X-Telegram-Bot-Api-Secret-Token header must equal PETPIXEL_TELEGRAM_WEBHOOK_SECRET.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from telegram import Update

from bots.conversation import run_inside_web as shared_run_inside_web
from bots.telegram.app import App, build_application, on_start
from bots.telegram.watch import stop_watchers
from core.config import Settings
from core.errors import InvalidRequest

if TYPE_CHECKING:
    from fastapi import FastAPI

WEBHOOK_PREFIX = "/telegram/webhook/"


def webhook_path_token(secret: str) -> str:
    """The unguessable last part of the webhook path, derived from the shared secret."""
    return hashlib.sha256(f"petpixel-telegram-path:{secret}".encode()).hexdigest()[:32]


def webhook_url(settings: Settings) -> str:
    if not settings.telegram_webhook_url or not settings.telegram_webhook_secret:
        raise InvalidRequest(
            "Webhook mode needs PETPIXEL_TELEGRAM_WEBHOOK_URL and "
            "PETPIXEL_TELEGRAM_WEBHOOK_SECRET.",
            code="telegram_webhook",
        )
    base = settings.telegram_webhook_url.rstrip("/")
    return f"{base}{WEBHOOK_PREFIX}{webhook_path_token(settings.telegram_webhook_secret)}"


def run_polling(settings: Settings, runtime: Any) -> None:
    """Long-poll Telegram until Ctrl+C."""
    app = build_application(settings, runtime)
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)


@asynccontextmanager
async def running(settings: Settings, runtime: Any) -> AsyncIterator[App]:
    """Run the bot inside the current event loop until the block ends: webhook mode (Telegram
    is told the URL and the secret-token header) when PETPIXEL_TELEGRAM_WEBHOOK_URL is set, with
    updates fed in through the web app's route; long polling otherwise."""
    url = webhook_url(settings) if settings.telegram_webhook_url else None
    app = build_application(settings, runtime, webhook=url is not None)
    async with app:
        await on_start(app)
        if url is not None:
            await app.bot.set_webhook(
                url, secret_token=settings.telegram_webhook_secret, allowed_updates=Update.ALL_TYPES
            )
        elif app.updater is not None:
            await app.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        await app.start()
        try:
            yield app
        finally:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            await stop_watchers(app)
            await app.stop()


@asynccontextmanager
async def webhook_app(settings: Settings, runtime: Any) -> AsyncIterator[FastAPI]:
    """The web app with a started bot behind its webhook route (webhook settings required)."""
    from web.app import create_app

    webhook_url(settings)  # a clear error before anything starts
    async with running(settings, runtime) as bot_app:
        web = create_app(settings)
        web.state.telegram = bot_app
        yield web


def run_inside_web(web: FastAPI, settings: Settings) -> None:
    """`petpixel serve` with a token: the bot runs with the web app, sharing its runtime; in
    webhook mode the web app's route feeds it (`web.state.telegram`)."""
    shared_run_inside_web(web, settings, running, "telegram")


async def serve_webhook(settings: Settings, runtime: Any, *, host: str, port: int) -> None:
    """Run the web app with the webhook route fed into the bot, until the server stops."""
    import uvicorn

    async with webhook_app(settings, runtime) as web:
        await uvicorn.Server(uvicorn.Config(web, host=host, port=port)).serve()
