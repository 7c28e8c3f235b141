"""Job bodies on the real pipeline: preview, build, publish; idempotent and re-runnable."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from core.config import Settings
from core.db import Database
from core.orders.builds import Builds
from core.orders.lifecycle import OrderStatus
from core.orders.service import OrderService
from core.orders.tables import Game, Order
from core.storage import LocalStorage
from tests.orders.factories import add_order


@pytest.fixture
def builds(order_settings: Settings, db: Database, storage: LocalStorage) -> Builds:
    return Builds(settings=order_settings, db=db, storage=storage)


def _previewed(svc: OrderService, builds: Builds, photo: bytes) -> str:
    order = svc.create_order(
        user_id=svc.create_user().id, photo=photo, choices={"pet_name": "Chelsea"}
    )
    svc.request_preview(order_id=order.id)
    assert builds.run_preview(order.id) == OrderStatus.PREVIEW_READY
    return order.id


def test_preview_stores_sprite_files(
    svc: OrderService, builds: Builds, storage: LocalStorage, cat_jpeg: bytes
) -> None:
    seen: list[tuple[int, str]] = []
    order = svc.create_order(user_id=svc.create_user().id, photo=cat_jpeg)
    assert (
        builds.run_preview(order.id, progress=lambda p, label: seen.append((p, label)))
        == OrderStatus.PREVIEW_READY
    )
    status = svc.status(order_id=order.id)
    assert (status.status, status.percent, status.label) == (
        OrderStatus.PREVIEW_READY,
        100,
        "Preview ready",
    )
    assert [p for p, _ in seen] == sorted(p for p, _ in seen)
    assert seen[-1][0] >= 90
    links = status.links
    assert links.sprite
    assert links.sheet
    assert links.atlas
    assert links.preview_gif
    gif_key = links.preview_gif.removeprefix("http://files.test/files/")
    assert storage.get(gif_key).startswith(b"GIF8")
    atlas = json.loads(storage.get(links.atlas.removeprefix("http://files.test/files/")))
    assert atlas["version"] == 2
    assert "walk" in atlas["animations"]
    assert builds.run_preview(order.id) == OrderStatus.PREVIEW_READY  # second run: no-op


def test_build_publishes_a_game_once(
    svc: OrderService, builds: Builds, db: Database, storage: LocalStorage, cat_jpeg: bytes
) -> None:
    order_id = _previewed(svc, builds, cat_jpeg)
    svc.choose_package(order_id=order_id, package="classic")
    assert builds.run_build(order_id) == OrderStatus.READY

    status = svc.status(order_id=order_id)
    assert (status.status, status.percent) == (OrderStatus.READY, 100)
    code = status.links.game_code
    assert code
    assert status.links.game == f"/g/{code}"
    game = svc.game_by_code(code=code)
    assert game is not None
    assert game.config["levels"] == 3
    assert game.config["pet_name"] == "Chelsea"
    assert b"<html" in storage.get(game.assets["index.html"]).lower()
    assert all(
        key.startswith(f"games/{code}/") and storage.exists(key) for key in game.assets.values()
    )

    before = sorted(p.relative_to(storage.root) for p in storage.root.rglob("*") if p.is_file())
    assert builds.run_build(order_id) == OrderStatus.READY  # a second delivery changes nothing
    after = sorted(p.relative_to(storage.root) for p in storage.root.rglob("*") if p.is_file())
    assert before == after
    with db.session() as session:
        assert list(session.scalars(select(Game.code))) == [code]
        order = session.get(Order, order_id)
        assert order is not None
        assert order.attempts == 1  # counted from payment; the second run was a no-op


@pytest.mark.parametrize(
    ("db_url", "package", "levels"),
    [("sqlite", "deluxe", 6), pytest.param("postgres", "classic", 3, marks=pytest.mark.postgres)],
    indirect=["db_url"],
)  # the deluxe build (6 levels, HD sprite) is slow: its database part runs once per backend
def test_crashed_build_reruns_to_the_same_code(
    svc: OrderService, builds: Builds, db: Database, cat_jpeg: bytes, package: str, levels: int
) -> None:
    order_id = _previewed(svc, builds, cat_jpeg)
    svc.choose_package(order_id=order_id, package=package)
    from core.orders.publish import reserve_game

    with db.session() as session:  # what a worker killed mid-build leaves behind
        session.execute(update(Order).where(Order.id == order_id).values(status="building"))
    code = reserve_game(db, order_id, svc.get_order(order_id=order_id).user_id)
    assert svc.game_by_code(code=code) is None  # not published while building

    assert builds.run_build(order_id) == OrderStatus.READY
    game = svc.game_by_code(code=code)
    assert game is not None
    assert game.config["levels"] == levels
    assert game.config["boss"]  # both packages end in a boss fight
    assert ("download/sprite-hd.png" in game.assets) == (package == "deluxe")
    with db.session() as session:
        assert list(session.scalars(select(Game.code))) == [code]  # the reserved row, reused


def test_unpaid_orders_are_not_built(db: Database, builds: Builds) -> None:
    for status in (OrderStatus.DRAFT, OrderStatus.PREVIEW_READY, OrderStatus.AWAITING_PAYMENT):
        order_id = add_order(db, status=status)  # a build job must not even read the photo
        assert builds.run_build(order_id) == status
        with db.session() as session:
            order = session.get(Order, order_id)
            assert order is not None
            assert (order.status, order.attempts) == (status.value, 0)
            assert session.scalars(select(Game).where(Game.order_id == order_id)).first() is None
