"""Content types: one answer for what storage records and what the web serves."""

from __future__ import annotations

import pytest

from core.filetypes import OCTET_STREAM, content_type


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("js/main.89abcdef.js", "text/javascript; charset=utf-8"),
        ("js/levels.mjs", "text/javascript; charset=utf-8"),
        ("MAIN.JS", "text/javascript; charset=utf-8"),
        ("index.html", "text/html; charset=utf-8"),
        ("css/game.0123.css", "text/css; charset=utf-8"),
        ("game.json", "application/json"),
        ("manifest.webmanifest", "application/manifest+json"),
        ("sheet.0123abcdef.png", "image/png"),
        ("orders/o1/preview/preview.1234.gif", "image/gif"),
        ("orders/o1/photo.jpg", "image/jpeg"),
        ("orders/o1/photo.heic", "image/heic"),
        ("icon.svg", "image/svg+xml"),
        ("games/abc/README", OCTET_STREAM),
        ("games/v1.2/data", OCTET_STREAM),  # a dot in a folder is not a suffix
        ("blob.unknownext", OCTET_STREAM),
    ],
)
def test_content_type(name: str, expected: str) -> None:
    assert content_type(name) == expected
