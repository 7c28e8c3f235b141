"""Telling buyers what happened to their order, on the channel they ordered from.

    notifiers = runtime.notifiers  # built by runtime.notifiers_for; "web" is the status page
    notifiers.send(Notice(kind="game_ready", channel="telegram", user_id=u, order_id=o,
                          text=NOTICE_TEXT["game_ready"], url=game_url))

A channel is where the checkout started (`web`, `telegram`, `discord`: Stripe metadata `channel`).
The payment code sends each notice once (payment received, payment failed, checkout expired,
payment held for review, a payment that did not match refunded, game ready, build failed with a
refund). A notifier must be quick and
must not raise for a user it cannot reach: `send` logs and swallows its errors, because a failed
message must never undo a payment. To reach a chat user, a bot looks up its identity for
`notice.user_id` (provider + external id) and messages them.

Chat channels (`runtime.notifiers_for` registers them in every process when
PETPIXEL_TELEGRAM_TOKEN / PETPIXEL_DISCORD_TOKEN are set) send over plain HTTP: Telegram's Bot API
(core/notify/telegram.py), a Discord DM over REST (core/notify/discord.py). One owner per
message: the notifier sends the payment notices and the refund apology; the game-ready message
belongs to each bot's build watcher (bots/telegram/watch.py, bots/discord/watch.py), which edits
the progress message and sends the preview GIF with the game link, so the chat notifiers skip
`game_ready` (a watcher is started whenever a bot hands out a payment link).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal, Protocol

from core.observability.ids import bound

log = logging.getLogger("petpixel.notify")

NoticeKind = Literal[
    "payment_received",
    "payment_failed",
    "checkout_expired",
    "payment_review",
    "payment_refunded",
    "game_ready",
    "build_failed",
]

NOTICE_TEXT: dict[str, str] = {
    "payment_received": "Payment received, thank you! We are building your game now.",
    "payment_failed": (
        "Your payment did not go through, so nothing was charged. "
        "Pick a package again to try another payment method."
    ),
    "checkout_expired": (
        "Your checkout link expired before payment. Pick a package again whenever you are ready."
    ),
    "payment_review": (
        "We received your payment but it does not match this order, so we are checking it by "
        "hand. You will get your game or a full refund; no need to pay again."
    ),
    "payment_refunded": (
        "We refunded a payment that did not match your order (an older checkout, or a second "
        "payment), in full; it can take 5-10 days to show on your statement. Your order page "
        "shows what is next."
    ),
    "game_ready": "Your game is ready! Tap the link to play and share it.",
    "build_failed": (
        "We could not build your game after several tries. Sorry! Your payment is being "
        "refunded in full; it can take 5-10 days to show on your statement."
    ),
}


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    channel: str
    user_id: str
    order_id: str
    text: str
    url: str | None = None


class Notifier(Protocol):
    def notify(self, notice: Notice) -> None:
        """Deliver one notice to the buyer; quick, and safe to call from a worker thread."""
        ...


class StatusPageNotifier:
    """The web channel: the status page reads the order row, so there is nothing to push."""

    def notify(self, notice: Notice) -> None:
        log.info("order %s: %s (shown on the status page)", notice.order_id, notice.kind)


class Notifiers:
    """Notifiers by channel; unknown channels fall back to the status page."""

    def __init__(self) -> None:
        self._by_channel: dict[str, Notifier] = {"web": StatusPageNotifier()}

    def register(self, channel: str, notifier: Notifier) -> None:
        self._by_channel[channel] = notifier

    def send(self, notice: Notice) -> None:
        notifier = self._by_channel.get(notice.channel, self._by_channel["web"])
        # The notifier's log lines carry the order and its channel (and the request id bound here:
        # the webhook's, or the build task's in a worker).
        with bound(order_id=notice.order_id, channel=notice.channel):
            try:
                notifier.notify(notice)
            except Exception:  # a lost message must never fail the payment that triggered it
                log.exception("could not notify %s about order %s", notice.channel,
                              notice.order_id)  # fmt: skip
