"""What a backup holds and how to check it: `manifest.json`, written last, read first.

A folder without a manifest is an unfinished backup. Every file the restore reads has its size
and SHA-256 here, so a damaged or incomplete backup is refused before anything is changed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.errors import PetPixelError

FORMAT = 1
MANIFEST = "manifest.json"
OBJECTS = "objects/"  # storage objects live under this prefix of the backup, by their own keys


class BackupError(PetPixelError):
    """A backup could not be made or restored (a tool missing, a service unreachable...)."""

    code = "backup_failed"


class BackupRefused(BackupError):
    """A backup that must not be restored here: damaged, incomplete, or newer than this code."""

    code = "backup_refused"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class StoredObject:
    """One storage object: its key, size, checksum and the headers it is served with."""

    key: str
    bytes: int
    sha256: str
    content_type: str | None = None
    cache_control: str | None = None


@dataclass(frozen=True)
class DatabaseDump:
    kind: str  # "postgresql" (pg_dump custom format) or "sqlite" (a database file)
    file: str
    bytes: int
    sha256: str
    tool: str | None = None  # "pg_dump (PostgreSQL) 15.20": pg_restore must be as new


@dataclass(frozen=True)
class Manifest:
    created_at: str  # ISO 8601, UTC
    app_version: str
    alembic_revision: str | None
    database: DatabaseDump
    storage_backend: str
    objects: list[StoredObject] = field(default_factory=list)
    format: int = FORMAT

    @property
    def object_bytes(self) -> int:
        return sum(o.bytes for o in self.objects)

    def to_json(self) -> bytes:
        body = asdict(self)
        body["object_count"] = len(self.objects)
        body["object_bytes"] = self.object_bytes
        return json.dumps(body, indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            body: dict[str, Any] = json.loads(data)
            if body.get("format") != FORMAT:
                raise BackupRefused(
                    f"Unknown backup format {body.get('format')!r} (this PetPixel reads {FORMAT})."
                )
            return cls(
                created_at=body["created_at"],
                app_version=body["app_version"],
                alembic_revision=body["alembic_revision"],
                database=DatabaseDump(**body["database"]),
                storage_backend=body["storage_backend"],
                objects=[StoredObject(**o) for o in body["objects"]],
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise BackupRefused(f"The backup's {MANIFEST} is unreadable ({exc}).") from None


def check(name: str, data: bytes, *, size: int, digest: str) -> bytes:
    """`data` when it is what the manifest says; BackupRefused naming the file otherwise."""
    if len(data) != size or sha256(data) != digest:
        raise BackupRefused(
            f"The backup is damaged: {name} does not match its checksum in {MANIFEST} "
            f"({len(data)} bytes, expected {size}). Nothing was restored."
        )
    return data
