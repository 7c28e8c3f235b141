"""Play-page views are counted in memory, shown at once by the API, and written on shutdown."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from core.config import Settings
from core.db import Database
from core.orders.lifecycle import OrderStatus
from core.orders.tables import Game
from tests.orders.factories import add_game, add_order
from web.app import create_app

PAGE = b"<!doctype html><html><head><title>Rex</title></head><body>game</body></html>"


def _stored_views(db: Database, code: str) -> int:
    with db.session() as session:
        game = session.query(Game).filter_by(code=code).one()
        return game.views


def test_views_reach_the_database_when_the_app_stops(tmp_path: Path) -> None:
    # A flush interval far longer than the test: only the shutdown can write these views.
    settings = Settings(data_dir=tmp_path / "data", models_dir=tmp_path / "models",
                        view_flush_interval_s=300, rate_limit_burst=1000)  # fmt: skip
    db = Database(settings.resolved_database_url)
    try:
        with TestClient(create_app(settings)) as client:
            order_id = add_order(db, status=OrderStatus.READY)
            add_game(db, order_id, code="Viewed001")
            client.app.state.resources.storage.put(
                "games/Viewed001/index.html", PAGE, content_type="text/html"
            )
            for _ in range(3):
                page = client.get("/g/Viewed001")
                assert page.status_code == 200
                assert "game" in page.text
            assert client.get("/g/Unknown01").status_code == 404
            token = client.app.state.resources.service.get_order(order_id=order_id).token
            assert client.get(f"/api/games/{token}").json()["views"] == 3
            assert _stored_views(db, "Viewed001") == 0  # still in memory
        assert _stored_views(db, "Viewed001") == 3
    finally:
        db.dispose()
