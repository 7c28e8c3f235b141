"""How the packaged game loads in real Chromium: the code its first frame needs arrives with the
page (no request for a script or stylesheet), the rest (the late chunk) after that frame, and the
pixel-art loading screen shows before any code runs."""

from __future__ import annotations

from typing import Any

import pytest

from tests.game.conftest import Served

pytestmark = pytest.mark.browser

FIRST_FRAME = "() => performance.getEntriesByName('petpixel:first-frame').length > 0"


# Every request the page made, with its start in ms since navigation, and the first frame's mark.
TIMELINE = """() => ({
  first: performance.getEntriesByName('petpixel:first-frame')[0].startTime,
  requests: performance.getEntriesByType('resource').map((r) => [r.name, r.startTime]),
})"""
LATE_LOADED = (
    "() => performance.getEntriesByType('resource').some((r) => r.name.includes('/js/late.'))"
)


def test_the_first_frame_needs_no_request_for_code(browser: Any, served_game: Served) -> None:
    """Every request until the first frame, counted: the page, game.json, the atlas and the sheet,
    none for code (the page carries the code the first frame needs); after it, one: the late
    chunk (sharing, GIF, music). Two requests for code at most, as issue 13 allows."""
    context = browser.new_context(viewport={"width": 960, "height": 540})
    page = context.new_page()
    requests: list[tuple[str, str]] = []
    page.on("request", lambda r: requests.append((r.resource_type, r.url)))
    try:
        page.goto(served_game.url)
        page.wait_for_function(FIRST_FRAME)
        page.wait_for_function(LATE_LOADED)
        page.wait_for_timeout(300)  # anything else the page would still ask for
        timeline = page.evaluate(TIMELINE)
    finally:
        context.close()
    code = {
        url
        for kind, url in requests
        if kind in ("script", "stylesheet") or url.split("?")[0].endswith((".js", ".mjs", ".css"))
    }
    assert len(code) == 1, code
    (late,) = code
    assert "/js/late." in late
    started = dict(timeline["requests"])
    assert started[late] > timeline["first"]  # fetched after the first frame
    before = [url for url, at in timeline["requests"] if at < timeline["first"]]
    names = sorted(u.rsplit("/", 1)[-1].split(".")[0] for u in before)
    assert {"game", "sheet"} <= set(names) <= {"game", "sheet", "icon"}, names
    assert len(before) <= 4, before  # 3 data files, the icon (and the page itself)


def test_the_loading_screen_is_drawn_before_any_code_runs(
    browser: Any, served_game: Served
) -> None:
    """With scripts off (the state while the code is still arriving) the pixel pet is on screen,
    styled by the inline stylesheet: no request but the page itself."""
    context = browser.new_context(viewport={"width": 960, "height": 540}, java_script_enabled=False)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(served_game.url, wait_until="domcontentloaded")
        loader = page.locator("#loader")
        assert loader.is_visible()
        box = loader.bounding_box()
        assert box is not None
        assert (box["width"], box["height"]) == (96, 60)  # 6 screen px per art pixel
        assert page.locator("#overlay-title").text_content() == "Loading…"
        overlay = page.locator("#overlay").bounding_box()  # laid out by the inline style
        assert overlay is not None
        assert overlay["width"] == 960
        assert overlay["height"] > 400  # the stage fills the window, less the noscript line
        assert not [u for u in requests if u.endswith((".css", ".js"))]
    finally:
        context.close()
