"""What the Telegram and Discord conversations check and say the same way.

The bots differ in widgets (inline keyboards, select menus, modals) but not in rules: a pet name
is 1 to 40 printable characters, and a build's progress reads "Waiting for your payment" or
"In the queue" until the build itself reports. Payments made from a chat are tagged with it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from core.config import Settings
from core.orders.lifecycle import OrderStatus
from core.orders.schemas import OrderStatusView
from core.orders.service import OrderService

MAX_NAME = 40
BAD_NAME_LENGTH = f"Names need 1 to {MAX_NAME} characters. Try again?"
BAD_NAME_CHARS = "That name has characters I can't use. Letters, numbers and emoji are fine!"
ASK_CROP = "Which part of the photo is your pet in?"
QUEUED = "In the queue"
WAITING_FOR_PAYMENT = "Waiting for your payment"
# Control, surrogate, private-use and unassigned code points: never shown in a game title.
_REFUSED_CATEGORIES = ("Cc", "Cs", "Co", "Cn")


def check_name(raw: str) -> tuple[str | None, str | None]:
    """(clean name, None) or (None, the reason to show). Runs of whitespace become one space."""
    name = " ".join(raw.split())
    if not 1 <= len(name) <= MAX_NAME:
        return None, BAD_NAME_LENGTH
    if any(unicodedata.category(ch) in _REFUSED_CATEGORIES for ch in name):
        return None, BAD_NAME_CHARS
    return name, None


def shown_progress(kind: str, st: OrderStatusView) -> tuple[int, str]:
    """(percent, label) to show; before a build starts, the row still holds the preview's 100%."""
    if kind == "build" and st.status == OrderStatus.AWAITING_PAYMENT:
        return 0, WAITING_FOR_PAYMENT
    if kind == "build" and st.status != OrderStatus.BUILDING:
        return 0, QUEUED
    return st.percent, st.label


def checkout_service(
    settings: Settings, rt: Any, channel: str, payments: Any = None
) -> OrderService:
    """The order service a bot takes payments through: the runtime's (or `payments`), with
    Stripe Checkout sessions tagged with the bot's channel so notices go back to the same chat.
    `rt` is an open workers.runtime.Runtime."""
    payments = payments if payments is not None else rt.orders.payments
    if getattr(payments, "name", None) == "stripe":
        from core.stripe_payments import StripePayments

        payments = StripePayments(settings, channel=channel, client=payments.client)
    return OrderService(
        settings=settings, db=rt.db, storage=rt.storage, payments=payments, jobs=rt.jobs
    )


BotRunner = Callable[[Settings, Any], AbstractAsyncContextManager[Any]]


def run_inside_web(web: Any, settings: Settings, running: BotRunner, name: str) -> None:
    """`petpixel serve` with a bot token: the bot (`running(settings, runtime)`, an async context
    manager) starts and stops with the web app and shares its runtime (database, storage, jobs);
    while it runs it is `web.state.<name>`."""
    inner = web.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[Any]:
        # The second context opens after the first has set app.state.resources.
        async with inner(app) as state, running(settings, app.state.resources.runtime) as bot:
            setattr(app.state, name, bot)
            try:
                yield state
            finally:
                setattr(app.state, name, None)

    web.router.lifespan_context = lifespan
