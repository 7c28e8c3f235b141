"""Fault tests on the production shape: PostgreSQL, a redis-server of the test's own, moto's S3
server behind a link the test can cut, real `petpixel worker` processes, the web app in-process."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.config import Settings
from core.db import migrate
from tests.conftest import need
from tests.reliability.parts import Link, RedisServer, s3_server
from tests.web.conftest import LOCAL
from web.app import create_app

BUCKET = "petpixel-faults"


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    need(shutil.which("redis-server") is not None, "redis-server (to restart a Redis of our own)")
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def s3_link(monkeypatch: pytest.MonkeyPatch) -> Iterator[Link]:
    for key, value in {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                       "AWS_DEFAULT_REGION": "us-east-1"}.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    with s3_server(BUCKET) as link:
        yield link


@pytest.fixture
def stack(settings: Settings, pg_url: str, redis_server: RedisServer, s3_link: Link) -> Settings:
    """Production-shape settings with short leases, sweeps and retries, so faults take seconds."""
    migrate(pg_url)
    return settings.model_copy(update={
        "database_url": pg_url, "redis_url": redis_server.url, "storage_backend": "s3",
        "s3_endpoint_url": s3_link.url, "s3_bucket": BUCKET, "public_url": "http://testserver",
        "preview_sprite_size": 32, "progress_interval_s": 0.0, "job_lease_s": 2.0,
        "job_heartbeat_s": 0.5, "sweeper_interval_s": 1.0, "task_retry_backoff_s": 1,
        "task_max_retries": 4, "rate_limit_burst": 10_000, "upload_rate_limit_burst": 1_000,
        "max_uploads_per_minute": 0, "max_jobs_in_flight": 0,
        "global_upload_rate_per_minute": 10_000, "global_upload_burst": 10_000,
    })  # fmt: skip


@pytest.fixture
def web(stack: Settings) -> Iterator[TestClient]:
    """The web app, lifespan open, for the whole test: it must ride every fault out."""
    with TestClient(create_app(stack), raise_server_exceptions=False, client=LOCAL) as client:
        yield client
