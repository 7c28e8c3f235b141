"""Packages, free checkout and mark_paid: idempotent, deduped by event id, race-safe."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from core.config import Settings
from core.db import Database
from core.errors import InvalidRequest
from core.orders.lifecycle import InvalidTransition, OrderStatus
from core.orders.packages import game_packages, packages
from core.orders.schemas import PaymentResult
from core.orders.service import OrderService
from core.orders.store import move
from core.orders.tables import Event, Order
from core.payments import FREE_LABEL
from tests.orders.factories import add_order
from tests.orders.fixtures import RecordingJobs


def _order(db: Database, order_id: str) -> Order:
    with db.session() as session:
        order = session.get(Order, order_id)
        assert order is not None
        return order


def test_packages_come_from_settings(order_settings: Settings) -> None:
    s = order_settings.model_copy(update={"price_classic": 300, "currency": "eur"})
    offer = packages(s)
    assert offer["preview"].amount == 0
    assert (offer["classic"].amount, offer["classic"].currency, offer["classic"].levels) == (
        300,
        "eur",
        3,
    )
    assert offer["deluxe"].levels == 6
    assert offer["deluxe"].boss
    assert offer["deluxe"].hd_sprite
    assert set(game_packages(s)) == {"classic", "deluxe"}


def test_free_checkout_pays_and_queues_the_build(
    svc: OrderService, db: Database, jobs: RecordingJobs
) -> None:
    order_id = add_order(db, status=OrderStatus.PREVIEW_READY, package=None)
    checkout = svc.choose_package(order_id=order_id, package="deluxe")
    assert checkout.free
    assert checkout.url is None
    assert FREE_LABEL in checkout.label
    order = _order(db, order_id)
    assert (order.status, order.package, order.amount) == ("paid", "deluxe", 0)
    assert order.payment_ref == f"free:{order_id}"
    assert jobs.sent == [("hd_build", order_id)]  # deluxe draws the HD sprite: a GPU job


def test_unknown_package_is_refused(svc: OrderService, db: Database) -> None:
    order_id = add_order(db, status=OrderStatus.PREVIEW_READY, package=None)
    with pytest.raises(InvalidRequest, match="classic, deluxe"):
        svc.choose_package(order_id=order_id, package="platinum")


def test_package_needs_a_preview_first(svc: OrderService, db: Database) -> None:
    order_id = add_order(db, status=OrderStatus.DRAFT, package=None)
    with pytest.raises(InvalidTransition, match="draft"):
        svc.choose_package(order_id=order_id, package="classic")


def test_mark_paid_twice_is_a_no_op(svc: OrderService, db: Database, jobs: RecordingJobs) -> None:
    order_id = add_order(db)
    first = svc.mark_paid(order_id=order_id, payment_ref="pi_1", amount=499, currency="USD")
    second = svc.mark_paid(order_id=order_id, payment_ref="pi_1", amount=499, currency="USD")
    assert first.changed
    assert not second.changed
    assert (first.status, second.status) == (OrderStatus.PAID, OrderStatus.PAID)
    assert (second.payment_ref, second.amount, second.currency) == ("pi_1", 499, "usd")
    assert jobs.sent == [("build", order_id)]


def test_mark_paid_after_the_build_started_changes_nothing(svc: OrderService, db: Database) -> None:
    order_id = add_order(db, status=OrderStatus.BUILDING, payment_ref="pi_9")
    result = svc.mark_paid(order_id=order_id, payment_ref="pi_9", amount=499, currency="usd")
    assert not result.changed
    assert result.status == OrderStatus.BUILDING


def test_a_second_different_payment_is_flagged_not_applied(svc: OrderService, db: Database) -> None:
    order_id = add_order(db)
    svc.mark_paid(order_id=order_id, payment_ref="pi_1", amount=499, currency="usd")
    again = svc.mark_paid(order_id=order_id, payment_ref="pi_2", amount=499, currency="usd")
    assert not again.changed
    assert again.payment_ref == "pi_1"
    with db.session() as session:
        kinds = list(session.scalars(select(Event.type).where(Event.order_id == order_id)))
    assert "payment.duplicate" in kinds


def test_redelivered_provider_event_is_deduped(
    svc: OrderService, db: Database, jobs: RecordingJobs
) -> None:
    order_id = add_order(db)
    args = {"order_id": order_id, "payment_ref": "cs_1", "amount": 499, "currency": "usd",
            "provider": "stripe", "event_id": "evt_1"}  # fmt: skip
    assert svc.mark_paid(**args).changed  # type: ignore[arg-type]
    assert not svc.mark_paid(**args).changed  # type: ignore[arg-type]
    assert len(jobs.sent) == 1


def test_a_payment_for_another_package_does_not_book_the_order(
    svc: OrderService, db: Database, jobs: RecordingJobs
) -> None:
    """The buyer switched to deluxe: a payment that bought classic is refused (to be refunded),
    and the deluxe one books the order."""
    order_id = add_order(db, package="deluxe", amount=999)
    with pytest.raises(InvalidRequest) as refused:
        svc.mark_paid(order_id=order_id, payment_ref="pi_old", amount=499, currency="usd",
                      package="classic")  # fmt: skip
    assert refused.value.code == "price_changed"
    assert (_order(db, order_id).status, jobs.sent) == ("awaiting_payment", [])
    paid = svc.mark_paid(order_id=order_id, payment_ref="pi_new", amount=999, currency="usd",
                         package="deluxe")  # fmt: skip
    assert paid.changed
    assert (paid.payment_ref, paid.amount) == ("pi_new", 999)
    assert jobs.sent == [("hd_build", order_id)]


def test_repricing_a_waiting_order_changes_only_what_differs(db: Database) -> None:
    """awaiting_payment -> awaiting_payment: a new price is a change; the same again is the
    idempotent no-op (updated_at kept: it versions the checkout)."""
    order_id = add_order(db, package="classic", amount=499)
    price = {"package": "deluxe", "amount": 999, "currency": "usd"}
    with db.session() as session:
        assert move(session, order_id, OrderStatus.AWAITING_PAYMENT, **price)
    stamp = _order(db, order_id).updated_at
    with db.session() as session:
        assert not move(session, order_id, OrderStatus.AWAITING_PAYMENT, **price)
    order = _order(db, order_id)
    assert (order.status, order.package, order.amount) == ("awaiting_payment", "deluxe", 999)
    assert order.updated_at == stamp


def test_unpaid_orders_cannot_be_marked_paid(svc: OrderService, db: Database) -> None:
    order_id = add_order(db, status=OrderStatus.DRAFT)
    with pytest.raises(InvalidTransition):
        svc.mark_paid(order_id=order_id, payment_ref="pi_1", amount=1, currency="usd")
    assert _order(db, order_id).status == "draft"


def _race_to_pay(svc: OrderService, order_id: str) -> list[PaymentResult]:
    barrier = threading.Barrier(2)
    results: list[PaymentResult] = []

    def pay() -> None:
        barrier.wait()  # both threads call mark_paid at the same moment
        results.append(
            svc.mark_paid(order_id=order_id, payment_ref="pi_x", amount=499, currency="usd")
        )

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_threads_marking_paid_make_exactly_one_transition(
    svc: OrderService, db: Database, jobs: RecordingJobs
) -> None:
    order_ids = [add_order(db) for _ in range(5)]
    for order_id in order_ids:
        results = _race_to_pay(svc, order_id)
        assert sorted(r.changed for r in results) == [False, True]
    assert sorted(jobs.sent) == sorted(("build", o) for o in order_ids)
    with db.session() as session:
        paid_events = session.scalar(
            select(func.count()).select_from(Event).where(Event.type == "order.paid")
        )
    assert paid_events == len(order_ids)
