"""Sentry (PETPIXEL_SENTRY_DSN) against a local fake ingest: a web request that raises is
reported with its request id, and nothing secret leaves. (A failing Celery task: test_worker.py.)
Each run is its own process: Sentry's client is process-wide."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import need_module
from tests.fakes.sentry_ingest import SentryIngest
from tests.observability.web_app_that_raises import SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_an_unhandled_web_error_reaches_sentry_scrubbed(tmp_path: Path) -> None:
    need_module("sentry_sdk")
    with SentryIngest() as ingest:
        done = subprocess.run(
            [sys.executable, "-m", "tests.observability.web_app_that_raises", str(tmp_path),
             ingest.dsn],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["500", "req-web-boom-1"]
        events = ingest.wait_for(lambda evs: any("stripe said no" in str(e) for e in evs))
    event = next(e for e in events if "stripe said no" in str(e))
    assert event["tags"]["request_id"] == "req-web-boom-1"
    assert event["tags"]["channel"] == "web"
    assert event["tags"]["role"] == "web"
    assert "exception" in event
    assert all(SECRET_KEY.encode() not in raw for raw in ingest.raw)
    assert SECRET_KEY not in done.stderr  # the JSON log line of the error is scrubbed too


def test_without_a_dsn_nothing_starts(tmp_path: Path) -> None:
    from core.config import Settings
    from core.observability import init_sentry

    assert init_sentry(Settings(data_dir=tmp_path), role="web") is False
