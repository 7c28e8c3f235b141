"""Touch controls on narrow phones in real Chromium: sizes, gaps, a sliding thumb, clicks and
haptics."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from tests.game.conftest import Served
from tests.game.play import open_paused, state, watched_page

pytestmark = pytest.mark.browser
ACTIONS = ("left", "right", "special", "jump")
MIN_SIDE, MIN_GAP = 48, 4
# Records navigator.vibrate calls (headless Chromium has the API but nothing to shake).
BUZZ = """Object.defineProperty(Navigator.prototype, 'vibrate', {configurable: true,
  value(ms) { (window.__buzz = window.__buzz || []).push(ms); return true; }});"""


def phone(browser: Any, width: int) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": width, "height": 720},
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
    )
    context.add_init_script(BUZZ)
    page = watched_page(context)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(params=[320, 360, 390])
def narrow(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    yield from phone(browser, request.param)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    yield from phone(browser, 360)


def boxes(page: Any) -> dict[str, dict[str, float]]:
    return {a: page.locator(f'[data-action="{a}"]').bounding_box() for a in ACTIONS}


def centre(box: dict[str, float]) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_every_touch_button_is_on_screen_big_and_apart(narrow: Any, served_game: Served) -> None:
    open_paused(narrow, served_game.url)
    view = narrow.viewport_size
    found = boxes(narrow)
    for action, b in found.items():
        assert min(b["width"], b["height"]) >= MIN_SIDE, (view, action, b)
        assert 0 <= b["x"] <= view["width"] - b["width"], (view, action, b)
        assert 0 <= b["y"] <= view["height"] - b["height"], (view, action, b)
    row = sorted(found.values(), key=lambda b: b["x"])
    for a, b in itertools.pairwise(row):
        assert b["x"] - (a["x"] + a["width"]) >= MIN_GAP, (view, a, b)
    for button in ("#pause-button", "#mute-button"):
        b = narrow.locator(button).bounding_box()
        assert min(b["width"], b["height"]) >= MIN_SIDE, (button, b)
    assert narrow.errors == []


def touch(cdp: Any, kind: str, at: tuple[float, float] | None = None) -> None:
    points = [] if at is None else [{"x": at[0], "y": at[1], "id": 1}]
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def pressed(page: Any) -> set[str]:
    return {
        a for a in ACTIONS if "down" in page.locator(f'[data-action="{a}"]').get_attribute("class")
    }


def test_a_thumb_sliding_from_left_to_right_turns_the_pet(page: Any, served_game: Served) -> None:
    open_paused(page, served_game.url)
    page.touchscreen.tap(180, 200)
    assert state(page)["status"] == "playing"
    page.clock.run_for(500)  # land and settle
    cdp = page.context.new_cdp_session(page)
    left, right = (centre(b) for b in (boxes(page)["left"], boxes(page)["right"]))
    touch(cdp, "touchStart", left)
    page.clock.run_for(400)
    assert pressed(page) == {"left"}
    x_left = state(page)["x"]
    for i in range(1, 6):  # the thumb slides across without lifting
        touch(cdp, "touchMove", (left[0] + (right[0] - left[0]) * i / 5, left[1]))
    assert pressed(page) == {"right"}
    page.clock.run_for(600)
    assert state(page)["x"] > x_left + 20, "holding Right after the slide runs right"
    touch(cdp, "touchEnd")
    assert pressed(page) == set()
    x_stop = state(page)["x"]
    page.clock.run_for(600)
    assert abs(state(page)["x"] - x_stop) < 12, "lifting the thumb lets the pet stop"
    assert page.evaluate("window.__buzz") == [12, 12], "a short buzz for each button entered"
    assert page.errors == []


def test_buttons_work_from_click_and_keyboard_activation(page: Any, served_game: Served) -> None:
    open_paused(page, served_game.url)
    page.touchscreen.tap(180, 200)
    page.clock.run_for(500)
    x0 = state(page)["x"]
    page.locator('[data-action="right"]').evaluate("b => b.click()")
    page.clock.run_for(300)
    x1 = state(page)["x"]
    assert x1 > x0, "a click with no pointer behind it nudges the pet"
    page.clock.run_for(500)
    page.locator('[data-action="jump"]').focus()
    y0 = state(page)["y"]
    page.keyboard.press("Enter")
    page.clock.run_for(150)
    assert state(page)["y"] < y0, "Enter on the focused Jump button jumps"
    assert page.errors == []
