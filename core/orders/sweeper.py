"""Finds orders whose job stalled (worker gone, enqueue lost) and queues them again.

An order counts as stuck when it is `paid` or `building` and its row has not changed (no progress
heartbeat) for `stuck_after_s`. After `max_build_attempts` runs it is failed instead, refund due, so
a paid order always ends in `ready` or `failed` with a reason.

Previews stall the same way (a draft whose preview was asked for, not failed, and idle): they are
queued again once, then failed with a "try again" message, so a person waiting on the order page
or in a chat is never left with a spinner forever.

Unpaid orders left alone (a draft, a ready preview nobody bought, a failed preview) are expired:
idle for `draft_ttl_h` hours, they are deleted with their photo and previews (`expire_drafts`,
run by every sweep, a batch at a time), so stored photos do not grow without bound. Orders waiting
for a payment are kept (a late payment must find its order), and so is every paid order.

Embedded mode keeps its queue in memory, so a restart loses every queued job: the embedded worker
sweeps once shortly after start with `cutoff` = the moment it started (see workers.embedded),
which picks up at once what the previous process left behind instead of after `stuck_after_s`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from core.config import Settings
from core.db import Database
from core.jobs import JobQueue
from core.orders.builds import Builds
from core.orders.lifecycle import OrderStatus
from core.orders.packages import draws_hd
from core.orders.publish import order_folders
from core.orders.tables import Event, Identity, Order, Upload, User, utcnow
from core.storage import Storage

log = logging.getLogger("petpixel.sweeper")

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
    expired: list[str] = field(default_factory=list)


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
    report.expired = expire_drafts(db=db, storage=builds.storage, settings=settings, now=now)
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


# Unpaid and not waiting for a payment: nothing is owed to anyone, so nothing is lost.
EXPIRABLE = (OrderStatus.DRAFT.value, OrderStatus.PREVIEW_READY.value, OrderStatus.FAILED.value)
EXPIRE_BATCH = 200


def expire_drafts(
    *, db: Database, storage: Storage, settings: Settings, now: datetime | None = None
) -> list[str]:
    """Delete unpaid orders idle for `draft_ttl_h` hours with their files; returns their ids.

    At most `EXPIRE_BATCH` a call (the next sweep takes the rest). Each order is claimed by a
    conditional UPDATE (still unpaid, still idle) that holds its row while the files go, so a
    person coming back at that moment either finds the order whole or not at all; if storage
    fails, the transaction rolls back and the next sweep tries again.
    """
    if settings.draft_ttl_h <= 0:
        return []
    cutoff = (now or utcnow()) - timedelta(hours=settings.draft_ttl_h)
    stmt = (
        select(Order.id)
        .where(Order.status.in_(EXPIRABLE), Order.paid_at.is_(None), Order.updated_at < cutoff)
        .order_by(Order.updated_at)
        .limit(EXPIRE_BATCH)
    )
    with db.session() as session:
        candidates = list(session.scalars(stmt))
    expired = []
    for order_id in candidates:
        try:
            if _expire_one(db, storage, order_id, cutoff):
                expired.append(order_id)
        except Exception:  # storage or database blinked: this order waits for the next sweep
            log.exception("could not expire order %s", order_id)
    return expired


def _expire_one(db: Database, storage: Storage, order_id: str, cutoff: datetime) -> bool:
    with db.session() as session:
        claimed = session.execute(
            update(Order)
            .where(
                Order.id == order_id,
                Order.status.in_(EXPIRABLE),
                Order.paid_at.is_(None),
                Order.updated_at < cutoff,
            )
            .values(updated_at=Order.updated_at)  # takes the row lock, changes nothing
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
        if not claimed:
            return False  # touched or paid since we looked: keep it
        user_id = session.scalar(select(Order.user_id).where(Order.id == order_id))
        _delete_files(session, storage, order_id)
        session.execute(delete(Event).where(Event.order_id == order_id))
        session.execute(delete(Upload).where(Upload.order_id == order_id))
        session.execute(delete(Order).where(Order.id == order_id))
        if user_id is not None:
            _drop_anonymous_user(session, user_id, cutoff)
    return True


def _delete_files(session: Session, storage: Storage, order_id: str) -> None:
    """Every folder of the order (`order_folders`: its private folder and the public preview
    folder of its asset key, earlier redraws included)."""
    asset_key = session.scalar(select(Order.asset_key).where(Order.id == order_id)) or ""
    for folder in order_folders(order_id, asset_key) if asset_key else [f"orders/{order_id}/"]:
        storage.delete_prefix(folder)


def _drop_anonymous_user(session: Session, user_id: str, cutoff: datetime) -> None:
    """A web upload makes a user with no identity; once its last order is gone, so is it."""
    user = session.get(User, user_id)
    if user is None or user.created_at >= cutoff:
        return
    if session.scalar(select(Identity.id).where(Identity.user_id == user_id).limit(1)):
        return
    if session.scalar(select(Order.id).where(Order.user_id == user_id).limit(1)):
        return
    session.execute(delete(Event).where(Event.user_id == user_id))
    session.execute(delete(User).where(User.id == user_id))
