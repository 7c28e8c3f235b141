"""The global budget for expensive work: when every process together is busy, say so plainly.

Per-person limits (the web's per-address buckets, the bots' per-user counts) stop one person; this
stops everyone together from queueing more work than the workers can draw in reasonable time.
Two counts, read from the database so every web, bot and worker process shares them:

- jobs in flight: previews asked for and not finished (a draft with a progress label and no
  error) plus builds (`paid`, `building`), against `max_jobs_in_flight`;
- uploads in the last minute, all channels (`order.created` events), against
  `max_uploads_per_minute`.

Past either, `OrderService.create_order` and `request_preview` raise `Busy` (an `InvalidRequest`,
code `busy`, HTTP 503 with Retry-After on the web) whose message both bots show as is:
"PetPixel is very busy right now. Please try again in 2 minutes." Paid builds are never refused.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Literal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from core.config import Settings
from core.errors import InvalidRequest
from core.orders.lifecycle import OrderStatus
from core.orders.tables import Event, Order, utcnow

Work = Literal["upload", "preview"]
UPLOAD_WINDOW_S = 60


def busy_message(retry_after_s: float) -> str:
    """The one wording for "come back later", in whole minutes (never "0 minutes")."""
    minutes = max(1, math.ceil(retry_after_s / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"PetPixel is very busy right now. Please try again in {minutes} {unit}."


class Busy(InvalidRequest):
    """Too much work in flight; `retry_after_s` says when to come back."""

    code = "busy"
    status_code = 503

    def __init__(self, retry_after_s: float) -> None:
        super().__init__(busy_message(retry_after_s))
        self.retry_after_s = max(1, math.ceil(retry_after_s))


def jobs_in_flight(session: Session, *, besides: str | None = None) -> int:
    """Previews waiting or running, plus builds waiting or running, in every process (not
    counting order `besides`: a redraw replaces that order's own preview)."""
    previews = and_(
        Order.status == OrderStatus.DRAFT.value,
        Order.progress_label != "",
        Order.error_code.is_(None),
    )
    builds = Order.status.in_([OrderStatus.PAID.value, OrderStatus.BUILDING.value])
    stmt = select(func.count(Order.id)).where(or_(previews, builds))
    if besides is not None:
        stmt = stmt.where(Order.id != besides)
    return int(session.scalar(stmt) or 0)


def recent_uploads(session: Session) -> int:
    since = utcnow() - timedelta(seconds=UPLOAD_WINDOW_S)
    stmt = select(func.count(Event.id)).where(
        Event.type == "order.created", Event.created_at >= since
    )
    return int(session.scalar(stmt) or 0)


def check_budget(
    session: Session, *, settings: Settings, work: Work, order_id: str | None = None
) -> None:
    """Raise `Busy` when this new upload or preview (of `order_id`) would go past the budget.

    Runs in the caller's session (SQLite allows one writing transaction at a time)."""
    cap = settings.max_jobs_in_flight
    if cap > 0 and jobs_in_flight(session, besides=order_id) >= cap:
        raise Busy(settings.busy_retry_after_s)
    per_minute = settings.max_uploads_per_minute
    if work == "upload" and per_minute > 0 and recent_uploads(session) >= per_minute:
        raise Busy(UPLOAD_WINDOW_S)
