"""The packaged game as a player on a phone sees it (found by playing it, issue 13): screen
text reads over the brightest part of the game, the page chrome keeps to a palette style's
colours, the touch buttons speak in the pixel font inside their circles, and a long name never
runs off screen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.levels import generate_levels
from core.packaging import build_bundle, write_bundle
from core.pixelart.palettes import FIXED
from tests.game.conftest import PALETTE, Served, make_sheet, serve
from tests.game.play import bot_trace, open_paused, replay, state, watched_page
from tests.game.test_look import in_palette_sheet

pytestmark = pytest.mark.browser

GAMEBOY = {tuple(int(h[i : i + 2], 16) for i in (1, 3, 5)) for h in FIXED["gameboy"]}
LONG_NAME = "Maximilianus_Purrington_von_Whiskerstein"  # 40 characters: the longest name, one word
PHONE = {"has_touch": True, "is_mobile": True, "device_scale_factor": 3}
# Nearest colours drew this world's skyline (and ground) in its sky's colour.
CITY_AND_SPACE = (("8bit", "city"),)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One-level games: a Game Boy one, and a 16-bit one whose pet has the longest one-word name,
    served at /g/<code>/ as the product serves it (so its screens offer the Leaderboard too)."""
    root = tmp_path_factory.mktemp("polish")
    for style, name in (("gameboy", "Rex"), ("16bit", LONG_NAME)):
        png, atlas = in_palette_sheet(FIXED["gameboy"]) if style == "gameboy" else make_sheet()
        bundle = build_bundle(
            sheet_png=png, atlas=atlas, pet_name=name, style=style, theme="snow", seed=3,
            levels=generate_levels(seed=3, theme="snow", difficulty=1, count=1),
            palette=list(FIXED["gameboy"]) if style == "gameboy" else PALETTE,
        )  # fmt: skip
        write_bundle(bundle, root / ("g/long16" if style == "16bit" else style))
    for style, theme in CITY_AND_SPACE:
        png, atlas = make_sheet()
        bundle = build_bundle(
            sheet_png=png, atlas=atlas, pet_name="Rex", style=style, theme=theme, seed=3,
            levels=generate_levels(seed=3, theme=theme, difficulty=1, count=1), palette=PALETTE,
        )  # fmt: skip
        write_bundle(bundle, root / f"{theme}-{style}")
    yield from serve(root, "")


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, **PHONE)
    page = watched_page(context)
    yield page
    context.close()


def colours(text: str) -> list[tuple[float, float, float, float]]:
    """Every colour in a computed CSS value, as 0-255 RGB and alpha: rgb(), rgba() and the
    color(srgb ...) form Chromium gives color-mix()."""
    out = []
    for m in re.finditer(r"rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)", text):
        out.append((*(float(v) for v in m.groups()[:3]), float(m.group(4) or 1)))
    for m in re.finditer(r"color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: / ([\d.]+))?\)", text):
        out.append((*(float(v) * 255 for v in m.groups()[:3]), float(m.group(4) or 1)))
    return out


def luminance(rgb: tuple[float, ...]) -> float:
    unit = [c / 255 for c in rgb]
    lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in unit]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# The brightest pixel the game draws right now, the overlay's background and the text colour.
BACKDROP = """() => {
  const screen = document.getElementById('screen');
  const copy = Object.assign(document.createElement('canvas'),
    { width: screen.width, height: screen.height });
  const g = copy.getContext('2d');
  g.drawImage(screen, 0, 0);
  const d = g.getImageData(0, 0, copy.width, copy.height).data;
  let best = [0, 0, 0], lum = -1;
  for (let i = 0; i < d.length; i += 4) {
    const l = 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2];
    if (l > lum) { lum = l; best = [d[i], d[i + 1], d[i + 2]]; }
  }
  const o = getComputedStyle(document.getElementById('overlay'));
  return { brightest: best, background: o.backgroundColor + ' ' + o.backgroundImage,
    ink: getComputedStyle(document.getElementById('overlay-text')).color };
}"""


def worst_contrast(page: Any) -> tuple[float, dict[str, Any]]:
    """The text's contrast against the overlay laid over the game's brightest pixel, at the
    overlay's most see-through point (every colour stop of its background counts), and what
    was seen."""
    seen = page.evaluate(BACKDROP)
    ink = colours(seen["ink"])[0][:3]
    worst = float("inf")
    for *rgb, alpha in colours(seen["background"]):
        if alpha == 0:
            continue
        mixed = [c * alpha + b * (1 - alpha) for c, b in zip(rgb, seen["brightest"], strict=True)]
        worst = min(worst, contrast(ink, mixed))
    return worst, seen


@pytest.mark.parametrize("style", ["gameboy", "16bit"])
def test_screen_text_reads_over_the_brightest_part_of_the_game(
    phone: Any, site: Served, style: str
) -> None:
    """Title and pause words sit over the level (a thin band in the middle of a portrait phone,
    snow's near-white sky): at least 4.5:1 against the brightest pixel behind the shade."""
    open_paused(phone, site.url.rstrip("/") + ("/gameboy/" if style == "gameboy" else "/g/long16/"))
    ratio, seen = worst_contrast(phone)
    assert ratio >= 4.5, ("title", seen)
    phone.keyboard.press("Enter")
    phone.clock.run_for(500)
    phone.keyboard.press("KeyP")
    assert state(phone)["status"] == "paused"
    ratio, seen = worst_contrast(phone)
    assert ratio >= 4.5, ("pause", seen)
    assert phone.errors == []


# Every colour the page's own elements show (text, fills, borders) except fully transparent ones.
CHROME = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    if (!el.checkVisibility()) continue;
    const cs = getComputedStyle(el);
    for (const p of ['color', 'background-color', 'border-top-color', 'border-right-color',
      'border-bottom-color', 'border-left-color', 'background-image', 'box-shadow'])
      out.push([`${el.tagName.toLowerCase()}#${el.id}.${el.className}`, p, cs.getPropertyValue(p)]);
  }
  return out;
}"""


def off_palette(page: Any) -> list[str]:
    wrong = []
    for element, prop, value in page.evaluate(CHROME):
        for *rgb, alpha in colours(value):
            if alpha > 0 and tuple(round(c) for c in rgb) not in GAMEBOY:
                wrong.append(f"{element} {prop}: {value}")
    return wrong


def test_game_boy_page_chrome_uses_only_the_four_shades(phone: Any, site: Served) -> None:
    """Touch pad, rotate tip, buttons and screens: nothing in a colour the Game Boy lacks
    (see-through shades of its colours are fine)."""
    open_paused(phone, f"{site.url.rstrip('/')}/gameboy/")
    assert off_palette(phone) == [], "title"
    phone.keyboard.press("Enter")
    phone.clock.run_for(500)
    assert phone.locator("#rotate-hint").is_visible()
    phone.locator('[data-action="jump"]').evaluate("b => b.classList.add('down')")  # as held
    assert off_palette(phone) == [], "playing, a touch button held"
    assert phone.errors == []


# The special button's label: its font, and whether its text box lies inside the ring's inside.
LABEL = """() => {
  const b = document.querySelector('[data-action="special"]');
  const r = document.createRange();
  r.selectNodeContents(b);
  const t = r.getBoundingClientRect(), box = b.getBoundingClientRect();
  const border = parseFloat(getComputedStyle(b).borderTopWidth);
  const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
  const inner = box.width / 2 - border;
  const corners = [[t.left, t.top], [t.right, t.top], [t.left, t.bottom], [t.right, t.bottom]];
  return { text: b.textContent, font: getComputedStyle(b).fontFamily,
    inside: corners.every(([x, y]) => Math.hypot(x - cx, y - cy) <= inner + 0.5) };
}"""


def pixel_font(page: Any) -> None:
    """Wait for the overlay's WOFF2 (it comes with the late chunk, after the first frame), so
    sizes are measured in the pixel font, not the fallback."""
    page.wait_for_function(
        "() => [...document.fonts].some(f => f.family.replace(/\"/g, '') === 'PetPixel'"
        " && f.status === 'loaded')"
    )


@pytest.mark.parametrize("width", [320, 390])
def test_touch_buttons_speak_the_pixel_font_inside_their_circles(
    browser: Any, served_game: Served, width: int
) -> None:
    """The pad's arrows and the special's word ("Chirp!", the longest) are drawn in the game's
    pixel font, and the word stays inside the round button's ring."""
    context = browser.new_context(viewport={"width": width, "height": 720}, **PHONE)
    page = context.new_page()
    try:
        open_paused(page, served_game.url)
        pixel_font(page)
        for button in page.locator(".touch-button").all():
            family = button.evaluate("b => getComputedStyle(b).fontFamily")
            assert family.lstrip('"').startswith("PetPixel")
        label = page.evaluate(LABEL)
        assert label["text"] == "Chirp!"
        assert label["inside"], label
    finally:
        context.close()


OFF_SCREEN = """() => [...document.querySelectorAll('#overlay, #overlay *')]
  .filter((e) => e.checkVisibility())
  .map((e) => [e.tagName.toLowerCase() + '.' + e.className, e.getBoundingClientRect()])
  .filter(([, r]) => r.left < -0.5 || r.right > innerWidth + 0.5)
  .map(([name, r]) => `${name} ${Math.round(r.left)}..${Math.round(r.right)}`)"""


# Each screen button that a tap at its centre would not reach: off screen (a screen that needs
# scrolling) or under something else (the landscape touch pad lies over the game).
UNTAPPABLE = """() => [...document.querySelectorAll('#overlay-buttons > *')].flatMap((b) => {
  const r = b.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
  const hit = document.elementFromPoint(x, y);
  const seen = r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
  const where = hit ? hit.className : 'off screen';
  return seen && hit && b.contains(hit) ? [] : [`${b.textContent}: ${where}`];
})"""


@pytest.mark.parametrize(("width", "height"), [(390, 844), (844, 390)])
def test_a_long_one_word_name_and_every_button_stay_on_a_phone_screen(
    browser: Any, site: Served, tmp_path: Path, width: int, height: int
) -> None:
    """A 40-letter name with no spaces wraps on the title and the win screen of a phone held
    either way, and every button of those screens can be tapped without scrolling."""
    context = browser.new_context(viewport={"width": width, "height": height}, **PHONE)
    phone = watched_page(context)
    try:
        open_paused(phone, f"{site.url.rstrip('/')}/g/long16/")
        pixel_font(phone)
        assert phone.evaluate(OFF_SCREEN) == [], "title"
        assert phone.evaluate(UNTAPPABLE) == [], "title"
        game_json = "document.querySelector('link[rel=preload][href*=\"game.\"]').href"
        data = phone.evaluate(f"fetch({game_json}).then(r => r.json())")
        phone.keyboard.press("Enter")
        replay(phone, bot_trace(data["levels"][0], tmp_path, data["physics"]))
        assert state(phone)["status"] == "won"
        phone.clock.run_for(2500)
        phone.locator("#overlay-title").filter(has_text="You won!").wait_for()
        assert LONG_NAME in phone.locator("#overlay-text").text_content()
        assert phone.evaluate(OFF_SCREEN) == [], "win screen"
        assert phone.evaluate(UNTAPPABLE) == [], "win screen"
        assert phone.errors == []
    finally:
        context.close()


BOARD = {
    "level": 0,
    "top": [
        {
            "rank": 1,
            "name": "Lady Fluffington of the Very Long Name",
            "score": 24500,
            "frames": 3600,
        },
        {"rank": 2, "name": "Tom", "score": 1200, "frames": 5000},
    ],
    "mine": None,
}
# Words of the board's name cells that a line break cuts in two.
SPLIT_WORDS = """() => [...document.querySelectorAll('#board td.name')].flatMap((cell) => {
  const text = cell.firstChild, out = [];
  for (const m of text.data.matchAll(/\\S+/g)) {
    const r = document.createRange();
    r.setStart(text, m.index);
    r.setEnd(text, m.index + m[0].length);
    const lines = new Set([...r.getClientRects()].map((q) => Math.round(q.top)));
    if (lines.size > 1) out.push(m[0]);
  }
  return out;
})"""


def test_leaderboard_names_wrap_between_words_on_a_phone(phone: Any, site: Served) -> None:
    """On a 390 px phone the board's name column is wide enough that a name wraps between its
    words ("Fluffington" stays whole) beside a five-digit score and its time."""
    phone.route(
        "**/api/games/long16/runs?*",
        lambda route: route.fulfill(json=BOARD, headers={"Cache-Control": "no-store"}),
    )
    open_paused(phone, f"{site.url.rstrip('/')}/g/long16/")
    pixel_font(phone)
    phone.get_by_role("button", name="Leaderboard").click()
    phone.locator("#board td.name").first.wait_for()
    assert phone.evaluate(SPLIT_WORDS) == []
    box = phone.locator("#board").bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    assert phone.errors == []


def test_pressed_pause_keeps_its_sign_and_mute_is_struck_through(phone: Any, site: Served) -> None:
    """Pressed, the pause button's "II" is not struck through (it read as an "H"); a muted
    sound's note is."""
    open_paused(phone, f"{site.url.rstrip('/')}/gameboy/")
    phone.keyboard.press("Enter")
    phone.clock.run_for(300)
    phone.locator("#pause-button").click()
    phone.locator("#mute-button").click()
    line = "b => [b.getAttribute('aria-pressed'), getComputedStyle(b).textDecorationLine]"
    assert phone.locator("#pause-button").evaluate(line) == ["true", "none"]
    assert phone.locator("#mute-button").evaluate(line) == ["true", "line-through"]
    assert phone.errors == []


# Colours of the sky and scenery above the ground, each with its share of that area: the top 80%
# of the view at the start (the ground band sits lower).
SCENERY = """() => {
  const c = document.getElementById('screen'), g = document.createElement('canvas');
  g.width = c.width; g.height = c.height;
  const ctx = g.getContext('2d');
  ctx.drawImage(c, 0, 0);
  const d = ctx.getImageData(0, 0, c.width, Math.floor(c.height * 0.8)).data;
  const n = d.length / 4, seen = {};
  for (let i = 0; i < d.length; i += 4) {
    const k = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
    seen[k] = (seen[k] || 0) + 1 / n;
  }
  return seen;
}"""


@pytest.mark.parametrize(("style", "theme"), CITY_AND_SPACE)
def test_palette_styles_keep_the_scenery_off_the_sky_colour(
    browser: Any, site: Served, style: str, theme: str
) -> None:
    """8-bit city: the skyline stands out from the sky (before, the nearest colours drew the
    buildings in the sky's own colour, leaving lit windows floating in the dark). Every theme
    and palette: tests/game/js/layers.test.mjs."""
    context = browser.new_context(viewport={"width": 960, "height": 540})
    page = context.new_page()
    try:
        open_paused(page, f"{site.url.rstrip('/')}/{theme}-{style}/")
        page.keyboard.press("Enter")
        page.clock.run_for(300)
        shares = sorted(page.evaluate(SCENERY).values(), reverse=True)
        # The sky's colour covered 85% of it when the buildings merged into the sky (40% now).
        assert shares[0] < 0.6, shares[:4]
        assert sum(share >= 0.05 for share in shares) >= 4, shares[:4]
    finally:
        context.close()


def test_leaderboard_close_stays_in_reach_on_a_landscape_phone(browser: Any, site: Served) -> None:
    """A full board (ten runs and the player's own row) is taller than a 390 px landscape
    phone: the table scrolls inside the dialog and Close stays on screen, ready for a tap."""
    top = [
        {"rank": i, "name": f"Player {i}", "score": 5000 - i, "frames": 3600} for i in range(1, 11)
    ]
    board = {
        "level": 0,
        "top": top,
        "mine": {"rank": 17, "name": "Me", "score": 10, "frames": 9000},
    }
    context = browser.new_context(viewport={"width": 844, "height": 390}, **PHONE)
    phone = context.new_page()
    try:
        phone.route("**/api/games/long16/runs?*", lambda route: route.fulfill(json=board))
        open_paused(phone, f"{site.url.rstrip('/')}/g/long16/")
        pixel_font(phone)
        phone.get_by_role("button", name="Leaderboard").click()
        phone.locator("#board tr.mine").wait_for()
        close = phone.get_by_role("button", name="Close")
        box = close.bounding_box()
        assert box["y"] >= 0
        assert box["y"] + box["height"] <= 390
        centre = "r => document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)"
        assert close.evaluate(f"b => b.contains(({centre})(b.getBoundingClientRect()))")
        close.click()
        assert not phone.locator("#board").is_visible()
    finally:
        context.close()
