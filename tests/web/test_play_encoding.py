"""The play page /g/{code} goes out compressed once and for all: brotli to browsers that take it,
gzip to the rest that do, as it is to those that take neither; caches told it varies."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.config import Settings
from core.db import Database
from core.orders.lifecycle import OrderStatus
from tests.orders.factories import add_game, add_order
from web.app import create_app
from web.playpage import accepted_codings

# Some 40 KB of page, text as varied as code: what the compression is for.
BODY = "".join(f"<p id='p{i}'>line {i}: {i * 7919 % 104729} pets</p>\n" for i in range(1200))
PAGE = f"<!doctype html><html><head><title>Rex</title></head><body>{BODY}</body></html>".encode()


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", models_dir=tmp_path / "models",
                        rate_limit_burst=1000)  # fmt: skip
    db = Database(settings.resolved_database_url)
    try:
        with TestClient(create_app(settings)) as client:
            add_game(db, add_order(db, status=OrderStatus.READY), code="Packed001")
            storage = client.app.state.resources.storage
            storage.put("games/Packed001/index.html", PAGE, content_type="text/html")
            yield client
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("gzip, deflate, br, zstd", "br"),  # what Chromium sends
        ("br", "br"),
        ("*", "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip;q=0.5", "gzip"),
        ("identity", None),
        ("deflate", None),
        ("", None),
    ],
)
def test_the_page_is_sent_in_the_best_coding_the_client_takes(
    client: TestClient, accept: str, coding: str | None
) -> None:
    page = client.get("/g/Packed001", headers={"Accept-Encoding": accept})
    assert page.status_code == 200
    assert page.headers.get("content-encoding") == coding
    assert "Accept-Encoding" in page.headers["vary"]
    assert page.headers["cache-control"] == "no-cache"
    assert "<title>Rex</title>" in page.text
    assert BODY in page.text  # decoded (httpx undoes br and gzip), the page whole
    sent = page.num_bytes_downloaded
    if coding == "br":  # brotli 11 beats what gzip 6 on the fly would send
        assert sent < len(gzip.compress(page.content, 6)) * 0.9
    elif coding is None:
        assert sent == len(page.content)


def test_accepted_codings_follow_q_values() -> None:
    assert accepted_codings("gzip, deflate, br, zstd") == {"br", "gzip"}
    assert accepted_codings("BR;q=1.0") == {"br"}
    assert accepted_codings("*;q=0.1, gzip;q=0") == {"br"}
    assert accepted_codings("br;q=nonsense, gzip") == {"gzip"}
    assert accepted_codings("identity;q=1, *;q=0") == set()
