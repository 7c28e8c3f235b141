"""Where files live: a `Storage` protocol with LocalStorage (embedded default) and S3Storage.

Keys are made by us (order ids, game codes, fixed names), never from user input; `check_key` still
refuses anything that could escape the storage root.

Only public keys have URLs: published games (`games/<code>/`) and preview art (`previews/<asset
key>/`, a random key of the order's that is neither its id nor its token). Everything else (the
raw photo, the cutout mask under `orders/<order id>/`) is private: `url()` refuses it on every
backend, so no link to it can be handed out. `url(key)` of a public key: LocalStorage points at
the web app's /files/ route, S3Storage at a public/CDN base or a presigned URL whose expiry we
compute."""

from __future__ import annotations

import re
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from core.config import Settings
from core.errors import PetPixelError

IMMUTABLE = "public, max-age=31536000, immutable"  # for content-hashed asset names
# Published games and preview art; photos and cutouts (orders/<id>/...) stay private.
PUBLIC_PREFIXES = ("games/", "previews/")
_KEY_RE = re.compile(r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")


class StorageError(PetPixelError):
    """A file could not be stored or read."""

    code = "storage_error"


class MissingFile(StorageError):
    code = "file_missing"


def check_key(key: str) -> str:
    """Return `key` when it is a safe relative path; raise ValueError otherwise."""
    parts = key.split("/")
    if not _KEY_RE.match(key) or any(p in {".", ".."} for p in parts):
        raise ValueError(f"unsafe storage key: {key!r}")
    return key


def is_public(key: str) -> bool:
    """True for keys that may be linked to and served to anyone (games, preview art)."""
    return key.startswith(PUBLIC_PREFIXES)


def check_public(key: str) -> str:
    """Return `key` when it is safe and public; raise ValueError for a private one."""
    if not is_public(check_key(key)):
        raise ValueError(f"private storage key has no URL: {key!r}")
    return key


def check_prefix(prefix: str) -> str:
    """A prefix must be a safe key ending in '/', so 'games/a' cannot also match 'games/ab'."""
    if not prefix.endswith("/"):
        raise ValueError(f"storage prefix must end with '/': {prefix!r}")
    check_key(prefix[:-1])
    return prefix


MAX_PRESIGN_S = 7 * 24 * 3600  # SigV4 presigned URLs cannot live longer than a week


@dataclass(frozen=True)
class StoredUrl:
    """A link to a stored file and when it stops working (S3 servers such as moto never check)."""

    url: str
    expires_at: float | None  # unix time; None = does not expire

    def expired(self, *, now: float | None = None, margin_s: float = 0.0) -> bool:
        """True when the link is dead at `now`, or dies within `margin_s` (ask for a fresh one)."""
        if self.expires_at is None:
            return False
        return (time.time() if now is None else now) + margin_s >= self.expires_at


class Storage(Protocol):
    def put(
        self, key: str, data: bytes, *, content_type: str, cache_control: str | None = None
    ) -> None: ...
    def get(self, key: str) -> bytes: ...
    def exists(self, key: str) -> bool: ...
    def delete(self, key: str) -> None: ...
    def delete_prefix(self, prefix: str) -> int: ...
    def url(self, key: str) -> StoredUrl:
        """A link to a public key (ValueError for a private one: photos have no links)."""
        ...


class LocalStorage:
    """Files under `root`; URLs are `<public_url>/files/<key>` served by the web app.

    Without a public URL the links are site-relative (`/files/<key>`), right for the web page.
    """

    def __init__(self, root: Path, base_url: str) -> None:
        self.root = root
        self.base_url = base_url.rstrip("/")

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(
        self, key: str, data: bytes, *, content_type: str, cache_control: str | None = None
    ) -> None:
        # Local files carry no metadata: the web app picks content type and cache headers by name.
        del content_type, cache_control
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")  # one per writer
        try:
            tmp.write_bytes(data)
            tmp.replace(target)  # atomic: a reader never sees half a file
        except BaseException:
            tmp.unlink(missing_ok=True)  # a full disk must not keep half a file (and its space)
            raise

    def get(self, key: str) -> bytes:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            raise MissingFile(f"The file {key} is missing.") from None

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def delete_prefix(self, prefix: str) -> int:
        folder = self.root / check_prefix(prefix)
        if not folder.is_dir():
            return 0
        count = sum(1 for p in folder.rglob("*") if p.is_file())
        shutil.rmtree(folder)
        return count

    def url(self, key: str) -> StoredUrl:
        return StoredUrl(f"{self.base_url}/files/{check_public(key)}", None)


class S3Storage:
    """An S3 bucket (AWS, MinIO...).

    Public keys (games, preview art) get plain URLs on `public_url` (a CDN or public bucket path)
    when one is set, presigned GET URLs otherwise; private keys (photos, cutouts) get no URL at all.
    `signer` signs those URLs when browsers reach S3 at another host than the app does (a client
    for the public endpoint: signing needs no connection, and the browser's Host must match).
    """

    def __init__(
        self,
        client: Any,
        bucket: str,
        *,
        public_url: str | None = None,
        expiry_s: int = 3600,
        signer: Any = None,
    ) -> None:
        self.client = client
        self.signer = signer if signer is not None else client
        self.bucket = bucket
        if not 1 <= expiry_s <= MAX_PRESIGN_S:
            raise ValueError(f"presigned URL expiry must be 1..{MAX_PRESIGN_S} s, not {expiry_s}")
        self.public_url = public_url.rstrip("/") if public_url else None
        self.expiry_s = expiry_s

    def put(
        self, key: str, data: bytes, *, content_type: str, cache_control: str | None = None
    ) -> None:
        extra = {"CacheControl": cache_control} if cache_control else {}
        self.client.put_object(
            Bucket=self.bucket, Key=check_key(key), Body=data, ContentType=content_type, **extra
        )

    def get(self, key: str) -> bytes:
        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=check_key(key))
        except self.client.exceptions.NoSuchKey:
            raise MissingFile(f"The file {key} is missing.") from None
        body: bytes = obj["Body"].read()
        return body

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=check_key(key))

    def delete_prefix(self, prefix: str) -> int:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=check_prefix(prefix)
        )
        count = 0
        for page in pages:
            keys = [{"Key": obj["Key"]} for obj in page.get("Contents", [])]
            if keys:  # delete_objects takes at most 1000 keys: one page's worth
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys})
                count += len(keys)
        return count

    def url(self, key: str) -> StoredUrl:
        check_public(key)
        if self.public_url:
            return StoredUrl(f"{self.public_url}/{key}", None)
        expires_at = time.time() + self.expiry_s
        url = self.signer.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=self.expiry_s
        )
        return StoredUrl(url, expires_at)


def s3_client(settings: Settings, *, endpoint_url: str | None = None) -> Any:
    """A boto3 S3 client for the configured endpoint, or `endpoint_url` (credentials from the
    usual AWS variables)."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint_url or settings.s3_endpoint_url,
        region_name=settings.s3_region,
        # Path-style works on MinIO and on AWS; virtual-host style needs DNS for every bucket.
        # SigV4: MinIO and newer AWS regions accept only it (presigned URLs included).
        config=Config(
            signature_version="s3v4", s3={"addressing_style": "path"}, retries={"max_attempts": 3}
        ),
    )


def new_storage(settings: Settings) -> Storage:
    """The storage the settings ask for: local files by default, S3 when storage_backend='s3'."""
    if settings.storage_backend == "s3":
        return S3Storage(
            s3_client(settings),
            settings.s3_bucket,
            public_url=settings.s3_public_url,
            expiry_s=settings.presign_expiry_s,
            signer=s3_client(settings, endpoint_url=settings.s3_public_endpoint_url)
            if settings.s3_public_endpoint_url
            else None,
        )
    return LocalStorage(settings.data_dir / "storage", settings.public_url or "")
