"""Private by default: photos are never served, the order API needs the order's token, and every
link meant to be shared (preview art, the play page and its og:image) names neither the order's
id nor its token. Real HTTP through the app, local storage and (marked `s3`) a moto S3 server."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from core.config import Settings
from core.orders.lifecycle import OrderStatus
from core.storage import LocalStorage, S3Storage
from tests.web.conftest import wait_for
from tests.web.test_api import run_flow
from tests.web.test_production import s3_endpoint  # noqa: F401  (the moto server fixture)
from web.app import create_app


def service_of(client: TestClient) -> Any:
    return client.app.state.resources.service  # type: ignore[attr-defined]


def storage_of(client: TestClient) -> Any:
    return client.app.state.resources.storage  # type: ignore[attr-defined]


def upload(client: TestClient, photo: bytes) -> str:
    made = client.post("/api/images/upload", files={"photo": ("c.jpg", photo, "image/jpeg")},
                       data={"pet_name": "Tom", "style": "16bit"})  # fmt: skip
    assert made.status_code == 201, made.text
    return str(made.json()["image_id"])


def preview(client: TestClient, token: str) -> dict[str, Any]:
    started = client.post("/api/pixel-art/generate", json={"image_id": token, "style": "16bit"})
    assert started.status_code == 202, started.text
    return wait_for(lambda: client.get(f"/api/images/{token}/status").json(),
                    lambda b: b["status"] == "preview_ready")  # fmt: skip


@pytest.fixture(scope="module")
def built(client: TestClient, cat_jpeg: bytes) -> dict[str, Any]:
    """One order taken to a published game; with its database id, read from the service."""
    flow = run_flow(client, cat_jpeg, pet_name="Rex")
    order = service_of(client).order_by_token(token=flow.image_id)
    return {"token": flow.image_id, "id": order.id, "preview": flow.preview, "game": flow.game}


def test_upload_answers_with_the_token_and_never_the_order_id(
    client: TestClient, cat_jpeg: bytes
) -> None:
    made = client.post("/api/images/upload", files={"photo": ("c.jpg", cat_jpeg, "image/jpeg")})
    body = made.json()
    order = service_of(client).order_by_token(token=body["image_id"])
    assert body["order_url"] == f"/o/{order.token}"
    assert order.id not in made.text
    assert made.headers["cache-control"] == "no-store"


def test_raw_photo_and_cutout_are_never_served(client: TestClient, built: dict[str, Any]) -> None:
    storage = storage_of(client)
    assert isinstance(storage, LocalStorage)
    folder = storage.root / "orders" / built["id"]
    private = [p.relative_to(storage.root).as_posix() for p in folder.rglob("*") if p.is_file()]
    assert any(k.endswith("/photo.jpg") for k in private)
    assert any("/mask." in k for k in private)  # the pet's cutout of the photo
    for key in private:
        for url in (f"/files/{key}", f"/files/{key}?token={built['token']}"):
            response = client.get(url)
            assert response.status_code == 404, url
            assert response.json()["error"]["code"] == "not_found"
            assert b"\xff\xd8" not in response.content[:4]
        with pytest.raises(ValueError, match="private"):
            storage.url(key)  # no link can even be made
    assert client.get(f"/files/orders/{built['id']}/").status_code == 404


def test_shared_links_name_neither_the_order_id_nor_its_token(
    client: TestClient, built: dict[str, Any]
) -> None:
    secrets_ = (built["id"], built["token"])
    links = [built["preview"]["preview_url"], built["preview"]["sprite_url"], built["game"]["url"]]
    for link in links:
        assert not any(s in link for s in secrets_), link
    gif = client.get(built["preview"]["preview_url"])
    assert gif.status_code == 200
    assert Image.open(io.BytesIO(gif.content)).format == "GIF"
    assert gif.headers["cache-control"] == "public, max-age=31536000, immutable"  # public art

    page = client.get(f"/g/{built['game']['code']}")
    assert page.status_code == 200
    og_images = re.findall(r'property="og:image" content="([^"]+)"', page.text)
    assert og_images
    assert all(url.startswith("http") and "/g/" in url for url in og_images)
    assert not any(s in page.text for s in secrets_)
    for url in og_images:
        shared = client.get(httpx.URL(url).path)
        assert shared.status_code == 200
        assert not any(s.encode() in shared.content for s in secrets_)


def test_the_order_api_refuses_the_order_id_alone(client: TestClient, cat_jpeg: bytes) -> None:
    token = upload(client, cat_jpeg)
    svc = service_of(client)
    order = svc.order_by_token(token=token)
    before = (svc.status(order_id=order.id), svc.get_order(order_id=order.id))
    near_miss = token[:-1] + ("A" if token[-1] != "A" else "B")
    for wrong in (order.id, near_miss):
        box = {"image_id": wrong, "x0": 0.1, "y0": 0.1, "x1": 0.9, "y1": 0.9}
        answers = [
            client.get(f"/api/images/{wrong}/status"),
            client.post("/api/images/remove-background", json={"image_id": wrong}),
            client.post("/api/images/crop", json=box),
            client.post("/api/pixel-art/generate", json={"image_id": wrong, "style": "8bit"}),
            client.post("/api/pixel-art/customize", json={"image_id": wrong, "style": "8bit"}),
            client.post("/api/games/create", json={"image_id": wrong, "package": "classic"}),
            client.get(f"/api/games/{wrong}"),
            client.post(f"/api/games/{wrong}/customize", json={"pet_name": "Evil"}),
            client.get(f"/api/games/{wrong}/qr.svg"),
        ]
        for answer in answers:
            assert answer.status_code == 404, (answer.request.url, answer.text)
            error = answer.json()["error"]
            assert error["code"] == "not_found"
            assert "private token" in error["message"]
    assert (svc.status(order_id=order.id), svc.get_order(order_id=order.id)) == before
    # ...and the token itself opens the same order.
    mine = client.get(f"/api/images/{token}/status")
    assert mine.status_code == 200
    assert mine.json()["image_id"] == token
    assert mine.headers["cache-control"] == "no-store"
    assert order.id not in mine.text


def test_order_page_keeps_its_token_to_itself(client: TestClient, built: dict[str, Any]) -> None:
    page = client.get(f"/o/{built['token']}")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert '<meta name="referrer" content="no-referrer">' in page.text
    assert built["id"] not in page.text
    assert f'data-token="{built["token"]}"' in page.text  # what status.js polls with
    game = client.get(f"/api/games/{built['token']}")
    assert game.json()["qr_url"] == f"/api/games/{built['token']}/qr.svg"
    assert client.get(game.json()["qr_url"]).headers["cache-control"].startswith("private")


@pytest.fixture
def s3_client_app(
    settings: Settings,
    s3_endpoint: str,  # noqa: F811
) -> Iterator[TestClient]:
    on_s3 = settings.model_copy(update={
        "storage_backend": "s3", "s3_endpoint_url": s3_endpoint, "s3_bucket": "petpixel-web",
        "presign_expiry_s": 600,
    })  # fmt: skip
    with TestClient(create_app(on_s3), raise_server_exceptions=False) as client:
        yield client


@pytest.mark.s3
def test_s3_links_follow_the_same_rules(s3_client_app: TestClient, cat_jpeg: bytes) -> None:
    client = s3_client_app
    token = upload(client, cat_jpeg)
    order = service_of(client).order_by_token(token=token)
    done = preview(client, token)
    storage = storage_of(client)
    assert isinstance(storage, S3Storage)
    url = done["preview_url"]
    assert "X-Amz-Signature" in url  # presigned: no public base is set
    assert "/previews/" in url
    assert order.id not in url
    assert token not in url
    gif = httpx.get(url)
    assert gif.status_code == 200
    assert Image.open(io.BytesIO(gif.content)).format == "GIF"
    listed = storage.client.list_objects_v2(Bucket=storage.bucket, Prefix=f"orders/{order.id}/")
    private = [obj["Key"] for obj in listed.get("Contents", [])]
    assert any(k.endswith("/photo.jpg") for k in private)
    for key in private:
        with pytest.raises(ValueError, match="private"):
            storage.url(key)  # no presigned link to a photo or a cutout, ever
        assert client.get(f"/files/{key}").status_code == 404
    cdn = S3Storage(storage.client, storage.bucket, public_url="https://cdn.example/pp")
    key = httpx.URL(url).path.split("/petpixel-web/", 1)[1]
    assert cdn.url(key).url == f"https://cdn.example/pp/{key}"
    assert service_of(client).status(order_id=order.id).status == OrderStatus.PREVIEW_READY
