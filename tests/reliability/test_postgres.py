"""PostgreSQL backends terminated mid-request (`pg_terminate_backend`, every connection of the
test's database, again and again): requests succeed or fail cleanly, jobs retry, nothing is lost,
and the web app and the worker carry on on fresh connections without a restart."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from core.config import Settings
from tests.conftest import PG_HOST, PG_PORT
from tests.reliability.parts import (
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


class Terminator:
    """Terminates every backend of one database every `every_s` seconds, from the admin
    database, while it runs; counts the backends it ended."""

    def __init__(self, database: str, every_s: float = 0.1) -> None:
        self.database = database
        self.every_s = every_s
        self.ended = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Terminator:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        import psycopg

        admin = f"host={PG_HOST} port={PG_PORT} user=postgres dbname=postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            while not self._stop.wait(self.every_s):
                rows = conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()", [self.database],
                ).fetchall()  # fmt: skip
                self.ended += sum(1 for (done,) in rows if done)


def test_terminated_backends_mid_request_and_mid_build(
    stack: Settings, web: TestClient, cat_jpeg: bytes, tmp_path: Path
) -> None:
    database = str(make_url(stack.resolved_database_url).database)
    napping = {"PETPIXEL_BUILD_STEPS": "tests.workers.steps:napping_steps",
               "PETPIXEL_TEST_NAP_STEP": "generate_levels", "PETPIXEL_TEST_NAP_S": "2"}  # fmt: skip
    with worker(stack, tmp_path / "worker.log", **napping):
        paid = upload(web, cat_jpeg).json()["image_id"]
        assert generate(web, paid).status_code == 202
        wait_status(web, paid, "preview_ready")
        assert buy(web, paid).status_code == 202
        wait_until(lambda: status(web, paid)["label"] == "Designing levels", what="the build")

        answers: list[httpx.Response] = []
        with Terminator(database) as storm:
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline:  # a person uploading and polling meanwhile
                answers.append(upload(web, cat_jpeg))
                answers.append(web.get(f"/api/images/{paid}/status"))
        assert storm.ended > 10  # the storm did hit: web, worker and heartbeat connections
        for answer in answers:
            if answer.is_error:
                assert_clean_error(answer)
        assert any(a.status_code == 201 for a in answers)  # many still went through

        wait_status(web, paid, "ready", timeout=60)  # the build rode it out (or retried)
        fresh = upload(web, cat_jpeg)  # and everything works on fresh connections
        assert fresh.status_code == 201, fresh.text
        token = fresh.json()["image_id"]
        assert generate(web, token).status_code == 202
        wait_status(web, token, "preview_ready")
        assert web.get("/health").status_code == 200
