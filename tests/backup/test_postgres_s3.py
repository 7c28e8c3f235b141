"""Backup and restore on the production shape: PostgreSQL (pg_dump / pg_restore) and S3 (moto's
server). The database is dropped and the bucket emptied; the restore brings the game back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from typer.testing import CliRunner

from cli.main import app as cli_app
from core.config import Settings
from core.db import migrate
from core.storage import s3_client
from tests.backup.conftest import FAST, BuiltGame, assert_playable, build_game, cli, use_env
from tests.conftest import PG_HOST, PG_PORT, need
from tests.reliability.parts import Link, s3_server

pytestmark = [pytest.mark.postgres, pytest.mark.s3, pytest.mark.slow]
BUCKET = "petpixel-backup-test"
ADMIN = f"host={PG_HOST} port={PG_PORT} user=postgres dbname=postgres"


@pytest.fixture
def stack(settings: Settings, pg_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """PostgreSQL + S3 settings (jobs run in this process), also set as PETPIXEL_* for the CLI."""
    need(all(map(_which, ("pg_dump", "pg_restore"))), "pg_dump and pg_restore (postgresql-client)")
    migrate(pg_url)
    with s3_server(BUCKET) as link:
        stack = _on(settings, pg_url, link)
        for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            monkeypatch.setenv(key, "test")
        use_env(monkeypatch, stack)
        yield stack


def _which(tool: str) -> bool:
    import shutil

    return shutil.which(tool) is not None


def _on(settings: Settings, pg_url: str, link: Link) -> Settings:
    where = {"database_url": pg_url, "storage_backend": "s3", "s3_endpoint_url": link.url,
             "s3_bucket": BUCKET}  # fmt: skip
    return settings.model_copy(update={**where, **FAST})


@pytest.fixture
def game(stack: Settings, cat_jpeg: bytes) -> BuiltGame:
    return build_game(stack, cat_jpeg)


def _objects(settings: Settings) -> dict[str, tuple[str, str | None, str]]:
    """Every object of the bucket: key -> (content type, cache control, ETag)."""
    client = s3_client(settings)
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=settings.s3_bucket):
        for obj in page.get("Contents", []):
            head: dict[str, Any] = client.head_object(Bucket=settings.s3_bucket, Key=obj["Key"])
            found[obj["Key"]] = (head["ContentType"], head.get("CacheControl"), head["ETag"])
    return found


def _wipe(settings: Settings) -> None:
    """The disaster: the database dropped, every object of the bucket deleted."""
    name = str(settings.database_url).rsplit("/", 1)[-1]
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    client = s3_client(settings)
    for key in _objects(settings):
        client.delete_object(Bucket=settings.s3_bucket, Key=key)


def _database_exists(settings: Settings) -> bool:
    name = str(settings.database_url).rsplit("/", 1)[-1]
    with psycopg.connect(ADMIN) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            is not None
        )


def test_a_dropped_database_and_an_emptied_bucket_come_back_playable(
    stack: Settings, game: BuiltGame, tmp_path: Path
) -> None:
    before = _objects(stack)
    assert {k for k in before if k.startswith(f"games/{game.code}/")} == set(game.assets.values())
    out = cli("backup", "create", "--out", str(tmp_path / "backup"))
    assert f"{len(before)} files" in out

    _wipe(stack)
    assert not _database_exists(stack)
    assert _objects(stack) == {}

    out = cli("backup", "restore", str(tmp_path / "backup"), "--yes")
    assert "Restored the postgresql database" in out
    # Same objects with the same bytes (ETag), Content-Type and Cache-Control as before.
    assert _objects(stack) == before
    assert_playable(stack, game)


def test_a_damaged_backup_is_refused_and_changes_nothing(
    stack: Settings, game: BuiltGame, tmp_path: Path
) -> None:
    backup = tmp_path / "backup"
    cli("backup", "create", "--out", str(backup))
    bundle_file = backup / "objects" / game.assets["index.html"]
    bundle_file.write_bytes(bundle_file.read_bytes().replace(b"<head", b"<head data-x", 1))
    _wipe(stack)

    result = CliRunner().invoke(cli_app, ["backup", "restore", str(backup), "--yes"])
    assert result.exit_code == 2, result.output
    assert "error: backup_refused: The backup is damaged: " in result.output
    assert f"objects/{game.assets['index.html']} does not match its checksum" in result.output
    # Refused before anything changed: no database made, no object put back.
    assert not _database_exists(stack)
    assert _objects(stack) == {}


def test_a_pg_dump_older_than_the_server_is_refused_by_name(
    settings: Settings, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pg_dump cannot dump a newer server; a stand-in reporting version 9 shows the message.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    migrate(pg_url)
    use_env(monkeypatch, settings.model_copy(update={"database_url": pg_url}))

    result = CliRunner().invoke(cli_app, ["backup", "create", "--out", str(tmp_path / "b")])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, said
    assert "error: backup_failed: pg_dump (PostgreSQL) 9.6.24 cannot dump a PostgreSQL" in said
    assert "install postgresql-client-" in said
    assert not (tmp_path / "b" / "manifest.json").exists()
