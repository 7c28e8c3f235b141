"""Backups put together from Settings: the configured database and storage, and the place a
backup lives (a folder, or `s3://bucket/prefix` on the app's S3 endpoint and credentials)."""

from __future__ import annotations

from datetime import UTC, datetime

from core.backup import Outcome, create_backup, open_place, restore_backup
from core.config import Settings
from core.storage import new_storage, s3_client


def backup(settings: Settings, out: str, *, timestamped: bool = False) -> Outcome:
    """Back up this deployment into `out` (a new subfolder named by the UTC time if asked)."""
    place = open_place(out, lambda: s3_client(settings))
    if timestamped:
        place = place.child(datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"))
    return create_backup(
        database_url=settings.resolved_database_url, storage=new_storage(settings), place=place
    )


def restore(settings: Settings, source: str) -> Outcome:
    """Restore the backup at `source` into this deployment's database and storage."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return restore_backup(
        database_url=settings.resolved_database_url,
        storage=new_storage(settings),
        place=open_place(source, lambda: s3_client(settings)),
    )
