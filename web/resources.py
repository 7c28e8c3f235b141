"""Long-lived resources opened once in the app's lifespan and closed after it.

`runtime.open_runtime` opens the database (migrating embedded SQLite), storage, the job queue (an
in-process worker thread unless PETPIXEL_REDIS_URL is set) and every service; the web counts what
it enqueues for /metrics and adds the play-page view counter (core.orders.viewcounts), which writes
views in batches. Bots running inside the web process (`petpixel serve` with a bot token) are
`companions`: each starts after the runtime, over the same runtime, and stops before it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass, field

from core.config import Settings
from core.jobs import JobQueue
from core.orders.service import OrderService
from core.orders.viewcounts import ViewCounter
from core.storage import Storage
from runtime import Runtime, open_runtime
from web.metrics import Metrics
from web.playpage import PageCache

HealthCheck = Callable[[], None]


@dataclass
class Resources:
    settings: Settings
    metrics: Metrics
    runtime: Runtime
    service: OrderService  # the runtime's, web checkout
    views: ViewCounter
    checks: dict[str, HealthCheck] = field(default_factory=dict)
    pages: PageCache = field(default_factory=PageCache)

    @property
    def storage(self) -> Storage:
        return self.runtime.storage


@asynccontextmanager
async def open_resources(settings: Settings, *, metrics: Metrics) -> AsyncIterator[Resources]:
    """Open everything (blocking work off the event loop) and close it in reverse order."""
    stack = ExitStack()
    try:
        resources = await asyncio.to_thread(_open, stack, settings, metrics)
        yield resources
    finally:
        await asyncio.to_thread(stack.close)


def _open(stack: ExitStack, settings: Settings, metrics: Metrics) -> Resources:
    rt = stack.enter_context(
        open_runtime(settings, role="web", wrap_jobs=lambda jobs: CountingJobs(jobs, metrics))
    )
    service = rt.orders
    metrics.watch("petpixel_orders", "Orders by status", "status", service.count_orders_by_status)
    # Play-page views are written in batches; closed (flushed) before the runtime's database.
    views = ViewCounter(service.add_views, interval=settings.view_flush_interval_s).start()
    stack.callback(views.close)
    checks = {"database": rt.check_database, "storage": rt.check_storage, "queue": rt.check_queue}
    return Resources(settings, metrics, rt, service, views, checks)


class CountingJobs:
    """The runtime's job queue, counting what is enqueued in the web process."""

    def __init__(self, jobs: JobQueue, metrics: Metrics) -> None:
        self.jobs, self.metrics = jobs, metrics

    def enqueue_preview(self, order_id: str) -> str:
        self.metrics.jobs.labels("preview").inc()
        return self.jobs.enqueue_preview(order_id)

    def enqueue_build(self, order_id: str, *, hd: bool = False) -> str:
        self.metrics.jobs.labels("build").inc()
        return self.jobs.enqueue_build(order_id, hd=hd)
