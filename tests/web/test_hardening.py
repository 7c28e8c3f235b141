"""Smaller holes closed: /metrics behind a token, honest 413 sizes, Swagger UI pinned by SRI,
share links on the public URL whatever the Host header says, no files of an expired game."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from core.config import Settings
from core.orders.lifecycle import OrderStatus
from core.orders.tables import utcnow
from tests.orders.factories import add_game, add_order
from tests.web.conftest import LOCAL, web_client
from web.app import create_app
from web.routes.docs import CDN_FOLDER, SRI

PUBLIC = "https://petpixel.example"
INDEX = (
    '<!doctype html><html><head><meta property="og:url" content="./">'
    '<meta property="og:image" content="card.png"></head><body>game</body></html>'
)


def test_metrics_with_a_token_answer_only_that_token(settings: Settings) -> None:
    client = web_client(settings, metrics_token="s3cret")
    assert client.get("/metrics").status_code == 403
    wrong = client.get("/metrics", headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 403
    assert wrong.json()["error"]["code"] == "forbidden"
    good = client.get("/metrics", headers={"Authorization": "Bearer s3cret"})
    assert good.status_code == 200
    assert "petpixel_http_requests_total" in good.text


def test_metrics_without_a_token_answer_only_this_machine(settings: Settings) -> None:
    assert web_client(settings).get("/metrics").status_code == 200  # loopback peer
    via_proxy = web_client(settings).get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"})
    assert via_proxy.status_code == 403  # a proxy on this machine passing on someone else
    app = create_app(settings)
    outsider = TestClient(app, raise_server_exceptions=False, client=("203.0.113.9", 4000))
    assert outsider.get("/metrics").status_code == 403


def test_413_quotes_the_limit_that_applies(settings: Settings) -> None:
    client = web_client(settings)
    json_body = b'{"pad": "' + b"x" * (80 * 1024) + b'"}'
    too_big = client.post("/api/pixel-art/generate", content=json_body,
                          headers={"Content-Type": "application/json"})  # fmt: skip
    assert too_big.status_code == 413
    assert "64 KB" in too_big.json()["error"]["message"]
    assert "MB" not in too_big.json()["error"]["message"]
    headers = {"Content-Length": str(50 * 1024 * 1024), "Content-Type": "multipart/form-data"}
    photo = client.post("/api/images/upload", content=b"x", headers=headers)
    assert photo.status_code == 413
    assert "under 10 MB" in photo.json()["error"]["message"]


def test_swagger_ui_is_pinned_with_subresource_integrity(settings: Settings) -> None:
    page = web_client(settings).get("/api/docs")
    html, csp = page.text, page.headers["content-security-policy"]
    for name, digest in SRI.items():
        tag = re.search(rf'<[^>]*"{re.escape(CDN_FOLDER + name)}"[^>]*>', html)
        assert tag is not None, name
        assert f'integrity="{digest}"' in tag.group(0)
        assert 'crossorigin="anonymous"' in tag.group(0)
    assert "@5/" not in html  # no floating major version
    assert "script-src 'self' 'sha256-" in csp
    assert CDN_FOLDER in csp
    assert "https://cdn.jsdelivr.net " not in csp  # the pinned folder only, not the whole CDN
    assert "tiangolo" not in html + csp  # the favicon is ours


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("site")
    settings = Settings(data_dir=root / "data", models_dir=root / "models", public_url=PUBLIC,
                        rate_limit_burst=10_000)  # fmt: skip
    with TestClient(create_app(settings), raise_server_exceptions=False, client=LOCAL) as client:
        yield client


def _publish(client: TestClient, code: str, **game: object) -> None:
    rt = client.app.state.resources.runtime  # type: ignore[attr-defined]
    order_id = add_order(rt.db, status=OrderStatus.READY)
    add_game(rt.db, order_id, code=code, **game)
    rt.storage.put(f"games/{code}/index.html", INDEX.encode(), content_type="text/html")
    rt.storage.put(f"games/{code}/main.js", b"run()", content_type="text/javascript")


def test_share_tags_use_the_public_url_whatever_the_host_header(site: TestClient) -> None:
    _publish(site, "HostTest1")
    page = site.get("/g/HostTest1", headers={"Host": "evil.example"})
    assert page.status_code == 200
    assert f'<meta property="og:url" content="{PUBLIC}/g/HostTest1">' in page.text
    assert f'content="{PUBLIC}/g/HostTest1/card.png"' in page.text
    assert "evil.example" not in page.text


def test_an_expired_games_files_are_gone_with_its_page(site: TestClient) -> None:
    _publish(site, "Expired01", expires_at=utcnow() - timedelta(hours=1))
    _publish(site, "Live00001", expires_at=utcnow() + timedelta(days=1))
    assert site.get("/g/Expired01").status_code == 404
    assert site.get("/g/Expired01/main.js").status_code == 404  # files asked for directly, too
    assert site.get("/g/Live00001/main.js").status_code == 200  # looked up, then remembered
    assert site.get("/g/Live00001").status_code == 200
    assert site.get("/g/Live00001/main.js").text == "run()"
