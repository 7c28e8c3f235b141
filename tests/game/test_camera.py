"""The phone camera in real Chromium (issue 13 #1): on a 390x844 DPR 3 touch phone the canvas holds
the game's own resolution with 16-18 tiles across, the view runs ahead of the pet, crops the sky and
keeps the boss in view while it attacks; a rotate hint in portrait."""

from __future__ import annotations

import itertools
import json
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.game.conftest import Served
from tests.game.play import bot_trace, open_paused, replay, state, watched_page

pytestmark = pytest.mark.browser
TILE = 16
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "has_touch": True,
    "is_mobile": True,
    "device_scale_factor": 3,
}
ATTACKS = {"walk", "stunned", "defeated"}  # the boss's modes that are not an attack or its wind-up


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(**PHONE)
    page = watched_page(context, console=True)
    yield page
    context.close()


def levels(served: Served) -> list[dict[str, Any]]:
    return list(json.loads(next(served.root.glob("game.*.json")).read_text())["levels"])


def canvas(page: Any) -> dict[str, float]:
    return dict(
        page.evaluate("""() => {
          const c = document.getElementById('screen'), box = c.getBoundingClientRect();
          const stage = document.getElementById('stage');
          return {w: c.width, h: c.height, cssW: box.width, cssH: box.height,
                  stageW: stage.clientWidth, stageH: stage.clientHeight};
        }""")
    )


def sky_rows(level: dict[str, Any], cam: dict[str, Any]) -> int:
    """Rows inside the view above everything in the level, its highest tile, treat or enemy (rows
    above the level count too)."""
    first = next(i for i, row in enumerate(level["tiles"]) if set(row) - {"."})
    first = min([first] + [int(e["y"]) for e in level["entities"]])
    return sum(1 for y in range(cam["y"] // TILE, -(-(cam["y"] + cam["h"]) // TILE)) if y < first)


def test_phone_renders_the_game_resolution_16_to_18_tiles_across(
    phone: Any, served_game: Served
) -> None:
    open_paused(phone, served_game.url)
    phone.touchscreen.tap(195, 300)
    assert state(phone)["status"] == "playing"
    phone.clock.run_for(300)
    box, cam = canvas(phone), state(phone)["camera"]
    # The backing store is the logical view, not 1170 x 2000-odd device pixels.
    assert (box["w"], box["h"]) == (cam["w"], cam["h"])
    assert 16 <= box["w"] / TILE <= 18, box
    assert box["w"] * box["h"] < 1170 * 2214 / 16, box
    # CSS scales it to the stage's width with one factor both ways: square pixels.
    assert box["stageW"] <= box["cssW"] < box["stageW"] + box["cssW"] / box["w"], box
    assert abs(box["cssW"] / box["w"] - box["cssH"] / box["h"]) < 1e-3, box
    assert box["cssH"] <= box["stageH"], box
    rendering = phone.evaluate("getComputedStyle(document.getElementById('screen')).imageRendering")
    assert rendering in {"pixelated", "crisp-edges"}
    assert phone.errors == []


def test_phone_camera_runs_ahead_crops_the_sky_and_frames_the_boss(
    phone: Any, served_game: Served, tmp_path: Path
) -> None:
    first, boss_level = levels(served_game)
    open_paused(phone, served_game.url)
    phone.keyboard.press("Enter")
    samples = replay(phone, bot_trace(first, tmp_path), every=6)
    assert samples[-1]["status"] == "level_complete", samples[-1]
    ahead, behind, sky = [], [], []
    for before, now in itertools.pairwise(samples):
        cam = now["camera"]
        if now["x"] - before["x"] >= 1.5 * 6:  # running right at full speed
            ahead.append(cam["x"] + cam["w"] - now["x"])
            behind.append(now["x"] - cam["x"])
        if now["y"] == before["y"]:  # on the ground
            sky.append(sky_rows(first, cam))
    assert len(ahead) > 20
    assert statistics.median(ahead) >= 10 * TILE, statistics.median(ahead)
    assert statistics.median(ahead) >= 1.8 * statistics.median(behind), (ahead, behind)
    assert max(sky) <= 2, sky

    phone.clock.run_for(3000)  # the recap
    phone.keyboard.press("Enter")
    phone.clock.run_for(500)
    assert state(phone)["level"] == 1
    fight = replay(phone, bot_trace(boss_level, tmp_path), every=4)
    # While the pet is inside the boss's range, every wind-up and attack is on screen.
    arena = next(e for e in boss_level["entities"] if e["type"] == "boss")["arena"]
    attacks = [
        s
        for s in fight
        if s["x"] >= arena[0] * TILE and s["boss"] and s["boss"]["mode"] not in ATTACKS
    ]
    assert len(attacks) > 10
    for s in attacks:
        b, cam = s["boss"], s["camera"]
        assert cam["x"] <= b["x"], s
        assert b["x"] + b["w"] <= cam["x"] + cam["w"], s
        assert cam["y"] <= b["y"], s
        assert b["y"] + b["h"] <= cam["y"] + cam["h"], s
    assert phone.errors == []


def test_rotate_hint_in_portrait_closes_and_respects_reduced_motion(
    browser: Any, served_game: Served
) -> None:
    context = browser.new_context(**PHONE, reduced_motion="reduce")
    page = context.new_page()
    try:
        open_paused(page, served_game.url)
        page.touchscreen.tap(195, 300)
        hint = page.locator("#rotate-hint")
        assert hint.is_visible()
        assert "sideways" in hint.text_content()
        game_box, hint_box = page.locator("#screen").bounding_box(), hint.bounding_box()
        assert hint_box["y"] >= game_box["y"] + game_box["height"], "the hint never covers the game"
        icon = page.locator("#rotate-hint .hint-icon")
        assert icon.evaluate("e => getComputedStyle(e).animationName") == "none"
        page.get_by_role("button", name="Dismiss the tip to turn the phone").click()
        assert not hint.is_visible()
        assert state(page)["status"] == "playing", "closing the hint does not stop the game"
        page.set_viewport_size({"width": 844, "height": 390})
        page.set_viewport_size({"width": 390, "height": 844})
        page.clock.run_for(100)
        assert not hint.is_visible(), "closed stays closed"
        page.reload()
        page.wait_for_function("() => window.PETPIXEL !== undefined")
        assert page.locator("#rotate-hint").count() == 1
        assert not page.locator("#rotate-hint").is_visible(), "closed for the visit"
    finally:
        context.close()
    landscape = browser.new_context(**{**PHONE, "viewport": {"width": 844, "height": 390}})
    page = landscape.new_page()
    try:
        open_paused(page, served_game.url)
        page.touchscreen.tap(400, 200)
        assert state(page)["status"] == "playing"
        assert not page.locator("#rotate-hint").is_visible()
        assert state(page)["camera"]["w"] / TILE > 24, "landscape shows more of the level"
    finally:
        landscape.close()
