"""`petpixel health beat|worker`: the container health checks compose runs for beat and worker
(tests/container runs them inside the real containers)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PETPIXEL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("PETPIXEL_SWEEPER_INTERVAL_S", "15")
    return tmp_path


def test_beat_is_healthy_while_it_keeps_writing_its_schedule(data_dir: Path) -> None:
    runner = CliRunner()
    never = runner.invoke(app, ["health", "beat"])
    assert never.exit_code == 1
    assert "no schedule file" in never.output

    schedule = data_dir / "celerybeat-schedule.db"  # ndbm's name; gdbm writes no suffix
    schedule.write_bytes(b"")
    assert runner.invoke(app, ["health", "beat"]).exit_code == 0

    stale = time.time() - (3 * 15 + 31)  # three sweeps and 30 s late
    os.utime(schedule, (stale, stale))
    late = runner.invoke(app, ["health", "beat"])
    assert late.exit_code == 1
    assert "written 76 s ago" in late.output
    assert runner.invoke(app, ["health", "beat", "--max-age", "600"]).exit_code == 0


def test_beat_sends_a_sweep_and_writes_its_schedule_each_time() -> None:
    from core.config import Settings
    from workers.celery_app import create_celery

    assert create_celery(Settings()).conf.beat_sync_every == 1


@pytest.mark.redis
def test_a_worker_that_does_not_answer_is_unhealthy(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PETPIXEL_REDIS_URL", redis_url)
    result = CliRunner().invoke(app, ["health", "worker", "--timeout", "0.5"])
    assert result.exit_code == 1
    assert "did not answer a ping" in result.output
