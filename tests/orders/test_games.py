"""Games by short code, views, analytics events, listing, and /delete."""

from __future__ import annotations

import re
import string
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.db import Database
from core.orders.games import CODE_LENGTH, new_code
from core.orders.lifecycle import OrderStatus
from core.orders.service import OrderService
from core.orders.tables import Event, Game, Order, User, utcnow
from core.storage import LocalStorage
from tests.orders.factories import add_game, add_order


def _user_of(db: Database, order_id: str) -> str:
    with db.session() as session:
        order = session.get(Order, order_id)
        assert order is not None
        return order.user_id


def test_codes_are_random_base62() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(
        re.fullmatch(f"[{re.escape(string.digits + string.ascii_letters)}]{{{CODE_LENGTH}}}", c)
        for c in codes
    )
    assert CODE_LENGTH >= 8


def test_short_code_is_unique_by_constraint(db: Database) -> None:
    first, second = add_order(db, status=OrderStatus.READY), add_order(db, status=OrderStatus.READY)
    add_game(db, first, code="SameCode")
    with pytest.raises(IntegrityError):
        add_game(db, second, code="SameCode")


def test_one_game_per_order(db: Database) -> None:
    order_id = add_order(db, status=OrderStatus.READY)
    add_game(db, order_id, code="FirstOne")
    with pytest.raises(IntegrityError):
        add_game(db, order_id, code="SecondOne")


def test_game_by_code_only_when_ready_and_not_expired(svc: OrderService, db: Database) -> None:
    live = add_order(db, status=OrderStatus.READY)
    building = add_order(db, status=OrderStatus.BUILDING)
    expired = add_order(db, status=OrderStatus.READY)
    add_game(db, live, code="LiveGame1")
    add_game(db, building, code="NotYet001")
    add_game(db, expired, code="OldGame01", expires_at=utcnow() - timedelta(days=1))
    game = svc.game_by_code(code="LiveGame1")
    assert game is not None
    assert game.order_id == live
    assert game.url == "/g/LiveGame1"
    assert game.index_url == "http://files.test/files/games/LiveGame1/index.html"
    for code in ["NotYet001", "OldGame01", "missing00", "../etc", "", "x" * 300]:
        assert svc.game_by_code(code=code) is None


def test_views_and_shares_count_atomically(svc: OrderService, db: Database) -> None:
    add_game(db, add_order(db, status=OrderStatus.READY), code="Counted01")
    assert [svc.record_view(code="Counted01") for _ in range(3)] == [1, 2, 3]
    assert svc.record_share(code="Counted01") == 1
    assert svc.record_view(code="nope0000") == 0
    game = svc.game_by_code(code="Counted01")
    assert game is not None
    assert (game.views, game.shares) == (3, 1)


def test_list_games_shows_only_finished_ones(svc: OrderService, db: Database) -> None:
    order_id = add_order(db, status=OrderStatus.READY)
    add_game(db, order_id, code="Mine0001")
    user_id = _user_of(db, order_id)
    assert [g.code for g in svc.list_games(user_id=user_id)] == ["Mine0001"]
    assert [o.id for o in svc.list_orders(user_id=user_id)] == [order_id]
    assert svc.list_games(user_id="someone-else") == []


def test_record_event(svc: OrderService, db: Database) -> None:
    svc.record_event(type="play.won", data={"level": 3}, game_id="g1")
    with db.session() as session:
        event = session.scalars(select(Event).where(Event.type == "play.won")).one()
        assert (event.data, event.game_id) == ({"level": 3}, "g1")
        assert event.created_at.tzinfo is not None


def test_delete_user_data_removes_rows_and_files(
    svc: OrderService, db: Database, storage: LocalStorage
) -> None:
    order_id = add_order(db, status=OrderStatus.READY)
    other = add_order(db, status=OrderStatus.READY)
    add_game(db, order_id, code="Gone0001")
    add_game(db, other, code="Stays001")
    user_id = _user_of(db, order_id)
    svc.record_event(type="order.viewed", user_id=user_id)
    for key in [
        f"orders/{order_id}/photo.jpg",
        "games/Gone0001/index.html",
        "games/Stays001/index.html",
    ]:
        storage.put(key, b"x", content_type="application/octet-stream")

    report = svc.delete_user_data(user_id=user_id)

    assert (report.orders, report.games, report.files, report.found) == (1, 1, 2, True)
    assert storage.exists("games/Stays001/index.html")
    assert not storage.exists(f"orders/{order_id}/photo.jpg")
    with db.session() as session:
        assert session.get(User, user_id) is None
        assert session.scalar(select(func.count()).select_from(Game)) == 1
        assert (
            session.scalar(select(func.count()).select_from(Event).where(Event.user_id == user_id))
            == 0
        )
    assert svc.delete_user_data(user_id=user_id).found is False
