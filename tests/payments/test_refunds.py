"""One once-only guard for every refund (core.payments.refunds): a second refund attempt for the
same order does nothing, whether Stripe, Telegram Stars or Discord Premium paid it, on SQLite and
PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from core.config import Settings
from core.db import Database
from core.orders.lifecycle import OrderStatus
from core.orders.schemas import OrderView
from core.orders.service import OrderService
from core.orders.tables import Order, PaymentEvent
from core.payments import payments_for
from core.payments.discord_premium import refer_refund
from core.payments.refunds import Refunds
from core.payments.stripe import stripe_client
from core.payments.stripe_fulfilment import Fulfilment
from core.payments.telegram_stars import record_refund, refund_due
from core.storage import LocalStorage
from tests.fakes.stripe_api import FakeStripe
from tests.orders.factories import add_order
from tests.orders.fixtures import RecordingJobs
from tests.payments.conftest import stripe_settings
from tests.payments.helpers import events

REFUNDS = "/v1/refunds"


@pytest.fixture
def pay_settings(tmp_path: Path, fake_stripe: FakeStripe) -> Settings:
    return stripe_settings(tmp_path, fake_stripe)


@pytest.fixture
def orders(pay_settings: Settings, db: Database, storage: LocalStorage) -> OrderService:
    payments = payments_for(pay_settings, "web")
    return OrderService(settings=pay_settings, db=db, storage=storage, payments=payments,
                        jobs=RecordingJobs())  # fmt: skip


def _give_up(db: Database, order_id: str) -> None:
    """The paid build failed for good: failed, refund due (as Builds.fail leaves it)."""
    with db.session() as session:
        session.execute(update(Order).where(Order.id == order_id)
                        .values(status=OrderStatus.FAILED.value, refund_due=True))  # fmt: skip


def _paid(db: Database, orders: OrderService, **columns: object) -> OrderView:
    order_id = add_order(db, status=OrderStatus.PAID, **columns)
    _give_up(db, order_id)
    return orders.get_order(order_id=order_id)


def _markers(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(PaymentEvent)) or 0)


def test_the_guard_records_one_refund_per_order(db: Database, orders: OrderService) -> None:
    order = _paid(db, orders, currency="xtr", amount=250, payment_ref="charge-g")
    guard = Refunds(db)
    assert not guard.done(order.id)
    assert guard.record(order=order, provider="telegram_stars", data={"charge_id": "charge-g"})
    assert guard.done(order.id)
    # A second refund of the same order, by any provider, is refused and writes nothing.
    assert not guard.record(order=order, provider="telegram_stars")
    assert not guard.record(order=order, provider="stripe", data={"refund_id": "re_x"})
    assert events(db, order.id, "payment.refunded") == 1
    assert _markers(db) == 1
    other = _paid(db, orders, currency="xtr", amount=250, payment_ref="charge-h")
    assert not guard.done(other.id)  # per order


def test_two_processes_recording_at_once_record_one_refund(
    db: Database, orders: OrderService
) -> None:
    order = _paid(db, orders, currency="xtr", amount=250, payment_ref="charge-r")
    start = threading.Barrier(4)
    won: list[bool] = []

    def attempt() -> None:
        start.wait()
        won.append(Refunds(db).record(order=order, provider="telegram_stars"))

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == [False, False, False, True]
    assert events(db, order.id, "payment.refunded") == 1


def test_a_stripe_refund_is_made_once(
    db: Database, orders: OrderService, pay_settings: Settings, fake_stripe: FakeStripe
) -> None:
    fulfilment = Fulfilment(settings=pay_settings, orders=orders,
                            client=stripe_client(pay_settings))  # fmt: skip
    order_id = add_order(db, status=OrderStatus.PREVIEW_READY, package=None)
    session_id = orders.choose_package(order_id=order_id, package="classic").reference
    assert session_id is not None
    fake_stripe.pay(session_id)
    assert fulfilment.fulfill_checkout(session_id).result == "fulfilled"
    _give_up(db, order_id)
    order = orders.get_order(order_id=order_id)
    assert (order.payment_ref or "").startswith("pi_")
    before = len(fake_stripe.created(REFUNDS))

    first = fulfilment.refund(order)
    assert first is not None
    assert fulfilment.refund(order) is None  # the second attempt does nothing
    fulfilment.after_build(order_id)  # nor does the build's follow-up, or reconciliation
    assert [r.params["payment_intent"] for r in fake_stripe.created(REFUNDS)[before:]] == [
        order.payment_ref
    ]
    assert events(db, order_id, "payment.refunded") == 1
    assert Refunds(db).done(order_id)
    assert refund_due(db=db, order=order) is None  # no other provider refunds it again either


def test_a_stars_refund_is_made_once(db: Database, orders: OrderService) -> None:
    order = _paid(db, orders, currency="xtr", amount=250, payment_ref="charge-s")
    assert refund_due(db=db, order=order) == "charge-s"
    assert record_refund(db=db, order=order)  # the bot tells the buyer only now
    assert refund_due(db=db, order=order) is None  # a second attempt gives nothing back...
    assert not record_refund(db=db, order=order)  # ...and says nothing
    assert events(db, order.id, "payment.refunded") == 1
    card = _paid(db, orders, currency="usd", amount=499, payment_ref="pi_card")
    assert refund_due(db=db, order=card) is None  # not paid in Stars: not Telegram's to refund


def test_a_premium_refund_is_referred_to_discord_once(db: Database, orders: OrderService) -> None:
    order = _paid(db, orders, currency="usd", amount=499, payment_ref="discord:1300000000000000042")
    assert refer_refund(db=db, order=order)
    assert not refer_refund(db=db, order=order)
    assert events(db, order.id, "payment.refund_referred") == 1
    assert Refunds(db).done(order.id)
    stars = _paid(db, orders, currency="xtr", amount=250, payment_ref="charge-p")
    assert not refer_refund(db=db, order=stars)  # not a Discord purchase: nothing recorded
    assert not Refunds(db).done(stars.id)
