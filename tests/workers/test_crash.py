"""Real `petpixel worker` processes that die or freeze mid-job.

Killed (SIGKILL) mid-job, the run's lease stops being renewed and runs out; the sweeper (beat in a
second worker, as compose runs it) queues the job again and the other worker finishes it within
seconds (lease + sweep interval + the job), not after stuck_after_s or Redis's visibility timeout.
A slow but alive run keeps its lease and never runs twice; a frozen one that wakes after its job
moved on publishes nothing. Hung past the soft time limit (prefork pool) the order fails with a
refund due."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.config import Settings
from core.db import Database
from core.jobs import CeleryJobs
from core.orders.lifecycle import OrderStatus
from core.orders.tables import Event, Game
from tests.orders.fixtures import wait_for
from tests.workers.helpers import (
    open_db,
    order_row,
    order_with_photo,
    status_of,
    worker_process,
)
from workers.celery_app import create_celery

pytestmark = [pytest.mark.redis, pytest.mark.slow]

Spawn = Callable[..., subprocess.Popen[bytes]]


@pytest.fixture
def fast(worker_settings: Settings) -> Settings:
    """Leases of 2 s renewed every 0.5 s, a sweep every second; no Redis redelivery meanwhile."""
    return worker_settings.model_copy(update={
        "job_lease_s": 2.0, "job_heartbeat_s": 0.5, "sweeper_interval_s": 1.0,
        "broker_visibility_timeout_s": 600, "preview_sprite_size": 32,
    })  # fmt: skip


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Spawn]:
    """Start worker processes (named for their log files); every one is stopped at the end."""
    procs: list[subprocess.Popen[bytes]] = []

    def start(settings: Settings, name: str, **kwargs: object) -> subprocess.Popen[bytes]:
        proc = worker_process(settings, tmp_path / f"{name}.log", **kwargs)  # type: ignore[arg-type]
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGCONT)  # a frozen one must be able to stop
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=5)  # a worker stuck in a hanging step never ends by itself
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _label_is(db: Database, order_id: str, label: str) -> Callable[[], bool]:
    return lambda: order_row(db, order_id).progress_label == label


def _wait_started(proc: subprocess.Popen[bytes], ready: Callable[[], bool], log: Path) -> None:
    wait_for(lambda: proc.poll() is not None or ready(), what="the job to start")
    assert proc.poll() is None, log.read_text()[-3000:]


def _wait_for_workers(settings: Settings, count: int) -> None:
    app = create_celery(settings)
    wait_for(lambda: len(app.control.ping(timeout=0.5)) >= count, what=f"{count} workers")


def _enqueue(settings: Settings, kind: str, order_id: str) -> None:
    jobs = CeleryJobs(create_celery(settings), settings)
    if kind == "preview":
        jobs.enqueue_preview(order_id)
    else:
        jobs.enqueue_build(order_id)


def _calls(settings: Settings, step: str) -> list[int]:
    """Process ids that ran `step` (tests.workers.steps.recording_steps writes them down)."""
    log = settings.data_dir / "step-calls.jsonl"
    lines = log.read_text().splitlines() if log.exists() else []
    return [call["pid"] for call in map(json.loads, lines) if call["step"] == step]


def _count(db: Database, model: type[Game] | type[Event], *where: object) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


@pytest.mark.parametrize(("kind", "start", "done"), [
    ("preview", OrderStatus.DRAFT, "preview_ready"),
    ("build", OrderStatus.PAID, "ready"),
])  # fmt: skip
def test_a_killed_workers_job_resumes_on_another_worker_within_seconds(
    fast: Settings, spawn: Spawn, cat_jpeg: bytes, tmp_path: Path,
    kind: str, start: OrderStatus, done: str,
) -> None:  # fmt: skip
    db = open_db(fast)
    order_id = order_with_photo(db, fast, cat_jpeg, start)
    doomed = spawn(fast, "doomed", steps="tests.workers.steps:slow_steps")
    _enqueue(fast, kind, order_id)
    _wait_started(doomed, _label_is(db, order_id, "Hanging on purpose"), tmp_path / "doomed.log")
    rescuer = spawn(fast, "rescuer", steps="tests.workers.steps:recording_steps", beat=True)
    _wait_for_workers(fast, 1)  # the doomed one is busy: a solo pool answers no ping

    os.kill(doomed.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    wait_for(lambda: status_of(db, order_id) in {done, "failed"}, timeout=60, what="the rescue")
    recovery = time.monotonic() - killed_at

    order = order_row(db, order_id)
    assert order.status == done, order.error_message
    assert order.attempts == 2  # the killed run and the rescue
    assert _calls(fast, "make_sprite") == [rescuer.pid]
    # 2 s lease + 1 s sweeps + the job itself; the old defaults took 15 minutes (stuck_after_s)
    assert recovery < 45, f"resumed {recovery:.1f} s after the kill"


def test_a_killed_pool_process_job_is_taken_over_at_once(
    worker_settings: Settings, spawn: Spawn, cat_jpeg: bytes, tmp_path: Path
) -> None:
    # Prefork: the worker hands a dead pool process's message out again at once; the new pool
    # process sees the lease's holder is gone and does not wait 30 s for the lease (nor a sweep).
    settings = worker_settings.model_copy(update={
        "job_lease_s": 30.0, "sweeper_interval_s": 600.0, "broker_visibility_timeout_s": 600,
        "preview_sprite_size": 32,
    })  # fmt: skip
    db = open_db(settings)
    order_id = order_with_photo(db, settings, cat_jpeg, OrderStatus.PAID)
    worker = spawn(settings, "prefork", steps="tests.workers.steps:hang_once_steps",
                   pool="prefork")  # fmt: skip
    _enqueue(settings, "build", order_id)
    _wait_started(worker, _label_is(db, order_id, "Hanging on purpose"), tmp_path / "prefork.log")
    pool_process = int((settings.data_dir / "hung.pid").read_text())
    assert pool_process != worker.pid

    os.kill(pool_process, signal.SIGKILL)  # the out-of-memory killer picks the pool process
    wait_for(lambda: status_of(db, order_id) in {"ready", "failed"}, timeout=25,
             what="the job to be taken over (the lease alone would take 30 s)")  # fmt: skip

    order = order_row(db, order_id)
    assert (order.status, order.attempts) == ("ready", 2), order.error_message
    assert worker.poll() is None


def test_a_slow_build_keeps_its_lease_and_never_runs_twice(
    fast: Settings, spawn: Spawn, cat_jpeg: bytes, tmp_path: Path
) -> None:
    # Redis hands the unacknowledged message to the idle worker after 2 s, and that worker's beat
    # sweeps every second, all while the first run naps silently for three lease lengths.
    settings = fast.model_copy(update={"broker_visibility_timeout_s": 2})
    db = open_db(settings)
    order_id = order_with_photo(db, settings, cat_jpeg, OrderStatus.PAID)
    slow = spawn(settings, "slow", steps="tests.workers.steps:napping_steps",
                 PETPIXEL_TEST_NAP_S="6")  # fmt: skip
    _enqueue(settings, "build", order_id)
    _wait_started(slow, _label_is(db, order_id, "Napping on purpose"), tmp_path / "slow.log")
    spawn(settings, "idle", steps="tests.workers.steps:recording_steps", beat=True)

    wait_for(lambda: status_of(db, order_id) in {"ready", "failed"}, timeout=90, what="the build")

    order = order_row(db, order_id)
    assert (order.status, order.attempts, order.requeues) == ("ready", 1, 0), order.error_message
    assert _calls(settings, "make_sprite") == [slow.pid]
    assert _calls(settings, "build_bundle") == [slow.pid]


def test_a_frozen_worker_that_wakes_after_its_job_moved_on_publishes_nothing(
    fast: Settings, spawn: Spawn, cat_jpeg: bytes, tmp_path: Path
) -> None:
    db = open_db(fast)
    order_id = order_with_photo(db, fast, cat_jpeg, OrderStatus.PAID)
    frozen = spawn(fast, "frozen", steps="tests.workers.steps:napping_steps",
                   PETPIXEL_TEST_NAP_S="1")  # fmt: skip
    _enqueue(fast, "build", order_id)
    _wait_started(frozen, _label_is(db, order_id, "Napping on purpose"), tmp_path / "frozen.log")
    os.kill(frozen.pid, signal.SIGSTOP)  # a long GC pause, a swapped-out VM...
    rescuer = spawn(fast, "rescuer", steps="tests.workers.steps:recording_steps", beat=True)
    wait_for(lambda: status_of(db, order_id) in {"ready", "failed"}, timeout=60, what="the rescue")
    assert order_row(db, order_id).status == "ready"
    storage = fast.data_dir / "storage"
    published = {p: p.stat().st_mtime_ns for p in storage.rglob("games/**/*") if p.is_file()}

    os.kill(frozen.pid, signal.SIGCONT)
    log = tmp_path / "frozen.log"
    wait_for(lambda: "handed over" in log.read_text(), timeout=30, what="the woken run to stop")

    order = order_row(db, order_id)
    assert (order.status, order.attempts) == ("ready", 2)
    assert _count(db, Game, Game.order_id == order_id) == 1
    ready = (Event.order_id == order_id, Event.type == "order.ready")
    assert _count(db, Event, *ready) == 1
    now = {p: p.stat().st_mtime_ns for p in storage.rglob("games/**/*") if p.is_file()}
    assert published
    assert now == published  # not one file written again
    assert _calls(fast, "build_bundle") == [rescuer.pid]


def test_time_limit_stops_a_hung_build_and_fails_it_with_a_refund(
    worker_settings: Settings, spawn: Spawn, cat_jpeg: bytes, tmp_path: Path
) -> None:
    db = open_db(worker_settings)
    order_id = order_with_photo(db, worker_settings, cat_jpeg, OrderStatus.PAID)
    log = tmp_path / "worker.log"
    proc = spawn(
        worker_settings, "worker", steps="tests.workers.steps:slow_steps", pool="prefork",
        PETPIXEL_TASK_SOFT_TIME_LIMIT_S="2", PETPIXEL_TASK_TIME_LIMIT_S="60",
        PETPIXEL_BROKER_VISIBILITY_TIMEOUT_S="120",  # no redelivery while the limit runs out
    )  # fmt: skip
    CeleryJobs(create_celery(worker_settings), worker_settings).enqueue_build(order_id)
    wait_for(lambda: proc.poll() is not None or status_of(db, order_id) == "failed",
             what="the time limit to fail the order")  # fmt: skip
    assert proc.poll() is None, log.read_text()[-3000:]  # the worker itself lives on
    order = order_row(db, order_id)
    assert order.progress_label == "Hanging on purpose"  # it did start, and hung
    assert (order.status, order.error_code, order.refund_due) == ("failed", "time_limit", True)
    assert order.attempts == 1  # a time limit is not retried
    assert order.lease_until is None  # the failed run let its lease go
    assert order.error_message
    assert "too" in order.error_message or "long" in order.error_message
