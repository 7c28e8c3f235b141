"""Where Telegram delivers updates in webhook mode: one rule for the bot (which tells Telegram the
URL) and the web route (which checks it). The path ends in a token derived from
PETPIXEL_TELEGRAM_WEBHOOK_SECRET, and Telegram sends the secret itself in a header."""

from __future__ import annotations

import hashlib

from core.config import Settings
from core.errors import InvalidRequest

PREFIX = "/telegram/webhook/"


def path_token(secret: str) -> str:
    """The unguessable last part of the webhook path, derived from the shared secret."""
    return hashlib.sha256(f"petpixel-telegram-path:{secret}".encode()).hexdigest()[:32]


def webhook_url(settings: Settings) -> str:
    """The full webhook URL; a clear error when webhook mode is half set up."""
    if not settings.telegram_webhook_url or not settings.telegram_webhook_secret:
        raise InvalidRequest(
            "Webhook mode needs PETPIXEL_TELEGRAM_WEBHOOK_URL and "
            "PETPIXEL_TELEGRAM_WEBHOOK_SECRET.",
            code="telegram_webhook",
        )
    base = settings.telegram_webhook_url.rstrip("/")
    return f"{base}{PREFIX}{path_token(settings.telegram_webhook_secret)}"
