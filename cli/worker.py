"""`petpixel worker` and `petpixel beat`: Celery processes over Redis (production mode)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from cli.common import load_cli_settings


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
    app.command("beat")(beat)


def worker(
    queues: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated queues (default: gpu with PETPIXEL_GPU_WORKERS and a model path, "
            "else the default queue)."
        ),
    ] = None,
    concurrency: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    pool: Annotated[str, typer.Option(help="prefork, solo or threads.")] = "prefork",
    loglevel: Annotated[str, typer.Option(help="DEBUG, INFO, WARNING...")] = "INFO",
    with_beat: Annotated[
        bool, typer.Option("--beat", help="Also run the periodic sweeper in this process.")
    ] = False,
) -> None:
    """Run a Celery worker; machines that hold the diffusion model serve the gpu queue."""
    from workers.celery_app import create_celery, unserved_warning, worker_queues

    settings = load_cli_settings()
    if settings.redis_url is None:
        raise typer.BadParameter(
            "Set PETPIXEL_REDIS_URL (e.g. redis://localhost:6379/0): without Redis, jobs run "
            "inside `petpixel serve` and no separate worker is needed."
        )
    served = queues.split(",") if queues else worker_queues(settings)
    if warning := unserved_warning(settings, served):
        typer.echo(f"warning: {warning}", err=True)
    argv = ["worker", f"--queues={','.join(served)}",
            f"--concurrency={concurrency}", f"--pool={pool}", f"--loglevel={loglevel}"]  # fmt: skip
    app = create_celery(settings)
    follow_stripe_builds(app)
    app.worker_main([*argv, *(["--beat"] if with_beat else [])])


def follow_stripe_builds(app: Any) -> bool:
    """With Stripe set up, each build this worker runs is followed up here: the game-ready
    notice, or a refund and an apology when the build gave up (see core.fulfilment), told to
    the buyer's channel (Telegram when PETPIXEL_TELEGRAM_TOKEN is set)."""
    from bots.chatnotify import channel_notifiers
    from core.fulfilment import follow_builds
    from core.notifications import Notifiers
    from core.orders.service import OrderService
    from core.payments import new_payments
    from workers.celery_app import context, jobs_for

    ctx = context(app)

    def orders() -> OrderService:
        return OrderService(settings=ctx.settings, db=ctx.db, storage=ctx.storage,
                            payments=new_payments(ctx.settings), jobs=jobs_for(app))  # fmt: skip

    def notifiers(service: OrderService) -> Notifiers:
        return channel_notifiers(ctx.settings, service)  # e.g. the refund notice on Telegram

    return follow_builds(app, ctx.settings, orders, notifiers)


def beat(loglevel: Annotated[str, typer.Option(help="DEBUG, INFO...")] = "INFO") -> None:
    """Run celery beat: queues the stuck-order sweeper every PETPIXEL_SWEEPER_INTERVAL_S."""
    from workers.celery_app import create_celery

    create_celery(load_cli_settings()).start(["beat", f"--loglevel={loglevel}"])
