"""Bot wiring both bots share: the checkout service and running inside the web app.

The rules the conversations share (pet names, order watching, crop presets) live in core:
core.petnames, core.orders.watching, core.orders.choices.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from core.config import Settings
from core.orders.service import OrderService


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
