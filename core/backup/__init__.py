"""Backups of a PetPixel deployment: the database and the game storage, checked on restore.

    outcome = create_backup(database_url=url, storage=storage, place=open_place(out, client))
    restore_backup(database_url=url, storage=storage, place=open_place(out, client))

`runtime.backup` builds these from Settings; `petpixel backup create|restore` runs them."""

from core.backup.manifest import BackupError, BackupRefused, Manifest
from core.backup.places import open_place
from core.backup.run import Outcome, create_backup, read_manifest, restore_backup

__all__ = [
    "BackupError",
    "BackupRefused",
    "Manifest",
    "Outcome",
    "create_backup",
    "open_place",
    "read_manifest",
    "restore_backup",
]
