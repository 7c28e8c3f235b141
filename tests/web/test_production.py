"""The browser flow on production services: PostgreSQL, Redis, a Celery worker process, S3."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.config import Settings
from tests.conftest import free_port
from tests.web.conftest import LiveServer
from tests.web.test_browser import DESKTOP, order_and_play
from web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
AWS_ENV = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
           "AWS_DEFAULT_REGION": "us-east-1"}  # fmt: skip


@pytest.fixture
def s3_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A real S3 HTTP server (moto) on 127.0.0.1 with the bucket created."""
    import boto3
    from moto.server import ThreadedMotoServer

    for key, value in AWS_ENV.items():
        monkeypatch.setenv(key, value)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{server.get_host_and_port()[1]}"
        boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="petpixel-web")
        yield endpoint
    finally:
        server.stop()


def env_for(settings: Settings) -> dict[str, str]:
    """The same settings as PETPIXEL_* variables, for the worker process."""
    names = ("data_dir", "database_url", "redis_url", "storage_backend", "s3_endpoint_url",
             "s3_bucket", "public_url")  # fmt: skip
    values = {f"PETPIXEL_{n.upper()}": str(getattr(settings, n)) for n in names}
    return {**os.environ, **AWS_ENV, **values}


@pytest.fixture
def worker_process(prod_settings: Settings) -> Iterator[subprocess.Popen[bytes]]:
    cmd = [sys.executable, "-m", "cli.main", "worker"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env_for(prod_settings))
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def prod_settings(settings: Settings, pg_url: str, redis_url: str, s3_endpoint: str) -> Settings:
    from core.db import migrate

    migrate(pg_url)
    port = free_port()
    return settings.model_copy(
        update={
            "database_url": pg_url,
            "redis_url": redis_url,
            "storage_backend": "s3",
            "s3_endpoint_url": s3_endpoint,
            "s3_bucket": "petpixel-web",
            "public_url": f"http://127.0.0.1:{port}",
        }
    )


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.s3
@pytest.mark.browser
@pytest.mark.slow
def test_order_page_to_playing_game_on_production_services(
    browser: Any,
    prod_settings: Settings,
    worker_process: subprocess.Popen[bytes],
    cat_jpeg: bytes,
    tmp_path: Path,
) -> None:
    photo = tmp_path / "cat.jpg"
    photo.write_bytes(cat_jpeg)
    port = int(str(prod_settings.public_url).rsplit(":", 1)[1])
    with LiveServer(create_app(prod_settings), port) as server:
        link = order_and_play(browser, server.url, photo, DESKTOP, "production")
        assert worker_process.poll() is None  # the separate worker process did the work
        assert httpx.get(server.url + "/health").json()["checks"] == {
            "database": "ok",
            "storage": "ok",
            "queue": "ok",
        }
    assert link.startswith(f"{server.url}/g/")
