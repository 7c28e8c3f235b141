"""Free mode (the embedded default): every game package costs nothing, and the checkout says so.

The checkout is settled at once: `OrderService.choose_package` sees `free=True` and records the
payment itself (`payment_ref` "free:<order id>"), which queues the build.
"""

from __future__ import annotations

from core.orders.packages import Package
from core.orders.schemas import CheckoutInfo, OrderView

PROVIDER = "free"
FREE_LABEL = "Free during early access: no payment needed"


class FreePayments:
    """Every package costs nothing, and says so: the checkout is already settled."""

    name = PROVIDER

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
