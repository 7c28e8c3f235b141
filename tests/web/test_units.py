"""Pure helpers of the web layer: play-page rewriting, CSP hashes, QR codes, file headers."""

from __future__ import annotations

import base64
import hashlib

from web.files import cache_control
from web.playpage import PageCache, is_hashed, play_html
from web.qr import qr_svg
from web.security import csp_with_hashes

BUNDLE_HTML = (
    "<!doctype html><html><head><title>Rex</title>"
    '<meta property="og:image" content="preview.0123abcd.png">'
    '<meta property="og:url" content="./">'
    '<meta name="twitter:image" content="preview.0123abcd.png">'
    '<script type="module" src="js/main.89abcdef.js"></script></head><body></body></html>'
)


def test_play_html_bases_assets_on_the_game_folder() -> None:
    page = play_html(
        BUNDLE_HTML, short_url="https://pp.example/g/Ab3xK9pQ", base_path="/g/Ab3xK9pQ/"
    )
    assert '<head><base href="/g/Ab3xK9pQ/">' in page
    assert (
        'property="og:image" content="https://pp.example/g/Ab3xK9pQ/preview.0123abcd.png"' in page
    )
    assert (
        'name="twitter:image" content="https://pp.example/g/Ab3xK9pQ/preview.0123abcd.png"' in page
    )
    assert 'property="og:url" content="https://pp.example/g/Ab3xK9pQ"' in page


def test_play_html_adds_og_url_when_missing() -> None:
    page = play_html("<html><head></head></html>", short_url="http://h/g/x", base_path="/g/x/")
    assert '<meta property="og:url" content="http://h/g/x">' in page


def test_inline_blocks_get_exact_hashes() -> None:
    body = "window.x = 1;"
    digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    csp = csp_with_hashes(f"<script>{body}</script><script src='a.js'></script>")
    assert f"script-src 'self' 'sha256-{digest}'" in csp
    assert "unsafe-inline" not in csp


def test_hashed_names_are_cached_forever() -> None:
    assert is_hashed("js/main.89abcdef.js")
    assert not is_hashed("game.json")
    assert "immutable" in cache_control("sheet.0123abcdef.png")
    assert "immutable" not in cache_control("index.html")


def test_page_cache_keeps_the_most_recent() -> None:
    cache = PageCache(size=2)
    for code in ("a", "b", "c"):
        cache.put((code, "u"), (f"<p>{code}</p>", "csp"))
    assert cache.get(("a", "u")) is None
    assert cache.get(("c", "u")) == ("<p>c</p>", "csp")


def test_qr_is_a_standalone_svg() -> None:
    svg = qr_svg("https://pp.example/g/Ab3xK9pQ")
    assert svg.startswith("<svg")
    assert svg.rstrip().endswith("</svg>")
    assert "<script" not in svg
