"""What the Telegram and Discord notifiers share: one HTTP message to a chat user, never raising.

A Stripe payment lands in the web process (webhook) and a build ends in a worker; those processes
run no bot, so each chat channel has a small notifier that looks up the buyer's identity for the
channel and posts one message over plain HTTP (httpx). Subclasses say how to deliver
(`deliver(external_id, notice)`); this base owns the rules: the game-ready message belongs to the
bot's build watcher, a user we cannot reach is logged, and a failed send never raises (a lost
message must never undo the payment behind it). `runtime.notifiers_for` registers them.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

import httpx

from core.notify.notices import Notice

log = logging.getLogger("petpixel.notify")
WATCHER_OWNS = frozenset({"game_ready"})  # sent by the bots' build watchers, never from here


class IdentityLookup(Protocol):
    """The part of OrderService the notifiers need (core.orders.users)."""

    def external_id_of(self, *, user_id: str, provider: str) -> str | None: ...


class ChatNotifier:
    """Base of the chat notifiers; safe to call from several threads at once."""

    provider = ""  # the identity provider whose external id addresses the user

    def __init__(self, *, orders: IdentityLookup, timeout_s: float = 5.0) -> None:
        self.orders = orders
        self.timeout = httpx.Timeout(timeout_s, connect=min(timeout_s, 3.0))
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    def notify(self, notice: Notice) -> None:
        """Deliver the notice; a user we cannot reach, or an API error, is logged only."""
        if notice.kind in WATCHER_OWNS:
            log.debug("order %s: %s is sent by the bot's watcher", notice.order_id, notice.kind)
            return
        try:
            external_id = self.orders.external_id_of(user_id=notice.user_id, provider=self.provider)
            if external_id is None:
                log.info("order %s: user %s has no %s identity; %s not sent",
                         notice.order_id, notice.user_id, self.provider, notice.kind)  # fmt: skip
                return
            self.deliver(external_id, notice)
        except Exception as exc:  # a lost message must never undo the payment behind it
            log.warning("order %s: %s %s notice not delivered: %s",
                        notice.order_id, self.provider, notice.kind, exc)  # fmt: skip

    def deliver(self, external_id: str, notice: Notice) -> None:
        """Send one message; raise on any failure (notify logs it)."""
        raise NotImplementedError

    def close(self) -> None:
        """Close the HTTP connection pool (a later notice opens a new one)."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    def http(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                self._client = httpx.Client(timeout=self.timeout)
            return self._client
