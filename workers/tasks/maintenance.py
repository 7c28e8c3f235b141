"""Periodic upkeep (run by celery beat): re-queue or fail paid orders whose build stalled."""

from __future__ import annotations

from celery import Celery, Task

from core.jobs import TASK_SWEEP
from core.orders.sweeper import sweep_stuck

TASK_NOOP = "petpixel.noop"


def register(app: Celery) -> None:
    from workers.celery_app import context, jobs_for

    @app.task(name=TASK_SWEEP, bind=True, shared=False)  # type: ignore[untyped-decorator]
    def sweep_stuck_orders(self: Task) -> dict[str, list[str]]:
        """Find stuck paid orders; returns the ids re-queued and failed."""
        ctx = context(self.app)
        report = sweep_stuck(db=ctx.db, jobs=jobs_for(self.app), builds=ctx.builds,
                             settings=ctx.settings)  # fmt: skip
        return {"requeued": report.requeued, "failed": report.failed}

    @app.task(name=TASK_NOOP, shared=False, ignore_result=True)  # type: ignore[untyped-decorator]
    def noop() -> None:
        """Does nothing: wakes a polling worker loop (see workers.embedded)."""
