"""Row-level helpers shared by the services and the job bodies: lookups, compare-and-set moves,
progress.

Every status change is one conditional UPDATE (`... WHERE status IN (legal sources)`), so two
threads or processes racing to make the same move produce exactly one transition on SQLite and
PostgreSQL alike, with no read-modify-write window. A self-move (`awaiting_payment ->
awaiting_payment`, a repricing) updates only a row whose values differ, so repeating it is the
idempotent no-op every other repeated move is."""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from core.db import Database
from core.errors import PetPixelError
from core.orders.lifecycle import OrderStatus, check_transition, sources
from core.orders.tables import Order, Upload, utcnow

LABEL_MAX = 120


class NotFound(PetPixelError):
    """No such order, user or game (or it is gone)."""

    code = "not_found"


def get_order_row(session: Session, order_id: str) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise NotFound("We could not find that order. Check the link or start a new one.")
    return order


def get_upload_row(session: Session, order_id: str) -> Upload:
    upload = session.scalars(select(Upload).where(Upload.order_id == order_id)).one_or_none()
    if upload is None:
        raise NotFound("This order has no photo. Start a new order with a photo of your pet.")
    return upload


def move(session: Session, order_id: str, target: OrderStatus, **values: Any) -> bool:
    """Move an order to `target`; True if this call made the change, False if it was already there
    (for a self-move: already there with these `values`).

    Raises InvalidTransition when the order is in a status `target` cannot follow.
    """
    if compare_and_set(session, order_id, sources(target), target, **values):
        return True
    current = session.scalar(select(Order.status).where(Order.id == order_id))
    if current is None:
        raise NotFound("We could not find that order. Check the link or start a new one.")
    check_transition(OrderStatus(current), target)
    return False


def compare_and_set(
    session: Session,
    order_id: str,
    expected: Collection[OrderStatus],
    target: OrderStatus,
    *,
    where: Mapping[str, Any] | None = None,
    **values: Any,
) -> bool:
    """One conditional UPDATE: True when the order was in `expected` (and its columns equal
    `where`) and is now `target` with `values`."""
    conditions = [Order.id == order_id, Order.status.in_([s.value for s in expected])]
    conditions += [getattr(Order, column) == value for column, value in (where or {}).items()]
    if target in expected:
        # A self-move changes only what differs: the same values again are a no-op and keep
        # updated_at (which versions the checkout a repriced order is sent to).
        differs = [getattr(Order, column).is_distinct_from(v) for column, v in values.items()]
        conditions.append(or_(Order.status != target.value, *differs))
    stmt = (
        update(Order)
        .where(*conditions)
        .values(status=target.value, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    changed = session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]
    if changed:
        session.expire_all()  # rows loaded earlier in this session are stale now
    return bool(changed)


def set_progress(session: Session, order_id: str, percent: int, label: str) -> None:
    """Record progress; also the heartbeat the sweeper reads (updated_at) for running jobs."""
    active = [OrderStatus.DRAFT.value, OrderStatus.BUILDING.value]
    session.execute(
        update(Order)
        .where(Order.id == order_id, Order.status.in_(active))
        .values(
            progress_percent=max(0, min(100, percent)),
            progress_label=label[:LABEL_MAX],
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )


class ProgressWriter:
    """A ProgressFn writing to the order row at most once per `interval_s` (plus first and 100%).

    Web and bots read progress from the database, whatever Celery result backend is in use.
    """

    def __init__(self, db: Database, order_id: str, interval_s: float) -> None:
        self.db = db
        self.order_id = order_id
        self.interval_s = interval_s
        self._last_at: float | None = None
        self._last: tuple[int, str] | None = None

    def __call__(self, percent: int, label: str) -> None:
        now = time.monotonic()
        due = self._last_at is None or now - self._last_at >= self.interval_s or percent >= 100
        if not due or self._last == (percent, label):
            return
        with self.db.session() as session:
            set_progress(session, self.order_id, percent, label)
        self._last_at, self._last = now, (percent, label)
