"""Running the bot: long polling (default), or webhook mode inside the web app.

In webhook mode the web app's route POST /telegram/webhook/<path token> (web/routes/telegram.py)
feeds updates in; Telegram's X-Telegram-Bot-Api-Secret-Token header must equal
PETPIXEL_TELEGRAM_WEBHOOK_SECRET. `running` is what `petpixel serve` and `petpixel bot telegram`
start beside the web app, over the web app's runtime.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from telegram import Update

from bots.telegram.app import App, build_application, on_start
from bots.telegram.watch import stop_watchers
from core.config import Settings
from core.telegram_webhook import webhook_url
from runtime import Runtime


@dataclass
class RunningBot:
    """A started bot; `feed` hands it one update that arrived at the webhook route."""

    app: App

    async def feed(self, update: dict[str, Any]) -> None:
        await self.app.update_queue.put(Update.de_json(update, self.app.bot))


def run_polling(settings: Settings, runtime: Runtime) -> None:
    """Long-poll Telegram until Ctrl+C."""
    app = build_application(settings, runtime)
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)


@asynccontextmanager
async def running(settings: Settings, runtime: Runtime) -> AsyncIterator[RunningBot]:
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
            yield RunningBot(app)
        finally:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            await stop_watchers(app)
            await app.stop()
