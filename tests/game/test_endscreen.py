"""The end of a level and of the game in real Chromium: recaps, beats, best score, share, GIF."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.game.conftest import TRICKY_NAME, Served, package, serve
from tests.game.play import bot_trace, open_paused, replay, state, watched_page

pytestmark = pytest.mark.browser

COUNTS = Path(__file__).parent / "js" / "sim_counts.mjs"
SPRITES = Path(__file__).resolve().parents[2] / "game_template" / "js" / "sprites.js"
# navigator.share / canShare stand-ins that record what the page asked to share.
SHARE_STUB = """
window.__shares = [];
Object.defineProperty(navigator, 'canShare', {
  configurable: true, value: (d) => !!(d && d.files) });
Object.defineProperty(navigator, 'share', { configurable: true, value: async (d) => {
  const files = [];
  for (const f of d.files || []) {
    const bytes = new Uint8Array(await f.arrayBuffer());
    let bin = '';
    for (const b of bytes) bin += String.fromCharCode(b);
    files.push({ name: f.name, type: f.type, b64: btoa(bin) });
  }
  window.__shares.push({ title: d.title, text: d.text, url: d.url, files });
} });
"""


@pytest.fixture(scope="module")
def boss_game(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A one-level game: the boss arena, so a whole run is one bot trace."""
    root = tmp_path_factory.mktemp("boss-site")
    package(root / "games" / "boss", count=1)
    yield from serve(root, "games/boss")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 960, "height": 540}, accept_downloads=True)
    page = watched_page(context, console=True)
    yield page
    context.close()


def game_json(served: Served) -> dict[str, Any]:
    return dict(json.loads(next(served.root.glob("game.*.json")).read_text()))


def sim_counts(level: dict[str, Any], physics: dict[str, Any], runs: Any, tmp: Path) -> Any:
    """What the recap must show, from replaying the same inputs in sim.js alone."""
    req = tmp / "counts.json"
    req.write_text(json.dumps({"level": level, "physics": physics, "runs": runs}))
    out = subprocess.run(
        ["node", str(COUNTS), str(req)], capture_output=True, check=True, text=True
    )
    return json.loads(out.stdout)


def recap(page: Any) -> dict[str, str]:
    rows = page.locator(".recap > div")
    return {
        rows.nth(i).get_attribute("data-stat"): rows.nth(i).locator("dd").text_content()
        for i in range(rows.count())
    }


def clock(frames: int) -> str:
    tenths = frames * 10 // 60
    return f"{tenths // 600}:{tenths % 600 // 10:02d}.{tenths % 10}"


def overlay_shown(page: Any) -> bool:
    return bool(page.evaluate("!document.getElementById('overlay').hidden"))


def play_boss_run(page: Any, served: Served, tmp: Path) -> None:
    """Load the one-level game afresh and let the bot beat the boss with real keys."""
    data = game_json(served)
    open_paused(page, served.url)
    page.keyboard.press("Enter")
    runs = bot_trace(data["levels"][0], tmp, data["physics"])
    replay(page, runs)


def test_level_recap_matches_the_sim_after_its_beat(
    page: Any, served_game: Served, tmp_path: Path
) -> None:
    data = game_json(served_game)
    level, physics = data["levels"][0], data["physics"]
    open_paused(page, served_game.url)
    page.keyboard.press("Enter")
    runs = bot_trace(level, tmp_path, physics)
    replay(page, runs)
    assert state(page)["status"] == "level_complete"
    assert not overlay_shown(page), "the recap waits for the level's beat"
    page.clock.run_for(600)
    want = sim_counts(level, physics, runs, tmp_path)
    assert want["status"] == "level_complete"
    assert page.locator("#overlay-title").text_content() == "Level 1 complete!"
    assert recap(page) == {
        "time": clock(want["frames"]),
        "treats": f"{want['treats'][0]} / {want['treats'][1]}",
        "secrets": f"{want['secrets'][0]} / {want['secrets'][1]}",
        "hits": str(want["hits"]),
        "score": str(want["score"]),
    }
    assert want["treats"][1] > 0
    assert want["secrets"][1] == 1, "the level has a secret cache"
    assert state(page)["recap"]["frames"] == want["frames"]
    assert page.errors == []


def digits_in_banner(frame: Image.Image) -> str:
    """Reads the score the GIF's banner draws in the HUD's 3x5 gold digits (sprites.js DIGITS)."""
    table = re.search(r"const DIGITS = \[([^\]]*)\]", SPRITES.read_text())
    assert table is not None
    glyphs = {bits: str(d) for d, bits in enumerate(re.findall(r"'([01]{15})'", table.group(1)))}
    rgb = frame.convert("RGB")
    w, h = rgb.size
    gold = {
        (x, y)
        for y in range(h - 12, h)
        for x in range(w)
        if rgb.getpixel((x, y)) == (255, 205, 117)
    }
    assert gold, "no score digits in the banner"
    x0, y0 = min(x for x, _ in gold), min(y for _, y in gold)
    out = ""
    for i in range(20):
        bits = "".join("1" if (x0 + i * 4 + b % 3, y0 + b // 3) in gold else "0" for b in range(15))
        if bits == "0" * 15:
            break
        out += glyphs[bits]
    return out


def test_win_waits_for_the_boss_beat_then_recap_best_share_and_gif(
    page: Any, boss_game: Served, tmp_path: Path
) -> None:
    page.emulate_media(reduced_motion="reduce")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    play_boss_run(page, boss_game, tmp_path)
    won = state(page)
    assert won["status"] == "won"
    page.clock.run_for(16)
    assert not overlay_shown(page), "no win screen on the frame the boss falls"
    page.clock.run_for(700)
    assert not overlay_shown(page), "the boss-defeat beat is still playing"
    page.clock.run_for(700)
    assert overlay_shown(page)
    assert page.locator("#overlay-title").text_content() == "You won!"
    # The sprite has its own place on the screen: it never overlaps the title or the recap.
    hero = page.locator("#hero").bounding_box()
    for other in ("#overlay-title", ".recap", "#overlay-buttons"):
        box = page.locator(other).bounding_box()
        apart = (
            hero["x"] + hero["width"] <= box["x"]
            or box["x"] + box["width"] <= hero["x"]
            or hero["y"] + hero["height"] <= box["y"]
            or box["y"] + box["height"] <= hero["y"]
        )
        assert apart, (other, hero, box)
    assert recap(page)["score"] == str(won["score"])
    assert recap(page)["time"] == clock(won["frame"])
    assert page.locator(".new-best").text_content() == "New best!"
    assert page.evaluate("getComputedStyle(document.querySelector('.new-best')).animationName") == (
        "none"
    )
    assert state(page)["best"] == won["score"]

    with page.expect_download() as download:
        page.get_by_role("link", name="Save GIF").click()
    gif = Image.open(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert gif.format == "GIF"
    assert gif.n_frames > 1
    assert str(won["score"]).encode() in gif.info["comment"]
    gif.seek(gif.n_frames - 1)
    assert digits_in_banner(gif) == str(won["score"])

    page.get_by_role("button", name="Share").click()
    page.get_by_role("button", name="Link copied!").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == boss_game.url
    assert page.errors == []


def test_the_best_score_survives_a_reload_and_only_a_higher_score_is_new(
    page: Any, boss_game: Served, tmp_path: Path
) -> None:
    play_boss_run(page, boss_game, tmp_path)
    page.clock.run_for(1500)
    score = state(page)["score"]
    assert page.locator(".new-best").text_content() == "New best!"
    key = page.evaluate("Object.keys(localStorage).find((k) => k.startsWith('petpixel:best:'))")
    assert page.evaluate(f"localStorage.getItem('{key}')") == str(score)

    play_boss_run(page, boss_game, tmp_path)  # the same run again, after a reload
    page.clock.run_for(1500)
    assert page.locator(".new-best").count() == 0
    assert page.locator(".best").text_content() == f"Best {score}"

    page.evaluate(f"localStorage.setItem('{key}', '{score - 1}')")
    play_boss_run(page, boss_game, tmp_path)
    page.clock.run_for(1500)
    assert page.locator(".new-best").text_content() == "New best!"
    assert page.errors == []


def test_losing_a_life_has_a_death_beat_before_the_respawn(page: Any, served_game: Served) -> None:
    """A careless runner falls or gets hit to death; play freezes for the beat, then resumes."""
    open_paused(page, served_game.url)
    page.keyboard.press("Enter")
    page.keyboard.down("ArrowRight")
    last_x, hopping = -1.0, False
    for _ in range(900):
        now = state(page)
        if now["lives"] < 3:
            break
        stalled = now["x"] <= last_x
        if stalled != hopping:
            (page.keyboard.down if stalled else page.keyboard.up)("Space")
        last_x, hopping = now["x"], stalled
        page.clock.run_for(50)
    assert state(page)["lives"] == 2
    frozen = state(page)
    assert frozen["beat"] > 0
    assert frozen["status"] == "playing"
    assert page.locator(".beat-banner").text_content() == "Ouch! 2 lives left"
    page.clock.run_for(400)
    assert state(page)["frame"] == frozen["frame"], "no play during the beat"
    page.clock.run_for(1000)
    after = state(page)
    assert after["beat"] == 0
    assert after["frame"] > frozen["frame"]
    assert page.locator(".beat-banner").is_hidden()
    page.keyboard.up("ArrowRight")
    page.keyboard.up("Space")
    assert page.errors == []


def test_phone_share_uses_web_share_with_the_score_and_a_card(
    browser: Any, boss_game: Served, tmp_path: Path
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
        device_scale_factor=3,
    )
    context.add_init_script(SHARE_STUB)
    page = watched_page(context)
    try:
        play_boss_run(page, boss_game, tmp_path)
        score = state(page)["score"]
        page.clock.run_for(1500)
        page.get_by_role("button", name="Share").tap()
        page.get_by_role("button", name="Shared!").wait_for()
        (shared,) = page.evaluate("window.__shares")
        assert TRICKY_NAME in shared["text"]
        assert str(score) in shared["text"]
        assert shared["url"] == boss_game.url
        (card,) = shared["files"]
        assert card["type"] == "image/png"
        assert card["name"] == "b-rex-b-bo-jr-petpixel.png"
        image = Image.open(io.BytesIO(base64.b64decode(card["b64"])))
        assert image.size == (600, 315)
        assert len(image.convert("RGB").getcolors(1 << 16) or []) > 8  # drawn, not blank
        assert page.locator("#overlay b").count() == 0  # the name stayed text
        assert page.errors == []
    finally:
        context.close()


def test_without_the_late_chunk_the_game_plays_and_the_win_screen_offers_the_link(
    page: Any, boss_game: Served, tmp_path: Path
) -> None:
    """The late chunk (sharing, GIF, music) never arrives: the run, the recap and the best score
    are all there; no Save GIF, and Share shows the link to copy by hand."""
    blocked: list[str] = []

    def block(route: Any) -> None:
        blocked.append(route.request.url)
        route.abort()

    page.route("**/js/late.*.js", block)
    play_boss_run(page, boss_game, tmp_path)
    won = state(page)
    assert won["status"] == "won"
    page.clock.run_for(1500)
    assert blocked  # it was asked for, and failed
    assert page.locator("#overlay-title").text_content() == "You won!"
    assert recap(page)["score"] == str(won["score"])
    assert page.locator(".new-best").text_content() == "New best!"
    assert page.get_by_role("link", name="Save GIF").count() == 0
    page.get_by_role("button", name="Share").click()
    assert page.locator(".share-url").text_content() == boss_game.url
    # Only the blocked file shows in the console; the game itself threw nothing.
    assert all("Failed to load" in e or "late." in e for e in page.errors), page.errors
