"""The one entry point to enqueue background work: `JobQueue.enqueue_preview/enqueue_build`.

Senders route by job kind through one table (`LANES`: kind -> the kind of worker it needs) and
`queue_for`; workers choose which queues they serve (workers.celery_app.worker_queues). GPU jobs go
to the GPU queue only while `gpu_workers` says GPU workers are deployed, else to the default queue,
so a job never waits in a queue nobody serves.

Tasks are sent by name, so core never imports workers/. Commit the order before enqueuing: a worker
in another process (or thread) cannot see uncommitted rows. If an enqueue is lost after the commit,
the sweeper (workers.tasks.maintenance) finds the order stuck and enqueues it again."""

from __future__ import annotations

from typing import Any, Literal, Protocol

from core.config import Settings

TASK_PREVIEW = "petpixel.build_preview"
TASK_BUILD = "petpixel.build_game"
TASK_SWEEP = "petpixel.sweep_stuck_orders"

JobKind = Literal["preview", "build", "hd_build"]
Lane = Literal["cpu", "gpu"]

# Which worker each job needs: the sprite is where the diffusion stylizer runs, so a preview and a
# deluxe build (it draws a 128 px HD sprite) need the GPU; a plain build reuses the preview's sheet.
LANES: dict[JobKind, Lane] = {"preview": "gpu", "build": "cpu", "hd_build": "gpu"}
TASKS: dict[JobKind, str] = {"preview": TASK_PREVIEW, "build": TASK_BUILD, "hd_build": TASK_BUILD}


class JobQueue(Protocol):
    def enqueue_preview(self, order_id: str) -> str: ...
    def enqueue_build(self, order_id: str, *, hd: bool = False) -> str: ...


def queue_for(settings: Settings, kind: JobKind) -> str:
    """The queue a job of `kind` is sent to: its lane's queue, or the default one without GPUs."""
    if LANES[kind] == "gpu" and settings.gpu_workers:
        return settings.gpu_queue
    return settings.default_queue


class CeleryJobs:
    """Sends tasks to a Celery app (Redis in production, the in-process broker when embedded)."""

    def __init__(self, app: Any, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def enqueue_preview(self, order_id: str) -> str:
        """Queue the sprite preview for an order; returns the task id."""
        return self._send("preview", order_id)

    def enqueue_build(self, order_id: str, *, hd: bool = False) -> str:
        """Queue the game build for a paid order (`hd`: its package draws the HD sprite)."""
        return self._send("hd_build" if hd else "build", order_id)

    def _send(self, kind: JobKind, order_id: str) -> str:
        queue = queue_for(self.settings, kind)
        result = self.app.send_task(TASKS[kind], args=[order_id], queue=queue)
        return str(result.id)
