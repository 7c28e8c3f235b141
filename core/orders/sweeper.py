"""Finds orders whose job stalled (worker gone, enqueue lost) and queues them again.

An order counts as stuck when it is `paid` or `building` and its row has not changed (no progress
heartbeat) for `stuck_after_s`. After `max_build_attempts` runs it is failed instead, refund due, so
a paid order always ends in `ready` or `failed` with a reason.

Previews stall the same way (a draft whose preview was asked for, not failed, and idle): they are
queued again once, then failed with a "try again" message, so a person waiting on the order page
or in a chat is never left with a spinner forever.

Embedded mode keeps its queue in memory, so a restart loses every queued job: the embedded worker
sweeps once shortly after start with `cutoff` = the moment it started (see workers.embedded),
which picks up at once what the previous process left behind instead of after `stuck_after_s`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update

from core.config import Settings
from core.db import Database
from core.jobs import JobQueue
from core.orders.builds import Builds
from core.orders.lifecycle import OrderStatus
from core.orders.packages import draws_hd
from core.orders.tables import Order, utcnow

PREVIEW_STALLED = (
    "Drawing your preview took too long and was stopped. Please pick a style again to retry."
)
REQUEUED_LABEL = "Queued again after a delay"

GAVE_UP = (
    "We could not finish your game after several tries. You will not be charged for it: "
    "a refund is on its way. Please try again later."
)


@dataclass
class SweepReport:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    previews_requeued: list[str] = field(default_factory=list)
    previews_failed: list[str] = field(default_factory=list)


def sweep_stuck(
    *,
    db: Database,
    jobs: JobQueue,
    builds: Builds,
    settings: Settings,
    now: datetime | None = None,
    cutoff: datetime | None = None,
) -> SweepReport:
    """Re-queue (or finally fail) every stuck order; returns what it did.

    Stuck means untouched since `cutoff` (default: `stuck_after_s` before `now`).
    """
    if cutoff is None:
        cutoff = (now or utcnow()) - timedelta(seconds=settings.stuck_after_s)
    report = SweepReport()
    for order_id, attempts, package in _stuck(db, cutoff):
        if attempts >= settings.max_build_attempts:
            builds.fail(order_id, code="build_gave_up", message=GAVE_UP)
            report.failed.append(order_id)
        elif _claim(db, order_id, cutoff):
            jobs.enqueue_build(order_id, hd=draws_hd(settings, package))
            report.requeued.append(order_id)
    for order_id, label in _stalled_previews(db, cutoff):
        if label == REQUEUED_LABEL:  # queued again once already and still nothing: give up
            builds.fail(order_id, code="preview_stalled", message=PREVIEW_STALLED)
            report.previews_failed.append(order_id)
        elif _claim(db, order_id, cutoff):
            jobs.enqueue_preview(order_id)
            report.previews_requeued.append(order_id)
    return report


def _stuck(db: Database, cutoff: datetime) -> list[tuple[str, int, str | None]]:
    active = [OrderStatus.PAID.value, OrderStatus.BUILDING.value]
    stmt = select(Order.id, Order.attempts, Order.package).where(
        Order.status.in_(active), Order.updated_at < cutoff
    )
    with db.session() as session:
        return [(row.id, row.attempts, row.package) for row in session.execute(stmt)]


def _stalled_previews(db: Database, cutoff: datetime) -> list[tuple[str, str]]:
    """Drafts whose preview was asked for (a progress label is set), not failed, and idle."""
    stmt = select(Order.id, Order.progress_label).where(
        Order.status == OrderStatus.DRAFT.value,
        Order.progress_label != "",
        Order.error_code.is_(None),
        Order.updated_at < cutoff,
    )
    with db.session() as session:
        return [(row.id, row.progress_label) for row in session.execute(stmt)]


def _claim(db: Database, order_id: str, cutoff: datetime) -> bool:
    """Touch the row so concurrent sweepers (or the next sweep) do not queue it twice."""
    stmt = (
        update(Order)
        .where(Order.id == order_id, Order.updated_at < cutoff)
        .values(updated_at=utcnow(), progress_label=REQUEUED_LABEL)
        .execution_options(synchronize_session=False)
    )
    with db.session() as session:
        return bool(session.execute(stmt).rowcount)  # type: ignore[attr-defined]
