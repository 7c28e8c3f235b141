"""Every object of the app's storage, with the headers it is served with: listed, read, put back.

LocalStorage keeps no headers (the web app picks them by name), S3Storage keeps Content-Type and
Cache-Control on each object; a backup records them so a restore serves the games as before."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from core.backup.manifest import BackupError
from core.filetypes import content_type
from core.storage import LocalStorage, S3Storage, Storage, check_key


@dataclass(frozen=True)
class Blob:
    key: str
    data: bytes
    content_type: str | None
    cache_control: str | None


def backend_of(storage: Storage) -> str:
    if isinstance(storage, S3Storage):
        return "s3"
    if isinstance(storage, LocalStorage):
        return "local"
    raise BackupError(f"Cannot back up a {type(storage).__name__} (local and S3 only).")


def list_keys(storage: Storage) -> Iterator[str]:
    """Every key in the storage, sorted (local) or in the bucket's order (S3)."""
    if isinstance(storage, S3Storage):
        yield from _bucket_keys(storage.client, storage.bucket)
        return
    if not isinstance(storage, LocalStorage):
        raise BackupError(f"Cannot back up a {type(storage).__name__} (local and S3 only).")
    if not storage.root.is_dir():
        return
    for path in sorted(storage.root.rglob("*")):
        # Dot files are LocalStorage's half-written temporaries (".name.<uuid>.tmp").
        if path.is_file() and not path.name.startswith("."):
            yield path.relative_to(storage.root).as_posix()


def _bucket_keys(client: Any, bucket: str) -> Iterator[str]:
    try:
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for obj in page.get("Contents", []):
                yield obj["Key"]
    except client.exceptions.NoSuchBucket:
        raise BackupError(f"The bucket {bucket} does not exist.") from None


def read(storage: Storage, key: str) -> Blob:
    if isinstance(storage, S3Storage):
        obj = storage.client.get_object(Bucket=storage.bucket, Key=check_key(key))
        return Blob(key, obj["Body"].read(), obj.get("ContentType"), obj.get("CacheControl"))
    return Blob(key, storage.get(key), content_type(key), None)


def write(storage: Storage, blob: Blob) -> None:
    storage.put(
        blob.key,
        blob.data,
        content_type=blob.content_type or content_type(blob.key),
        cache_control=blob.cache_control,
    )
