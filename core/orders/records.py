"""Record methods of OrderService: a user's orders, analytics events, counts by status."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from core.orders.base import ServiceBase
from core.orders.schemas import OrderView
from core.orders.tables import Event, Order
from core.orders.views import order_view


class RecordMethods(ServiceBase):
    def list_orders(self, *, user_id: str) -> list[OrderView]:
        """A user's orders, newest first."""
        stmt = select(Order).where(Order.user_id == user_id).order_by(Order.created_at.desc())
        with self.db.session() as session:
            return [order_view(o) for o in session.scalars(stmt)]

    def record_event(
        self,
        *,
        type: str,
        data: dict[str, Any] | None = None,
        user_id: str | None = None,
        order_id: str | None = None,
        game_id: str | None = None,
    ) -> None:
        """Store one analytics event. Keep `data` free of photos and personal text."""
        with self.db.session() as session:
            session.add(Event(type=type[:64], data=data or {}, user_id=user_id,
                              order_id=order_id, game_id=game_id))  # fmt: skip

    def count_orders_by_status(self) -> dict[str, int]:
        """How many orders sit in each status (for /metrics)."""
        stmt = select(Order.status, func.count()).group_by(Order.status)
        with self.db.session() as session:
            return {status: int(count) for status, count in session.execute(stmt).all()}
