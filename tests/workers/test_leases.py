"""Claim leases (core/orders/leases.py): a live run keeps its order, a dead one loses it fast.

On SQLite and real PostgreSQL; the worker-process version (SIGKILL, SIGSTOP) is in test_crash.py."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from core.config import Settings
from core.db import Database
from core.orders.builds import Builds
from core.orders.leases import BUILD_JOB, MACHINE, Lease, claim, died_here, new_owner
from core.orders.lifecycle import OrderStatus
from core.orders.sweeper import sweep_stuck
from core.orders.tables import Event, Order, utcnow
from core.storage import LocalStorage
from tests.orders.factories import add_order
from tests.orders.fixtures import RecordingJobs, wait_for
from tests.workers import steps
from tests.workers.helpers import order_row

BUILDING = {OrderStatus.PAID, OrderStatus.BUILDING}


@pytest.fixture
def lease_settings(order_settings: Settings) -> Settings:
    return order_settings.model_copy(update={"job_lease_s": 1.0, "job_heartbeat_s": 0.1})


def _claim_build(db: Database, order_id: str, owner: str, lease_s: float = 30.0) -> bool:
    with db.session() as session:
        return claim(session, order_id, expected=BUILDING, target=OrderStatus.BUILDING,
                     job=BUILD_JOB, owner=owner, lease_s=lease_s)  # fmt: skip


def _set(db: Database, order_id: str, **values: object) -> None:
    with db.session() as session:
        session.execute(update(Order).where(Order.id == order_id).values(**values))


def _ago(seconds: float) -> object:
    return utcnow() - timedelta(seconds=seconds)


def test_a_live_lease_turns_other_runs_away_and_a_lapsed_one_lets_them_in(db: Database) -> None:
    order_id = add_order(db, status=OrderStatus.PAID)
    assert _claim_build(db, order_id, "a" * 32)
    assert not _claim_build(db, order_id, "b" * 32)  # a second delivery while the run lives
    _set(db, order_id, lease_until=_ago(1))  # its worker died: no heartbeat since
    assert _claim_build(db, order_id, "b" * 32)
    order = order_row(db, order_id)
    assert (order.status, order.lease_owner, order.attempts) == ("building", "b" * 32, 2)


def test_the_heartbeat_keeps_a_lease_past_its_length_and_release_frees_it(
    db: Database,
) -> None:
    order_id = add_order(db, status=OrderStatus.PAID)
    assert _claim_build(db, order_id, "a" * 32, lease_s=0.5)
    with Lease(db, order_id, "a" * 32, lease_s=0.5, heartbeat_s=0.1) as lease:
        time.sleep(1.5)  # three lease lengths: only the heartbeat keeps it
        assert not _claim_build(db, order_id, "b" * 32)
        lease.check()  # still ours: no LeaseLost
    assert order_row(db, order_id).lease_until is None  # released at the end of the run
    assert _claim_build(db, order_id, "b" * 32)


def test_a_run_whose_lease_was_taken_learns_it_at_its_next_beat(db: Database) -> None:
    order_id = add_order(db, status=OrderStatus.PAID)
    assert _claim_build(db, order_id, "a" * 32, lease_s=0.3)
    with Lease(db, order_id, "a" * 32, lease_s=0.3, heartbeat_s=0.1) as lease:
        _set(db, order_id, lease_owner="b" * 32)  # the sweeper and another worker took over
        wait_for(lease.lost.is_set, timeout=5, what="the heartbeat to notice")
    assert order_row(db, order_id).lease_owner == "b" * 32  # release never frees another's lease


def test_the_sweeper_requeues_a_lapsed_lease_at_once_and_never_a_live_one(
    db: Database, jobs: RecordingJobs, order_settings: Settings, storage: LocalStorage
) -> None:
    dead = add_order(db, status=OrderStatus.PAID)
    alive = add_order(db, status=OrderStatus.PAID)
    for order_id in (dead, alive):
        assert _claim_build(db, order_id, order_id)
    # The dead run's row changed a moment ago (far from stuck_after_s), but its lease ran out; the
    # live run has been quiet for an hour, but its heartbeat keeps the lease.
    _set(db, dead, lease_until=_ago(1))
    _set(db, alive, updated_at=_ago(3600))
    builds = Builds(settings=order_settings, db=db, storage=storage)

    report = sweep_stuck(db=db, jobs=jobs, builds=builds, settings=order_settings)

    assert (report.requeued, report.failed) == ([dead], [])
    assert jobs.sent == [("build", dead)]
    requeued = order_row(db, dead)
    assert (requeued.lease_owner, requeued.lease_until, requeued.requeues) == (None, None, 1)
    again = sweep_stuck(db=db, jobs=jobs, builds=builds, settings=order_settings)
    assert again.requeued == []  # claimed by the first sweep: queued once
    assert order_row(db, alive).lease_owner == alive


def test_a_restart_sweep_takes_the_leases_of_the_last_process(
    db: Database, jobs: RecordingJobs, order_settings: Settings, storage: LocalStorage
) -> None:
    order_id = add_order(db, status=OrderStatus.PAID)
    assert _claim_build(db, order_id, order_id)  # lease still live for 30 s
    _set(db, order_id, updated_at=_ago(5))
    builds = Builds(settings=order_settings, db=db, storage=storage)
    report = sweep_stuck(db=db, jobs=jobs, builds=builds, settings=order_settings,
                         cutoff=_ago(1))  # type: ignore[arg-type]  # fmt: skip
    assert report.requeued == [order_id]


def test_a_preview_that_kills_its_workers_is_requeued_once_then_failed(
    db: Database, jobs: RecordingJobs, order_settings: Settings, storage: LocalStorage
) -> None:
    order_id = add_order(db, status=OrderStatus.DRAFT)
    builds = Builds(settings=order_settings, db=db, storage=storage)
    for _ in range(2):
        with db.session() as session:
            assert claim(session, order_id, expected={OrderStatus.DRAFT}, target=OrderStatus.DRAFT,
                         job="preview:x", owner="a" * 32, lease_s=30)  # fmt: skip
        _set(db, order_id, lease_until=_ago(1))  # the worker died (out of memory, say)
        report = sweep_stuck(db=db, jobs=jobs, builds=builds, settings=order_settings)
    assert jobs.sent == [("preview", order_id)]
    assert report.previews_failed == [order_id]
    assert (order_row(db, order_id).status, order_row(db, order_id).error_code) == (
        "failed", "preview_stalled",
    )  # fmt: skip


def _paid_order(db: Database, storage: LocalStorage, photo: bytes) -> str:
    order_id = add_order(db, status=OrderStatus.PAID)
    storage.put(f"orders/{order_id}/photo.jpg", photo, content_type="image/jpeg")
    return order_id


def test_a_second_delivery_while_the_build_runs_does_nothing(
    db: Database, lease_settings: Settings, storage: LocalStorage, cat_jpeg: bytes
) -> None:
    order_id = _paid_order(db, storage, cat_jpeg)
    gate = threading.Event()
    builds = Builds(settings=lease_settings, db=db, storage=storage,
                    steps=steps.gated_steps(gate))  # fmt: skip
    first = threading.Thread(target=builds.run_build, args=[order_id])
    first.start()
    try:
        wait_for(lambda: order_row(db, order_id).progress_label == "Waiting at the gate")
        time.sleep(3 * lease_settings.job_lease_s)  # long past the lease: the heartbeat holds it
        assert builds.run_build(order_id) == OrderStatus.BUILDING  # the duplicate returns at once
    finally:
        gate.set()
        first.join(timeout=60)
    order = order_row(db, order_id)
    assert (order.status, order.attempts, order.lease_owner) == ("ready", 1, None)


def test_new_choices_take_the_preview_over_and_the_old_run_stops_without_saving(
    db: Database, lease_settings: Settings, storage: LocalStorage, cat_jpeg: bytes
) -> None:
    order_id = add_order(db, status=OrderStatus.DRAFT)
    storage.put(f"orders/{order_id}/photo.jpg", cat_jpeg, content_type="image/jpeg")
    gate = threading.Event()
    old = Builds(settings=lease_settings, db=db, storage=storage, steps=steps.gated_steps(gate))
    outcome: list[OrderStatus] = []
    first = threading.Thread(target=lambda: outcome.append(old.run_preview(order_id)))
    first.start()
    try:
        wait_for(lambda: order_row(db, order_id).progress_label == "Waiting at the gate")
        _set(db, order_id, seed=99)  # the person asked for another look meanwhile
        new = Builds(settings=lease_settings, db=db, storage=storage)
        assert new.run_preview(order_id) == OrderStatus.PREVIEW_READY  # not turned away
    finally:
        gate.set()
        first.join(timeout=60)
    assert outcome == [OrderStatus.PREVIEW_READY]  # the old run saw it and stopped
    with db.session() as session:
        ready = session.scalar(select(func.count(Event.id)).where(
            Event.order_id == order_id, Event.type == "order.preview_ready"))  # fmt: skip
    assert ready == 1
    assert order_row(db, order_id).attempts == 2


def test_a_job_whose_message_is_gone_is_requeued_after_a_lease_length(
    db: Database, jobs: RecordingJobs, order_settings: Settings, storage: LocalStorage
) -> None:
    # Paid a minute ago; the build message was never sent (Redis was down at that moment).
    lost = add_order(db, status=OrderStatus.PAID, updated_at=_ago(60))
    waiting = add_order(db, status=OrderStatus.PAID, updated_at=_ago(60))  # its turn will come
    builds = Builds(settings=order_settings, db=db, storage=storage)

    blind = sweep_stuck(db=db, jobs=jobs, builds=builds, settings=order_settings, queued=None)
    assert blind.requeued == []  # without the broker's word, only stuck_after_s (900 s) counts
    report = sweep_stuck(db=db, jobs=jobs, builds=builds, settings=order_settings,
                         queued={waiting})  # fmt: skip
    assert report.requeued == [lost]
    assert jobs.sent == [("build", lost)]


def test_only_a_holder_on_this_machine_that_has_ended_counts_as_dead() -> None:
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    pid = int(ended.stdout)
    assert died_here(f"{MACHINE}{pid:08x}{'0' * 16}")
    assert not died_here(new_owner())  # this very process
    assert not died_here(f"{MACHINE}{os.getppid():08x}{'0' * 16}")  # alive
    other = "0" * 8 if MACHINE != "0" * 8 else "1" * 8
    assert not died_here(f"{other}{pid:08x}{'0' * 16}")  # another machine: we cannot tell
    assert not died_here("a" * 32)  # an owner from before this format
