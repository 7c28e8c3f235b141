"""A worker's per-process resources, hung off the Celery app as `app.petpixel`.

In a `petpixel worker` process they open lazily on the first task (after the fork, never
before); an embedded worker thread shares its process's database and storage instead.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from celery import Celery

from core.config import Settings
from core.db import Database
from core.jobs import CeleryJobs
from core.orders.builds import Builds, Steps
from core.storage import Storage, new_storage


@dataclass
class WorkerContext:
    """Per-process resources of a worker; built on first use (after fork, never before)."""

    settings: Settings
    steps: Steps | None = None
    _db: Database | None = field(default=None, repr=False)
    _builds: Builds | None = field(default=None, repr=False)
    _storage: Storage | None = field(default=None, repr=False)
    shared: bool = False  # database and storage belong to the process's runtime (embedded)

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = Database(self.settings.resolved_database_url)
        return self._db

    @property
    def storage(self) -> Storage:
        if self._storage is None:
            self._storage = new_storage(self.settings)
        return self._storage

    @property
    def builds(self) -> Builds:
        if self._builds is None:
            steps = self.steps or load_steps(self.settings.build_steps)
            self._builds = Builds(settings=self.settings, db=self.db, storage=self.storage,
                                  steps=steps)  # fmt: skip
        return self._builds

    def close(self) -> None:
        if self._db is not None and not self.shared:
            self._db.dispose()


def load_steps(path: str | None) -> Steps | None:
    """Import `module:function` and call it for the build steps; None means the real pipeline."""
    if not path:
        return None
    module, _, func = path.partition(":")
    steps: Steps = getattr(importlib.import_module(module), func)()
    return steps


def context(app: Celery) -> WorkerContext:
    ctx: WorkerContext = app.petpixel
    return ctx


def jobs_for(app: Celery) -> CeleryJobs:
    return CeleryJobs(app, context(app).settings)
