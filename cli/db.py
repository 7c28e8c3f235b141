"""`petpixel db upgrade` / `petpixel db current`: Alembic migrations without an alembic.ini."""

from __future__ import annotations

import typer

from cli.common import load_cli_settings

db_app = typer.Typer(help="Database migrations.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Create or upgrade the database tables (SQLite or PostgreSQL, from PETPIXEL_DATABASE_URL)."""
    from core.db import current_revision, migrate

    url = load_cli_settings().resolved_database_url
    migrate(url, revision)
    print(f"Database is at revision {current_revision(url)}.")


@db_app.command("current")
def current() -> None:
    """Print the database's migration revision."""
    from core.db import current_revision

    print(
        current_revision(load_cli_settings().resolved_database_url)
        or "empty (run: petpixel db upgrade)"
    )
