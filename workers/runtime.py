"""Everything a web or bot process needs to take orders, opened and closed in one place.

    with open_runtime(settings) as rt:      # in a FastAPI lifespan or a bot's startup
        rt.orders.create_order(...)          # OrderService
        rt.check_database(); rt.check_storage()   # for health endpoints

Embedded default (no PETPIXEL_REDIS_URL): migrates the SQLite database and runs a worker thread in
this process. Production: Redis broker, separate `petpixel worker` processes, `petpixel db upgrade`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from core.config import Settings
from core.db import Database, migrate
from core.jobs import CeleryJobs
from core.orders.builds import Steps
from core.orders.service import OrderService
from core.payments import new_payments
from core.storage import Storage, new_storage
from workers.celery_app import create_celery
from workers.embedded import EmbeddedWorker


@dataclass
class Runtime:
    settings: Settings
    db: Database
    storage: Storage
    celery: Any
    jobs: CeleryJobs
    orders: OrderService
    embedded: bool

    def check_database(self) -> None:
        with self.db.session() as session:
            session.execute(text("SELECT 1"))

    def check_storage(self) -> None:
        self.storage.exists("health/probe")

    def check_queue(self) -> None:
        with self.celery.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1)


@contextmanager
def open_runtime(
    settings: Settings, *, worker: bool | None = None, steps: Steps | None = None
) -> Iterator[Runtime]:
    """Open database, storage, payments and the job queue; `worker` defaults to embedded mode."""
    embedded = settings.redis_url is None
    if not settings.database_url:
        migrate(settings.resolved_database_url)  # embedded SQLite: no setup step for the user
    db = Database(settings.resolved_database_url)
    storage = new_storage(settings)
    app = create_celery(settings, steps=steps)
    jobs = CeleryJobs(app, settings)
    orders = OrderService(settings=settings, db=db, storage=storage,
                          payments=new_payments(settings), jobs=jobs)  # fmt: skip
    with ExitStack() as stack:
        stack.callback(db.dispose)
        if embedded if worker is None else worker:
            stack.enter_context(EmbeddedWorker(app))
        yield Runtime(settings, db, storage, app, jobs, orders, embedded)
