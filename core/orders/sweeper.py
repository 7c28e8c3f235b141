"""Finds paid orders whose build stalled (worker gone, enqueue lost) and queues them again.

An order counts as stuck when it is `paid` or `building` and its row has not changed (no progress
heartbeat) for `stuck_after_s`. After `max_build_attempts` runs it is failed instead, refund due, so
a paid order always ends in `ready` or `failed` with a reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update

from core.config import Settings
from core.db import Database
from core.jobs import JobQueue
from core.orders.builds import Builds
from core.orders.lifecycle import OrderStatus
from core.orders.models import Order, utcnow

GAVE_UP = (
    "We could not finish your game after several tries. You will not be charged for it: "
    "a refund is on its way. Please try again later."
)


@dataclass
class SweepReport:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def sweep_stuck(
    *, db: Database, jobs: JobQueue, builds: Builds, settings: Settings, now: datetime | None = None
) -> SweepReport:
    """Re-queue (or finally fail) every stuck paid order; returns what it did."""
    cutoff = (now or utcnow()) - timedelta(seconds=settings.stuck_after_s)
    report = SweepReport()
    for order_id, attempts in _stuck(db, cutoff):
        if attempts >= settings.max_build_attempts:
            builds.fail(order_id, code="build_gave_up", message=GAVE_UP)
            report.failed.append(order_id)
        elif _claim(db, order_id, cutoff):
            jobs.enqueue_build(order_id)
            report.requeued.append(order_id)
    return report


def _stuck(db: Database, cutoff: datetime) -> list[tuple[str, int]]:
    active = [OrderStatus.PAID.value, OrderStatus.BUILDING.value]
    stmt = select(Order.id, Order.attempts).where(
        Order.status.in_(active), Order.updated_at < cutoff
    )
    with db.session() as session:
        return [(row.id, row.attempts) for row in session.execute(stmt)]


def _claim(db: Database, order_id: str, cutoff: datetime) -> bool:
    """Touch the row so concurrent sweepers (or the next sweep) do not queue it twice."""
    stmt = (
        update(Order)
        .where(Order.id == order_id, Order.updated_at < cutoff)
        .values(updated_at=utcnow(), progress_label="Queued again after a delay")
        .execution_options(synchronize_session=False)
    )
    with db.session() as session:
        return bool(session.execute(stmt).rowcount)  # type: ignore[attr-defined]
