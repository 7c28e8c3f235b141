"""Liveness and readiness: `/health/live` checks nothing, `/health/ready` checks the dependencies
and reports the cutout model as a detail (web/routes/health.py)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.config import Settings
from core.images.models import MODELS
from tests.conftest import free_port
from tests.web.conftest import LOCAL
from web.app import create_app


def _client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings), raise_server_exceptions=False, client=LOCAL)


def test_live_and_ready_pass_with_every_dependency_up(client: TestClient) -> None:
    live = client.get("/health/live")
    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    assert live.headers["cache-control"] == "no-store"
    ready = client.get("/health/ready")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "storage": "ok", "queue": "ok"}
    # The module's models dir is empty: reported, not a failure.
    assert body["models"] == {"cutout": "missing: model_missing"}


def test_a_down_database_fails_readiness_but_not_liveness(tmp_path: Path) -> None:
    # A PostgreSQL URL where nothing listens: the database is down, everything else is up.
    down = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/petpixel"
    settings = Settings(data_dir=tmp_path / "data", models_dir=tmp_path / "m", database_url=down)
    with _client(settings) as client:
        assert client.get("/health/live").status_code == 200
        ready = client.get("/health/ready")
        assert ready.status_code == 503
        body = ready.json()
        assert body["status"] == "degraded"
        assert body["checks"]["database"].startswith("error: ")
        assert body["checks"]["storage"] == "ok"
        assert client.get("/health").status_code == 503  # the combined answer, as before


def test_an_installed_model_is_reported_and_logged_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    models = tmp_path / "models"
    models.mkdir()
    spec = MODELS["u2netp"]
    with (models / spec.filename).open("wb") as weights:  # the size is what start-up checks
        weights.truncate(spec.size)
    settings = Settings(data_dir=tmp_path / "data", models_dir=models)
    caplog.set_level(logging.INFO, logger="petpixel.web")
    with _client(settings) as client:
        for _ in range(3):
            body = client.get("/health/ready").json()
    assert body["models"] == {"cutout": "installed: u2netp (u2netp.onnx)"}
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("cutout_model")]
    assert lines == ["cutout_model: installed: u2netp (u2netp.onnx)"]


def test_a_missing_model_is_logged_as_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(data_dir=tmp_path / "data", models_dir=tmp_path / "none")
    with _client(settings) as client:
        assert client.get("/health/ready").status_code == 200
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any(r.getMessage().startswith("cutout_model_missing") for r in warnings)


def test_the_classical_backend_needs_no_model(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "d", models_dir=tmp_path / "m", cutout_backend="classical"
    )
    with _client(settings) as client:
        assert client.get("/health/ready").json()["models"] == {"cutout": "not used"}


def test_liveness_answers_without_opening_anything(tmp_path: Path) -> None:
    # No lifespan: no database, storage or queue was ever opened, yet the process is alive.
    settings = Settings(data_dir=tmp_path / "d", database_url=f"sqlite:///{os.devnull}/x.db")
    client = TestClient(create_app(settings), client=LOCAL)
    assert client.get("/health/live").status_code == 200
