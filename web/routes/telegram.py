"""Telegram webhook: verify the secret path and header, then hand the update to the bot.

The bot Application is attached as `app.state.telegram` by `petpixel bot telegram` in webhook mode
(bots/telegram/runner.py); without it this route answers 404.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Request, Response
from telegram import Update

from bots.telegram.runner import webhook_path_token

router = APIRouter()


@router.post("/telegram/webhook/{path_token}", include_in_schema=False)
async def telegram_webhook(
    path_token: str,
    request: Request,
    secret: Annotated[str | None, Header(alias="X-Telegram-Bot-Api-Secret-Token")] = None,
) -> Response:
    """Queue one update for the bot; Telegram only needs a quick 200."""
    bot_app = getattr(request.app.state, "telegram", None)
    expected = request.app.state.settings.telegram_webhook_secret
    if bot_app is None or not expected:
        raise HTTPException(404, "Not found")
    if not hmac.compare_digest(path_token, webhook_path_token(expected)):
        raise HTTPException(404, "Not found")
    if not hmac.compare_digest((secret or "").encode(), expected.encode()):
        raise HTTPException(403, "Wrong secret token")
    await bot_app.update_queue.put(Update.de_json(await request.json(), bot_app.bot))
    return Response(status_code=200)
