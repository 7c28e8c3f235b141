"""How each service of a process is built: orders per channel, notifiers, Stripe fulfilment.

These are the only constructors of OrderService, payments, Fulfilment and notifiers in the code
base; `open_runtime` (web, bots, CLI) and `worker_app` (Celery workers) both build them through
`services_for`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.botstate import BotStateStore
from core.config import Settings
from core.db import Database
from core.jobs import JobQueue
from core.notify import Notifiers
from core.notify.chat import IdentityLookup
from core.notify.discord import DiscordNotifier
from core.notify.gamescores import GameMessages, TelegramScores
from core.notify.telegram import TelegramNotifier
from core.orders.service import OrderService
from core.payments import CHANNELS, Channel, checkout_kind, payments_for
from core.runs.boards import Boards
from core.runs.service import RunService
from core.storage import Storage

if TYPE_CHECKING:  # the stripe library loads only where Stripe is set up
    import stripe

    from core.payments.stripe_fulfilment import Fulfilment


def enabled_channels(settings: Settings) -> tuple[Channel, ...]:
    """Where orders can come from: the web page always, a chat when its bot token is set."""
    tokens = {"web": "web", "telegram": settings.telegram_token, "discord": settings.discord_token}
    return tuple(channel for channel in CHANNELS if tokens[channel])


def check_payments(settings: Settings) -> None:
    """Raise the one clear error for a misconfigured checkout on any channel this deployment
    serves; every process calls it at start, so they all stop the same way. Pure: builds no
    provider and no client."""
    for channel in enabled_channels(settings):
        checkout_kind(settings, channel)


def stripe_client_for(settings: Settings) -> stripe.StripeClient | None:
    """The one Stripe client of a process (every channel and the fulfilment share it)."""
    if not settings.stripe_secret_key:
        return None
    from core.payments.stripe import stripe_client

    return stripe_client(settings)


def order_service(
    settings: Settings,
    *,
    db: Database,
    storage: Storage,
    jobs: JobQueue,
    channel: Channel = "web",
    stripe_client: stripe.StripeClient | None = None,
) -> OrderService:
    """The order service whose checkouts are `channel`'s payments (`core.payments.payments_for`)."""
    payments = payments_for(settings, channel, stripe_client=stripe_client)
    return OrderService(settings=settings, db=db, storage=storage, payments=payments, jobs=jobs)


def notifiers_for(settings: Settings, orders: IdentityLookup) -> Notifiers:
    """The status page, plus Telegram and Discord messages when their bot tokens are set."""
    notifiers = Notifiers()
    if settings.telegram_token:
        notifiers.register(
            "telegram",
            TelegramNotifier(
                token=settings.telegram_token, orders=orders, api_url=settings.telegram_api_url
            ),
        )
    if settings.discord_token:
        notifiers.register(
            "discord",
            DiscordNotifier(
                token=settings.discord_token, orders=orders, api_url=settings.discord_api_url
            ),
        )
    return notifiers


def boards_for(settings: Settings, runs: RunService) -> Boards | None:
    """Chat leaderboards and signed launch links; None without `runs_secret` (the bots then
    offer no challenges and no boards)."""
    return Boards(settings=settings, runs=runs) if settings.runs_secret else None


def telegram_scores_for(settings: Settings, db: Database) -> TelegramScores | None:
    """Telegram chats' high-score tables, fed from accepted runs: with a bot token, a registered
    game and `runs_secret` (no token, no Telegram runs)."""
    if not (settings.telegram_token and settings.telegram_game_short_name and settings.runs_secret):
        return None
    return TelegramScores(
        token=settings.telegram_token,
        api_url=settings.telegram_api_url,
        messages=GameMessages(BotStateStore(db)),
    )


def fulfilment_for(
    settings: Settings,
    *,
    orders: OrderService,
    notifiers: Notifiers,
    stripe_client: stripe.StripeClient | None,
) -> Fulfilment | None:
    """Stripe fulfilment (webhook, success page, reconcile, refunds) when Stripe is set up."""
    if stripe_client is None:
        return None
    from core.payments.stripe_fulfilment import Fulfilment

    return Fulfilment(settings=settings, orders=orders, client=stripe_client, notifiers=notifiers)


@dataclass(frozen=True)
class Services:
    """Everything a process takes orders and payments with, over its database and storage."""

    stripe: stripe.StripeClient | None  # Stripe set up; shared by every channel and fulfilment
    checkouts: dict[Channel, OrderService]  # each served channel's checkout
    notifiers: Notifiers
    fulfilment: Fulfilment | None  # Stripe set up

    @property
    def orders(self) -> OrderService:
        return self.checkouts["web"]


def services_for(settings: Settings, *, db: Database, storage: Storage, jobs: JobQueue) -> Services:
    """One Stripe client, an order service per served channel, the notifiers over the web
    channel's service, and the fulfilment when Stripe is set up."""
    client = stripe_client_for(settings)
    checkouts = {
        channel: order_service(
            settings, db=db, storage=storage, jobs=jobs, channel=channel, stripe_client=client
        )
        for channel in enabled_channels(settings)
    }
    orders = checkouts["web"]
    notifiers = notifiers_for(settings, orders)
    fulfilment = fulfilment_for(settings, orders=orders, notifiers=notifiers, stripe_client=client)
    return Services(client, checkouts, notifiers, fulfilment)
