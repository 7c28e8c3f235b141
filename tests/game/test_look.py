"""Look and sound in real Chromium: the style's palette on the whole canvas, pits that read as
holes, no black band behind the level, the pixel font (overlay and HUD), the per-theme music."""

from __future__ import annotations

import base64
import io
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from core.levels import generate_levels
from core.packaging import build_bundle, write_bundle
from core.pixelart.palettes import FIXED
from core.pixelart.styles import STYLES
from tests.conftest import need, need_module
from tests.game.conftest import Served, make_sheet, serve
from tests.game.play import watched_page

TEMPLATE = Path(__file__).resolve().parents[2] / "game_template"
THEMES = ("park", "beach", "snow", "city", "space")


def hexes_to_rgb(palette: list[str] | tuple[str, ...]) -> set[tuple[int, int, int]]:
    return {tuple(int(h[i : i + 2], 16) for i in (1, 3, 5)) for h in palette}  # type: ignore[misc]


def in_palette_sheet(palette: tuple[str, ...]) -> tuple[bytes, dict[str, Any]]:
    """The test dog, each opaque pixel moved to its nearest palette colour (like the pipeline)."""
    png, atlas = make_sheet()
    im = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")).copy()
    cols = np.array(sorted(hexes_to_rgb(palette)), dtype=np.int32)
    rgb = im[..., :3].astype(np.int32)
    nearest = ((rgb[:, :, None, :] - cols[None, None]) ** 2).sum(-1).argmin(-1)
    im[..., :3] = np.where(im[..., 3:] > 0, cols[nearest], 0)
    im[..., 3] = np.where(im[..., 3] > 0, 255, 0)
    buf = io.BytesIO()
    Image.fromarray(im.astype(np.uint8)).save(buf, format="PNG")
    return buf.getvalue(), atlas


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One-level games: each theme in 16-bit (full colour), park and snow in Game Boy and PICO-8."""
    root = tmp_path_factory.mktemp("look")
    games = [(t, "16bit") for t in THEMES] + [
        (t, s) for t in ("park", "snow") for s in ("gameboy", "pico8")
    ]
    for theme, style in games:
        palette = FIXED.get(STYLES[style].palette)
        png, atlas = in_palette_sheet(palette) if palette else make_sheet()
        bundle = build_bundle(
            sheet_png=png,
            atlas=atlas,
            levels=generate_levels(seed=7, theme=theme, difficulty=2, count=1),
            pet_name="Rex",
            style=style,
            theme=theme,
            seed=7,
            palette=list(palette or atlas["palette"]),
        )
        write_bundle(bundle, root / f"{theme}-{style}")
    shutil.copytree(TEMPLATE / "js", root / "tpl" / "js")  # the raw modules, for component checks
    yield from serve(root, "")


def open_game(browser: Any, url: str, width: int = 960, height: int = 540) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = watched_page(context)
    page.clock.install(time=0)
    page.clock.pause_at(1000)
    page.goto(url)
    page.wait_for_function("() => window.PETPIXEL !== undefined")
    page.clock.run_for(600)
    return page


def canvas_rgb(page: Any) -> np.ndarray:
    """The screen canvas's own pixels (its backing store), not a screenshot."""
    url = page.evaluate("document.getElementById('screen').toDataURL('image/png')")
    return png_rgb(url)


def png_rgb(data_url: str) -> np.ndarray:
    raw = base64.b64decode(data_url.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(raw)).convert("RGB"))


def play_a_little(page: Any) -> None:
    page.keyboard.press("Enter")
    page.keyboard.down("ArrowRight")
    page.clock.run_for(1500)
    page.keyboard.press("Space")
    page.clock.run_for(300)
    page.keyboard.up("ArrowRight")
    page.clock.run_for(100)


def test_js_style_palettes_match_core() -> None:
    """palette.js carries every fixed palette a style in core uses, colour for colour."""
    need(shutil.which("node") is not None, "node")
    script = (
        "import('./game_template/js/palette.js')"
        ".then(m => console.log(JSON.stringify(m.STYLE_PALETTES)))"
    )
    out = subprocess.run(
        ["node", "-e", script], cwd=TEMPLATE.parent, capture_output=True, text=True, check=True
    )
    js = json.loads(out.stdout)
    fixed = {name: style.palette for name, style in STYLES.items() if style.palette in FIXED}
    assert set(js) == set(fixed)
    for name, source in fixed.items():
        assert js[name] == list(FIXED[source]), name


def test_font_files_are_built_from_the_drawing() -> None:
    """js/font.js, js/fontface.js and fonts/petpixel.woff2 are what tools/make_font.py makes from
    tools/font.txt."""
    need_module("fontTools")
    need_module("brotli")
    result = subprocess.run(
        [sys.executable, str(TEMPLATE / "tools" / "make_font.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.browser
@pytest.mark.parametrize("style", ["gameboy", "pico8"])
@pytest.mark.parametrize("theme", ["park", "snow"])
def test_palette_style_paints_only_palette_colours(
    browser: Any, site: Served, theme: str, style: str
) -> None:
    palette = FIXED[STYLES[style].palette]
    allowed = hexes_to_rgb(palette)
    page = open_game(browser, f"{site.url}{theme}-{style}/")
    title = page.evaluate("getComputedStyle(document.getElementById('overlay-title')).color")
    rgb = tuple(int(v) for v in title[title.index("(") + 1 : title.index(")")].split(",")[:3])
    assert rgb in allowed, title  # the DOM overlay follows the palette too
    play_a_little(page)
    pixels = canvas_rgb(page)
    seen = {tuple(int(v) for v in c) for c in np.unique(pixels.reshape(-1, 3), axis=0)}
    assert seen <= allowed, sorted(seen - allowed)[:10]
    assert len(seen) >= 3
    top = {tuple(int(v) for v in c) for c in np.unique(pixels[:30].reshape(-1, 3), axis=0)}
    assert top <= allowed  # the HUD rows
    assert page.errors == []
    page.context.close()


COMPONENT = """async ([theme, w, h]) => {
  const { Background } = await import('/tpl/js/background.js');
  const { TileSet } = await import('/tpl/js/tiles.js');
  const bg = new Background(theme, 7);
  const c = document.createElement('canvas'); c.width = w; c.height = h;
  const g = c.getContext('2d');
  const view = { w, h }, worldH = 16 * 16, out = [];
  // Every camera height the game can use: the floor at the view's bottom and the view above it.
  for (const camY of [worldH - h, worldH - h - 40, Math.min(0, worldH - h), 0]) {
    for (const camX of [0, 300, 1000]) {
      bg.draw(g, view, { x: camX, y: camY }, worldH, 5);
      const d = g.getImageData(0, 0, w, h).data;
      let worst = 0; // the largest share of near-black pixels in one row
      for (let y = 0; y < h; y++) {
        let n = 0;
        for (let i = y * w * 4; i < (y + 1) * w * 4; i += 4) {
          if (Math.max(d[i], d[i + 1], d[i + 2]) < 12) n++;
        }
        worst = Math.max(worst, n / w);
      }
      out.push(worst);
    }
  }
  // A pit: columns 5-7 empty in a floor 2 tiles thick.
  const floor = '#####...'.padEnd(30, '#');
  const rows = [...Array(16)].map((_, y) => (y >= 14 ? floor : '.'.repeat(30)));
  const world = { width: 30, height: 16, tileSize: 16, tiles: rows };
  const tiles = new TileSet(theme, 16);
  const pv = { w: 30 * 16, h: 16 * 16 };
  const p = document.createElement('canvas'); p.width = pv.w; p.height = pv.h;
  const pg = p.getContext('2d');
  bg.draw(pg, pv, { x: 0, y: 0 }, worldH, 5);
  tiles.draw(pg, world, { x: 0, y: 0 }, pv);
  return { frames: out, pit: p.toDataURL('image/png') };
}"""


@pytest.mark.browser
def test_no_black_band_behind_the_level_and_pits_read_as_holes(browser: Any, site: Served) -> None:
    """The background alone, at the view sizes the game uses on a 390x844 phone and a 1280x720
    desktop, for every theme and camera height: no row is mostly black. Pits: dark from the ground's
    surface down, with ground on both sides."""
    views = {}
    for width, height in ((390, 844), (1280, 720)):
        page = open_game(browser, f"{site.url}snow-16bit/", width, height)
        views[width, height] = page.evaluate(
            "[document.getElementById('screen').width, document.getElementById('screen').height]"
        )
        page.context.close()
    page = open_game(browser, f"{site.url}park-16bit/")
    for theme in THEMES:
        for w, h in views.values():
            result = page.evaluate(COMPONENT, [theme, w, h])
            assert max(result["frames"]) < 0.3, (theme, w, h, result["frames"])
        if theme not in ("beach", "snow"):
            continue
        luma = png_rgb(result["pit"]) @ np.array([0.299, 0.587, 0.114])
        hole = luma[14 * 16 + 6 :, 5 * 16 + 4 : 8 * 16 - 4]  # inside the pit, under its lip
        ground = luma[14 * 16 + 6 :, 1 * 16 : 4 * 16]
        assert hole.max() < 45, (theme, hole.max())
        assert ground.mean() > hole.mean() + 40, theme


def find_glyph(pixels: np.ndarray, glyph: list[str]) -> bool:
    """Is `glyph` ('#'/'.' rows) drawn in `pixels` in one colour, no '.' cell of that colour?"""
    on = np.array([[c == "#" for c in row] for row in glyph])
    gh, gw = on.shape
    h, w, _ = pixels.shape
    for y in range(h - gh + 1):
        for x in range(w - gw + 1):
            cell = pixels[y : y + gh, x : x + gw]
            colour = cell[on][0]
            same = (cell == colour).all(axis=2)
            if same[on].all() and not same[~on].any():
                return True
    return False


def glyph_rows(char: str) -> list[str]:
    text = (TEMPLATE / "tools" / "font.txt").read_text()
    rows = text.split(f"\n= {char}\n", 1)[1].split("\n= ", 1)[0].split("\n")
    return [r for r in rows if r][:7]


def block_scale(pixels: np.ndarray) -> int:
    """The largest s for which the top-left HUD area is made of s x s single-colour blocks."""
    for s in range(8, 1, -1):
        area = pixels[: 48 * s, : 96 * s]
        hh, ww = area.shape[0] // s * s, area.shape[1] // s * s
        blocks = area[:hh, :ww].reshape(hh // s, s, ww // s, s, 3)
        if (blocks == blocks[:, :1, :, :1]).all():
            return s
    return 1


@pytest.mark.browser
def test_pixel_font_ships_and_draws_the_overlay_and_hud(browser: Any, site: Served) -> None:
    page = open_game(browser, f"{site.url}park-16bit/")
    page.clock.run_for(200)
    family = page.evaluate("getComputedStyle(document.getElementById('overlay-title')).fontFamily")
    assert family.startswith('"PetPixel"') or family.startswith("PetPixel")
    # The WOFF2 comes with the late chunk, after the first frame: the overlay swaps to it.
    page.wait_for_function(
        "() => [...document.fonts].some(f => f.family.replace(/\"/g, '') === 'PetPixel'"
        " && f.status === 'loaded')"
    )
    page.keyboard.press("Enter")
    page.clock.run_for(300)
    pixels = canvas_rgb(page)
    s = block_scale(pixels)
    hud = pixels[: 40 * s : s, : 120 * s : s]
    lives = str(page.evaluate("window.PETPIXEL.lives"))
    assert find_glyph(hud, glyph_rows(lives[0])), "the lives count is not in the pixel font"
    assert find_glyph(hud, glyph_rows("0")), "the score is not in the pixel font"
    page.context.close()


SPY = """() => {
  window.__notes = [];
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (t) {
    window.__notes.push([this.type, Math.round(this.frequency.value)]);
    return start.call(this, t);
  };
}"""


def notes(page: Any) -> list[list[Any]]:
    return list(page.evaluate("window.__notes.splice(0)"))


@pytest.mark.browser
def test_music_loop_per_theme_and_mute_survives_reload(browser: Any, site: Served) -> None:
    prints = {}
    for theme in THEMES:
        context = browser.new_context(viewport={"width": 800, "height": 450})
        context.add_init_script(f"({SPY})()")
        page = context.new_page()
        page.goto(f"{site.url}{theme}-16bit/")
        page.wait_for_function("() => window.PETPIXEL !== undefined")
        page.wait_for_timeout(400)
        page.keyboard.press("Enter")
        page.wait_for_function("() => window.__notes.filter(n => n[0] === 'triangle').length >= 2")
        page.wait_for_timeout(300)
        played = notes(page)
        assert {"square", "triangle"} <= {n[0] for n in played}, (theme, played)
        prints[theme] = tuple(sorted({tuple(n) for n in played if n[0] == "square"}))
        if theme == "park":
            page.locator("#mute-button").click()
            page.wait_for_timeout(500)
            notes(page)
            page.wait_for_timeout(600)
            assert notes(page) == []  # muted: no music scheduled at all
            page.reload()
            page.wait_for_function("() => window.PETPIXEL !== undefined")
            assert page.locator("#mute-button").get_attribute("aria-pressed") == "true"
            page.wait_for_timeout(400)
            page.keyboard.press("Enter")
            page.wait_for_timeout(800)
            assert page.evaluate("window.PETPIXEL.status") == "playing"
            assert notes(page) == []  # still muted after the reload
            page.locator("#mute-button").click()
            page.wait_for_function("() => window.__notes.length >= 2")
        context.close()
    assert len(set(prints.values())) == len(THEMES), prints
