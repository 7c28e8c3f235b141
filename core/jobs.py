"""The one entry point to enqueue background work: `JobQueue.enqueue_preview/enqueue_build`.

Tasks are sent by name, so core never imports workers/. Commit the order before enqueuing: a worker
in another process (or thread) cannot see uncommitted rows. If an enqueue is lost after the commit,
the sweeper (workers.tasks.maintenance) finds the order stuck and enqueues it again."""

from __future__ import annotations

from typing import Any, Protocol

from core.config import Settings

TASK_PREVIEW = "petpixel.build_preview"
TASK_BUILD = "petpixel.build_game"
TASK_SWEEP = "petpixel.sweep_stuck_orders"


class JobQueue(Protocol):
    def enqueue_preview(self, order_id: str) -> str: ...
    def enqueue_build(self, order_id: str) -> str: ...


def preview_queue(settings: Settings) -> str:
    """Previews need the GPU queue only when a diffusion model is configured."""
    return settings.gpu_queue if settings.model_path else settings.default_queue


class CeleryJobs:
    """Sends tasks to a Celery app (Redis in production, the in-process broker when embedded)."""

    def __init__(self, app: Any, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def enqueue_preview(self, order_id: str) -> str:
        """Queue the sprite preview for an order; returns the task id."""
        return self._send(TASK_PREVIEW, order_id, preview_queue(self.settings))

    def enqueue_build(self, order_id: str) -> str:
        """Queue the game build for a paid order; returns the task id."""
        return self._send(TASK_BUILD, order_id, self.settings.default_queue)

    def _send(self, name: str, order_id: str, queue: str) -> str:
        result = self.app.send_task(name, args=[order_id], queue=queue)
        return str(result.id)
