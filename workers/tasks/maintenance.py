"""Periodic upkeep (run by celery beat): re-queue or fail orders whose job stalled, its worker
dead or its message lost."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from celery import Celery, Task

from core.jobs import TASK_SWEEP
from core.orders.sweeper import sweep_stuck
from workers.context import context, jobs_for
from workers.queues import queued_orders

TASK_NOOP = "petpixel.noop"


def register(app: Celery) -> None:
    @app.task(name=TASK_SWEEP, bind=True, shared=False)  # type: ignore[untyped-decorator]
    def sweep_stuck_orders(self: Task, cutoff: str | None = None) -> dict[str, list[str]]:
        """Find stuck orders (untouched since `cutoff`, ISO 8601, if given); returns what it did."""
        ctx = context(self.app)
        since = datetime.fromisoformat(cutoff) if cutoff else None
        queued = queued_orders(self.app, ctx.settings)  # first: a job may start meanwhile
        report = sweep_stuck(db=ctx.db, jobs=jobs_for(self.app), builds=ctx.builds,
                             settings=ctx.settings, cutoff=since, queued=queued)  # fmt: skip
        return asdict(report)

    @app.task(name=TASK_NOOP, shared=False, ignore_result=True)  # type: ignore[untyped-decorator]
    def noop() -> None:
        """Does nothing: wakes a polling worker loop (see workers.embedded)."""
