"""The game for keyboard and screen-reader players, and pinch-zoom, in real Chromium (issue 16)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.axe import axe_violations
from tests.game.conftest import Served
from tests.game.play import open_paused, state, watched_page

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 960, "height": 540})
    page = watched_page(context)
    yield page
    context.close()


def touch_action(page: Any, selector: str) -> str:
    return str(page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).touchAction"))


def test_pinch_zoom_is_allowed_outside_the_canvas(page: Any, served_game: Served) -> None:
    open_paused(page, served_game.url)
    viewport = page.locator('meta[name="viewport"]').get_attribute("content")
    assert "user-scalable" not in viewport
    assert "maximum-scale" not in viewport
    assert touch_action(page, "html") == "auto"
    assert touch_action(page, "body") == "auto"
    assert touch_action(page, "#screen") == "none"
    assert touch_action(page, "#touch") == "none"


def test_screen_reader_gets_a_named_canvas_and_a_live_status(
    page: Any, served_game: Served
) -> None:
    open_paused(page, served_game.url)
    assert page.get_by_role("img", name="Game screen").count() == 1
    assert "Special" in page.locator("#overlay-text").text_content()
    page.keyboard.press("Enter")
    page.keyboard.down("ArrowRight")
    page.clock.run_for(400)
    page.keyboard.up("ArrowRight")
    live = page.get_by_role("status")
    assert live.get_attribute("aria-live") == "polite"
    hook = state(page)
    text = live.text_content()
    assert f"Level 1 of 2. Score {hook['score']}. Lives {hook['lives']}." in text, text


def test_pause_from_the_keyboard_focuses_resume_and_space_presses_it(
    page: Any, served_game: Served
) -> None:
    open_paused(page, served_game.url)
    page.keyboard.press("Tab")
    page.clock.run_for(100)
    assert state(page)["status"] == "title", "Tab moves focus; it does not start the game"
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Enter")
    page.clock.run_for(300)
    pause = page.get_by_role("button", name="Pause")
    assert pause.get_attribute("aria-pressed") == "false"
    page.keyboard.press("KeyP")
    assert state(page)["status"] == "paused"
    assert pause.get_attribute("aria-pressed") == "true"
    assert page.evaluate("document.activeElement.textContent") == "Resume"
    page.keyboard.press("Space")
    assert state(page)["status"] == "playing", "Space on the focused Resume button resumes"
    assert pause.get_attribute("aria-pressed") == "false"
    pause.focus()
    page.keyboard.press("Space")
    assert state(page)["status"] == "paused", "Space on the focused pause button pauses"
    assert page.errors == []


@pytest.mark.parametrize("viewport", [(960, 540), (390, 844)], ids=["desktop", "phone"])
def test_axe_finds_nothing_serious_on_the_title_play_and_pause_screens(
    browser: Any, served_game: Served, axe_source: str, viewport: tuple[int, int]
) -> None:
    """axe-core (default rules plus target-size) on each screen a player meets."""
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height},
                                  has_touch=width < 500)  # fmt: skip
    page = context.new_page()
    try:
        open_paused(page, served_game.url)
        page.clock.resume()  # axe waits on timers: let time run from here
        found = {"title": axe_violations(page, axe_source)}
        page.keyboard.press("Enter")
        page.wait_for_function("() => window.PETPIXEL.status === 'playing'")
        found["playing"] = axe_violations(page, axe_source)
        page.keyboard.press("KeyP")
        assert state(page)["status"] == "paused"
        found["paused"] = axe_violations(page, axe_source)
    finally:
        context.close()
    assert found == {"title": [], "playing": [], "paused": []}
