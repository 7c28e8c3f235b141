"""Payment notices for Telegram buyers, sent from any process (web, worker) over plain HTTP.

The bot's own conversation runs in `petpixel bot telegram` (or inside `petpixel serve`), but a
Stripe payment lands in the web process (webhook) and a build ends in a worker. Those processes
have no PTB `Application`, so `TelegramNotifier` posts one `sendMessage` to the Bot API with httpx
(the same base URL as PTB's `base_url`: `PETPIXEL_TELEGRAM_API_URL`, else api.telegram.org).

Who says what (one owner per message, see core.notify.notices):
- this notifier: payment received, payment failed, checkout expired, payment held for review,
  build failed and refunded (the Stripe refund happens in core.payments.stripe_fulfilment, so the
  apology does too);
- the bot's build watcher (bots/telegram/watch.py): the game-ready message (with the preview GIF
  and a share button, closing the progress message it has been editing), so this notifier skips
  `game_ready`. The watcher also states why a build failed; the refund notice comes from here.
"""

from __future__ import annotations

import html
from typing import Any

import httpx

from core.notify.chat import ChatNotifier, IdentityLookup
from core.notify.notices import Notice

DEFAULT_API_URL = "https://api.telegram.org/bot"
PROVIDER = "telegram"  # the identity provider whose external id is the Telegram user id
BUTTON_LABELS = {"game_ready": "🎮 Play", "payment_review": "📄 Order status"}
DEFAULT_BUTTON = "🔗 Open"


class TelegramNotifier(ChatNotifier):
    """Sends a `Notice` as one Bot API message to the buyer's private chat; never raises.

    In a private chat the chat id equals the Telegram user id, which the bot stored as the
    user's `telegram` identity on first contact. Safe to call from several threads at once.
    """

    provider = PROVIDER

    def __init__(
        self,
        *,
        token: str,
        orders: IdentityLookup,
        api_url: str | None = None,
        timeout_s: float = 5.0,
    ) -> None:
        super().__init__(orders=orders, timeout_s=timeout_s)
        self.endpoint = f"{(api_url or DEFAULT_API_URL).rstrip('/')}{token}/sendMessage"

    def deliver(self, external_id: str, notice: Notice) -> None:
        reply = self.http().post(self.endpoint, json=message_for(external_id, notice))
        body: Any = reply.json() if _is_json(reply) else {}
        if reply.status_code != 200 or not body.get("ok"):
            description = body.get("description") if isinstance(body, dict) else None
            raise RuntimeError(f"Bot API answered {reply.status_code}: {description or '?'}")


def message_for(chat_id: str, notice: Notice) -> dict[str, Any]:
    """The sendMessage parameters: HTML-escaped text, and a URL button when there is a link."""
    params: dict[str, Any] = {
        "chat_id": int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id,
        "text": html.escape(notice.text, quote=False),
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
    }
    if notice.url and notice.url.startswith(("https://", "http://")):
        label = BUTTON_LABELS.get(notice.kind, DEFAULT_BUTTON)
        params["reply_markup"] = {"inline_keyboard": [[{"text": label, "url": notice.url}]]}
    return params


def _is_json(reply: httpx.Response) -> bool:
    content_type: str = reply.headers.get("content-type", "")
    return content_type.startswith("application/json")
