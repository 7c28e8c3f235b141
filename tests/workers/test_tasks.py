"""Real Celery worker (solo pool, in a thread) over real Redis, running the real task code."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, update

from core.config import Settings
from core.jobs import TASK_BUILD, TASK_PREVIEW, TASK_SWEEP, CeleryJobs
from core.orders.lifecycle import OrderStatus
from core.orders.service import OrderService
from core.orders.tables import Game, Order
from core.payments import FreePayments
from core.storage import new_storage
from tests.orders.fixtures import wait_for
from tests.workers import steps
from tests.workers.helpers import open_db, order_row, order_with_photo, status_of
from workers.celery_app import create_celery
from workers.embedded import EmbeddedWorker

pytestmark = pytest.mark.redis


def test_preview_and_build_on_a_real_worker_with_live_progress(
    worker_settings: Settings, cat_jpeg: bytes
) -> None:
    db = open_db(worker_settings)
    gate = threading.Event()
    app = create_celery(worker_settings, steps=steps.gated_steps(gate, "Looking at your pet"))
    app.conf.result_backend = worker_settings.redis_url  # to read a task's return value below
    svc = OrderService(settings=worker_settings, db=db, storage=new_storage(worker_settings),
                       payments=FreePayments(), jobs=CeleryJobs(app, worker_settings))  # fmt: skip
    order = svc.create_order(user_id=svc.create_user().id, photo=cat_jpeg,
                             choices={"pet_name": "Chelsea"})  # fmt: skip
    with EmbeddedWorker(app):
        svc.request_preview(order_id=order.id)
        wait_for(lambda: svc.status(order_id=order.id).label == "Looking at your pet", what="label")
        mid = svc.status(order_id=order.id)  # what web and bots poll while the worker runs
        assert mid.status == OrderStatus.DRAFT
        assert 0 < mid.percent < 100
        gate.set()
        wait_for(lambda: svc.status(order_id=order.id).status != "draft", what="preview")
        assert svc.status(order_id=order.id).status == OrderStatus.PREVIEW_READY

        assert svc.choose_package(order_id=order.id, package="classic").free  # queues the build
        wait_for(lambda: svc.status(order_id=order.id).status in {"ready", "failed"}, what="game")
        done = svc.status(order_id=order.id)
        assert (done.status, done.percent) == (OrderStatus.READY, 100), done.error_message

        # The same task delivered again (a redelivery after a lost ack) returns and changes nothing.
        again = app.send_task(TASK_BUILD, args=[order.id], queue=worker_settings.default_queue,
                              ignore_result=False)  # fmt: skip
        assert again.get(timeout=60) == "ready"
    with db.session() as session:
        assert list(session.scalars(select(Game.code))) == [done.links.game_code]
    assert order_row(db, order.id).attempts == 1  # counted from payment: one build run, no re-run


def test_user_error_fails_the_order_without_retry(
    worker_settings: Settings, cat_jpeg: bytes
) -> None:
    db = open_db(worker_settings)
    order_id = order_with_photo(db, worker_settings, cat_jpeg, OrderStatus.DRAFT)
    app = create_celery(worker_settings, steps=steps.no_pet_steps())
    with EmbeddedWorker(app):
        CeleryJobs(app, worker_settings).enqueue_preview(order_id)
        wait_for(lambda: status_of(db, order_id) == "failed", what="order failed")
    order = order_row(db, order_id)
    assert (order.error_code, order.attempts, order.refund_due) == ("no_subject", 1, False)
    assert order.error_message
    assert "pet" in order.error_message


def test_transient_errors_retry_with_backoff_then_fail_with_refund(
    worker_settings: Settings, cat_jpeg: bytes
) -> None:
    db = open_db(worker_settings)
    order_id = order_with_photo(db, worker_settings, cat_jpeg, OrderStatus.PAID)
    app = create_celery(worker_settings, steps=steps.always_down_steps())
    with EmbeddedWorker(app):
        CeleryJobs(app, worker_settings).enqueue_build(order_id)
        wait_for(lambda: status_of(db, order_id) == "failed", what="order failed")
    order = order_row(db, order_id)
    assert order.attempts == worker_settings.task_max_retries + 1  # first run plus each retry
    assert (order.error_code, order.refund_due) == ("internal_error", True)


def test_a_transient_fault_is_retried_with_backoff_and_the_order_completes(
    worker_settings: Settings, cat_jpeg: bytes
) -> None:
    db = open_db(worker_settings)
    order_id = order_with_photo(db, worker_settings, cat_jpeg, OrderStatus.DRAFT)
    app = create_celery(worker_settings, steps=steps.flaky_steps(failures=1))
    task = app.tasks[TASK_PREVIEW]
    assert (task.retry_backoff, task.max_retries, task.retry_jitter) == (
        worker_settings.task_retry_backoff_s, worker_settings.task_max_retries, True,
    )  # fmt: skip
    assert task.acks_late
    assert ConnectionError in task.autoretry_for
    with EmbeddedWorker(app):
        CeleryJobs(app, worker_settings).enqueue_preview(order_id)
        wait_for(lambda: status_of(db, order_id) != "draft", what="preview after one retry")
    order = order_row(db, order_id)
    assert (order.status, order.attempts, order.error_code) == ("preview_ready", 2, None)


def test_sweeper_task_requeues_and_gives_up(worker_settings: Settings, cat_jpeg: bytes) -> None:
    settings = worker_settings.model_copy(update={"stuck_after_s": 0})
    db = open_db(settings)
    exhausted = order_with_photo(db, settings, cat_jpeg, OrderStatus.BUILDING)
    stalled = order_with_photo(db, settings, cat_jpeg, OrderStatus.PAID)
    with db.session() as session:
        session.execute(
            update(Order).where(Order.id == exhausted).values(attempts=settings.max_build_attempts)
        )
    app = create_celery(settings, steps=steps.no_pet_steps())
    with EmbeddedWorker(app):
        app.send_task(TASK_SWEEP, queue=settings.default_queue)
        wait_for(
            lambda: {status_of(db, exhausted), status_of(db, stalled)} == {"failed"},
            what="both failed",
        )
    assert order_row(db, exhausted).error_code == "build_gave_up"
    stalled_row = order_row(db, stalled)
    assert (stalled_row.error_code, stalled_row.attempts, stalled_row.refund_due) == (
        "no_subject",
        1,
        True,
    )
