"""How a PetPixel process is observed: its logs, its error reports, its ids across Celery, and
the worker's metrics port. Each entry point (`petpixel serve`, `worker`, `beat`, `bot ...`) calls
`observe` once at start; `open_runtime` and `worker_app` connect the task ids themselves.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
from pathlib import Path

from celery import Celery

from core.config import Settings
from core.observability import configure_logging, init_sentry
from core.observability.sentry import Role
from workers.metrics import QueueLengths, TaskMetrics
from workers.tracing import trace_tasks

log = logging.getLogger("petpixel.metrics")


def observe(settings: Settings, *, role: Role) -> None:
    """Logs in PETPIXEL_LOG_FORMAT with ids and redaction, Sentry when a DSN is set, and task
    ids carried across Celery."""
    configure_logging(settings)
    init_sentry(settings, role=role)
    trace_tasks()


def serve_worker_metrics(app: Celery, settings: Settings) -> int | None:
    """Serve the worker's metrics on PETPIXEL_WORKER_METRICS_PORT (None: off); the port.

    Call it in the worker's main process before the pool starts. The pool's child processes
    count in prometheus_client's multiprocess files (a fresh private directory, removed at exit),
    which the main process's server sums at each scrape; the queue lengths come from Redis."""
    port = settings.worker_metrics_port
    if port is None:
        return None
    from prometheus_client import CollectorRegistry, start_http_server, values
    from prometheus_client.multiprocess import MultiProcessCollector

    directory = Path(tempfile.mkdtemp(prefix="petpixel-worker-metrics-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    # prometheus_client reads the directory from this variable in every process (children
    # inherit it) and picks its value class at import, which may have happened already.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    values.ValueClass = values.MultiProcessValue()  # type: ignore[no-untyped-call]
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(directory))  # type: ignore[no-untyped-call]
    registry.register(QueueLengths(app, settings))
    TaskMetrics(app, registry=None).connect()
    start_http_server(port, registry=registry)
    log.info("worker metrics on port %d", port)
    return port
