"""`create_backup` and `restore_backup`: the database and every storage object, with a manifest.

A restore reads the whole backup and checks every checksum before it changes anything; it
refuses a database newer than this code's migrations and upgrades an older one afterwards.
Restoring is repeatable: a run that stopped half-way is finished by running it again."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from core.backup import database, objects
from core.backup.manifest import (
    MANIFEST,
    OBJECTS,
    BackupError,
    BackupRefused,
    DatabaseDump,
    Manifest,
    StoredObject,
    check,
    file_sha256,
    sha256,
)
from core.backup.places import DirPlace, Place
from core.db import alembic_config, current_revision, migrate
from core.storage import LocalStorage, Storage

if TYPE_CHECKING:
    from alembic.script import ScriptDirectory

THREADS = 8  # objects are small and many: S3 round trips overlap
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Outcome:
    """What a backup or restore did, for the command's summary line."""

    location: str
    manifest: Manifest
    seconds: float
    migrated_to: str | None = None  # restore: the revision an older backup was upgraded to


def app_version() -> str:
    try:
        return version("petpixel")
    except PackageNotFoundError:
        return "unknown"


def create_backup(*, database_url: str, storage: Storage, place: Place) -> Outcome:
    """Back up the database at `database_url` and every object of `storage` into `place`."""
    started = time.monotonic()
    if _inside(place, storage):
        raise BackupError(f"{place.location} is inside the storage it backs up: choose another.")
    if not place.is_empty():
        raise BackupError(f"{place.location} is not empty: back up into a new folder or prefix.")
    kind = database.kind_of(database_url)
    file = database.PG_FILE if kind == "postgresql" else database.SQLITE_FILE
    with tempfile.TemporaryDirectory(prefix="petpixel-backup-") as tmp:
        dumped = Path(tmp) / file
        database.check_tools(database_url, "pg_dump")
        revision = database.revision(database_url)
        tool = database.dump(database_url, dumped)
        place.put_file(file, dumped)
        dump = DatabaseDump(kind, file, dumped.stat().st_size, file_sha256(dumped), tool)
    stored = list(_parallel(lambda key: _copy_out(storage, place, key), objects.list_keys(storage)))
    manifest = Manifest(
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        app_version=app_version(),
        alembic_revision=revision,
        database=dump,
        storage_backend=objects.backend_of(storage),
        objects=stored,
    )
    # Last: a backup without its manifest is an unfinished one, and restore refuses it.
    place.put_bytes(MANIFEST, manifest.to_json(), content_type="application/json",
                    cache_control=None)  # fmt: skip
    return Outcome(place.location, manifest, time.monotonic() - started)


def _inside(place: Place, storage: Storage) -> bool:
    """A backup folder under the local storage's root would back itself up."""
    if not isinstance(place, DirPlace) or not isinstance(storage, LocalStorage):
        return False
    return place.root.resolve().is_relative_to(storage.root.resolve())


def _copy_out(storage: Storage, place: Place, key: str) -> StoredObject:
    blob = objects.read(storage, key)
    place.put_bytes(OBJECTS + key, blob.data, content_type=blob.content_type,
                    cache_control=blob.cache_control)  # fmt: skip
    return StoredObject(key, len(blob.data), sha256(blob.data), blob.content_type,
                        blob.cache_control)  # fmt: skip


def read_manifest(place: Place) -> Manifest:
    return Manifest.from_json(place.get_bytes(MANIFEST))


def restore_backup(*, database_url: str, storage: Storage, place: Place) -> Outcome:
    """Put the backup in `place` back: the database at `database_url`, the objects in `storage`."""
    started = time.monotonic()
    manifest = read_manifest(place)
    _check_database(manifest, database_url)
    with tempfile.TemporaryDirectory(prefix="petpixel-restore-") as tmp:
        dumped = Path(tmp) / manifest.database.file
        place.get_file(manifest.database.file, dumped)
        _check_dump(manifest.database, dumped)
        # Every object is read and checked before anything changes: a damaged backup is refused
        # whole, the database and storage left as they were.
        for _ in _parallel(lambda o: _verify(place, o), manifest.objects):
            pass
        database.restore(database_url, dumped, dumped_by=manifest.database.tool)
    for _ in _parallel(lambda o: objects.write(storage, _read_checked(place, o)), manifest.objects):
        pass
    migrated = None
    if manifest.alembic_revision != _head(database_url):
        migrate(database_url)  # an older backup: bring its tables up to this code
        migrated = current_revision(database_url)
    return Outcome(place.location, manifest, time.monotonic() - started, migrated)


def _check_database(manifest: Manifest, database_url: str) -> None:
    kind = database.kind_of(database_url)
    if manifest.database.kind != kind:
        raise BackupRefused(
            f"This backup holds a {manifest.database.kind} database; the configured database is "
            f"{kind} (PETPIXEL_DATABASE_URL). Nothing was restored."
        )
    revision = manifest.alembic_revision
    if revision is not None and not _known(database_url, revision):
        raise BackupRefused(
            f"This backup's database is at revision {revision}, newer than this PetPixel "
            f"({manifest.app_version} made it; this code ends at {_head(database_url)}). Restore "
            "it with that version or a newer one. Nothing was restored."
        )
    database.check_tools(database_url, "pg_restore")


def _check_dump(dump: DatabaseDump, path: Path) -> None:
    if path.stat().st_size != dump.bytes or file_sha256(path) != dump.sha256:
        raise BackupRefused(
            f"The backup is damaged: {dump.file} does not match its checksum in {MANIFEST}. "
            "Nothing was restored."
        )


def _verify(place: Place, obj: StoredObject) -> None:
    _read_checked(place, obj)  # the data is dropped: a big bucket must not fill the memory


def _read_checked(place: Place, obj: StoredObject) -> objects.Blob:
    data = check(OBJECTS + obj.key, place.get_bytes(OBJECTS + obj.key), size=obj.bytes,
                 digest=obj.sha256)  # fmt: skip
    return objects.Blob(obj.key, data, obj.content_type, obj.cache_control)


def _script(database_url: str) -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(database_url))


def _head(database_url: str) -> str | None:
    head: str | None = _script(database_url).get_current_head()
    return head


def _known(database_url: str, revision: str) -> bool:
    from alembic.util import CommandError

    try:
        return _script(database_url).get_revision(revision) is not None
    except CommandError:
        return False


def _parallel(work: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
    """`map(work, items)` on a few threads, in order; the first error cancels what is left."""
    pool = ThreadPoolExecutor(THREADS)
    try:
        yield from pool.map(work, items)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
