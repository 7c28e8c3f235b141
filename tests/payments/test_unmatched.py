"""A paid Checkout Session that cannot pay its order ends in a refund, never in limbo: an older
checkout, a second payment, another price, an order no longer waiting. Only a session naming no
order of ours, or one paid while automatic refunds are off, is kept for a person. The real
`stripe` library against the fake Stripe API, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from core.config import Settings
from core.db import Database
from core.orders.lifecycle import OrderStatus
from core.orders.service import OrderService
from core.orders.tables import Order
from core.payments.stripe import StripePayments, stripe_client
from core.payments.stripe_fulfilment import Fulfilment
from core.storage import LocalStorage
from tests.fakes.stripe_api import FakeStripe
from tests.orders.factories import add_order
from tests.orders.fixtures import RecordingJobs
from tests.payments.conftest import RecordingNotifier, stripe_settings
from tests.payments.helpers import events

REFUNDS = "/v1/refunds"


class Shop:
    """OrderService + Fulfilment over one database and the fake Stripe, recording notices."""

    def __init__(self, settings: Settings, db: Database, storage: LocalStorage) -> None:
        self.jobs = RecordingJobs()
        self.orders = OrderService(settings=settings, db=db, storage=storage,
                                   payments=StripePayments(settings), jobs=self.jobs)  # fmt: skip
        self.notices = RecordingNotifier()
        self.fulfilment = Fulfilment(settings=settings, orders=self.orders,
                                     client=stripe_client(settings))  # fmt: skip
        for channel in ("web", "telegram", "discord"):
            self.fulfilment.notifiers.register(channel, self.notices)

    def checkout(self, order_id: str, package: str) -> str:
        reference = self.orders.choose_package(order_id=order_id, package=package).reference
        assert reference is not None
        return reference


@pytest.fixture
def shop(tmp_path: Path, fake_stripe: FakeStripe, db: Database, storage: LocalStorage) -> Shop:
    return Shop(stripe_settings(tmp_path, fake_stripe), db, storage)


def _refunds_of(fake: FakeStripe, session_id: str) -> list[int]:
    intent = fake.sessions[session_id]["payment_intent"]
    return [r["amount"] for r in fake.refunds if r["payment_intent"] == intent]


def test_an_order_no_longer_waiting_gets_its_payment_back(
    shop: Shop, fake_stripe: FakeStripe, db: Database
) -> None:
    """Paid after the order went back to a draft (its checkout had been released and the buyer
    asked for a new preview): the payment cannot be booked, so it is refunded."""
    order_id = add_order(db, status=OrderStatus.PREVIEW_READY, package=None)
    session_id = shop.checkout(order_id, "classic")
    with db.session() as session:
        session.execute(update(Order).where(Order.id == order_id)
                        .values(status=OrderStatus.DRAFT.value))  # fmt: skip
    fake_stripe.pay(session_id)
    outcome = shop.fulfilment.fulfill_checkout(session_id)
    assert (outcome.result, outcome.order_id) == ("refunded", order_id)
    assert "draft" in outcome.detail
    assert _refunds_of(fake_stripe, session_id) == [499]
    assert shop.notices.kinds(order_id) == ["payment_refunded"]
    assert shop.jobs.sent == []  # no build for a payment given back


def test_a_refund_stripe_already_made_is_recorded_once(
    shop: Shop, fake_stripe: FakeStripe, db: Database, tmp_path: Path
) -> None:
    """An earlier attempt refunded it but died before recording (and its Idempotency-Key has
    expired): Stripe answers charge_already_refunded, which settles it, once."""
    order_id = add_order(db, status=OrderStatus.PREVIEW_READY, package=None)
    classic = shop.checkout(order_id, "classic")
    shop.checkout(order_id, "deluxe")
    fake_stripe.pay(classic)  # paid just before its expiry took effect
    intent = fake_stripe.sessions[classic]["payment_intent"]
    settings = stripe_settings(tmp_path, fake_stripe)
    stripe_client(settings).v1.refunds.create(params={"payment_intent": intent})  # the lost one

    for _ in range(2):
        assert shop.fulfilment.fulfill_checkout(classic).result == "refunded"
    assert _refunds_of(fake_stripe, classic) == [499]  # still the one refund
    assert events(db, order_id, "payment.unmatched_refunded") == 1
    assert shop.notices.kinds(order_id) == ["payment_refunded"]
    assert shop.orders.get_order(order_id=order_id).status == OrderStatus.AWAITING_PAYMENT


def test_without_automatic_refunds_it_is_kept_for_review(
    fake_stripe: FakeStripe, db: Database, storage: LocalStorage, tmp_path: Path
) -> None:
    shop = Shop(stripe_settings(tmp_path, fake_stripe, stripe_auto_refund=False), db, storage)
    order_id = add_order(db, status=OrderStatus.PREVIEW_READY, package=None)
    classic = shop.checkout(order_id, "classic")
    deluxe = shop.checkout(order_id, "deluxe")
    fake_stripe.pay(classic)
    fake_stripe.pay(deluxe)
    assert shop.fulfilment.fulfill_checkout(deluxe).result == "fulfilled"
    held = shop.fulfilment.fulfill_checkout(classic)
    assert held.result == "review"
    assert _refunds_of(fake_stripe, classic) == []  # a person refunds it by hand
    assert events(db, order_id, "payment.review") == 1
    assert shop.notices.kinds(order_id) == ["payment_received", "payment_review"]


def test_a_session_naming_no_order_of_ours_is_kept_for_review(
    shop: Shop, fake_stripe: FakeStripe, db: Database
) -> None:
    order_id = add_order(db, status=OrderStatus.PREVIEW_READY, package=None)
    session_id = shop.checkout(order_id, "classic")
    fake_stripe.sessions[session_id]["client_reference_id"] = "not-an-order-of-ours"
    fake_stripe.sessions[session_id]["metadata"] = {}
    fake_stripe.pay(session_id)
    outcome = shop.fulfilment.fulfill_checkout(session_id)
    assert (outcome.result, outcome.order_id) == ("review", None)
    assert _refunds_of(fake_stripe, session_id) == []  # it may be another system's money
    assert shop.orders.get_order(order_id=order_id).status == OrderStatus.AWAITING_PAYMENT
