"""Discord Premium Apps: the `Payments` provider the Discord channel sells through when SKUs are
set, and the settlement of the purchases Discord reports.

Apps that sell inside Discord must also offer their paid features as Discord SKUs. Each game
package maps to a consumable SKU (`discord_skus`). The checkout only names the SKU; the bot shows
Discord's buy button for it. Discord reports a purchase as an entitlement (user, SKU): over the
gateway while the bot is online, and in the entitlement list at any time, so the bot also settles
at start-up what was bought while it was away. The bot turns each one into a `Purchase` and
`PremiumLedger.settle` decides: it pays the user's newest order awaiting payment for the SKU's
package (`mark_paid`, event id = the entitlement id, so a repeat changes nothing) and says to
consume it; the bot consumes it in Discord, then `PremiumLedger.consumed` records that. One that
matches no waiting order stays unconsumed (the purchase is not lost) and is recorded once; when
no order was waiting, the buyer is told that it is kept, and their next order for that package
is paid with it. What happened to each one is a `core.botstate` row
`("discord:entitlement:<id>", "state") -> {"order_id", "consumed", "unmatched"}`.

Discord makes any refund (there is no refund API): a paid build that gives up is refund-due in
core, and `refer_refund` records once, through the one refund guard, that the buyer was sent to
Discord's support.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.botstate import BotStateStore
from core.config import Settings
from core.db import Database
from core.errors import InvalidRequest, PetPixelError
from core.orders.lifecycle import OrderStatus
from core.orders.packages import Package, game_packages
from core.orders.schemas import CheckoutInfo, OrderView
from core.payments.refunds import Refunds

if TYPE_CHECKING:
    from core.orders.service import OrderService

log = logging.getLogger("petpixel.payments")

PROVIDER = "discord_premium"
REF_PREFIX = "discord:"
IDENTITY = "discord"  # the user identity provider whose external id is the Discord user id
PAID, DUPLICATE, UNMATCHED = "paid", "duplicate", "unmatched"


def sku_for(settings: Settings, package: str) -> int:
    """The Discord SKU id that sells `package`; InvalidRequest when none is configured."""
    sku = settings.discord_skus.get(package)
    if sku is None:
        raise InvalidRequest(
            f"The {package!r} package can't be bought on Discord yet. Please pick another one.",
            code="no_discord_sku",
        )
    return sku


def package_for_sku(settings: Settings, sku_id: int) -> str | None:
    """The game package a SKU sells; None for a SKU we do not sell (or no longer offer)."""
    offered = game_packages(settings)
    for name, sku in settings.discord_skus.items():
        if sku == sku_id and name in offered:
            return name
    return None


def premium_skus(settings: Settings) -> list[int]:
    """Every SKU we sell, once each (what the bot lists entitlements for)."""
    return sorted(set(settings.discord_skus.values()))


def payment_ref(entitlement_id: int | str) -> str:
    """The order's payment_ref for a Premium purchase ("discord:<entitlement id>")."""
    return f"{REF_PREFIX}{entitlement_id}"


class DiscordPremiumPayments:
    """Names the SKU that sells a package; payment happens in Discord, reported as an
    entitlement."""

    name = PROVIDER

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def create_checkout(self, *, order: OrderView, package: Package) -> CheckoutInfo:  # noqa: ARG002
        sku = sku_for(self.settings, package.name)
        return CheckoutInfo(
            provider=self.name,
            label=f"{package.title}: buy it in Discord",
            amount=package.amount,  # the SKU is priced no higher in the developer portal
            currency=package.currency,
            url=None,  # the bot shows a premium button instead of a link
            reference=str(sku),
            free=False,
        )


def paid_in_discord(order: OrderView) -> bool:
    """True for an order paid with a Discord Premium purchase."""
    return (order.payment_ref or "").startswith(REF_PREFIX)


def refer_refund(*, db: Database, order: OrderView) -> bool:
    """A Premium-paid build gave up: Discord makes the refund, so record once (the refund guard)
    that the buyer is sent to Discord's support. True when this call did (say so then)."""
    if not paid_in_discord(order):
        return False
    return Refunds(db).record(order=order, provider=PROVIDER, event="payment.refund_referred",
                              data={"by": "discord_support"})  # fmt: skip


@dataclass(frozen=True)
class Purchase:
    """A Discord entitlement, as settlement needs it (the bot reads it from discord.py)."""

    id: int
    sku_id: int
    user_id: int | None
    consumed: bool = False


@dataclass(frozen=True)
class Settlement:
    """What `settle` decided: PAID (consume it in Discord now), DUPLICATE (settled before) or
    UNMATCHED (left unconsumed); `tell_saved` asks the bot to tell the buyer, once, that the
    purchase is kept for their next order of `package`."""

    result: str
    order_id: str | None = None
    package: str | None = None
    tell_saved: bool = False


class PremiumLedger:
    """Settles Discord Premium purchases against orders (blocking: the bot calls it in a thread,
    one purchase at a time)."""

    def __init__(self, settings: Settings, orders: OrderService) -> None:
        self.settings = settings
        self.orders = orders
        self.state = BotStateStore(orders.db)

    def settle(self, purchase: Purchase, *, source: str) -> Settlement:
        """Pay the order this purchase is for (once) and say whether to consume it."""
        seen = self._seen(purchase.id) or {}
        if seen.get("consumed") or purchase.consumed:
            return Settlement(DUPLICATE, seen.get("order_id"))
        package = package_for_sku(self.settings, purchase.sku_id)
        order_id: str | None = seen.get("order_id") or self._waiting_order(purchase, package)
        if order_id is None or package is None:
            return self._unmatched(purchase, package, seen, "no_waiting_order", source)
        offer = game_packages(self.settings)[package]
        ref = payment_ref(purchase.id)
        try:
            result = self.orders.mark_paid(
                order_id=order_id, payment_ref=ref, amount=offer.amount, currency=offer.currency,
                provider=PROVIDER, event_id=str(purchase.id),
            )  # fmt: skip
        except PetPixelError:
            log.warning("entitlement %s: order %s cannot be paid", purchase.id, order_id,
                        exc_info=True)  # fmt: skip
            return self._unmatched(purchase, package, seen, "order_not_payable", source)
        if not result.changed and result.payment_ref != ref:
            return self._unmatched(purchase, package, seen, "order_paid_otherwise", source)
        # Saved before consuming: should consuming fail, the next start retries only that.
        self._save(purchase.id, {"order_id": order_id, "consumed": False})
        return Settlement(PAID, order_id, package)

    def consumed(self, purchase: Purchase, settled: Settlement, *, source: str) -> None:
        """Discord consumed the purchase that paid `settled.order_id`: remember it, record it."""
        self._save(purchase.id, {"order_id": settled.order_id, "consumed": True})
        self._record("discord.entitlement_consumed", purchase, settled.package,
                     settled.order_id, source)  # fmt: skip
        log.info("entitlement %s paid order %s (%s)", purchase.id, settled.order_id, source)

    def _waiting_order(self, purchase: Purchase, package: str | None) -> str | None:
        """The buyer's newest order awaiting payment for `package`, if any."""
        if package is None or purchase.user_id is None:
            return None
        user = self.orders.get_or_create_user(provider=IDENTITY,
                                              external_id=str(purchase.user_id))  # fmt: skip
        for order in self.orders.list_orders(user_id=user.id):  # newest first
            if order.status == OrderStatus.AWAITING_PAYMENT and order.package == package:
                return order.id
        return None

    def _unmatched(
        self, purchase: Purchase, package: str | None, seen: dict[str, Any], reason: str,
        source: str,
    ) -> Settlement:  # fmt: skip
        """Leave it unconsumed (the purchase stays on the user's account) and say so once."""
        log.warning("entitlement %s (user %s, SKU %s) matches no waiting order: %s; left "
                    "unconsumed", purchase.id, purchase.user_id, purchase.sku_id,
                    reason)  # fmt: skip
        if seen.get("unmatched"):
            return Settlement(UNMATCHED, None, package)
        self._save(purchase.id, {"order_id": None, "consumed": False, "unmatched": True})
        self._record("discord.entitlement_unmatched", purchase, package, None, source,
                     reason=reason)  # fmt: skip
        # (A second payment for one order is flagged for refund by mark_paid's
        # payment.duplicate event instead of being kept.)
        tell = reason == "no_waiting_order" and package is not None and purchase.user_id is not None
        return Settlement(UNMATCHED, None, package, tell_saved=tell)

    def _seen(self, entitlement_id: int) -> dict[str, Any] | None:
        value = self.state.load(_scope(entitlement_id)).get("state")
        return value if isinstance(value, dict) else None

    def _save(self, entitlement_id: int, value: dict[str, Any]) -> None:
        self.state.save(_scope(entitlement_id), "state", value)

    def _record(
        self, kind: str, purchase: Purchase, package: str | None, order_id: str | None,
        source: str, **extra: str,
    ) -> None:  # fmt: skip
        data = {"entitlement_id": str(purchase.id), "sku_id": str(purchase.sku_id),
                "package": package, "source": source, **extra}  # fmt: skip
        self.orders.record_event(type=kind, data=data, order_id=order_id)


def _scope(entitlement_id: int) -> str:
    return f"discord:entitlement:{entitlement_id}"
