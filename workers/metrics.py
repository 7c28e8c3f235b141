"""Worker metrics for Prometheus: task durations, failures and retries (Celery signals), what
order jobs left their orders as, what the sweeper did, and the queues' lengths in Redis.

`petpixel worker` serves them on PETPIXEL_WORKER_METRICS_PORT (`runtime.serve_worker_metrics`).
Its tasks run in pool child processes, so the counters live in prometheus_client's multiprocess
files and the main process's HTTP server sums them; the queue lengths are read at each scrape.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

from celery import Celery
from celery.signals import task_failure, task_postrun, task_prerun, task_retry
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from core.config import Settings
from core.jobs import TASK_SWEEP
from workers.tracing import ORDER_TASKS

log = logging.getLogger("petpixel.metrics")
DURATION_BUCKETS = (0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900)
SWEEP_ACTIONS = ("requeued", "failed", "previews_requeued", "previews_failed", "expired")


class TaskMetrics:
    """Signal receivers that count the tasks of one app. `registry=None`: the metrics register
    nowhere (multiprocess mode, where the collector reads their files)."""

    def __init__(self, app: Celery, registry: CollectorRegistry | None) -> None:
        self.app = app
        self._started: dict[str, float] = {}
        self.duration = Histogram(
            "petpixel_task_duration_seconds", "Task run time by task and final state",
            ["task", "state"], buckets=DURATION_BUCKETS, registry=registry,
        )  # fmt: skip
        self.failures = Counter(
            "petpixel_task_failures_total", "Tasks that failed for good", ["task"],
            registry=registry,
        )  # fmt: skip
        self.retries = Counter(
            "petpixel_task_retries_total", "Task runs that ended in a retry", ["task"],
            registry=registry,
        )  # fmt: skip
        self.order_jobs = Counter(
            "petpixel_order_jobs_total", "Preview and build runs by the status they left",
            ["task", "status"], registry=registry,
        )  # fmt: skip
        self.swept = Counter(
            "petpixel_sweeper_orders_total", "Orders the sweeper re-queued, failed or expired",
            ["action"], registry=registry,
        )  # fmt: skip

    def connect(self) -> TaskMetrics:
        for signal, receiver in self._receivers():
            signal.connect(receiver, weak=False)
        return self

    def disconnect(self) -> None:
        for signal, receiver in self._receivers():
            signal.disconnect(receiver)

    def _receivers(self) -> list[tuple[Any, Any]]:
        return [(task_prerun, self.on_prerun), (task_postrun, self.on_postrun),
                (task_failure, self.on_failure), (task_retry, self.on_retry)]  # fmt: skip

    def _ours(self, task: Any) -> bool:
        return getattr(task, "app", None) is self.app

    def on_prerun(self, task_id: str = "", task: Any = None, **_: Any) -> None:
        if self._ours(task):
            self._started[task_id] = time.monotonic()

    def on_postrun(
        self, task_id: str = "", task: Any = None, retval: Any = None, state: Any = None, **_: Any
    ) -> None:
        started = self._started.pop(task_id, None)
        if not self._ours(task) or started is None:
            return
        name = task.name
        self.duration.labels(name, str(state or "unknown").lower()).observe(
            time.monotonic() - started
        )
        if state == "SUCCESS" and name in ORDER_TASKS and isinstance(retval, str):
            self.order_jobs.labels(name, retval).inc()
        if state == "SUCCESS" and name == TASK_SWEEP and isinstance(retval, dict):
            for action in SWEEP_ACTIONS:
                if done := len(retval.get(action) or []):
                    self.swept.labels(action).inc(done)

    def on_failure(self, sender: Any = None, **_: Any) -> None:
        if self._ours(sender):
            self.failures.labels(sender.name).inc()

    def on_retry(self, sender: Any = None, **_: Any) -> None:
        if self._ours(sender):
            self.retries.labels(sender.name).inc()


class QueueLengths(Collector):
    """`petpixel_queue_length{queue}`: messages waiting in each queue's Redis lists, read at
    scrape time (every priority list of the queue summed)."""

    def __init__(self, app: Celery, settings: Settings) -> None:
        self.app = app
        self.queues = sorted({settings.default_queue, settings.gpu_queue})

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "petpixel_queue_length", "Messages waiting in the queue (Redis)", labels=["queue"]
        )
        try:
            for queue, length in self.lengths().items():
                family.add_metric([queue], length)
        except Exception:  # a scrape must not fail because Redis blinked; the gauge goes absent
            log.warning("could not read the queue lengths", exc_info=True)
            family = GaugeMetricFamily(
                "petpixel_queue_length", "Messages waiting in the queue (Redis)", labels=["queue"]
            )
        yield family

    def lengths(self) -> dict[str, int]:
        with self.app.connection_for_read() as conn:
            channel = conn.default_channel
            client = channel.client
            return {
                queue: sum(client.llen(channel._q_for_pri(queue, pri))
                           for pri in channel.priority_steps)
                for queue in self.queues
            }  # fmt: skip
