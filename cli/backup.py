"""`petpixel backup create --out DIR` / `petpixel backup restore DIR`: the database and the game
storage, with a manifest of checksums (core/backup). DIR may also be `s3://bucket/prefix`."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.common import load_cli_settings, user_errors

backup_app = typer.Typer(help="Back up and restore the database and the game storage.",
                         no_args_is_help=True)  # fmt: skip


def register(app: typer.Typer) -> None:
    app.add_typer(backup_app, name="backup")


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} KB"


@backup_app.command("create")
def create(
    out: Annotated[
        str,
        typer.Option("--out", metavar="DIR", help="A new or empty folder, or s3://BUCKET/PREFIX."),
    ],
    timestamp: Annotated[
        bool,
        typer.Option(
            "--timestamp",
            help="Back up into a new subfolder of DIR named by the UTC "
            "time (for scheduled backups).",
        ),
    ] = False,
) -> None:
    """Back up the database (pg_dump or SQLite's backup API) and every stored file."""
    from runtime.backup import backup

    with user_errors():
        done = backup(load_cli_settings(), out, timestamped=timestamp)
    m = done.manifest
    print(f"Backed up the {m.database.kind} database (revision {m.alembic_revision}, "
          f"{_size(m.database.bytes)}) and {len(m.objects)} files ({_size(m.object_bytes)}) "
          f"to {done.location} in {done.seconds:.1f} s.")  # fmt: skip


@backup_app.command("restore")
def restore(
    source: Annotated[
        str, typer.Argument(metavar="DIR", help="A backup folder or s3://BUCKET/PREFIX.")
    ],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before replacing.")] = False,
) -> None:
    """Replace the database and put back every stored file from a backup (checked first).

    Stop web, workers, beat and the bots first; run it again if it stopped half-way."""
    from runtime.backup import restore as restore_backup

    settings = load_cli_settings()
    if not yes:
        typer.confirm(
            f"Replace the database at {settings.resolved_database_url.split('@')[-1]} and restore "
            f"the stored files from {source}?",
            abort=True,
        )
    with user_errors():
        done = restore_backup(settings, source)
    m = done.manifest
    print(f"Restored the {m.database.kind} database from {m.created_at} (revision "
          f"{m.alembic_revision}) and {len(m.objects)} files ({_size(m.object_bytes)}) from "
          f"{done.location} in {done.seconds:.1f} s.")  # fmt: skip
    if done.migrated_to:
        print(f"Upgraded the database to revision {done.migrated_to}.")
