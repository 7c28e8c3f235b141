"""`worker_app`: the Celery app of `petpixel worker`, with its build follow-ups.

Each worker process opens its own database and storage lazily, after the fork
(`workers.context.WorkerContext`). When Stripe is set up, the process that ran a build also
follows it up: the game-ready notice, or a refund and an apology on the buyer's channel when the
build gave up. Those services are built by `services_for`, as `open_runtime`'s are.
"""

from __future__ import annotations

from celery import Celery

from core.config import Settings
from runtime.services import check_payments, services_for
from workers.celery_app import create_celery
from workers.context import context, jobs_for
from workers.hooks import AfterBuild, follow_builds
from workers.tracing import trace_tasks


def worker_app(settings: Settings) -> Celery:
    """A Celery app for a worker process; builds are followed up when Stripe is set up.
    Misconfigured payments stop it at start, with the same error as every other process."""
    check_payments(settings)
    trace_tasks()  # its tasks log their sender's request id, their own and the order's
    app = create_celery(settings)
    if settings.stripe_secret_key:

        def make() -> AfterBuild:
            ctx = context(app)
            made = services_for(ctx.settings, db=ctx.db, storage=ctx.storage, jobs=jobs_for(app))
            fulfilment = made.fulfilment
            assert fulfilment is not None  # Stripe is set up
            return fulfilment.after_build

        follow_builds(app, make)
    return app
