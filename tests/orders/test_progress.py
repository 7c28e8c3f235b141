"""Progress goes to the order row (throttled) so web and bots can read it from the database."""

from __future__ import annotations

from core.db import Database
from core.orders.lifecycle import OrderStatus
from core.orders.store import ProgressWriter
from core.orders.tables import Order
from tests.orders.factories import add_order


def _progress(db: Database, order_id: str) -> tuple[int, str]:
    with db.session() as session:
        order = session.get(Order, order_id)
        assert order is not None
        return order.progress_percent, order.progress_label


def test_first_and_final_updates_always_land_the_rest_are_throttled(db: Database) -> None:

    order_id = add_order(db, status=OrderStatus.BUILDING)
    write = ProgressWriter(db, order_id, interval_s=3600)
    write(10, "Designing levels")
    assert _progress(db, order_id) == (10, "Designing levels")
    write(40, "Packing your game")  # within the interval: skipped
    assert _progress(db, order_id) == (10, "Designing levels")
    write(100, "Done")
    assert _progress(db, order_id) == (100, "Done")


def test_every_change_lands_without_throttle(db: Database) -> None:

    order_id = add_order(db, status=OrderStatus.DRAFT)
    write = ProgressWriter(db, order_id, interval_s=0)
    for percent in (5, 50, 150):
        write(percent, "x" * 300)
    assert _progress(db, order_id) == (100, "x" * 120)  # clamped and trimmed to the column


def test_finished_orders_ignore_late_progress(db: Database) -> None:

    order_id = add_order(db, status=OrderStatus.READY)
    ProgressWriter(db, order_id, interval_s=0)(30, "late message from a duplicate run")
    assert _progress(db, order_id) == (0, "")
