"""`petpixel db upgrade` / `petpixel db current`: Alembic migrations without an alembic.ini."""

from __future__ import annotations

import sys
import time
from typing import Annotated

import typer

from cli.common import EXIT_BAD_INPUT, load_cli_settings

db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade(
    revision: str = typer.Argument("head", help="Target revision."),
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            metavar="SECONDS",
            min=0,
            help="Retry until the database answers, at most this long (for a migrate step "
            "started beside the database: compose, a Kubernetes Job).",
        ),
    ] = 0.0,
) -> None:
    """Create or upgrade the database tables (SQLite or PostgreSQL, from PETPIXEL_DATABASE_URL)."""
    from core.db import current_revision, migrate

    url = load_cli_settings().resolved_database_url
    if wait > 0:
        wait_for_database(url, wait)
    migrate(url, revision)
    print(f"Database is at revision {current_revision(url)}.")


def wait_for_database(url: str, seconds: float, *, interval_s: float = 1.0) -> None:
    """Return once `SELECT 1` succeeds at `url`; after `seconds` without an answer, one line on
    stderr (the address without its password, the last error) and exit code 2."""
    from sqlalchemy import create_engine, make_url, text

    from core.transient import CONNECTION_TROUBLE

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return  # a local file: nothing to wait for
    deadline = time.monotonic() + seconds
    attempts = 0
    while True:
        attempts += 1
        remaining = deadline - time.monotonic()
        # A silent host (packets dropped) must not hold one attempt past the deadline.
        engine = create_engine(url, connect_args={"connect_timeout": max(1, int(remaining))})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return
        except CONNECTION_TROUBLE as exc:
            last = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        finally:
            engine.dispose()
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            where = parsed.render_as_string(hide_password=True)
            print(
                f"error: database_unreachable: no answer from {where} after {seconds:g} s "
                f"({attempts} tries; last: {last})",
                file=sys.stderr,
            )
            raise typer.Exit(EXIT_BAD_INPUT)
        time.sleep(min(interval_s, remaining))


@db_app.command("current")
def current() -> None:
    """Print the database's migration revision."""
    from core.db import current_revision

    print(
        current_revision(load_cli_settings().resolved_database_url)
        or "empty (run: petpixel db upgrade)"
    )
