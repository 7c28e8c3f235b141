"""Telegram Stars (currency XTR): the `Payments` provider the Telegram channel uses for games.

Digital goods sold inside a Telegram bot must be paid in Stars. The checkout here only prices the
package; the bot then sends an invoice whose payload is `invoice_payload(order_id)`, answers the
pre-checkout query after `check_payable`, and on `successful_payment` calls
`OrderService.mark_paid(payment_ref=<telegram_payment_charge_id>, provider="telegram_stars",
event_id=<same>)`, which records it exactly once. When the paid build gives up, the bot gives the
Stars back (`refundStarPayment`) between `refund_due` and `record_refund`, the one refund guard
of core.payments.refunds, so it happens and is told once.
"""

from __future__ import annotations

from core.config import Settings
from core.db import Database
from core.errors import InvalidRequest
from core.orders.lifecycle import OrderStatus
from core.orders.packages import Package
from core.orders.schemas import CheckoutInfo, OrderView
from core.payments.refunds import Refunds

CURRENCY = "XTR"
PROVIDER = "telegram_stars"
PAYLOAD_PREFIX = "order:"


def stars_price(settings: Settings, package: str) -> int:
    """Stars for a game package (whole Stars; XTR has no smaller unit)."""
    prices = {"classic": settings.telegram_stars_classic, "deluxe": settings.telegram_stars_deluxe}
    if package not in prices:
        raise InvalidRequest(f"Unknown package {package!r}.", code="bad_package")
    return prices[package]


def invoice_payload(order_id: str) -> str:
    """What Telegram echoes back in the pre-checkout query and the successful payment."""
    return f"{PAYLOAD_PREFIX}{order_id}"


def order_id_of(payload: str) -> str:
    """The order id inside an invoice payload; InvalidRequest for anything else."""
    if not payload.startswith(PAYLOAD_PREFIX) or len(payload) <= len(PAYLOAD_PREFIX):
        raise InvalidRequest("This invoice does not belong to an order.", code="bad_invoice")
    return payload[len(PAYLOAD_PREFIX) :]


class StarsPayments:
    """Prices packages in Stars; payment happens in the chat, confirmed by Telegram."""

    name = PROVIDER

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def create_checkout(self, *, order: OrderView, package: Package) -> CheckoutInfo:
        stars = stars_price(self.settings, package.name)
        return CheckoutInfo(
            provider=self.name,
            label=f"{package.title}: {stars} Stars",
            amount=stars,
            currency=CURRENCY,
            url=None,  # the bot sends an invoice instead of a link
            reference=invoice_payload(order.id),
            free=False,
        )


def check_payable(
    settings: Settings, order: OrderView, *, total_amount: int, currency: str
) -> str | None:
    """None when this pre-checkout may go ahead, else the reason to show the buyer."""
    if order.status != OrderStatus.AWAITING_PAYMENT:
        if order.status in (OrderStatus.PAID, OrderStatus.BUILDING, OrderStatus.READY):
            return "This game is already paid for, so there is nothing more to pay."
        return "This order is no longer waiting for payment. Please pick a package again."
    # The order row keeps the package's list price; the invoice was made in Stars from settings.
    expected = stars_price(settings, order.package or "")
    if currency != CURRENCY or total_amount != expected:
        return "The price changed since this invoice was made. Please pick a package again."
    return None


def stars_charge(order: OrderView) -> str | None:
    """The Telegram charge to give back for an order paid in Stars; None for any other payment
    (free, or Stripe, which core.payments.stripe_fulfilment refunds)."""
    if order.currency.upper() != CURRENCY or not order.payment_ref:
        return None
    return order.payment_ref


def refund_due(*, db: Database, order: OrderView) -> str | None:
    """The charge to refund now: a Stars payment not refunded before; None otherwise. Call it
    only for an order whose paid build gave up (`refund_due` in its status)."""
    charge = stars_charge(order)
    return None if charge is None or Refunds(db).done(order.id) else charge


def record_refund(*, db: Database, order: OrderView) -> bool:
    """After Telegram gave the Stars back: record it once; True when this call did (tell the
    buyer then), False when a refund of this order was recorded before."""
    data = {"charge_id": order.payment_ref, "stars": order.amount}
    return Refunds(db).record(order=order, provider=PROVIDER, data=data)
