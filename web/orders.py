"""A read-only query the web needs that OrderService lacks yet: order counts by status (/metrics).

It follows the service conventions (keyword-only, plain data out) so
it can move into core/orders/service.py unchanged; until then the web builds this subclass.
"""

from __future__ import annotations

from sqlalchemy import func, select

from core.orders.models import Order
from core.orders.service import OrderService


class WebOrderService(OrderService):
    def count_orders_by_status(self) -> dict[str, int]:
        """How many orders sit in each status (for /metrics)."""
        stmt = select(Order.status, func.count()).group_by(Order.status)
        with self.db.session() as session:
            return {status: int(count) for status, count in session.execute(stmt).all()}
