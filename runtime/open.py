"""`open_runtime`: everything a web, bot or CLI process needs, opened and closed in one place.

Embedded default (no PETPIXEL_REDIS_URL): migrates the SQLite database and runs a worker thread in
this process over the same database engine and storage. Production: Redis broker, separate
`petpixel worker` processes (`runtime.worker_app`), `petpixel db upgrade`.

Start-up checks the payments of every channel this deployment serves (`enabled_channels`), so a
misconfigured checkout stops every process with the same clear error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from celery import Celery
from sqlalchemy import text

from core.config import Settings
from core.db import Database, migrate
from core.jobs import CeleryJobs, JobQueue
from core.notify import Notifiers
from core.orders.builds import Steps
from core.orders.service import OrderService
from core.payments import Channel
from core.runs import RunService
from core.storage import Storage, new_storage
from runtime.services import check_payments, order_service, services_for, telegram_scores_for
from workers.celery_app import create_celery
from workers.embedded import EmbeddedWorker
from workers.hooks import follow_builds
from workers.tracing import trace_tasks

if TYPE_CHECKING:  # the stripe library loads only where Stripe is set up
    import stripe

    from core.payments.stripe_fulfilment import Fulfilment

# web: the web app (and any bot inside it); bot: a bot process; cli: a one-off command, which
# never runs jobs itself (they wait in the queue for a worker or a server).
Role = Literal["web", "bot", "cli"]


@dataclass
class Runtime:
    settings: Settings
    db: Database
    storage: Storage
    celery: Celery
    jobs: JobQueue
    orders: OrderService  # the web channel's checkout
    notifiers: Notifiers
    fulfilment: Fulfilment | None  # Stripe set up
    embedded: bool
    stripe: stripe.StripeClient | None  # Stripe set up; shared by every channel and fulfilment
    checkouts: dict[Channel, OrderService] = field(default_factory=dict)
    _runs: RunService | None = field(default=None, repr=False)

    @property
    def runs(self) -> RunService:
        """Verified game runs and boards (core/runs), over this runtime's database and storage."""
        if self._runs is None:
            self._runs = RunService(settings=self.settings, db=self.db, storage=self.storage)
            scores = telegram_scores_for(self.settings, self.db)
            if scores is not None:  # kept Telegram-community runs update that chat's high scores
                self._runs.on_kept(scores.run_accepted)
        return self._runs

    def checkout(self, channel: Channel) -> OrderService:
        """The order service whose checkouts are `channel`'s (Stripe links tagged with it)."""
        if channel not in self.checkouts:
            self.checkouts[channel] = order_service(
                self.settings, db=self.db, storage=self.storage, jobs=self.jobs, channel=channel,
                stripe_client=self.stripe,
            )  # fmt: skip
        return self.checkouts[channel]

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
    settings: Settings,
    *,
    role: Role,
    steps: Steps | None = None,
    wrap_jobs: Callable[[JobQueue], JobQueue] | None = None,
) -> Iterator[Runtime]:
    """Open database, storage, the job queue and every service; `wrap_jobs` may observe the
    queue (the web counts enqueued jobs for /metrics)."""
    check_payments(settings)  # a misconfigured checkout stops here, before anything opens
    trace_tasks()  # tasks sent from here carry the request id (core.observability)
    embedded = settings.redis_url is None
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if not settings.database_url:
        migrate(settings.resolved_database_url)  # embedded SQLite: no setup step for the user
    with ExitStack() as stack:
        db = Database(settings.resolved_database_url)
        stack.callback(db.dispose)
        storage = new_storage(settings)
        app = create_celery(settings, steps=steps, db=db, storage=storage)
        jobs: JobQueue = CeleryJobs(app, settings)
        if wrap_jobs is not None:
            jobs = wrap_jobs(jobs)
        rt = _services(settings, db, storage, app, jobs, embedded)
        if embedded and role != "cli":
            fulfilment = rt.fulfilment
            if fulfilment is not None:  # builds run in this process: follow them up here
                follow_builds(app, lambda: fulfilment.after_build)
            stack.enter_context(EmbeddedWorker(app))
        yield rt


def _services(
    settings: Settings, db: Database, storage: Storage, app: Celery, jobs: JobQueue, embedded: bool
) -> Runtime:
    made = services_for(settings, db=db, storage=storage, jobs=jobs)
    return Runtime(settings, db, storage, app, jobs, made.orders, made.notifiers, made.fulfilment,
                   embedded, made.stripe, made.checkouts)  # fmt: skip
