"""A full disk under the data dir (embedded mode: SQLite and the stored files live there), made
real with a small tmpfs mount: requests fail cleanly, no half-written file is left or served, and
once space is freed everything works again without a restart, the paid order included."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.config import Settings
from core.db import migrate
from tests.conftest import need
from tests.reliability.parts import (
    assert_clean_error,
    buy,
    can_mount_tmpfs,
    fill,
    generate,
    small_disk,
    status,
    upload,
    wait_status,
    wait_until,
)
from tests.web.conftest import LOCAL
from web.app import create_app

pytestmark = pytest.mark.slow


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    need(can_mount_tmpfs(tmp_path / "probe"), "mounting a tmpfs (root, for a small data disk)")
    with small_disk(tmp_path / "disk", size_mb=24) as where:
        yield where


def _partial_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and p.name.endswith(".tmp")]


@pytest.mark.parametrize("database_on_disk", [True, False], ids=["everything", "files-only"])
def test_the_data_disk_fills_up_mid_publish(
    settings: Settings, disk: Path, cat_jpeg: bytes, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path, database_on_disk: bool,
) -> None:  # fmt: skip
    monkeypatch.setenv("PETPIXEL_TEST_NAP_STEP", "build_bundle")  # the disk fills meanwhile
    monkeypatch.setenv("PETPIXEL_TEST_NAP_S", "1")
    embedded = settings.model_copy(update={
        "data_dir": disk / "data", "preview_sprite_size": 32, "progress_interval_s": 0.0,
        "job_lease_s": 2.0, "job_heartbeat_s": 0.5, "sweeper_interval_s": 1.0,
        "rate_limit_burst": 10_000, "upload_rate_limit_burst": 1_000,
        "build_steps": "tests.workers.steps:napping_steps",
        # files-only: the database has a disk of its own, so the file writes are what fail
        "database_url": None if database_on_disk else f"sqlite:///{tmp_path / 'orders.db'}",
    })  # fmt: skip
    storage = embedded.data_dir / "storage"
    migrate(embedded.resolved_database_url)
    with TestClient(create_app(embedded), raise_server_exceptions=False, client=LOCAL) as web:
        token = upload(web, cat_jpeg).json()["image_id"]
        assert generate(web, token).status_code == 202
        wait_status(web, token, "preview_ready")
        assert buy(web, token).status_code == 202
        wait_until(lambda: status(web, token)["label"] == "Packing your game", what="packing")

        filler = fill(disk)
        refused = upload(web, cat_jpeg)
        time.sleep(2)  # the publish fails, the task retries into the full disk
        during = status(web, token)
        left_over = _partial_files(storage)
        filler.unlink()  # the operator frees space; nobody restarts anything

        assert_clean_error(refused)
        assert during["status"] == "building", during
        assert left_over == []
        wait_status(web, token, "ready", timeout=60)
        game_url = status(web, token)["game_url"]
        assert web.get(game_url).status_code == 200
        again = upload(web, cat_jpeg)
        assert again.status_code == 201, again.text
        wait_until(lambda: web.get("/health").status_code == 200, what="health")
        assert _partial_files(storage) == []
