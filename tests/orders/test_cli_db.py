"""`petpixel db upgrade` / `db current` on a fresh embedded database."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli.db import db_app
from tests.orders.test_migrations import head


def test_db_upgrade_then_current(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"PETPIXEL_DATA_DIR": str(tmp_path / "data"), "PETPIXEL_DATABASE_URL": ""}
    before = runner.invoke(db_app, ["current"], env=env)
    assert before.exit_code == 0, before.output
    assert "empty" in before.output
    result = runner.invoke(db_app, ["upgrade"], env=env)
    assert result.exit_code == 0, result.output
    assert f"revision {head()}" in result.output
    assert (tmp_path / "data" / "petpixel.db").is_file()
    assert runner.invoke(db_app, ["current"], env=env).output.strip() == head()
