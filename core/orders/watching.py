"""Watching an order from a chat: when it is finished, what to tell the person meanwhile, and which
watchers count as creations in progress.

Both bots poll `OrderService.status` and pass each answer through `outcome` and `shown_progress`;
`Watchers` keeps their running watcher tasks, and `EditThrottle` paces the one progress message
each watcher edits. What is left in a bot is its platform's rendering (messages, buttons, DMs).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from core.orders.lifecycle import OrderStatus
from core.orders.schemas import OrderStatusView

PREVIEW, BUILD = "preview", "build"  # what a watcher waits for
QUEUED = "In the queue"
WAITING_FOR_PAYMENT = "Waiting for your payment"
PREVIEW_DONE_STATUSES = frozenset({OrderStatus.PREVIEW_READY, OrderStatus.AWAITING_PAYMENT})
Owner = TypeVar("Owner", bound=Hashable)


class Outcome(StrEnum):
    """Where a watched order stands, as the person should hear it."""

    RUNNING = "running"  # being drawn or built (or queued for it)
    AWAITING_PAYMENT = "awaiting_payment"  # a build waits for the buyer to pay
    FAILED = "failed"
    PREVIEW_READY = "preview_ready"
    CHECKOUT_ENDED = "checkout_ended"  # the checkout expired or failed: back to the preview
    GAME_READY = "game_ready"

    @property
    def finished(self) -> bool:
        """The watcher delivers this outcome and stops."""
        return self not in (Outcome.RUNNING, Outcome.AWAITING_PAYMENT)

    @property
    def active(self) -> bool:
        """Counts as a creation in progress (waiting for a payment does not: an unpaid checkout
        must not block new photos)."""
        return self is Outcome.RUNNING


def outcome(kind: str, st: OrderStatusView) -> Outcome:
    """What a `kind` ("preview" or "build") watcher makes of the order's status."""
    if st.status == OrderStatus.FAILED:
        return Outcome.FAILED
    if kind == PREVIEW:
        return Outcome.PREVIEW_READY if st.status in PREVIEW_DONE_STATUSES else Outcome.RUNNING
    if st.status == OrderStatus.PREVIEW_READY:
        return Outcome.CHECKOUT_ENDED
    if st.status == OrderStatus.READY:
        return Outcome.GAME_READY
    if st.status == OrderStatus.AWAITING_PAYMENT:
        return Outcome.AWAITING_PAYMENT
    return Outcome.RUNNING


def shown_progress(kind: str, st: OrderStatusView) -> tuple[int, str]:
    """(percent, label) to show; before a build starts, the row still holds the preview's 100%."""
    if kind == BUILD and st.status == OrderStatus.AWAITING_PAYMENT:
        return 0, WAITING_FOR_PAYMENT
    if kind == BUILD and st.status != OrderStatus.BUILDING:
        return 0, QUEUED
    return st.percent, st.label


@dataclass
class _Entry(Generic[Owner]):
    owner: Owner
    task: asyncio.Task[None]
    active: bool = True


class Watchers(Generic[Owner]):
    """The running watcher tasks, one per order, with their owner (a chat user id)."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry[Owner]] = {}

    def add(self, order_id: str, owner: Owner, task: asyncio.Task[None]) -> None:
        """Track `task` for `order_id`, cancelling the one it replaces; forgotten when done."""
        old = self._entries.pop(order_id, None)
        if old is not None:
            old.task.cancel()
        self._entries[order_id] = _Entry(owner, task)

        def forget(done: asyncio.Task[None]) -> None:
            entry = self._entries.get(order_id)
            if entry is not None and entry.task is done:
                del self._entries[order_id]

        task.add_done_callback(forget)

    def seen(self, order_id: str, now: Outcome) -> None:
        """Record the watched order's latest outcome (it decides whether the watcher is active)."""
        entry = self._entries.get(order_id)
        if entry is not None:
            entry.active = now.active

    def active_count(self, owner: Owner) -> int:
        """Creations of `owner` still being drawn or built (not those waiting for a payment)."""
        return sum(1 for e in self._entries.values() if e.owner == owner and e.active)

    def tasks(self, owner: Owner | None = None) -> list[asyncio.Task[None]]:
        """The running tasks: all, or one owner's."""
        return [e.task for e in self._entries.values() if owner is None or e.owner == owner]

    def __contains__(self, order_id: object) -> bool:
        return order_id in self._entries

    def __len__(self) -> int:
        return len(self._entries)


class EditThrottle:
    """When a progress message may be edited: never to the text it shows, and at most once per
    `min_interval` seconds unless the edit is final. `text` is what the message was posted with;
    the first edit may follow it at once (the first status poll has a real label to show)."""

    def __init__(
        self,
        *,
        text: str | None,
        min_interval: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.text, self.min_interval, self.clock = text, min_interval, clock
        self._last_edit = -math.inf

    def allows(self, text: str, *, final: bool = False) -> bool:
        """May the message now change to `text`?"""
        if text == self.text:
            return False  # both platforms refuse (or waste) an edit that changes nothing
        return final or self.clock() - self._last_edit >= self.min_interval

    def shown(self, text: str) -> None:
        """The message now shows `text`."""
        self.text, self._last_edit = text, self.clock()
