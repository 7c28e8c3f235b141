"""`petpixel health worker|beat`: container health checks for the processes without a web port.

Exit 0 when healthy, 1 (with one line saying why) when not; compose and Kubernetes run them."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Annotated

import typer

from cli.common import load_cli_settings

health_app = typer.Typer(help="Health checks for worker and beat containers.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(health_app, name="health")


@health_app.command("worker")
def worker(
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the answer.")] = 5.0,
) -> None:
    """Ping this machine's Celery worker through the broker (what `celery inspect ping` does)."""
    from workers.celery_app import create_celery

    settings = load_cli_settings()
    if settings.redis_url is None:
        raise typer.BadParameter("Set PETPIXEL_REDIS_URL: only Celery workers are checked here.")
    node = f"celery@{socket.gethostname()}"  # the worker's default node name
    replies = create_celery(settings).control.ping(destination=[node], timeout=timeout)
    if not any(node in reply for reply in replies):
        typer.echo(f"unhealthy: {node} did not answer a ping within {timeout:g} s", err=True)
        raise typer.Exit(1)
    typer.echo(f"ok: {node} answered")


def schedule_age(data_dir: Path, now: float | None = None) -> float | None:
    """Seconds since beat last wrote its schedule (any dbm flavour's files), None if never."""
    files = [p for p in data_dir.glob("celerybeat-schedule*") if p.is_file()]
    if not files:
        return None
    return (time.time() if now is None else now) - max(p.stat().st_mtime for p in files)


@health_app.command("beat")
def beat(
    max_age: Annotated[
        float | None,
        typer.Option(help="Oldest acceptable schedule file, seconds (default: 3 sweeps + 30 s)."),
    ] = None,
) -> None:
    """Healthy while beat keeps writing its schedule file (after every sweep it sends)."""
    settings = load_cli_settings()
    limit = max_age if max_age is not None else 3 * settings.sweeper_interval_s + 30
    age = schedule_age(settings.data_dir)
    if age is None or age > limit:
        said = "no schedule file" if age is None else f"schedule written {age:.0f} s ago"
        typer.echo(f"unhealthy: {said} in {settings.data_dir} (limit {limit:g} s)", err=True)
        raise typer.Exit(1)
    typer.echo(f"ok: schedule written {age:.0f} s ago")
