"""A backup kept in a bucket (`s3://bucket/prefix`, what the Kubernetes CronJob writes): every
object copied with its Content-Type and Cache-Control, and restored from there."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.config import Settings
from core.storage import s3_client
from tests.backup.conftest import FAST, assert_playable, build_game, cli, use_env
from tests.reliability.parts import s3_server

pytestmark = [pytest.mark.s3, pytest.mark.slow]
BUCKET, BACKUPS = "petpixel-games", "petpixel-backups"


@pytest.fixture
def on_s3(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """SQLite and S3 storage (moto), with a second bucket for the backups."""
    with s3_server(BUCKET) as link:
        stack = settings.model_copy(update={"storage_backend": "s3", "s3_endpoint_url": link.url,
                                            "s3_bucket": BUCKET, **FAST})  # fmt: skip
        for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            monkeypatch.setenv(key, "test")
        s3_client(stack).create_bucket(Bucket=BACKUPS)
        use_env(monkeypatch, stack)
        yield stack


def _headers(settings: Settings, bucket: str, prefix: str = "") -> dict[str, tuple[str, str]]:
    client = s3_client(settings)
    listed = client.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    heads = {o["Key"]: client.head_object(Bucket=bucket, Key=o["Key"]) for o in listed}
    return {
        k.removeprefix(prefix): (h["ContentType"], h.get("CacheControl")) for k, h in heads.items()
    }


def test_a_backup_in_a_bucket_keeps_headers_and_restores(
    on_s3: Settings, cat_jpeg: bytes, tmp_path: Path
) -> None:
    game = build_game(on_s3, cat_jpeg)
    out = cli("backup", "create", "--out", f"s3://{BACKUPS}/nightly", "--timestamp")
    found = re.search(rf"to (s3://{BACKUPS}/nightly/\d{{8}}T\d{{6}}Z/) in", out)
    assert found, out
    location = found.group(1)
    prefix = location.removeprefix(f"s3://{BACKUPS}/")

    live = _headers(on_s3, BUCKET)
    copied = _headers(on_s3, BACKUPS, prefix + "objects/")
    assert copied == live
    assert live[game.assets["index.html"]] == (
        "text/html; charset=utf-8",
        "public, max-age=60, must-revalidate",
    )

    client = s3_client(on_s3)
    for key in live:
        client.delete_object(Bucket=BUCKET, Key=key)
    Path(on_s3.resolved_database_url.removeprefix("sqlite:///")).unlink()
    cli("backup", "restore", location, "--yes")
    assert _headers(on_s3, BUCKET) == live
    assert_playable(on_s3, game)
