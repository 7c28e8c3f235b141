"""Real `petpixel worker` processes: killed mid-task (SIGKILL) the task is redelivered (acks_late);
hung past the soft time limit (prefork pool) the order fails with a refund due."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from core.config import Settings
from core.db import Database
from core.jobs import CeleryJobs
from core.orders.lifecycle import OrderStatus
from tests.orders.fixtures import wait_for
from tests.workers.helpers import (
    open_db,
    order_row,
    order_with_photo,
    status_of,
    worker_process,
)
from workers.celery_app import create_celery
from workers.embedded import EmbeddedWorker

pytestmark = [pytest.mark.redis, pytest.mark.slow]


def _running(db: Database, order_id: str) -> bool:
    return order_row(db, order_id).progress_label == "Hanging on purpose"


def test_killed_worker_task_is_redelivered_and_completes(
    worker_settings: Settings, cat_jpeg: bytes, tmp_path: Path
) -> None:
    db = open_db(worker_settings)
    order_id = order_with_photo(db, worker_settings, cat_jpeg, OrderStatus.DRAFT)
    proc = worker_process(worker_settings, tmp_path / "worker.log",
                          steps="tests.workers.steps:slow_steps")  # fmt: skip
    try:
        CeleryJobs(create_celery(worker_settings), worker_settings).enqueue_preview(order_id)
        wait_for(lambda: proc.poll() is not None or _running(db, order_id), what="task running")
        assert proc.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert status_of(db, order_id) == "draft"

    app = create_celery(worker_settings)  # a healthy worker with the real pipeline
    with EmbeddedWorker(app):
        wait_for(lambda: status_of(db, order_id) != "draft", what="redelivered task to finish")
    order = order_row(db, order_id)
    assert order.status == "preview_ready", order.error_message
    assert order.attempts == 2  # the killed run and the redelivered one


def test_time_limit_stops_a_hung_build_and_fails_it_with_a_refund(
    worker_settings: Settings, cat_jpeg: bytes, tmp_path: Path
) -> None:
    db = open_db(worker_settings)
    order_id = order_with_photo(db, worker_settings, cat_jpeg, OrderStatus.PAID)
    log = tmp_path / "worker.log"
    proc = worker_process(
        worker_settings, log, steps="tests.workers.steps:slow_steps", pool="prefork",
        PETPIXEL_TASK_SOFT_TIME_LIMIT_S="2", PETPIXEL_TASK_TIME_LIMIT_S="60",
        PETPIXEL_BROKER_VISIBILITY_TIMEOUT_S="120",  # no redelivery while the limit runs out
    )  # fmt: skip
    try:
        CeleryJobs(create_celery(worker_settings), worker_settings).enqueue_build(order_id)
        wait_for(lambda: proc.poll() is not None or status_of(db, order_id) == "failed",
                 what="the time limit to fail the order")  # fmt: skip
        assert proc.poll() is None, log.read_text()[-3000:]  # the worker itself lives on
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    order = order_row(db, order_id)
    assert order.progress_label == "Hanging on purpose"  # it did start, and hung
    assert (order.status, order.error_code, order.refund_due) == ("failed", "time_limit", True)
    assert order.attempts == 1  # a time limit is not retried
    assert order.error_message
    assert "too" in order.error_message or "long" in order.error_message
