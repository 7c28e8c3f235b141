"""How the packaged game loads in real Chromium: its code arrives with the page (no request for a
script or stylesheet), and the pixel-art loading screen shows before any code runs."""

from __future__ import annotations

from typing import Any

import pytest

from tests.game.conftest import Served

pytestmark = pytest.mark.browser

FIRST_FRAME = "() => performance.getEntriesByName('petpixel:first-frame').length > 0"


def test_the_first_frame_needs_no_request_for_code(browser: Any, served_game: Served) -> None:
    """Every request until the first frame, counted: the page, game.json, the atlas and the sheet;
    at most two for code (none, in fact: the page carries it)."""
    context = browser.new_context(viewport={"width": 960, "height": 540})
    page = context.new_page()
    requests: list[tuple[str, str]] = []
    page.on("request", lambda r: requests.append((r.resource_type, r.url)))
    try:
        page.goto(served_game.url)
        page.wait_for_function(FIRST_FRAME)
        before_first_frame = list(requests)
    finally:
        context.close()
    code = {
        url
        for kind, url in before_first_frame
        if kind in ("script", "stylesheet") or url.split("?")[0].endswith((".js", ".mjs", ".css"))
    }
    assert len(code) <= 2, code
    assert not code
    names = sorted(u.rsplit("/", 1)[-1].split(".")[0] for _, u in before_first_frame[1:])
    assert {"game", "sheet"} <= set(names) <= {"game", "sheet", "icon"}, names
    assert len(before_first_frame) <= 5, before_first_frame  # the page, 3 data files, the icon


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
