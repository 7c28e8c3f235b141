"""The sweeper: stuck paid/building orders are queued again, then failed with a refund due."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from core.config import Settings
from core.db import Database
from core.orders.builds import Builds
from core.orders.lifecycle import OrderStatus
from core.orders.service import OrderService
from core.orders.sweeper import sweep_stuck
from core.orders.tables import Event, Order, utcnow
from core.storage import LocalStorage
from tests.orders.factories import add_order
from tests.orders.fixtures import RecordingJobs


def _age(db: Database, order_id: str, seconds: int) -> None:
    with db.session() as session:
        session.execute(
            update(Order)
            .where(Order.id == order_id)
            .values(updated_at=utcnow() - timedelta(seconds=seconds))
        )


def _sweep(
    db: Database, jobs: RecordingJobs, settings: Settings, storage: LocalStorage
) -> tuple[list[str], list[str]]:
    builds = Builds(settings=settings, db=db, storage=storage)
    report = sweep_stuck(db=db, jobs=jobs, builds=builds, settings=settings)
    return report.requeued, report.failed


def test_stuck_orders_are_requeued_once(
    db: Database, jobs: RecordingJobs, order_settings: Settings, storage: LocalStorage
) -> None:
    stuck_paid = add_order(db, status=OrderStatus.PAID, attempts=0)
    stuck_building = add_order(db, status=OrderStatus.BUILDING, attempts=1)
    fresh = add_order(db, status=OrderStatus.BUILDING, attempts=1)
    waiting = add_order(db, status=OrderStatus.AWAITING_PAYMENT)
    for order_id in (stuck_paid, stuck_building, waiting):
        _age(db, order_id, order_settings.stuck_after_s + 5)

    requeued, failed = _sweep(db, jobs, order_settings, storage)

    assert sorted(requeued) == sorted([stuck_paid, stuck_building])
    assert failed == []
    assert fresh not in requeued
    assert waiting not in requeued
    assert sorted(jobs.sent) == sorted(("build", o) for o in requeued)
    assert _sweep(db, jobs, order_settings, storage) == ([], [])  # claimed: not queued twice


def test_orders_out_of_attempts_fail_with_refund_due(
    db: Database, jobs: RecordingJobs, order_settings: Settings, storage: LocalStorage
) -> None:
    order_id = add_order(
        db, status=OrderStatus.BUILDING, attempts=order_settings.max_build_attempts
    )
    _age(db, order_id, order_settings.stuck_after_s + 5)

    requeued, failed = _sweep(db, jobs, order_settings, storage)

    assert (requeued, failed) == ([], [order_id])
    with db.session() as session:
        order = session.get(Order, order_id)
        assert order is not None
        assert (order.status, order.refund_due, order.error_code) == (
            "failed",
            True,
            "build_gave_up",
        )
        assert order.error_message
        assert "refund" in order.error_message
        event = session.scalars(select(Event).where(Event.order_id == order_id)).one()
        assert (event.type, event.data["refund_due"]) == ("order.failed", True)
    assert jobs.sent == []


def test_preview_runs_do_not_use_up_the_build_attempts(
    svc: OrderService, db: Database, jobs: RecordingJobs, order_settings: Settings,
    storage: LocalStorage,
) -> None:  # fmt: skip
    # Three preview re-rolls before paying; then the paid build stalls once.
    order_id = add_order(db, attempts=order_settings.max_build_attempts)
    svc.mark_paid(order_id=order_id, payment_ref="pi_1", amount=499, currency="usd")
    _age(db, order_id, order_settings.stuck_after_s + 5)

    requeued, failed = _sweep(db, jobs, order_settings, storage)

    assert (requeued, failed) == ([order_id], [])
    assert jobs.sent == [("build", order_id), ("build", order_id)]  # mark_paid's, then the sweep's


def _pending_preview(db: Database, order_id: str, label: str = "Finding your pet") -> None:
    with db.session() as session:
        session.execute(update(Order).where(Order.id == order_id)
                        .values(progress_percent=30, progress_label=label))  # fmt: skip


def test_a_stalled_preview_is_queued_again_once_then_failed_with_a_retry_message(
    db: Database, jobs: RecordingJobs, order_settings: Settings, storage: LocalStorage
) -> None:
    stalled = add_order(db, status=OrderStatus.DRAFT)
    never_asked = add_order(db, status=OrderStatus.DRAFT)  # photo sent, no preview asked for
    running = add_order(db, status=OrderStatus.DRAFT)
    for order_id in (stalled, running):
        _pending_preview(db, order_id)
    for order_id in (stalled, never_asked):
        _age(db, order_id, order_settings.stuck_after_s + 5)
    builds = Builds(settings=order_settings, db=db, storage=storage)

    report = sweep_stuck(db=db, jobs=jobs, builds=builds, settings=order_settings)
    assert (report.previews_requeued, report.previews_failed) == ([stalled], [])
    assert jobs.sent == [("preview", stalled)]

    _age(db, stalled, order_settings.stuck_after_s + 5)  # the second run stalled too
    report = sweep_stuck(db=db, jobs=jobs, builds=builds, settings=order_settings)
    assert (report.previews_requeued, report.previews_failed) == ([], [stalled])
    with db.session() as session:
        order = session.get(Order, stalled)
        assert order is not None
        assert (order.status, order.error_code, order.refund_due) == (
            "failed", "preview_stalled", False,
        )  # fmt: skip
        assert "try" in (order.error_message or "")
        untouched = session.get(Order, never_asked)
        assert untouched is not None
        assert (untouched.status, untouched.progress_label) == ("draft", "")
    assert jobs.sent == [("preview", stalled)]


def test_an_explicit_cutoff_takes_everything_untouched_since_then(
    db: Database, jobs: RecordingJobs, order_settings: Settings, storage: LocalStorage
) -> None:
    # What the embedded worker does once after a restart: cutoff = the moment it started.
    before = add_order(db, status=OrderStatus.PAID, attempts=0)
    _age(db, before, 30)
    started = utcnow() - timedelta(seconds=10)
    after = add_order(db, status=OrderStatus.PAID, attempts=0)  # queued by this process
    builds = Builds(settings=order_settings, db=db, storage=storage)
    report = sweep_stuck(db=db, jobs=jobs, builds=builds, settings=order_settings, cutoff=started)
    assert report.requeued == [before]
    assert after not in report.requeued
