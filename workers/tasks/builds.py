"""Order tasks: thin shims that take an order id and call the job bodies in core.orders.builds."""

from __future__ import annotations

from celery import Celery

from core.jobs import TASK_BUILD, TASK_PREVIEW
from workers.context import context
from workers.tasks.common import OrderTask, retry_options, space_retried


def register(app: Celery) -> None:
    """Add the order tasks to `app` (shared=False: each app gets its own, nothing global)."""
    options = {"bind": True, "base": OrderTask, "shared": False, **retry_options(app)}

    @app.task(name=TASK_PREVIEW, **options)  # type: ignore[untyped-decorator]
    def build_preview(self: OrderTask, order_id: str) -> str:
        """Draw the sprite preview of a draft order."""
        with space_retried():
            return context(self.app).builds.run_preview(order_id).value

    @app.task(name=TASK_BUILD, **options)  # type: ignore[untyped-decorator]
    def build_game(self: OrderTask, order_id: str) -> str:
        """Build and publish the game of a paid order."""
        with space_retried():
            return context(self.app).builds.run_build(order_id).value
