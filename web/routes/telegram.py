"""Telegram webhook: verify the secret path and header, then hand the update to the bot.

A bot running inside this web process (`petpixel serve` or `petpixel bot telegram` in webhook
mode) is `app.state.telegram`, anything with an async `feed(update)`; without one this route
answers 404.
"""

from __future__ import annotations

import hmac
import json
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Header, HTTPException, Request, Response

from core.telegram_webhook import PREFIX, path_token

router = APIRouter()


class UpdateFeed(Protocol):
    async def feed(self, update: dict[str, Any]) -> None:
        """Queue one decoded Telegram update for the bot."""


@router.post(PREFIX + "{token}", include_in_schema=False)
async def telegram_webhook(
    token: str,
    request: Request,
    secret: Annotated[str | None, Header(alias="X-Telegram-Bot-Api-Secret-Token")] = None,
) -> Response:
    """Queue one update for the bot; Telegram only needs a quick 200."""
    bot: UpdateFeed | None = getattr(request.app.state, "telegram", None)
    expected = request.app.state.settings.telegram_webhook_secret
    if bot is None or not expected:
        raise HTTPException(404, "Not found")
    if not hmac.compare_digest(token, path_token(expected)):
        raise HTTPException(404, "Not found")
    if not hmac.compare_digest((secret or "").encode(), expected.encode()):
        raise HTTPException(403, "Wrong secret token")
    try:
        update = json.loads(await request.body())
    except ValueError:
        raise HTTPException(400, "The update is not JSON.") from None
    if not isinstance(update, dict):
        raise HTTPException(400, "An update is a JSON object.")
    await bot.feed(update)
    return Response(status_code=200)
