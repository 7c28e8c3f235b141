"""Discord Premium Apps: the `Payments` provider the Discord channel uses when SKUs are set.

Apps that sell inside Discord must also offer their paid features as Discord SKUs. Each game
package maps to a consumable SKU (`discord_skus`). The checkout here only names the SKU; the bot
shows a premium button for it, and when Discord reports the purchase (an entitlement for that
user and SKU) the bot calls `OrderService.mark_paid(payment_ref=payment_ref(<entitlement id>),
provider="discord_premium", event_id=<entitlement id>)`, which records it exactly once, then
consumes the entitlement. Discord makes any refund; a paid build that fails is refund-due in core.
"""

from __future__ import annotations

from typing import Literal

from core.config import Settings
from core.errors import InvalidRequest
from core.orders.packages import Package, game_packages
from core.orders.schemas import CheckoutInfo, OrderView

PROVIDER = "discord_premium"
REF_PREFIX = "discord:"
CheckoutMode = Literal["premium", "stripe", "free"]


def checkout_mode(settings: Settings) -> CheckoutMode:
    """How a Discord user pays: `discord_checkout`, with "auto" resolved (premium when SKUs are
    configured, else Stripe when PETPIXEL_STRIPE_SECRET_KEY is set, else free)."""
    if settings.discord_checkout != "auto":
        return settings.discord_checkout
    if settings.discord_skus:
        return "premium"
    return "stripe" if settings.stripe_secret_key else "free"


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
