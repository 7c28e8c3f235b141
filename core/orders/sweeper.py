"""Finds orders whose job nobody runs any more (worker gone, enqueue lost) and queues them again.

A job is abandoned when the lease of its run ran out (core/orders/leases.py: the worker died and
its heartbeat stopped; found by the next sweep, every `sweeper_interval_s`), or when it holds no
lease and its row has not changed for `stuck_after_s` (the message was lost before any worker
claimed it). A live lease is never touched, however long the run takes. A `paid` or `building`
order is queued again until `max_build_attempts` runs, then failed instead, refund due, so a paid
order always ends in `ready` or `failed` with a reason.

Previews are abandoned the same way (a draft whose preview was asked for, not failed): they are
queued again once, then failed with a "try again" message, so a person waiting on the order page
or in a chat is never left with a spinner forever, and a photo that kills its worker cannot take
down one worker after another.

Unpaid orders left alone (a draft, a ready preview nobody bought, a failed preview) are expired:
idle for `draft_ttl_h` hours, they are deleted with their photo and previews (`expire_drafts`,
run by every sweep, a batch at a time), so stored photos do not grow without bound. Orders waiting
for a payment are kept (a late payment must find its order), and so is every paid order.

Embedded mode keeps its queue in memory, so a restart loses every queued job: the embedded worker
sweeps once shortly after start with `cutoff` = the moment it started (see workers.embedded),
which picks up at once what the previous process left behind instead of after `stuck_after_s`."""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, delete, or_, select, update
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
PREVIEW_REQUEUES = 1  # a preview is queued again once, then failed

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
    queued: Collection[str] | None = None,
) -> SweepReport:
    """Re-queue (or finally fail) every abandoned job; returns what it did.

    Without a lease, abandoned means untouched since `cutoff` (default: `stuck_after_s` before
    `now`). An explicit cutoff is a restart's: every lease taken before it died with the last
    process, so those jobs are taken too, without waiting for their leases to run out.

    `queued`: the orders the broker holds a message for, when the caller could tell
    (workers.queues). A job with no lease that is not among them and idle for `job_lease_s` lost
    its message (say, an enqueue that failed while Redis was down): it is queued again at once.
    """
    now = now or utcnow()
    restart = cutoff is not None
    if cutoff is None:
        cutoff = now - timedelta(seconds=settings.stuck_after_s)
    dead = _abandoned(now, cutoff, restart=restart)
    look = dead
    if queued is not None:
        quiet = now - timedelta(seconds=settings.job_lease_s)
        look = or_(dead, and_(Order.lease_until.is_(None), Order.updated_at < quiet))
    held = frozenset(queued or ())
    report = SweepReport()
    for row in _waiting(db, _BUILDS, look, dead):
        if not row.dead and row.id in held:
            continue  # waiting its turn in the queue
        if row.attempts >= settings.max_build_attempts:
            builds.fail(row.id, code="build_gave_up", message=GAVE_UP)
            report.failed.append(row.id)
        elif _claim(db, row.id, look, now):
            jobs.enqueue_build(row.id, hd=draws_hd(settings, row.package))
            report.requeued.append(row.id)
    for row in _waiting(db, _PREVIEWS, look, dead):
        if not row.dead and row.id in held:
            continue
        if row.requeues >= PREVIEW_REQUEUES:  # queued again already and abandoned again: give up
            builds.fail(row.id, code="preview_stalled", message=PREVIEW_STALLED)
            report.previews_failed.append(row.id)
        elif _claim(db, row.id, look, now):
            jobs.enqueue_preview(row.id)
            report.previews_requeued.append(row.id)
    report.expired = expire_drafts(db=db, storage=builds.storage, settings=settings, now=now)
    return report


def _abandoned(now: datetime, cutoff: datetime, *, restart: bool) -> ColumnElement[bool]:
    """The job's lease ran out, or it holds none (after a restart: any) and is idle since cutoff."""
    idle = Order.updated_at < cutoff
    if not restart:
        idle = and_(idle, Order.lease_until.is_(None))
    return or_(Order.lease_until < now, idle)


# Paid builds, and drafts whose preview was asked for (a progress label or a lease), not failed.
_BUILDS = Order.status.in_([OrderStatus.PAID.value, OrderStatus.BUILDING.value])
_PREVIEWS = and_(
    Order.status == OrderStatus.DRAFT.value,
    or_(Order.progress_label != "", Order.lease_until.is_not(None)),
    Order.error_code.is_(None),
)


def _waiting(
    db: Database, kind: ColumnElement[bool], look: ColumnElement[bool], dead: ColumnElement[bool]
) -> list[Row[Any]]:
    """Rows of `kind` matching `look`: id, attempts, requeues, package, dead (abandoned for sure,
    whatever the broker holds)."""
    stmt = select(Order.id, Order.attempts, Order.requeues, Order.package,
                  dead.label("dead")).where(kind, look)  # fmt: skip
    with db.session() as session:
        return list(session.execute(stmt))


def _claim(db: Database, order_id: str, abandoned: ColumnElement[bool], now: datetime) -> bool:
    """End the dead run's lease and touch the row, if it is still abandoned, so concurrent
    sweepers (or the next sweep) do not queue it twice; counts the re-queue."""
    requeued = {"updated_at": now, "progress_label": REQUEUED_LABEL, "lease_owner": None,
                "lease_until": None, "requeues": Order.requeues + 1}  # fmt: skip
    stmt = (
        update(Order)
        .where(Order.id == order_id, abandoned)
        .values(**requeued)
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
