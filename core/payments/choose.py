"""Who decides how a buyer pays: `payments_for(settings, channel)`, the one reader of the checkout
settings (`payments_backend` for the web, `telegram_checkout`, `discord_checkout`).

    web       PETPIXEL_PAYMENTS_BACKEND  auto (Stripe when PETPIXEL_STRIPE_SECRET_KEY is set, else
                                         free) | stripe | free
    telegram  PETPIXEL_TELEGRAM_CHECKOUT stars | stripe | free
    discord   PETPIXEL_DISCORD_CHECKOUT  auto (premium when PETPIXEL_DISCORD_SKUS is set, else as
                                         the web) | premium | stripe | free

A checkout that was asked for is given or refused, never swapped: "stripe" without a secret key,
or without PETPIXEL_PUBLIC_URL for Stripe's return links, and "premium" without SKUs raise
`PaymentsMisconfigured` (code "payments_unavailable"), with the same `problem` on every channel.
Free is what "free" says, or what "auto" finds with nothing configured. Every process calls
`payments_for` for each channel it serves at start-up, so a mistake stops it there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, get_args

from core.config import Settings
from core.errors import InvalidRequest
from core.orders.checkout import Payments
from core.payments.discord_premium import DiscordPremiumPayments
from core.payments.free import FreePayments
from core.payments.telegram_stars import StarsPayments

if TYPE_CHECKING:
    import stripe

Channel = Literal["web", "telegram", "discord"]
CHANNELS: tuple[Channel, ...] = get_args(Channel)
# The providers, by the name their checkouts carry (`CheckoutInfo.provider`, `Payments.name`).
Provider = Literal["free", "stripe", "telegram_stars", "discord_premium"]
SETTING: dict[Channel, str] = {
    "web": "payments_backend",
    "telegram": "telegram_checkout",
    "discord": "discord_checkout",
}
_NAMED: dict[str, Provider] = {
    "free": "free",
    "stripe": "stripe",
    "stars": "telegram_stars",
    "premium": "discord_premium",
}


class PaymentsMisconfigured(InvalidRequest):
    """A checkout these settings cannot run; `problem` names the mistake ("stripe_key_missing",
    "public_url_missing", "discord_skus_missing"), the message the setting that asked for it."""

    code = "payments_unavailable"

    def __init__(self, message: str, *, problem: str) -> None:
        super().__init__(message)
        self.problem = problem


def checkout_kind(settings: Settings, channel: Channel) -> Provider:
    """The provider `channel` takes payments with (pure: builds nothing, calls nobody);
    PaymentsMisconfigured when that provider cannot work with these settings."""
    provider, asked = _chosen(settings, channel)
    if provider == "stripe" and not settings.stripe_secret_key:
        setting = asked.split("=", 1)[0]
        raise PaymentsMisconfigured(
            f"Stripe Checkout ({asked}) needs PETPIXEL_STRIPE_SECRET_KEY: set it, or set "
            f"{setting}=free to run with free packages.",
            problem="stripe_key_missing",
        )
    if provider == "stripe" and not settings.public_url:
        raise PaymentsMisconfigured(
            f"Stripe Checkout ({asked}) needs absolute return links: set PETPIXEL_PUBLIC_URL "
            "(e.g. https://petpixel.example).",
            problem="public_url_missing",
        )
    if provider == "discord_premium" and not settings.discord_skus:
        raise PaymentsMisconfigured(
            f"Discord Premium checkout ({asked}) needs PETPIXEL_DISCORD_SKUS, e.g. "
            '\'{"classic": 123, "deluxe": 456}\' (SKU ids from the developer portal).',
            problem="discord_skus_missing",
        )
    return provider


def is_free(settings: Settings, channel: Channel) -> bool:
    """True when `channel` gives every package away (its page and buttons say "Free")."""
    return checkout_kind(settings, channel) == "free"


def payments_for(
    settings: Settings, channel: Channel, *, stripe_client: stripe.StripeClient | None = None
) -> Payments:
    """The payments behind `channel`'s checkouts (see the module docstring); Stripe sessions are
    tagged with the channel so notices go back to where the buyer ordered. `stripe_client` lets
    channels share one client (a new one otherwise)."""
    provider = checkout_kind(settings, channel)
    if provider == "stripe":
        from core.payments.stripe import StripePayments  # imports stripe only when used

        return StripePayments(settings, channel=channel, client=stripe_client)
    if provider == "telegram_stars":
        return StarsPayments(settings)
    if provider == "discord_premium":
        return DiscordPremiumPayments(settings)
    return FreePayments()


def _chosen(settings: Settings, channel: Channel) -> tuple[Provider, str]:
    """(provider, the setting that chose it as "PETPIXEL_NAME=value")."""
    if channel not in SETTING:
        raise ValueError(f"unknown channel {channel!r}")
    field = SETTING[channel]
    value: str = getattr(settings, field)
    asked = f"PETPIXEL_{field.upper()}={value}"
    if value != "auto":
        return _NAMED[value], asked
    if channel == "discord":
        # Discord's own store when SKUs are set; otherwise Discord buyers pay as web buyers do.
        return ("discord_premium", asked) if settings.discord_skus else _chosen(settings, "web")
    return ("stripe" if settings.stripe_secret_key else "free"), asked
