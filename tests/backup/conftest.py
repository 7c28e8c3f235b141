"""Backup fixtures: a real game built through the web API on the stack under test, and the checks
that a restored stack serves it again (page, every bundle file, preview art, order page)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from cli.main import app as cli_app
from core.config import Settings
from core.db import Database
from core.orders.tables import Game
from tests.reliability.parts import buy, generate, upload, wait_status
from tests.web.conftest import LOCAL
from web.app import create_app

FAST = {"preview_sprite_size": 32, "progress_interval_s": 0.0, "rate_limit_burst": 10_000,
        "upload_rate_limit_burst": 1_000, "global_upload_burst": 1_000}  # fmt: skip


@dataclass(frozen=True)
class BuiltGame:
    token: str  # the buyer's order token (order page /o/<token>)
    code: str
    assets: dict[str, str]  # bundle path -> storage key
    preview_url: str


@contextmanager
def served(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False, client=LOCAL) as client:
        yield client


def build_game(settings: Settings, photo: bytes) -> BuiltGame:
    """Upload, preview, buy and build one game with the real pipeline (the in-process worker)."""
    with served(settings) as client:
        token = upload(client, photo).json()["image_id"]
        assert generate(client, token).status_code == 202
        wait_status(client, token, "preview_ready")
        assert buy(client, token).status_code == 202
        done = wait_status(client, token, "ready", timeout=180)
    code = str(done["game_url"]).rstrip("/").rsplit("/", 1)[-1]
    db = Database(settings.resolved_database_url)
    try:
        with db.session() as session:
            assets = session.scalars(select(Game.assets).where(Game.code == code)).one()
    finally:
        db.dispose()
    return BuiltGame(token, code, dict(assets), str(done["preview_url"]))


def assert_playable(settings: Settings, game: BuiltGame) -> None:
    """The play page, every file of the bundle, the preview art and the order page answer 200."""
    with served(settings) as client:
        page = client.get(f"/g/{game.code}")
        assert page.status_code == 200, page.text
        assert f'<base href="/g/{game.code}/">' in page.text
        assert len(game.assets) > 3
        for path in game.assets:
            if path == "index.html":  # served at the short link itself (checked above)
                continue
            response = client.get(f"/g/{game.code}/{path}")
            assert response.status_code == 200, (path, response.status_code)
            assert response.content, path
        order = client.get(f"/o/{game.token}")
        assert order.status_code == 200
        assert f"/g/{game.code}" in order.text
        status = client.get(f"/api/images/{game.token}/status").json()
        assert status["status"] == "ready"
    preview = game.preview_url
    if preview.startswith("/"):  # local storage: the web app serves it
        with served(settings) as client:
            assert client.get(preview).status_code == 200
    else:  # S3: the browser fetches it from the bucket
        assert httpx.get(preview).status_code == 200


def use_env(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    """The settings as PETPIXEL_* variables, as an operator's shell would have them for the CLI."""
    for name, value in settings.model_dump(exclude_defaults=True).items():
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        monkeypatch.setenv(f"PETPIXEL_{name.upper()}", text.strip('"'))


def cli(*args: str) -> str:
    """Run `petpixel ...` in this process (PETPIXEL_* set by the test); its output, or fail."""
    result = CliRunner().invoke(cli_app, list(args))
    assert result.exit_code == 0, result.output
    return result.output
