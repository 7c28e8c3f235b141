"""Stripe Checkout: `StripePayments` (the `Payments` provider) and the client it shares.

`create_checkout` makes one Checkout Session per order: `client_reference_id` = order id, metadata
(order, user, channel, package), return URLs to our pages, the price from Settings (`price_data`)
or a Stripe Price id, and an Idempotency-Key so a retried or double-clicked create makes one
session. The buyer pays on Stripe's page; `core.payments.stripe_fulfilment` then marks the order
paid from the webhook or the success page, whichever comes first. When the buyer picks another
package before paying, OrderService expires the older session (`expire_checkout`); one paid anyway
(expired too late) no longer matches the order (`mismatch`) and is refunded by the fulfilment.
"""

from __future__ import annotations

import logging
from typing import Any

import stripe

from core.config import Settings
from core.money import money
from core.orders.lifecycle import OrderStatus
from core.orders.packages import Package
from core.orders.schemas import CheckoutInfo, OrderView
from core.payments.choose import CHANNELS, Channel, PaymentsMisconfigured

log = logging.getLogger("petpixel.payments")
PROVIDER = "stripe"
# Stripe replaces this placeholder with the session id when it redirects the buyer back.
SUCCESS_PATH = "/checkout/success?session_id={CHECKOUT_SESSION_ID}"


def require_stripe(settings: Settings) -> str:
    """The Stripe secret key; PaymentsMisconfigured when Stripe is not set up."""
    if not settings.stripe_secret_key:
        raise PaymentsMisconfigured(
            "Stripe is not set up: set PETPIXEL_STRIPE_SECRET_KEY.", problem="stripe_key_missing"
        )
    return settings.stripe_secret_key


def stripe_client(settings: Settings) -> stripe.StripeClient:
    """A Stripe client for these settings (PETPIXEL_STRIPE_API_BASE points it at another server)."""
    key = require_stripe(settings)
    bases: Any = {"api": settings.stripe_api_base} if settings.stripe_api_base else None
    return stripe.StripeClient(
        key,
        base_addresses=bases,
        max_network_retries=settings.stripe_max_network_retries,
    )


def status_page(settings: Settings, order: OrderView) -> str:
    return f"{public_base(settings)}/o/{order.token}"


def public_base(settings: Settings) -> str:
    """Where Stripe returns buyers to (`payments_for` refuses Stripe without it at start-up)."""
    if not settings.public_url:
        raise PaymentsMisconfigured(
            "Stripe Checkout needs absolute return links: set PETPIXEL_PUBLIC_URL "
            "(e.g. https://petpixel.example).",
            problem="public_url_missing",
        )
    return settings.public_url.rstrip("/")


class StripePayments:
    """Sends the buyer to a Stripe-hosted Checkout page for the chosen package."""

    name = PROVIDER

    def __init__(
        self,
        settings: Settings,
        *,
        channel: Channel = "web",
        client: stripe.StripeClient | None = None,
    ) -> None:
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}")
        public_base(settings)  # fail at start-up, not at the first buyer
        self.settings = settings
        self.channel = channel
        self.client = client or stripe_client(settings)

    def create_checkout(self, *, order: OrderView, package: Package) -> CheckoutInfo:
        session = self.client.v1.checkout.sessions.create(
            params=self.session_params(order, package),  # type: ignore[arg-type]
            options={"idempotency_key": self.idempotency_key(order, package)},
        )
        amount = session.amount_total if session.amount_total is not None else package.amount
        currency = session.currency or package.currency
        return CheckoutInfo(
            provider=self.name,
            label=f"Pay {money(amount, currency)} for the {package.title}",
            amount=amount,
            currency=currency,
            url=session.url,
            reference=session.id,
            free=False,
        )

    def expire_checkout(self, *, reference: str) -> bool:
        """Expire an open Checkout Session so it can no longer be paid (ExpiringCheckouts)."""
        try:
            self.client.v1.checkout.sessions.expire(reference)
        except stripe.StripeError as exc:  # paid or expired already, or Stripe unreachable
            log.warning("checkout session %s not expired: %s", reference, exc)
            return False
        return True

    def session_params(self, order: OrderView, package: Package) -> dict[str, Any]:
        metadata = {"order_id": order.id, "user_id": order.user_id, "channel": self.channel,
                    "package": package.name}  # fmt: skip
        return {
            "mode": "payment",
            "line_items": [self.line_item(package)],
            "client_reference_id": order.id,
            "metadata": metadata,
            "payment_intent_data": {"metadata": metadata},  # so refunds trace back to the order
            "success_url": public_base(self.settings) + SUCCESS_PATH,
            "cancel_url": status_page(self.settings, order),
        }

    def line_item(self, package: Package) -> dict[str, Any]:
        """A Stripe Price id when one is configured for the package, else an inline price."""
        price_ids = {
            "classic": self.settings.stripe_price_classic,
            "deluxe": self.settings.stripe_price_deluxe,
        }
        if price_ids.get(package.name):
            return {"price": price_ids[package.name], "quantity": 1}
        return {
            "quantity": 1,
            "price_data": {
                "currency": package.currency,
                "unit_amount": package.amount,
                "product_data": {"name": package.title, "description": package.description},
            },
        }

    @staticmethod
    def idempotency_key(order: OrderView, package: Package) -> str:
        # Same order, package and order version: the same session (a double click or a network
        # retry). A later checkout (after an expiry moved the order) has a new version.
        version = int(order.updated_at.timestamp() * 1_000_000)
        return f"petpixel-checkout-{order.id}-{package.name}-{version}"


# --- Reading a Checkout Session (used by core.payments.stripe_fulfilment) ----------------------
def order_id_of(session: Any) -> str | None:
    """Our order id: client_reference_id, else the metadata copy."""
    return session.client_reference_id or metadata_of(session).get("order_id")


def metadata_of(session: Any) -> dict[str, str]:
    """The session's metadata as a plain dict (StripeObject is not a mapping in stripe 16)."""
    metadata = session.metadata
    return {} if metadata is None else dict(metadata.to_dict())


def checkout_channel(session: Any) -> str:
    """Where the buyer started the checkout (our metadata); web when absent or unknown."""
    channel = metadata_of(session).get("channel") or "web"
    return channel if channel in CHANNELS else "web"


def payment_ref_of(session: Any) -> str:
    """The PaymentIntent id (what a refund needs); the session id when there is none."""
    intent = session.payment_intent
    if intent is not None and not isinstance(intent, str):
        intent = intent.id  # expanded object
    return str(intent or session.id)


def mismatch(order: OrderView, session: Any) -> str | None:
    """Why this session cannot pay this order as it stands (another package, amount or
    currency: an older checkout, or a tampered price), or None."""
    bought = metadata_of(session).get("package")
    if bought and order.package and bought != order.package:
        return f"paid for the {bought} package but the order is for {order.package}"
    paid = (session.amount_total, (session.currency or "").lower())
    expected = (order.amount, order.currency.lower())
    if paid != expected:
        return f"paid {paid[0]} {paid[1]} but the order costs {expected[0]} {expected[1]}"
    return None


def payable_without_choice_change(order: OrderView) -> str | None:
    """None when a payment can be booked on the order as it stands, else why not."""
    if order.status in (OrderStatus.DRAFT, OrderStatus.FAILED) and order.payment_ref is None:
        return f"the order is {order.status.value.replace('_', ' ')}, not waiting for payment"
    return None
