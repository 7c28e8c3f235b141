"""Where a backup lives: a local folder (`DIR`) or a bucket prefix (`s3://bucket/prefix`).

Both hold the same layout: `manifest.json`, the database dump, and `objects/<key>` for every
storage object. A bucket place keeps each object's Content-Type and Cache-Control as well."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from core.backup.manifest import BackupError, BackupRefused
from core.storage import check_key


class Place(Protocol):
    location: str

    def is_empty(self) -> bool: ...
    def child(self, name: str) -> Place: ...
    def put_bytes(
        self, name: str, data: bytes, *, content_type: str | None, cache_control: str | None
    ) -> None: ...
    def get_bytes(self, name: str) -> bytes: ...
    def put_file(self, name: str, path: Path) -> None: ...
    def get_file(self, name: str, path: Path) -> None: ...


def missing(location: str, name: str) -> BackupRefused:
    return BackupRefused(
        f"The backup at {location} has no {name}: it is incomplete or not a backup."
    )


class DirPlace:
    """A backup in a local folder (a mounted volume, a disk another job ships elsewhere)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.location = str(root)

    def is_empty(self) -> bool:
        return not self.root.exists() or not any(self.root.iterdir())

    def child(self, name: str) -> DirPlace:
        return DirPlace(self.root / check_key(name))

    def _path(self, name: str) -> Path:
        return self.root / check_key(name)

    def put_bytes(
        self, name: str, data: bytes, *, content_type: str | None, cache_control: str | None
    ) -> None:
        del content_type, cache_control  # kept in the manifest
        target = self._path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
        tmp.write_bytes(data)
        tmp.replace(target)

    def get_bytes(self, name: str) -> bytes:
        try:
            return self._path(name).read_bytes()
        except FileNotFoundError:
            raise missing(self.location, name) from None

    def put_file(self, name: str, path: Path) -> None:
        target = self._path(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)

    def get_file(self, name: str, path: Path) -> None:
        try:
            shutil.copyfile(self._path(name), path)
        except FileNotFoundError:
            raise missing(self.location, name) from None


class BucketPlace:
    """A backup under a prefix of a bucket (a separate backup bucket, ideally versioned)."""

    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self.client, self.bucket = client, bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.location = f"s3://{bucket}/{self.prefix}"

    def is_empty(self) -> bool:
        try:
            page = self.client.list_objects_v2(Bucket=self.bucket, Prefix=self.prefix, MaxKeys=1)
        except self.client.exceptions.NoSuchBucket:
            missing_bucket = f"The backup bucket {self.bucket} does not exist: create it first."
            raise BackupError(missing_bucket) from None
        return not page.get("Contents")

    def child(self, name: str) -> BucketPlace:
        return BucketPlace(self.client, self.bucket, self.prefix + check_key(name))

    def _key(self, name: str) -> str:
        return self.prefix + check_key(name)

    def put_bytes(
        self, name: str, data: bytes, *, content_type: str | None, cache_control: str | None
    ) -> None:
        extra = {"ContentType": content_type} if content_type else {}
        if cache_control:
            extra["CacheControl"] = cache_control
        self.client.put_object(Bucket=self.bucket, Key=self._key(name), Body=data, **extra)

    def get_bytes(self, name: str) -> bytes:
        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=self._key(name))
        except self.client.exceptions.NoSuchKey:
            raise missing(self.location, name) from None
        data: bytes = obj["Body"].read()
        return data

    def put_file(self, name: str, path: Path) -> None:
        self.client.upload_file(str(path), self.bucket, self._key(name))  # multipart when big

    def get_file(self, name: str, path: Path) -> None:
        from botocore.exceptions import ClientError

        try:
            self.client.download_file(self.bucket, self._key(name), str(path))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                raise missing(self.location, name) from None
            raise


def open_place(location: str, s3_client: Callable[[], Any]) -> Place:
    """`s3://bucket/prefix` (with the app's S3 endpoint and credentials) or a local folder."""
    if location.startswith("s3://"):
        bucket, _, prefix = location.removeprefix("s3://").partition("/")
        if not bucket:
            raise BackupError(f"No bucket in {location!r}: write s3://BUCKET/PREFIX.")
        return BucketPlace(s3_client(), bucket, prefix)
    return DirPlace(Path(location))
