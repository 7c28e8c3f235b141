"""The port OrderService takes payments through: the `Payments` protocol.

It is declared here, beside the order schemas it speaks, so that core/orders never imports
core/payments (which builds on orders: views, packages, `mark_paid`). The implementations and the
choice between them live in core/payments, which re-exports this protocol.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from core.orders.packages import Package
from core.orders.schemas import CheckoutInfo, OrderView


class Payments(Protocol):
    """One way of paying: free, Stripe Checkout, Telegram Stars, Discord Premium."""

    name: str

    def create_checkout(self, *, order: OrderView, package: Package) -> CheckoutInfo:
        """Start paying for `package` on `order`; the checkout says where the buyer goes next."""
        ...


@runtime_checkable
class ExpiringCheckouts(Protocol):
    """A provider whose checkouts stay payable until they are expired (Stripe Checkout).

    When the buyer picks another package before paying, OrderService expires the older checkout so
    only the new one can pay. Providers without it need nothing: a Telegram Stars invoice is
    checked against the order's price at pre-checkout, and a Discord purchase pays the waiting
    order of its own package."""

    def expire_checkout(self, *, reference: str) -> bool:
        """Stop `reference` from taking payments; False when it could not be expired (already
        paid or expired, or the provider was unreachable): never raises for that."""
        ...
