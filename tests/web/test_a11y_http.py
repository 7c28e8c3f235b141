"""Issue 16 server items: responses compressed, static files cached, HEAD answered like GET."""

from __future__ import annotations

import gzip
import re

from fastapi.testclient import TestClient

from core.db import Database
from core.orders.lifecycle import OrderStatus
from tests.orders.factories import add_game, add_order
from web.caching import IMMUTABLE, SHORT

GZIP = {"Accept-Encoding": "gzip"}
PLAY = b"<!doctype html><html><head><title>Rex</title></head><body>" + b"game " * 400 + b"</body>"


def _static_links(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="(?:http://testserver)?(/static/[^"]+)"', page)


def test_pages_and_static_files_are_gzipped_when_asked(client: TestClient) -> None:
    home = client.get("/", headers=GZIP)
    assert home.status_code == 200
    assert home.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in home.headers["vary"]
    for link in _static_links(home.text):
        if link.split("?")[0].endswith((".css", ".js")):
            raw = client.get(link, headers=GZIP)
            assert raw.headers.get("content-encoding") == "gzip", link
    plain = client.get("/", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.text == home.text  # httpx decoded the gzip: the same page


def test_versioned_static_links_are_immutable_and_others_short_lived(client: TestClient) -> None:
    links = _static_links(client.get("/").text)
    assert {link.split("?")[0] for link in links} >= {"/static/app.css", "/static/order.js"}
    for link in links:
        assert re.search(r"\?v=[0-9a-f]{12}$", link), link
        assert client.get(link).headers["cache-control"] == IMMUTABLE, link
    # api.js is imported by relative path (no version), and a stale version is not immutable.
    assert client.get("/static/api.js").headers["cache-control"] == SHORT
    assert client.get("/static/app.css?v=000000000000").headers["cache-control"] == SHORT


def test_head_is_answered_wherever_get_is(client: TestClient) -> None:
    db = Database(client.app.state.settings.resolved_database_url)  # type: ignore[attr-defined]
    add_game(db, add_order(db, status=OrderStatus.READY), code="HeadGame1")
    storage = client.app.state.resources.storage  # type: ignore[attr-defined]
    storage.put("games/HeadGame1/index.html", PLAY, content_type="text/html")
    static = _static_links(client.get("/").text)[0]
    for path in ("/", "/health", static, "/g/HeadGame1", "/api/openapi.json"):
        got = client.get(path, headers=GZIP)
        head = client.head(path, headers=GZIP)
        assert got.status_code == 200, path
        assert head.status_code == 200, (path, head.status_code)
        assert head.content == b"", path
        for name in ("content-type", "content-encoding", "cache-control"):
            assert head.headers.get(name) == got.headers.get(name), (path, name)
    assert client.head("/no-such-page").status_code == 404
    assert client.head("/api/images/upload").status_code == 405  # POST-only stays POST-only


def test_gzip_body_is_real_gzip(client: TestClient) -> None:
    # Stream the raw bytes: the page as sent is a gzip stream that decodes to the page.
    with client.stream("GET", "/", headers=GZIP) as response:
        raw = b"".join(response.iter_raw())
    assert gzip.decompress(raw).decode() == client.get("/").text
    assert len(raw) < len(client.get("/").content) / 2
