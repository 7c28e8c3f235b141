"""How orders get paid: a `Payments` protocol, `FreePayments` (embedded default), `new_payments()`.

A checkout says where to send the buyer. The provider later confirms payment (a webhook for Stripe,
immediately for the free mode) and the caller records it with `OrderService.mark_paid`, which is
idempotent: confirming the same payment twice changes nothing.
"""

from __future__ import annotations

from typing import Protocol

from core.config import Settings
from core.errors import InvalidRequest
from core.orders.packages import Package
from core.orders.schemas import CheckoutInfo, OrderView

FREE_LABEL = "Free during early access: no payment needed"


class Payments(Protocol):
    name: str

    def create_checkout(self, *, order: OrderView, package: Package) -> CheckoutInfo:
        """Start paying for `package` on `order`; the checkout says where the buyer goes next."""
        ...


class FreePayments:
    """Every package costs nothing, and says so: the checkout is already settled."""

    name = "free"

    def create_checkout(self, *, order: OrderView, package: Package) -> CheckoutInfo:
        return CheckoutInfo(
            provider=self.name,
            label=f"{package.title}: {FREE_LABEL}",
            amount=0,
            currency=package.currency,
            url=None,
            reference=f"free:{order.id}",
            free=True,
        )


def new_payments(settings: Settings) -> Payments:
    """Stripe Checkout when PETPIXEL_STRIPE_SECRET_KEY is set, else the free mode."""
    if settings.stripe_secret_key:
        from core.stripe_payments import StripePayments  # imports stripe only when used

        return StripePayments(settings)
    if settings.payments_backend == "free":
        return FreePayments()
    raise InvalidRequest(
        "Stripe payments need PETPIXEL_STRIPE_SECRET_KEY; "
        "or set PETPIXEL_PAYMENTS_BACKEND=free to run with free packages.",
        code="payments_unavailable",
    )
