"""Backup and restore on the embedded default: SQLite (its online backup API) and local storage.
Also what every restore checks first: the manifest, the migration revision, the tools."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from typer.testing import CliRunner

from cli.main import app as cli_app
from core.config import Settings
from core.db import alembic_config, current_revision, migrate
from tests.backup.conftest import FAST, assert_playable, build_game, cli, use_env

# The newest migration in the code: restores upgrade to it.
HEAD = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def _refused(*args: str) -> str:
    result = CliRunner().invoke(cli_app, list(args))
    assert result.exit_code == 2, result.output
    return " ".join(result.output.split())  # the message, without the terminal's line breaks


@pytest.fixture
def embedded(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    embedded = settings.model_copy(update=FAST)
    use_env(monkeypatch, embedded)
    return embedded


@pytest.mark.slow
def test_the_embedded_default_comes_back_playable(
    embedded: Settings, cat_jpeg: bytes, tmp_path: Path
) -> None:
    game = build_game(embedded, cat_jpeg)
    cli("backup", "create", "--out", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database"]["kind"] == "sqlite"
    assert manifest["alembic_revision"] == HEAD
    assert manifest["object_count"] == len(manifest["objects"]) > len(game.assets)

    shutil.rmtree(embedded.data_dir)  # the disk is lost: database and every stored file
    cli("backup", "restore", str(tmp_path / "backup"), "--yes")
    assert current_revision(embedded.resolved_database_url) == HEAD
    assert_playable(embedded, game)


def test_an_older_backup_is_restored_then_upgraded(embedded: Settings, tmp_path: Path) -> None:
    migrate(embedded.resolved_database_url, "0003")
    cli("backup", "create", "--out", str(tmp_path / "backup"))
    shutil.rmtree(embedded.data_dir)

    out = cli("backup", "restore", str(tmp_path / "backup"), "--yes")
    assert f"Upgraded the database to revision {HEAD}." in out
    assert current_revision(embedded.resolved_database_url) == HEAD


def test_a_backup_newer_than_the_code_is_refused(embedded: Settings, tmp_path: Path) -> None:
    migrate(embedded.resolved_database_url)
    backup = tmp_path / "backup"
    cli("backup", "create", "--out", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest.update(alembic_revision="0099_from_the_future", app_version="9.0.0")
    (backup / "manifest.json").write_text(json.dumps(manifest))
    shutil.rmtree(embedded.data_dir)

    said = _refused("backup", "restore", str(backup), "--yes")
    assert (
        "error: backup_refused: This backup's database is at revision 0099_from_the_future" in said
    )
    assert f"newer than this PetPixel (9.0.0 made it; this code ends at {HEAD})" in said
    assert not Path(embedded.resolved_database_url.removeprefix("sqlite:///")).exists()


def test_a_damaged_database_file_or_a_missing_manifest_is_refused(
    embedded: Settings, tmp_path: Path
) -> None:
    migrate(embedded.resolved_database_url)
    backup = tmp_path / "backup"
    cli("backup", "create", "--out", str(backup))
    dump = backup / "database.sqlite3"
    dump.write_bytes(dump.read_bytes()[:-1] + b"\x01")
    said = _refused("backup", "restore", str(backup), "--yes")
    assert "The backup is damaged: database.sqlite3 does not match its checksum" in said

    (backup / "manifest.json").unlink()
    said = _refused("backup", "restore", str(backup), "--yes")
    assert f"The backup at {backup} has no manifest.json: it is incomplete" in said


def test_a_backup_never_writes_into_a_folder_in_use(embedded: Settings, tmp_path: Path) -> None:
    migrate(embedded.resolved_database_url)
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("keep")
    said = _refused("backup", "create", "--out", str(tmp_path / "used"))
    assert "is not empty: back up into a new folder or prefix" in said
    assert [p.name for p in (tmp_path / "used").iterdir()] == ["notes.txt"]
    inside = embedded.data_dir / "storage" / "backup"
    said = _refused("backup", "create", "--out", str(inside))
    assert "is inside the storage it backs up" in said
    assert not inside.exists()


def test_missing_postgresql_tools_are_named(
    embedded: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.setenv(
        "PETPIXEL_DATABASE_URL", "postgresql+psycopg://petpixel@127.0.0.1:9/petpixel"
    )
    said = _refused("backup", "create", "--out", str(tmp_path / "backup"))
    assert "error: backup_failed: pg_dump is not installed" in said
    assert "apt-get install postgresql-client" in said
