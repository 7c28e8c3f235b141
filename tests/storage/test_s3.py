"""S3Storage against a real S3 HTTP server on 127.0.0.1 (moto's ThreadedMotoServer)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from core.config import Settings
from core.storage import IMMUTABLE, MissingFile, S3Storage, new_storage, s3_client

pytestmark = pytest.mark.s3


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_settings(
    settings: Settings,
    s3_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Settings:
    # boto3 reads credentials from its own environment variables; moto accepts any.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    bucket = f"pp-{request.node.name.lower().replace('_', '-')[:40]}"
    s = settings.model_copy(update={"storage_backend": "s3", "s3_endpoint_url": s3_endpoint,
                                    "s3_bucket": bucket, "presign_expiry_s": 600})  # fmt: skip
    s3_client(s).create_bucket(Bucket=bucket)
    return s


@pytest.fixture
def s3(s3_settings: Settings) -> S3Storage:
    store = new_storage(s3_settings)
    assert isinstance(store, S3Storage)
    return store


def test_round_trip_with_headers(s3: S3Storage) -> None:
    s3.put("games/abc/sheet.1234.png", b"png", content_type="image/png", cache_control=IMMUTABLE)
    assert s3.exists("games/abc/sheet.1234.png")
    assert s3.get("games/abc/sheet.1234.png") == b"png"
    head = s3.client.head_object(Bucket=s3.bucket, Key="games/abc/sheet.1234.png")
    assert head["ContentType"] == "image/png"
    assert head["CacheControl"] == IMMUTABLE


def test_missing_and_delete(s3: S3Storage) -> None:
    assert not s3.exists("nothing/here.png")
    with pytest.raises(MissingFile):
        s3.get("nothing/here.png")
    s3.put("orders/o/photo.jpg", b"x", content_type="image/jpeg")
    s3.delete("orders/o/photo.jpg")
    assert not s3.exists("orders/o/photo.jpg")


def test_delete_prefix_pages_through_everything(s3: S3Storage) -> None:
    for i in range(5):
        s3.put(f"games/g1/f{i}.js", b"x", content_type="text/javascript")
    s3.put("games/g10/keep.js", b"x", content_type="text/javascript")
    assert s3.delete_prefix("games/g1/") == 5
    assert s3.exists("games/g10/keep.js")


def test_presigned_url_expiry_is_ours_and_the_url_works(s3: S3Storage) -> None:
    s3.put("previews/k/preview.gif", b"GIF89a", content_type="image/gif")
    before = time.time()
    link = s3.url("previews/k/preview.gif")
    assert link.expires_at is not None
    assert before + 600 <= link.expires_at <= time.time() + 600
    query = parse_qs(urlparse(link.url).query)
    assert query["X-Amz-Expires"] == ["600"]
    signed_at = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert abs(signed_at.timestamp() + 600 - link.expires_at) < 2  # our clock = the signature's
    assert httpx.get(link.url).content == b"GIF89a"
    # moto never rejects an old signature, so deciding a link is stale is our job:
    assert not link.expired()
    assert not link.expired(now=link.expires_at - 61, margin_s=60)
    assert link.expired(now=link.expires_at - 59, margin_s=60)
    assert link.expired(now=link.expires_at)


def test_presign_expiry_is_bounded(s3: S3Storage) -> None:
    for bad in (0, 8 * 24 * 3600):
        with pytest.raises(ValueError, match="expiry"):
            S3Storage(s3.client, s3.bucket, expiry_s=bad)


def test_public_base_url_gives_plain_links(s3_settings: Settings) -> None:
    cdn = new_storage(s3_settings.model_copy(update={"s3_public_url": "https://cdn.example/pp/"}))
    link = cdn.url("games/abc/index.html")
    assert link.url == "https://cdn.example/pp/games/abc/index.html"
    assert link.expires_at is None
    assert not link.expired(now=time.time() + 10 * 365 * 86400)
    assert cdn.url("previews/k/preview.1234.gif").url.startswith("https://cdn.example/pp/previews/")


def test_private_keys_get_no_link_at_all(s3_settings: Settings) -> None:
    """Photos and cutouts: neither a public link nor a presigned one, with or without a CDN."""
    for public_url in (None, "https://cdn.example/pp"):
        store = new_storage(s3_settings.model_copy(update={"s3_public_url": public_url}))
        store.put("orders/o1/photo.jpg", b"\xff\xd8", content_type="image/jpeg")
        for key in ("orders/o1/photo.jpg", "orders/o1/preview/mask.1234.png", "other/x.png"):
            with pytest.raises(ValueError, match="private"):
                store.url(key)


def test_unsafe_keys_never_reach_s3(s3: S3Storage) -> None:
    with pytest.raises(ValueError, match="unsafe"):
        s3.put("../x", b"", content_type="text/plain")


def test_presigned_links_are_signed_for_the_public_endpoint(s3_settings: Settings) -> None:
    """Compose: the app reaches S3 as http://minio:9000, a browser as http://localhost:9000. The
    link is signed for the browser's host (SigV4 signs Host), and the pages' CSP lets it load."""
    from fastapi.testclient import TestClient

    from web.app import create_app

    internal = str(s3_settings.s3_endpoint_url)  # http://127.0.0.1:PORT: what the app uses
    public = internal.replace("127.0.0.1", "localhost")  # the same server under the browser's name
    settings = s3_settings.model_copy(update={"s3_public_endpoint_url": public})
    store = new_storage(settings)
    store.put("previews/k1/preview.1234.gif", b"GIF89a-preview", content_type="image/gif")

    link = urlparse(store.url("previews/k1/preview.1234.gif").url)
    assert f"{link.scheme}://{link.netloc}" == public
    assert link.path == f"/{settings.s3_bucket}/previews/k1/preview.1234.gif"
    query = parse_qs(link.query)
    assert query["X-Amz-SignedHeaders"] == ["host"]
    assert httpx.get(link.geturl()).content == b"GIF89a-preview"  # what a browser would load
    assert store.get("previews/k1/preview.1234.gif") == b"GIF89a-preview"  # the app: internal

    with TestClient(create_app(settings)) as client:
        csp = client.get("/").headers["content-security-policy"]
    img_src = next(d for d in csp.split(";") if d.strip().startswith("img-src")).split()
    assert public in img_src
    assert not any(d.strip().startswith("script-src") and public in d for d in csp.split(";"))
