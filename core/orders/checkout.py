"""The port OrderService takes payments through: the `Payments` protocol.

It is declared here, beside the order schemas it speaks, so that core/orders never imports
core/payments (which builds on orders: views, packages, `mark_paid`). The implementations and the
choice between them live in core/payments, which re-exports this protocol.
"""

from __future__ import annotations

from typing import Protocol

from core.orders.packages import Package
from core.orders.schemas import CheckoutInfo, OrderView


class Payments(Protocol):
    """One way of paying: free, Stripe Checkout, Telegram Stars, Discord Premium."""

    name: str

    def create_checkout(self, *, order: OrderView, package: Package) -> CheckoutInfo:
        """Start paying for `package` on `order`; the checkout says where the buyer goes next."""
        ...
