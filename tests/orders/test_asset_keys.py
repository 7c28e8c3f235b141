"""An order's public preview art lives under its random asset key, its photo and cutout under its
private id; erasing the order erases both; migration 0003 gives every older order its own key."""

from __future__ import annotations

import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image
from sqlalchemy import text

from core.db import make_engine, migrate
from core.orders.publish import order_folders, save_preview_keys, store_preview
from core.orders.service import OrderService
from core.orders.tables import Order
from core.storage import LocalStorage, is_public
from tests.conftest import PG_HOST, PG_PORT, need, port_open


def sprite_result() -> SimpleNamespace:
    """What store_preview reads from a SpriteResult, made by hand (no pipeline run)."""
    art = Image.new("RGBA", (8, 8), (200, 120, 40, 255))
    return SimpleNamespace(sprite=art, sheet=art, mask=Image.new("L", (8, 8), 255),
                           atlas={"version": 2}, preview_gif=b"GIF89a-preview")  # fmt: skip


def test_preview_art_is_public_under_the_asset_key_and_the_cutout_private(
    svc: OrderService, storage: LocalStorage, cat_jpeg: bytes
) -> None:
    user = svc.create_user(display_name="web")
    order = svc.create_order(user_id=user.id, photo=cat_jpeg)
    other = svc.create_order(user_id=user.id, photo=cat_jpeg)
    with svc.db.session() as session:
        asset_key = session.get(Order, order.id).asset_key  # type: ignore[union-attr]
        assert asset_key != session.get(Order, other.id).asset_key  # type: ignore[union-attr]
    assert len(asset_key) >= 22  # 16 random bytes
    assert asset_key not in (order.id, order.token)

    keys = store_preview(storage, order.id, asset_key, sprite_result())
    with svc.db.session() as session:
        save_preview_keys(session, order.id, keys, {})
    assert keys["processed_key"].startswith(f"orders/{order.id}/preview/mask.")
    art = [keys[k] for k in ("sprite_key", "sheet_key", "atlas_key", "preview_gif_key")]
    assert all(k.startswith(f"previews/{asset_key}/") and is_public(k) for k in art)
    assert not is_public(keys["processed_key"])

    links = svc.status(order_id=order.id).links
    shown = [links.sprite, links.sheet, links.atlas, links.preview_gif]
    assert shown == [f"http://files.test/files/{k}" for k in art]
    assert not any(order.id in url or order.token in url for url in shown if url)

    report = svc.delete_user_data(user_id=user.id)
    assert report.files == 2 + len(keys)  # two photos, four art files, one mask
    for prefix in order_folders(order.id, asset_key):
        assert not (storage.root / prefix).exists()


def _insert_old_orders(url: str, count: int) -> None:
    """Orders as revision 0002 knew them (no asset key)."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO users (id, display_name, created_at) "
                              "VALUES ('u1', 'Old', CURRENT_TIMESTAMP)"))  # fmt: skip
            for i in range(count):
                conn.execute(text(
                    "INSERT INTO orders (id, token, user_id, status, amount, currency,"
                    " progress_percent, progress_label, refund_due, attempts, style, theme,"
                    " pet_name, difficulty, seed, created_at, updated_at) VALUES (:id, :token,"
                    " 'u1', 'preview_ready', 0, 'usd', 100, '', false, 0, '16bit', 'park', 'Rex',"
                    " 'normal', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ), {"id": f"order{i:027d}", "token": f"token-{i}"})  # fmt: skip
    finally:
        engine.dispose()


def _asset_keys(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT asset_key FROM orders")).scalars())
    finally:
        engine.dispose()


def _check_upgrade(url: str) -> None:
    migrate(url, "0002")
    _insert_old_orders(url, 3)
    migrate(url, "0003")
    keys = _asset_keys(url)
    assert len(keys) == 3
    assert all(k and len(k) >= 22 for k in keys)
    assert len(set(keys)) == 3


def test_migration_0003_gives_each_older_order_its_own_key_sqlite(tmp_path: Path) -> None:
    _check_upgrade(f"sqlite:///{tmp_path / 'old.db'}")


@pytest.mark.postgres
def test_migration_0003_gives_each_older_order_its_own_key_postgres() -> None:
    need(port_open(PG_HOST, PG_PORT), "PostgreSQL on 127.0.0.1:5432")
    import psycopg

    name = f"petpixel_keys_{uuid.uuid4().hex[:12]}"
    admin = f"host={PG_HOST} port={PG_PORT} user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        _check_upgrade(f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{name}")
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
