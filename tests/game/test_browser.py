"""The packaged game in real headless Chromium: start, play a level with real keys, phone touch."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from tests.game.conftest import TRICKY_NAME, Served
from tests.game.play import bot_trace, open_paused, pixel_variance, replay, state, watched_page

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A desktop page that records console errors and uncaught exceptions."""
    context = browser.new_context(viewport={"width": 960, "height": 540})
    page = watched_page(context, console=True)
    yield page
    context.close()


def game_json(served: Served) -> dict[str, Any]:
    return dict(json.loads(next(served.root.glob("game.*.json")).read_text()))


def test_levels_played_to_the_end_with_real_keys(
    page: Any, served_game: Served, tmp_path: Path
) -> None:
    """The bot's frame-exact traces, replayed as real key presses, finish level 1 and the boss."""
    levels = game_json(served_game)["levels"]
    open_paused(page, served_game.url)
    assert state(page)["status"] == "title"
    page.keyboard.press("Enter")
    assert state(page)["status"] == "playing"
    runs = bot_trace(levels[0], tmp_path)
    replay(page, runs)
    first = state(page)
    assert first["status"] == "level_complete", first
    assert first["frame"] == sum(n for n, _ in runs)
    assert first["score"] > 0

    page.clock.run_for(900)  # the level's beat, then the recap's input grace
    page.keyboard.press("Enter")
    assert state(page)["level"] == 1
    replay(page, bot_trace(levels[1], tmp_path))
    final = state(page)
    assert final["status"] == "won", final
    assert final["score"] > first["score"]
    page.clock.run_for(1500)  # the boss-defeat beat before the win screen
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Share").click()
    page.get_by_role("button", name="Link copied!").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == served_game.url
    assert page.errors == []


def test_title_shows_escaped_name_and_draws_a_scene(page: Any, served_game: Served) -> None:
    page.goto(served_game.url)
    page.wait_for_function("() => window.PETPIXEL && window.PETPIXEL.status === 'title'")
    assert page.locator("#overlay-title").text_content() == TRICKY_NAME
    assert page.locator("#overlay b").count() == 0  # the name's <b> stayed text
    assert TRICKY_NAME in page.title()
    page.wait_for_timeout(300)
    assert pixel_variance(page.screenshot()) > 200
    assert page.errors == []


def test_pause_and_hook_is_read_only(page: Any, served_game: Served) -> None:
    open_paused(page, served_game.url)
    page.keyboard.press("KeyZ")
    page.clock.run_for(200)
    page.keyboard.press("KeyP")
    assert state(page)["status"] == "paused"
    frame = state(page)["frame"]
    page.clock.run_for(500)
    assert state(page)["frame"] == frame
    page.evaluate("() => { try { window.PETPIXEL.lives = 99; } catch (e) {} }")
    assert state(page)["lives"] == 3
    page.keyboard.press("Escape")
    assert state(page)["status"] == "playing"
    assert page.errors == []


def test_phone_touch_start_and_jump(browser: Any, served_game: Served) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
        device_scale_factor=3,
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        open_paused(page, served_game.url)
        assert page.locator("#touch").is_visible()
        page.touchscreen.tap(195, 300)
        assert state(page)["status"] == "playing"
        page.clock.run_for(400)
        y0 = state(page)["y"]
        box = page.locator('[data-action="jump"]').bounding_box()
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.clock.run_for(160)
        assert state(page)["y"] < y0  # the tap made the pet jump
        page.clock.run_for(400)
        assert pixel_variance(page.screenshot()) > 200
        assert errors == []
    finally:
        context.close()


def test_game_over_then_try_again(page: Any, served_game: Served) -> None:
    """A careless runner (right held, a hop only when a wall stops it) falls into the pits until the
    lives run out."""
    open_paused(page, served_game.url)
    page.keyboard.press("Enter")
    page.keyboard.down("ArrowRight")
    last_x, hopping = -1.0, False
    for _ in range(60):
        now = state(page)
        if now["status"] != "playing":
            break
        stalled = now["x"] <= last_x
        if stalled != hopping:
            (page.keyboard.down if stalled else page.keyboard.up)("Space")
        last_x, hopping = now["x"], stalled
        page.clock.run_for(500)
    page.keyboard.up("ArrowRight")
    if hopping:
        page.keyboard.up("Space")
    assert state(page)["status"] == "game_over"
    assert state(page)["lives"] == 0
    page.clock.run_for(1100)  # the last death's beat before the screen
    assert page.locator("#overlay-title").text_content() == "Game over"
    page.get_by_role("button", name="Try again").click()
    after = state(page)
    assert after["status"] == "playing"
    assert after["lives"] == 3
    assert after["frame"] == 0
    page.locator("#mute-button").click()
    assert page.locator("#mute-button").get_attribute("aria-pressed") == "true"
    assert page.errors == []


def test_pixels_are_crisp_whole_number_blocks(page: Any, served_game: Served) -> None:
    """At 960x540 the game draws at 2x: every 2x2 screen block must be one colour (no blur)."""
    open_paused(page, served_game.url)
    page.keyboard.press("Enter")
    page.keyboard.down("ArrowRight")
    page.clock.run_for(700)
    assert page.evaluate("getComputedStyle(document.getElementById('screen')).imageRendering") in {
        "pixelated",
        "crisp-edges",
    }
    shot = page.screenshot(clip={"x": 0, "y": 120, "width": 640, "height": 400})
    pixels = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB"), dtype=np.int16)
    blocks = pixels.reshape(200, 2, 320, 2, 3)
    spread = blocks.max(axis=(1, 3)) - blocks.min(axis=(1, 3))
    assert int(spread.max()) == 0
    assert pixel_variance(shot) > 200
