"""The S3 server unreachable during a photo upload and during a game's publish: the upload fails
cleanly and leaves no order, the publish is retried and the game goes live whole, never half."""

from __future__ import annotations

import time
from pathlib import Path

import boto3
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from core.config import Settings
from core.db import Database
from core.orders.tables import Game, Order
from tests.reliability.conftest import BUCKET
from tests.reliability.parts import (
    Link,
    assert_clean_error,
    buy,
    generate,
    status,
    upload,
    wait_status,
    wait_until,
    worker,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.s3, pytest.mark.slow]


def _orders(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count(Order.id))) or 0)


def _attempts(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.max(Order.attempts))) or 0)


def _game(db: Database) -> Game | None:
    with db.session() as session:
        return session.scalars(select(Game)).one_or_none()


def test_s3_down_during_an_upload_and_a_publish(
    stack: Settings, web: TestClient, s3_link: Link, cat_jpeg: bytes, tmp_path: Path
) -> None:
    db = Database(stack.resolved_database_url)
    napping = {"PETPIXEL_BUILD_STEPS": "tests.workers.steps:napping_steps",
               "PETPIXEL_TEST_NAP_STEP": "build_bundle", "PETPIXEL_TEST_NAP_S": "1"}  # fmt: skip
    with worker(stack, tmp_path / "worker.log", **napping):
        token = upload(web, cat_jpeg).json()["image_id"]
        assert generate(web, token).status_code == 202
        wait_status(web, token, "preview_ready")

        # An upload while S3 is down: a clean error, and no order left without its photo.
        s3_link.cut()
        before = _orders(db)
        started = time.monotonic()
        refused = upload(web, cat_jpeg)
        refused_in = time.monotonic() - started
        health = web.get("/health")
        s3_link.restore()
        assert_clean_error(refused)
        assert refused_in < 15, f"the upload took {refused_in:.1f} s to fail"
        assert _orders(db) == before
        assert (health.status_code, health.json()["checks"]["storage"] != "ok") == (503, True)

        # A publish while S3 is down: cut while the bundle is packed, just before its upload.
        assert buy(web, token).status_code == 202
        wait_until(lambda: status(web, token)["label"] == "Packing your game", what="packing")
        s3_link.cut()
        # the upload fails, the task backs off and runs again into the outage
        wait_until(lambda: _attempts(db) >= 2, what="a retry during the outage")
        during = status(web, token)
        game = _game(db)
        s3_link.restore()

        assert during["status"] == "building", during
        assert game is not None
        assert game.assets == {}  # reserved, not published: nothing points at a partial bundle
        assert web.get(f"/g/{game.code}").status_code == 404
        wait_status(web, token, "ready", timeout=60)

    published = _game(db)
    assert published is not None
    assert published.code == game.code  # the retry reused the code: no second game
    s3 = boto3.client("s3", endpoint_url=s3_link.url, region_name="us-east-1")
    listing = s3.list_objects_v2(Bucket=BUCKET, Prefix=f"games/{game.code}/")
    stored = {o["Key"] for o in listing["Contents"]}
    assert set(published.assets.values()) <= stored  # every file the game names is there
    page = web.get(f"/g/{game.code}")
    assert page.status_code == 200
    assert "<html" in page.text.lower()
    assert web.get("/health").status_code == 200
