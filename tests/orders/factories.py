"""Rows straight into the database, for tests about one step that should not replay the others."""

from __future__ import annotations

import secrets

from core.db import Database
from core.orders.lifecycle import OrderStatus
from core.orders.tables import Order, Upload, User, utcnow


def add_order(
    db: Database,
    *,
    status: OrderStatus = OrderStatus.AWAITING_PAYMENT,
    package: str | None = "classic",
    **columns: object,
) -> str:
    """A user plus one order in `status` (and its upload row); returns the order id."""
    with db.session() as session:
        user = User(display_name="Test")
        session.add(user)
        session.flush()
        order = Order(
            token=secrets.token_urlsafe(24), user_id=user.id, status=status.value, package=package,
            style="16bit", theme="park", pet_name="Rex", difficulty="easy", seed=7,
            paid_at=utcnow() if status in {OrderStatus.PAID, OrderStatus.BUILDING} else None,
            **columns,
        )  # fmt: skip
        session.add(order)
        session.flush()
        session.add(Upload(order_id=order.id, original_key=f"orders/{order.id}/photo.jpg",
                           content_type="image/jpeg", size_bytes=1))  # fmt: skip
        return order.id


def add_game(db: Database, order_id: str, *, code: str, **columns: object) -> str:
    """A published game row for an order (the order's status decides if it is live)."""
    from core.orders.tables import Game

    with db.session() as session:
        order = session.get(Order, order_id)
        assert order is not None
        game = Game(code=code, order_id=order_id, user_id=order.user_id,
                    assets={"index.html": f"games/{code}/index.html"}, **columns)  # fmt: skip
        session.add(game)
        session.flush()
        return game.id
