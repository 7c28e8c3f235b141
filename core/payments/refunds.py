"""The one once-only guard for every refund, whoever pays it back (Stripe, Telegram Stars, Discord).

A paid build that finally fails is refunded at most once per order: the guard is a unique marker
row `("petpixel", "refund:<order id>")` in `processed_payment_events`, claimed in the same
transaction as the order's refund event. Use it around the provider's call:

    if not refunds.done(order.id):
        give_the_money_back()                      # Stripe, Telegram's refundStarPayment...
        if refunds.record(order=order, provider="stripe", data={...}):
            tell_the_buyer()                       # once, by whoever recorded it

A call repeated between the two steps (a crash, two processes at once) is absorbed by the
provider's own guard (Stripe's Idempotency-Key; Telegram refuses a charge refunded before), and
only one of them records it, so the buyer hears about it once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.db import Database
from core.orders.schemas import OrderView
from core.orders.tables import Event, PaymentEvent

MARKER = "petpixel"  # provider column of our own once-only markers in processed_payment_events
REFUNDED = "payment.refunded"


def refund_key(order_id: str) -> str:
    return f"refund:{order_id}"


class Refunds:
    """Whether an order was refunded, and the record that it was (exactly once per order)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def done(self, order_id: str) -> bool:
        """True once any refund of this order was recorded."""
        stmt = select(PaymentEvent.id).where(
            PaymentEvent.provider == MARKER, PaymentEvent.event_id == refund_key(order_id)
        )
        with self.db.session() as session:
            return session.scalar(stmt) is not None

    def record(
        self,
        *,
        order: OrderView,
        provider: str,
        data: Mapping[str, Any] | None = None,
        event: str = REFUNDED,
    ) -> bool:
        """Claim the order's refund marker and write `event` with it; False, writing nothing,
        when a refund of this order was recorded before."""
        try:
            with self.db.session() as session:
                session.add(PaymentEvent(provider=MARKER, event_id=refund_key(order.id),
                                         order_id=order.id))  # fmt: skip
                session.flush()  # the unique constraint answers here, before the event is added
                session.add(Event(type=event, user_id=order.user_id, order_id=order.id,
                                  data={"provider": provider, **(data or {})}))  # fmt: skip
        except IntegrityError:
            return False
        return True
