"""The JSON API end to end on the embedded defaults (SQLite, local files, in-process worker)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from core.config import Settings
from tests.conftest import encode
from tests.web.conftest import LOCAL, wait_for, web_client
from web.app import create_app

HOSTILE_NAME = '<img src=x onerror="alert(1)">&'


@dataclass
class Flow:
    """One photo taken through preview, free payment and build, shared by this module's tests."""

    client: TestClient
    image_id: str
    order_url: str
    preview: dict[str, Any]
    game: dict[str, Any]


def run_flow(client: TestClient, photo: bytes, *, pet_name: str = HOSTILE_NAME) -> Flow:
    choices = {"style": "16bit", "pet_name": pet_name, "theme": "park"}
    photo_part = {"photo": ("cat.jpg", photo, "image/jpeg")}
    upload = client.post("/api/images/upload", files=photo_part, data=choices)
    assert upload.status_code == 201, upload.text
    image_id = upload.json()["image_id"]
    body = {"image_id": image_id, **choices}
    generate = client.post("/api/pixel-art/generate", json=body)
    assert generate.status_code == 202, generate.text
    status_url = f"/api/images/{image_id}/status"
    preview = wait_for(
        lambda: client.get(status_url).json(), lambda b: b["status"] == "preview_ready"
    )
    bought = client.post("/api/games/create", json={"image_id": image_id, "package": "classic"})
    assert bought.status_code == 202, bought.text
    assert bought.json()["checkout_url"] is None  # free mode: no payment page
    game = wait_for(
        lambda: client.get(f"/api/games/{image_id}").json(), lambda b: b["status"] == "ready"
    )
    return Flow(client, image_id, upload.json()["order_url"], preview, game)


def order_id_of(client: TestClient, token: str) -> str:
    """The database id behind a token (the API never shows it; tests read it from the service)."""
    service = client.app.state.resources.service  # type: ignore[attr-defined]
    return str(service.order_by_token(token=token).id)


@pytest.fixture(scope="module")
def flow(client: TestClient, cat_jpeg: bytes) -> Flow:
    return run_flow(client, cat_jpeg)


def test_styles_are_listed(client: TestClient) -> None:
    styles = client.get("/api/pixel-art/styles").json()
    assert {"name", "title", "description"} <= set(styles[0])
    assert "16bit" in {s["name"] for s in styles}


def test_preview_is_an_animated_gif(flow: Flow) -> None:
    assert flow.preview["progress"] == 100
    gif = flow.client.get(flow.preview["preview_url"])
    assert gif.status_code == 200
    image = Image.open(io.BytesIO(gif.content))
    assert image.format == "GIF"
    assert image.n_frames > 1


def test_game_link_plays_and_counts_views(flow: Flow) -> None:
    code = flow.game["code"]
    assert flow.game["url"].endswith(f"/g/{code}")
    assert len(code) >= 8
    before = flow.client.get(f"/api/games/{flow.image_id}").json()["views"]
    page = flow.client.get(f"/g/{code}")
    assert page.status_code == 200
    assert f'<base href="/g/{code}/">' in page.text
    assert 'property="og:image" content="http' in page.text
    assert "unsafe-inline" not in page.headers["content-security-policy"]
    flow.client.get(f"/g/{code}")
    assert flow.client.get(f"/api/games/{flow.image_id}").json()["views"] == before + 2


def test_game_files_are_served_with_cache_headers(flow: Flow) -> None:
    code = flow.game["code"]
    page = flow.client.get(f"/g/{code}").text
    name = re.search(r'name="petpixel-game" content="([^"]+)"', page)
    assert name is not None
    game_json = flow.client.get(f"/g/{code}/{name.group(1)}")
    assert game_json.status_code == 200
    assert game_json.json()["pet_name"] == HOSTILE_NAME  # JSON-escaped, never HTML-interpreted
    atlas = flow.client.get(f"/g/{code}/{game_json.json()['atlas']}")
    assert atlas.status_code == 200
    assert "immutable" in atlas.headers["cache-control"]
    assert flow.client.get(f"/g/{code}/nope.js").status_code == 404
    assert flow.client.get(f"/g/{code}/..%2F..%2Fpetpixel.db").status_code == 404


def test_qr_code_encodes_the_link(flow: Flow) -> None:
    qr = flow.client.get(flow.game["qr_url"])
    assert qr.status_code == 200
    assert qr.headers["content-type"] == "image/svg+xml"
    assert qr.text.startswith("<svg")


def test_hostile_pet_name_is_escaped_on_the_order_page(flow: Flow) -> None:
    page = flow.client.get(flow.order_url)
    assert page.status_code == 200
    assert "&lt;img src=x onerror=" in page.text
    assert '<img src=x onerror="alert(1)">' not in page.text
    assert "Your game is ready" in page.text
    assert "<svg" in page.text


def test_my_order_page_needs_the_whole_unguessable_token(flow: Flow) -> None:
    token = flow.order_url.removeprefix("/o/")
    assert len(token) >= 32  # 24 random bytes, URL-safe
    assert token == flow.image_id  # the API names the order by the same private token
    order_id = order_id_of(flow.client, token)
    near_miss = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert flow.client.get(f"/o/{near_miss}", headers={"Accept": "text/html"}).status_code == 404
    assert flow.client.get(f"/o/{order_id}", headers={"Accept": "text/html"}).status_code == 404


def test_ready_game_cannot_be_changed(flow: Flow) -> None:
    response = flow.client.post(f"/api/games/{flow.image_id}/customize", json={"pet_name": "Rex"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_choices_can_change_until_payment(client: TestClient, cat_jpeg: bytes) -> None:
    photo = {"photo": ("c.jpg", cat_jpeg, "image/jpeg")}
    image_id = client.post("/api/images/upload", files=photo, data={"pet_name": "Tom"}).json()[
        "image_id"
    ]
    cut = client.post("/api/images/remove-background", json={"image_id": image_id})
    assert cut.status_code == 200, cut.text
    box = {"image_id": image_id, "x0": 0.1, "y0": 0.05, "x1": 0.9, "y1": 0.95}
    cropped = client.post("/api/images/crop", json=box)
    assert cropped.status_code == 200, cropped.text
    restyled = client.post(
        "/api/pixel-art/customize", json={"image_id": image_id, "style": "gameboy"}
    )
    assert restyled.status_code == 202, restyled.text
    renamed = client.post(
        f"/api/games/{image_id}/customize", json={"pet_name": "  Rex  ", "theme": "snow"}
    )
    assert renamed.status_code == 202, renamed.text
    assert (renamed.json()["style"], renamed.json()["pet_name"]) == ("gameboy", "Rex")
    done = wait_for(
        lambda: client.get(f"/api/images/{image_id}/status").json(),
        lambda b: b["status"] == "preview_ready",
    )
    assert done["preview_url"]
    service = client.app.state.resources.service  # type: ignore[attr-defined]
    choices = service.order_by_token(token=image_id).choices
    assert (choices.style, choices.theme, choices.pet_name) == ("gameboy", "snow", "Rex")
    assert tuple(choices.user_crop) == (0.1, 0.05, 0.9, 0.95)
    unknown = client.post("/api/pixel-art/customize", json={"image_id": image_id, "style": "nope"})
    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "bad_style"
    assert "nope" in unknown.json()["error"]["message"]


def test_metrics_count_by_route_template_and_status(flow: Flow) -> None:
    text = flow.client.get("/metrics").text
    assert 'route="/api/images/{image_id}/status"' in text
    assert 'route="/g/{code}"' in text
    assert 'petpixel_orders{status="ready"} 1.0' in text
    assert 'petpixel_jobs_enqueued_total{kind="build"} 1.0' in text
    assert flow.image_id not in text  # ids never become labels


def test_health_checks_every_dependency(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body == {"status": "ok", "checks": {"database": "ok", "storage": "ok", "queue": "ok"}}


def test_buying_before_the_preview_is_refused(client: TestClient, cat_jpeg: bytes) -> None:
    upload = client.post("/api/images/upload", files={"photo": ("c.jpg", cat_jpeg, "image/jpeg")})
    image_id = upload.json()["image_id"]
    response = client.post("/api/games/create", json={"image_id": image_id, "package": "classic"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_unknown_ids_and_codes_are_404(client: TestClient) -> None:
    assert client.get("/api/images/0123456789abcdef/status").json()["error"]["code"] == "not_found"
    assert client.get("/api/games/0123456789abcdef").status_code == 404
    page = client.get("/g/Zz9Zz9Zz", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert "find that game" in page.text
    assert client.get("/o/not-a-real-token", headers={"Accept": "text/html"}).status_code == 404


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        (b"this is not an image at all", {415, 422}),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 2000, {415, 422}),  # a JPEG header and nothing else
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", {415, 422}),  # wrong type
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"/>', {415, 422}),
    ],
)
def test_bad_files_are_refused_with_a_reason(
    client: TestClient, payload: bytes, status: set[int]
) -> None:
    response = client.post("/api/images/upload", files={"photo": ("x.jpg", payload, "image/jpeg")})
    assert response.status_code in status
    error = response.json()["error"]
    assert error["code"]
    assert error["message"]
    assert "Traceback" not in response.text


def test_truncated_photo_is_refused(client: TestClient, cat_jpeg: bytes) -> None:
    response = client.post(
        "/api/images/upload",
        files={"photo": ("c.jpg", cat_jpeg[: len(cat_jpeg) // 3], "image/jpeg")},
    )
    assert response.status_code in {415, 422}
    assert response.json()["error"]["message"]


def test_tiny_photo_is_refused(client: TestClient) -> None:
    tiny = encode(Image.new("RGB", (40, 40), (200, 100, 50)), "PNG")
    response = client.post("/api/images/upload", files={"photo": ("t.png", tiny, "image/png")})
    assert response.status_code == 422
    assert response.json()["error"]["message"]


def test_too_big_upload_is_413_before_the_body_is_read(
    settings: Settings, cat_image: Image.Image
) -> None:
    big = encode(cat_image.resize((2400, 1600)), "JPEG", quality=95)
    client = web_client(settings, max_upload_bytes=100_000)
    response = client.post("/api/images/upload", files={"photo": ("c.jpg", big, "image/jpeg")})
    assert len(big) > 200_000
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_photo_just_over_the_limit_is_413(client: TestClient, web_settings: Settings) -> None:
    # Inside the multipart allowance the middleware lets it through; the route still refuses it.
    photo = b"\xff\xd8" + b"\x00" * web_settings.max_upload_bytes
    response = client.post("/api/images/upload", files={"photo": ("c.jpg", photo, "image/jpeg")})
    assert response.status_code == 413
    assert "smaller" in response.json()["error"]["message"]


def test_upload_rate_limit_is_tighter(settings: Settings) -> None:
    client = web_client(settings, upload_rate_limit_burst=2)
    codes = [client.post("/api/images/upload", data={"x": "1"}).status_code for _ in range(3)]
    assert 429 not in codes[:2]
    assert codes[2] == 429
    assert client.get("/api/pixel-art/styles").status_code == 200  # other routes unaffected


def test_validation_errors_use_the_error_shape(client: TestClient) -> None:
    response = client.post("/api/images/crop", json={"image_id": "abcdefgh", "x0": 0.9, "y0": 0,
                                                      "x1": 0.1, "y1": 1})  # fmt: skip
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    assert "crop box" in response.json()["error"]["message"]


def test_openapi_documents_the_api(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/images/upload", "/api/images/remove-background", "/api/images/crop",
                 "/api/images/{image_id}/status", "/api/pixel-art/generate",
                 "/api/pixel-art/styles", "/api/pixel-art/customize", "/api/games/create",
                 "/api/games/{game_id}", "/api/games/{game_id}/customize"):  # fmt: skip
        assert path in paths


@pytest.mark.postgres
@pytest.mark.slow
def test_main_flow_on_postgres(settings: Settings, pg_url: str, cat_jpeg: bytes) -> None:
    from core.db import migrate

    migrate(pg_url)  # production runs `petpixel db upgrade` before the web starts
    on_pg = settings.model_copy(update={"database_url": pg_url})
    with TestClient(create_app(on_pg), raise_server_exceptions=False, client=LOCAL) as client:
        flow = run_flow(client, cat_jpeg, pet_name="Rex")
        page = client.get(f"/g/{flow.game['code']}")
        assert page.status_code == 200
        assert client.get(flow.order_url).status_code == 200
        assert 'petpixel_orders{status="ready"} 1.0' in client.get("/metrics").text
