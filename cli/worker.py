"""`petpixel worker` and `petpixel beat`: Celery processes over Redis (production mode)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import load_cli_settings
from core.config import Settings


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
    from cli.common import user_errors
    from runtime import observe, serve_worker_metrics, worker_app
    from workers.celery_app import unserved_warning, worker_queues

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
    observe(settings, role="worker")  # logs with task and request ids, Sentry
    with user_errors():
        app = worker_app(settings)  # builds followed up here: game-ready notice, or a refund
    serve_worker_metrics(app, settings)  # PETPIXEL_WORKER_METRICS_PORT, before the pool forks
    beat_args = ["--beat", f"--schedule={beat_schedule(settings)}"] if with_beat else []
    app.worker_main([*argv, *beat_args])


def beat(loglevel: Annotated[str, typer.Option(help="DEBUG, INFO...")] = "INFO") -> None:
    """Run celery beat: queues the stuck-order sweeper every PETPIXEL_SWEEPER_INTERVAL_S."""
    from runtime import observe
    from workers.celery_app import create_celery

    settings = load_cli_settings()
    observe(settings, role="beat")
    schedule = f"--schedule={beat_schedule(settings)}"
    create_celery(settings).start(["beat", f"--loglevel={loglevel}", schedule])


def beat_schedule(settings: Settings) -> Path:
    """Beat's schedule file lives in the data dir (writable in every deployment), never in the
    working directory (read-only or root-owned in containers)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings.data_dir / "celerybeat-schedule"
