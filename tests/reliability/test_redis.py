"""Redis restarted mid-run: no order lost or stuck, and the web app recovers without a restart."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.config import Settings
from tests.reliability.parts import (
    RedisServer,
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


def _previewed(web: TestClient, photo: bytes) -> str:
    token: str = upload(web, photo).json()["image_id"]
    assert generate(web, token).status_code == 202
    return token


def test_a_redis_restart_mid_build_loses_no_order_and_the_web_rides_it_out(
    stack: Settings, web: TestClient, redis_server: RedisServer, cat_jpeg: bytes, tmp_path: Path
) -> None:
    napping = {"PETPIXEL_BUILD_STEPS": "tests.workers.steps:napping_steps",
               "PETPIXEL_TEST_NAP_STEP": "generate_levels", "PETPIXEL_TEST_NAP_S": "2"}  # fmt: skip
    with worker(stack, tmp_path / "worker.log", **napping):
        building, paid_in_outage = _previewed(web, cat_jpeg), _previewed(web, cat_jpeg)
        for token in (building, paid_in_outage):
            wait_status(web, token, "preview_ready")
        assert buy(web, building).status_code == 202
        wait_until(lambda: status(web, building)["label"] == "Designing levels",
                   what="the build to start")  # fmt: skip

        redis_server.stop()  # mid-build: the worker and the web app lose their connections
        uploaded = upload(web, cat_jpeg)  # needs no queue: the photo is stored, the order made
        started = time.monotonic()
        drawing = generate(web, uploaded.json()["image_id"])  # needs the queue
        # Free mode: the payment is booked, then queuing the build fails. Nobody asks again (a
        # Stripe webhook's retry finds its event done): the sweeper must notice the lost message.
        paying = buy(web, paid_in_outage)
        refused_in = time.monotonic() - started
        health = web.get("/health")
        redis_server.start()

        assert uploaded.status_code == 201, uploaded.text
        for refused in (drawing, paying):
            assert_clean_error(refused)
        assert refused_in < 10, f"two requests took {refused_in:.1f} s to fail"  # not hang
        assert health.status_code == 503
        assert health.json()["checks"]["queue"] != "ok"
        wait_status(web, building, "ready")  # the build in flight finished
        wait_status(web, paid_in_outage, "ready", timeout=60)  # queued again by the sweeper
        token = uploaded.json()["image_id"]
        assert generate(web, token).status_code == 202  # the person tries again: it works
        wait_status(web, token, "preview_ready")
        wait_until(lambda: web.get("/health").status_code == 200, what="health to recover")
