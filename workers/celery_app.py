"""The Celery app, configured from Settings: Redis when PETPIXEL_REDIS_URL is set, else in-process.

`create_celery(settings)` builds a fresh app with our tasks registered (no module-level app: each
entry point builds its own from its Settings). The worker's resources (database, storage, job
bodies) hang off the app as `app.petpixel` (workers.context), opened lazily on the first task,
once per worker process."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery import Celery

from core.config import Settings
from core.db import Database
from core.jobs import TASK_SWEEP
from core.orders.builds import Steps
from core.storage import Storage
from workers.context import WorkerContext


def celery_config(settings: Settings) -> dict[str, Any]:
    """Celery settings: JSON only, late acks, one task at a time per process, bounded run time."""
    return {
        "broker_url": settings.redis_url or "memory://localhost/",
        # Status lives on the order row, not in Celery results. No result backend at all: with
        # one, every send subscribed for a result, and while Redis was down a web request then
        # hung ~19 s before failing with "the Celery application must be restarted".
        "result_backend": None,
        "task_ignore_result": True,
        "task_serializer": "json",
        "accept_content": ["json"],
        "result_serializer": "json",
        "task_acks_late": True,  # a task is acknowledged only once it finished...
        "task_reject_on_worker_lost": True,  # ...so a killed worker's task is delivered again
        "worker_prefetch_multiplier": 1,
        "task_time_limit": settings.task_time_limit_s,
        "task_soft_time_limit": settings.task_soft_time_limit_s,
        "task_default_queue": settings.default_queue,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": _transport_options(settings),
        "worker_hijack_root_logger": False,
        "beat_schedule": {
            "sweep-stuck-orders": {
                "task": TASK_SWEEP,
                "schedule": timedelta(seconds=settings.sweeper_interval_s),
                # A sweep still queued when the next is due is dropped: under a backlog the
                # sweeps would otherwise pile up behind the builds.
                "options": {
                    "queue": settings.default_queue,
                    "expires": settings.sweeper_interval_s,
                },
            }
        },
        # Beat writes its schedule file after every sweep it sends, so the file's age is its
        # health signal (`petpixel health beat`); the default waits 3 minutes between writes.
        "beat_sync_every": 1,
    }


def worker_queues(settings: Settings) -> list[str]:
    """The queues a worker serves unless told (`petpixel worker --queues`): a worker holding the
    diffusion model serves the GPU queue while GPU workers are on (`gpu_workers`); any other
    worker serves the default queue, where every job goes while they are off (core.jobs)."""
    if settings.gpu_workers and settings.model_path is not None:
        return [settings.gpu_queue]
    return [settings.default_queue]


def unserved_warning(settings: Settings, queues: list[str]) -> str | None:
    """Why a worker serving `queues` would wait for nothing (no sender routes there), if so."""
    if settings.gpu_queue in queues and not settings.gpu_workers:
        return (
            f"this worker serves the {settings.gpu_queue!r} queue, but PETPIXEL_GPU_WORKERS is "
            f"off: senders put every job on {settings.default_queue!r}. Set "
            "PETPIXEL_GPU_WORKERS=true on every service to route GPU jobs here."
        )
    return None


def _transport_options(settings: Settings) -> dict[str, Any]:
    if settings.redis_url is None:
        # The in-memory queue is polled, not pushed: a short interval keeps previews snappy and
        # lets the embedded worker stop quickly; each poll is a dict lookup.
        return {"polling_interval": 0.1}
    visibility = settings.broker_visibility_timeout_s
    return {
        "visibility_timeout": visibility,
        # Redis looks for tasks of dead workers this often; scale it with a short timeout.
        "unacked_restore_interval": max(1, min(10, visibility // 10)),
        "unacked_restore_throttle": 1 if visibility < 100 else 10,
    }


def create_celery(
    settings: Settings,
    *,
    steps: Steps | None = None,
    db: Database | None = None,
    storage: Storage | None = None,
) -> Celery:
    """A Celery app for these settings with every PetPixel task registered. An embedded worker
    shares its process's `db` and `storage`; a worker process opens its own, lazily."""
    from workers.tasks import builds, maintenance

    app = Celery("petpixel", set_as_current=False)
    app.conf.update(celery_config(settings))
    shared = db is not None or storage is not None
    app.petpixel = WorkerContext(settings=settings, steps=steps, _db=db, _storage=storage,
                                 shared=shared)  # fmt: skip
    builds.register(app)
    maintenance.register(app)
    return app
