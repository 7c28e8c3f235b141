"""A real `petpixel worker` process (solo pool, real Redis) with JSON logs, its metrics port and
Sentry on a local fake ingest: a preview sent under a request id retries, then fails for good.

The worker's log lines carry the sender's request id and channel, the task id and the order id;
its metrics count the retries, the failure and the run times, and report the queue lengths;
Sentry receives the failure; and the database password in the error reaches neither."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from core.config import Settings
from core.jobs import TASK_PREVIEW, CeleryJobs
from core.observability import bound
from core.orders.lifecycle import OrderStatus
from tests.conftest import free_port, need_module
from tests.fakes.sentry_ingest import SentryIngest
from tests.observability.steps import DB_PASSWORD
from tests.orders.fixtures import wait_for
from tests.workers.helpers import open_db, order_with_photo, status_of, worker_process
from workers.celery_app import create_celery
from workers.tracing import trace_tasks

pytestmark = [pytest.mark.redis, pytest.mark.slow]
REQUEST_ID = "req-from-the-web-42"


@pytest.fixture
def ingest() -> Iterator[SentryIngest]:
    with SentryIngest() as server:
        yield server


@pytest.fixture
def settings_(worker_settings: Settings) -> Settings:
    """No redelivery by Redis meanwhile: each retry is one run."""
    return worker_settings.model_copy(update={"broker_visibility_timeout_s": 600})


@pytest.fixture
def worker(
    settings_: Settings, ingest: SentryIngest, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[bytes], Path, int]]:
    port, log = free_port(), tmp_path / "worker.log"
    proc = worker_process(
        settings_, log, steps="tests.observability.steps:leaky_down_steps",
        PETPIXEL_LOG_FORMAT="json", PETPIXEL_WORKER_METRICS_PORT=str(port),
        PETPIXEL_SENTRY_DSN=ingest.dsn, PETPIXEL_TASK_MAX_RETRIES="2",
        PETPIXEL_TASK_RETRY_BACKOFF_S="1",
    )  # fmt: skip
    try:
        yield proc, log, port
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


def _metrics(port: int) -> str:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
    except httpx.HTTPError:
        return ""


def test_a_failing_task_is_logged_counted_and_reported_with_its_ids(
    settings_: Settings,
    worker: tuple[subprocess.Popen[bytes], Path, int],
    ingest: SentryIngest,
    cat_jpeg: bytes,
) -> None:
    need_module("sentry_sdk")
    proc, log, port = worker
    worker_settings = settings_
    db = open_db(worker_settings)
    order_id = order_with_photo(db, worker_settings, cat_jpeg, OrderStatus.DRAFT)
    wait_for(lambda: proc.poll() is not None or "petpixel_queue_length" in _metrics(port),
             what="the worker's metrics port")  # fmt: skip
    assert proc.poll() is None, log.read_text()

    trace_tasks()  # as open_runtime does in web and bot processes
    sender = create_celery(worker_settings)
    with bound(request_id=REQUEST_ID, channel="web"):
        CeleryJobs(sender, worker_settings).enqueue_preview(order_id)
    wait_for(lambda: status_of(db, order_id) == OrderStatus.FAILED, what="the order to fail")

    # Metrics: two retries (task_max_retries=2), then one failure; every run timed.
    wait_for(lambda: f'petpixel_task_failures_total{{task="{TASK_PREVIEW}"}} 1.0' in _metrics(port),
             what="the failure counted")  # fmt: skip
    text = _metrics(port)
    assert f'petpixel_task_retries_total{{task="{TASK_PREVIEW}"}} 2.0' in text
    assert (
        f'petpixel_task_duration_seconds_count{{state="retry",task="{TASK_PREVIEW}"}} 2.0' in text
    )
    assert (
        f'petpixel_task_duration_seconds_count{{state="failure",task="{TASK_PREVIEW}"}} 1.0' in text
    )
    assert 'petpixel_queue_length{queue="petpixel"} 0.0' in text
    assert 'petpixel_queue_length{queue="gpu"} 0.0' in text

    # Sentry: the failure, tagged with the ids, without the password.
    events = ingest.wait_for(lambda evs: any(_exception(e) for e in evs))
    failure = next(e for e in events if "could not connect" in _exception(e))
    assert "could not connect to postgresql://" in _exception(failure)
    assert failure["tags"]["request_id"] == REQUEST_ID
    assert failure["tags"]["order_id"] == order_id
    assert all(DB_PASSWORD.encode() not in raw for raw in ingest.raw)

    # Logs: JSON, one object a line; the give-up line carries every id; no password anywhere.
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=10)
    raw = log.read_text()
    assert DB_PASSWORD not in raw
    lines = [json.loads(line) for line in raw.splitlines() if line.startswith("{")]
    gave_up = [line for line in lines if "gave up" in line["message"]]
    assert gave_up, raw
    assert gave_up[0]["level"] == "ERROR"
    assert gave_up[0]["request_id"] == REQUEST_ID
    assert gave_up[0]["channel"] == "web"
    assert gave_up[0]["order_id"] == order_id
    assert gave_up[0]["task_id"]
    assert {"time", "level", "logger", "message"} <= set(gave_up[0])


def _exception(event: dict[str, Any]) -> str:
    values = (event.get("exception") or {}).get("values") or []
    return " ".join(str(v.get("value")) for v in values)
