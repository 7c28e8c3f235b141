"""Fixtures for verified runs: the orders area's databases (SQLite and PostgreSQL) and storage,
one published game whose game.json holds generated levels, and the bot's winning trace."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from core.config import Settings
from core.db import Database
from core.levels import generate_levels
from core.levels.game import RULES_VERSION, mask_of
from core.levels.physics import load_physics
from core.orders.lifecycle import OrderStatus
from core.orders.tables import Game
from core.packaging import build_bundle
from core.runs import RunService
from core.storage import LocalStorage
from tests.conftest import need
from tests.game.conftest import make_sheet
from tests.orders.factories import add_game, add_order
from tests.orders.fixtures import db, db_url, jobs, order_settings, storage, svc

__all__ = ["db", "db_url", "jobs", "order_settings", "storage", "svc"]
ROOT = Path(__file__).resolve().parents[2]
SECRET = "test-runs-secret-0123456789"


@pytest.fixture(scope="session")
def game_data() -> dict[str, Any]:
    return {"levels": generate_levels(seed=21, theme="park", difficulty=2, count=2),
            "physics": load_physics()}  # fmt: skip


@pytest.fixture(scope="session")
def bot_run(game_data: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The bot's winning trace of level 0, as the page would send it ([count, mask] pairs)."""
    node = shutil.which("node")
    need(node is not None, "node (for the bot)")
    path = tmp_path_factory.mktemp("bot") / "level0.json"
    path.write_text(json.dumps(game_data["levels"][0]))
    done = subprocess.run([str(node), "game_template/tools/bot.mjs", str(path)], cwd=ROOT,
                          capture_output=True, text=True, check=True, timeout=120)  # fmt: skip
    found = json.loads(done.stdout)
    inputs = [[int(n), mask_of(keys)] for n, keys in found["inputs"]]
    return {"inputs": inputs, "frames": found["frames"], "score": found["score"],
            "status": found["status"]}  # fmt: skip


def publish(db: Database, storage: LocalStorage, code: str, data: dict[str, Any]) -> str:
    """A live game `code` whose bundle holds game.json with `data` (stamped with today's rules
    version, as packaging does, unless `data` says otherwise); returns the game id."""
    key = f"games/{code}/game.0123abcd45.json"
    data = {"rules": RULES_VERSION, **data}
    storage.put(key, json.dumps(data).encode(), content_type="application/json")
    game_id = add_game(db, add_order(db, status=OrderStatus.READY), code=code)
    with db.session() as session:
        game = session.get(Game, game_id)
        assert game is not None
        game.assets = {**game.assets, "game.0123abcd45.json": key}
    return game_id


def publish_bundle(rt: Any, code: str) -> tuple[str, dict[str, Any]]:
    """A real packaged 2-level park game (the hand-drawn test pet), stored and live at /g/`code` in
    the runtime `rt`; returns the game id and its game.json."""
    sheet, atlas = make_sheet()
    levels = generate_levels(seed=7, theme="park", difficulty=2, count=2)
    bundle = build_bundle(
        sheet_png=sheet, atlas=atlas, levels=levels, pet_name="Rex", style="16bit",
        theme="park", seed=7, palette=atlas["palette"],
    )  # fmt: skip
    assets = {}
    for path, data in bundle.items():
        rt.storage.put(f"games/{code}/{path}", data, content_type="application/octet-stream")
        assets[path] = f"games/{code}/{path}"
    game_id = add_game(rt.db, add_order(rt.db, status=OrderStatus.READY), code=code)
    with rt.db.session() as session:
        game = session.get(Game, game_id)
        assert game is not None
        game.assets = assets
    return game_id, json.loads(next(v for k, v in bundle.items() if k.startswith("game.")))


@pytest.fixture
def runs_settings(order_settings: Settings) -> Settings:
    return order_settings.model_copy(update={"runs_secret": SECRET})


@pytest.fixture
def runs(runs_settings: Settings, db: Database, storage: LocalStorage,
         game_data: dict[str, Any]) -> RunService:  # fmt: skip
    publish(db, storage, "GameOne01", game_data)
    publish(db, storage, "GameTwo02", game_data)
    return RunService(settings=runs_settings, db=db, storage=storage)
