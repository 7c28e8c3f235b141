"""workers.queues: which orders have a preview or build message in Redis (real Redis)."""

from __future__ import annotations

import pytest

from core.config import Settings
from core.jobs import TASK_SWEEP, CeleryJobs
from workers.celery_app import create_celery
from workers.queues import queued_orders

pytestmark = pytest.mark.redis


def test_waiting_and_taken_messages_both_count(worker_settings: Settings) -> None:
    settings = worker_settings.model_copy(update={"gpu_workers": True})
    app = create_celery(settings)
    assert queued_orders(app, settings) == set()  # Redis keeps no empty queue: still readable
    jobs = CeleryJobs(app, settings)
    jobs.enqueue_build("taken")
    jobs.enqueue_build("on-cpu")
    jobs.enqueue_preview("on-gpu")
    app.send_task(TASK_SWEEP, queue=settings.default_queue)  # not an order's message
    with app.connection_for_read() as conn:
        channel = conn.default_channel
        # a worker takes the oldest cpu message and has not acknowledged it: kombu moves it to
        # the `unacked` hash (running, or a retry waiting for its time)
        assert channel.basic_get(settings.default_queue, no_ack=False) is not None
        assert channel.client.llen(settings.default_queue) == 2  # "on-cpu" and the sweep
        assert queued_orders(app, settings) == {"on-gpu", "on-cpu", "taken"}


def test_nothing_can_be_told_without_redis(order_settings: Settings) -> None:
    assert queued_orders(create_celery(order_settings), order_settings) is None
