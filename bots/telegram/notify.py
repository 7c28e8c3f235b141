"""Payment notices for Telegram buyers, sent from any process (web, worker) over plain HTTP.

The bot's own conversation runs in `petpixel bot telegram` (or inside `petpixel serve`), but a
Stripe payment lands in the web process (webhook) and a build ends in a worker. Those processes
have no PTB `Application`, so `TelegramNotifier` posts one `sendMessage` to the Bot API with httpx
(the same base URL as PTB's `base_url`: `PETPIXEL_TELEGRAM_API_URL`, else api.telegram.org).

Who says what (one owner per message, see core.notifications):
- this notifier: payment received, payment failed, checkout expired, payment held for review,
  build failed and refunded (the Stripe refund happens in core.fulfilment, so the apology does too);
- the bot's build watcher (bots/telegram/watch.py): the game-ready message (with the preview GIF
  and a share button, closing the progress message it has been editing), so this notifier skips
  `game_ready`. The watcher also states why a build failed; the refund notice comes from here.
"""

from __future__ import annotations

import html
import logging
import threading
from typing import Any, Protocol

import httpx

from core.config import Settings
from core.notifications import Notice, Notifiers

log = logging.getLogger("petpixel.notify.telegram")
DEFAULT_API_URL = "https://api.telegram.org/bot"
PROVIDER = "telegram"  # the identity provider whose external id is the Telegram user id
WATCHER_OWNS = frozenset({"game_ready"})  # sent by the bot's build watcher, never from here
BUTTON_LABELS = {"game_ready": "🎮 Play", "payment_review": "📄 Order status"}
DEFAULT_BUTTON = "🔗 Open"


class IdentityLookup(Protocol):
    """The part of OrderService the notifier needs (core.orders.users)."""

    def external_id_of(self, *, user_id: str, provider: str) -> str | None: ...


class TelegramNotifier:
    """Sends a `Notice` as one Bot API message to the buyer's private chat; never raises.

    In a private chat the chat id equals the Telegram user id, which the bot stored as the
    user's `telegram` identity on first contact. Safe to call from several threads at once.
    """

    def __init__(
        self,
        *,
        token: str,
        orders: IdentityLookup,
        api_url: str | None = None,
        timeout_s: float = 5.0,
    ) -> None:
        self.orders = orders
        self.endpoint = f"{(api_url or DEFAULT_API_URL).rstrip('/')}{token}/sendMessage"
        self.timeout = httpx.Timeout(timeout_s, connect=min(timeout_s, 3.0))
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    def notify(self, notice: Notice) -> None:
        """Deliver the notice; a user we cannot reach, or a Bot API error, is logged only."""
        if notice.kind in WATCHER_OWNS:
            log.debug("order %s: %s is sent by the bot's watcher", notice.order_id, notice.kind)
            return
        try:
            chat_id = self.orders.external_id_of(user_id=notice.user_id, provider=PROVIDER)
            if chat_id is None:
                log.info("order %s: user %s has no Telegram chat; %s not sent",
                         notice.order_id, notice.user_id, notice.kind)  # fmt: skip
                return
            self._send(chat_id, notice)
        except Exception as exc:  # a lost message must never undo the payment behind it
            log.warning("order %s: Telegram %s notice not delivered: %s",
                        notice.order_id, notice.kind, exc)  # fmt: skip

    def close(self) -> None:
        """Close the HTTP connection pool (a later notice opens a new one)."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    def _send(self, chat_id: str, notice: Notice) -> None:
        reply = self._http().post(self.endpoint, json=message_for(chat_id, notice))
        body: Any = reply.json() if _is_json(reply) else {}
        if reply.status_code != 200 or not body.get("ok"):
            description = body.get("description") if isinstance(body, dict) else None
            raise RuntimeError(f"Bot API answered {reply.status_code}: {description or '?'}")

    def _http(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                self._client = httpx.Client(timeout=self.timeout)
            return self._client


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


def register_telegram(notifiers: Notifiers, settings: Settings, orders: IdentityLookup) -> bool:
    """Register a `TelegramNotifier` for the "telegram" channel when a bot token is set."""
    if not settings.telegram_token:
        return False
    notifier = TelegramNotifier(
        token=settings.telegram_token, orders=orders, api_url=settings.telegram_api_url
    )
    notifiers.register(PROVIDER, notifier)
    return True


def channel_notifiers(settings: Settings, orders: IdentityLookup) -> Notifiers:
    """The notifiers a web or worker process uses: the status page, plus Telegram when set up."""
    notifiers = Notifiers()
    register_telegram(notifiers, settings, orders)
    return notifiers


def _is_json(reply: httpx.Response) -> bool:
    content_type: str = reply.headers.get("content-type", "")
    return content_type.startswith("application/json")
