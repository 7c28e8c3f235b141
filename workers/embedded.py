"""Embedded mode: a Celery worker thread inside the web or bot process, over the in-memory broker.

The same task code as production runs here, with real serialization, routing and late acks; only the
transport differs. Use it as a context manager around the process's lifetime:

    app = create_celery(settings)           # no redis_url: broker is memory://
    with EmbeddedWorker(app):
        ...                                 # enqueue with CeleryJobs(app, settings)

Limit: the solo pool cannot interrupt a running task, so task_time_limit_s and
task_soft_time_limit_s are enforced only by `petpixel worker` (prefork). Embedded, a step that
hangs holds the one worker thread; run production mode where that matters.
"""

from __future__ import annotations

import threading
from contextlib import ExitStack
from types import TracebackType
from typing import Any

from celery import Celery

from core.jobs import TASK_SWEEP
from core.orders.tables import utcnow
from workers.context import context
from workers.tasks.maintenance import TASK_NOOP


class EmbeddedWorker:
    """Starts a solo-pool worker thread (and a sweeper timer) on enter; stops both on exit."""

    def __init__(self, app: Celery, *, shutdown_timeout: float = 30.0) -> None:
        self.app = app
        self.shutdown_timeout = shutdown_timeout
        self._stack = ExitStack()
        self._stop = threading.Event()
        self.worker: Any = None

    def __enter__(self) -> EmbeddedWorker:
        from celery.contrib.testing.worker import start_worker

        settings = context(self.app).settings
        queues = sorted({settings.default_queue, settings.gpu_queue})
        self.worker = self._stack.enter_context(
            start_worker(self.app, pool="solo", concurrency=1, perform_ping_check=False,
                         shutdown_timeout=self.shutdown_timeout, queues=queues, loglevel="WARNING")
        )  # fmt: skip
        sweeper = threading.Thread(target=self._sweep_loop, name="petpixel-sweeper", daemon=True)
        sweeper.start()
        self._stack.callback(self._stop.set)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._wake_for_shutdown()
        self._stack.close()
        context(self.app).close()

    def _wake_for_shutdown(self) -> None:
        # Celery's polling loop blocks up to 2 s per broker poll, and polls once more after it
        # sees the stop flag. Two no-op messages wake both polls, so a web app's lifespan (and
        # every test using it) ends at once instead of ~4 s later.
        from celery.worker import state

        state.should_terminate = 0
        queue = context(self.app).settings.default_queue
        for _ in range(2):
            self.app.send_task(TASK_NOOP, queue=queue, ignore_result=True)

    def _sweep_loop(self) -> None:
        # Beat's job in production; here one timer thread queues the same sweep task. The queue
        # lives in memory, so whatever a previous process had queued died with it: a first sweep
        # shortly after start re-queues every order untouched since this worker started.
        settings = context(self.app).settings
        started = utcnow().isoformat()
        if not self._stop.wait(settings.restart_sweep_delay_s):
            self.app.send_task(TASK_SWEEP, kwargs={"cutoff": started},
                               queue=settings.default_queue)  # fmt: skip
        while not self._stop.wait(settings.sweeper_interval_s):
            self.app.send_task(TASK_SWEEP, queue=settings.default_queue)
