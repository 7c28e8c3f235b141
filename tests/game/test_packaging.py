"""core.packaging: hashed, linked, escaped, CSP-safe static bundles that fit the size budget."""

from __future__ import annotations

import gzip
import io
import json
import re
import shutil
from html.parser import HTMLParser
from importlib.resources import as_file
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from core.errors import InvalidRequest
from core.levels import generate_levels
from core.levels.physics import load_physics
from core.levels.schema import validate_level
from core.package_data import game_template
from core.packaging import build_bundle, write_bundle
from core.packaging.bundler import BundleError
from core.packaging.page import source_hash
from core.packaging.png import smallest_png
from tests.game.conftest import PALETTE, TRICKY_NAME

HASHED = re.compile(r"\.[0-9a-f]{10}\.[a-z]+$")


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.script_text = ""
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text += data.strip()

    def meta(self, key: str) -> str:
        for tag, attrs in self.tags:
            names = (attrs.get("property"), attrs.get("name"), attrs.get("http-equiv"))
            if tag == "meta" and key in names:
                return attrs["content"]
        raise KeyError(key)


def make(pet_sheet: tuple[bytes, dict[str, Any]], **overrides: Any) -> dict[str, bytes]:
    sheet_png, atlas = pet_sheet
    args: dict[str, Any] = {
        "sheet_png": sheet_png,
        "atlas": atlas,
        "levels": generate_levels(seed=3, theme="beach", difficulty=2, count=2),
        "pet_name": TRICKY_NAME,
        "style": "16bit",
        "theme": "beach",
        "seed": 3,
        "palette": PALETTE,
    }
    return build_bundle(**{**args, **overrides})


@pytest.fixture(scope="module")
def bundle(pet_sheet: tuple[bytes, dict[str, Any]]) -> dict[str, bytes]:
    return make(pet_sheet)


def page(bundle: dict[str, bytes]) -> Tags:
    tags = Tags()
    tags.feed(bundle["index.html"].decode())
    return tags


def test_every_file_but_index_is_content_hashed(bundle: dict[str, bytes]) -> None:
    assert "index.html" in bundle
    for path in set(bundle) - {"index.html"}:
        assert HASHED.search(path), path
    assert not any(p.startswith(("tools/", "tests/")) or "bot" in p for p in bundle)


def inline_blocks(html: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, re.DOTALL)


# Modules the first frame does not need: the game reaches them through import() (late chunk).
LATE_MODULES = (
    *("js/share.js", "js/gif.js", "js/music.js", "js/fontface.js"),
    *("js/board.js", "js/synth.js"),  # the leaderboard dialog, the sound effects' synth
    "js/glyphs.js",  # the canvas font beyond the HUD's digits
    "js/runsapi.js",  # verified runs' sending and board reading (the recorder stays in the page)
)


def test_code_and_style_are_inline_each_allowed_by_its_hash(bundle: dict[str, bytes]) -> None:
    """The page carries one bundled module script and the stylesheet, and its CSP allows exactly
    those bytes (no 'unsafe-inline', no inline event handlers). The one file of code is the late
    chunk: the end screen's sharing and GIF, the music, the sound effects and the leaderboard
    dialog, none of them in the inline code."""
    assert not [p for p in bundle if p.endswith(".css")]
    (late,) = [p for p in bundle if p.endswith(".js")]
    assert late.startswith("js/late.")
    html = bundle["index.html"].decode()
    tags = page(bundle)
    scripts = [a for t, a in tags.tags if t == "script"]
    assert scripts == [{"type": "module"}]
    (code,) = inline_blocks(html, "script")
    (style,) = inline_blocks(html, "style")
    assert "__petpixelModules['js/main.js']" in code
    assert f"import('./{late}')" in code  # the chunk, fetched by its hashed name
    chunk = bundle[late].decode()
    for module in LATE_MODULES:
        assert f"__petpixelModules['{module}'] = " in chunk
        assert f"__petpixelModules['{module}'] = " not in code
    assert "class Clip" in chunk
    assert "class Clip" not in code
    assert "function encodeGif" in chunk
    assert "function encodeGif" not in code
    assert "const WOFF2" in chunk
    assert "const WOFF2" not in code
    assert "GLYPHS" in code  # the canvas HUD's font draws the first frame
    assert '"7":[5,' in code  # its digits, and every other glyph once the chunk is there
    assert '"Z":[5,' not in code
    assert '"Z":[5,' in chunk
    assert "class BoardDialog" in chunk
    assert "class BoardDialog" not in code
    assert "createOscillator" in chunk  # every sound is made in the chunk
    assert "createOscillator" not in code
    assert "/api/games/" in chunk  # a run is sent, a board read, only after a level or a press
    assert "/api/games/" not in code
    assert "class RunRecorder" in code  # every input is recorded from the first frame
    assert ".loader" in style
    assert "/*" not in style  # comments dropped
    csp = tags.meta("Content-Security-Policy")
    assert f"script-src 'self' {source_hash(code)};" in csp
    assert f"style-src 'self' {source_hash(style)};" in csp
    assert "unsafe" not in csp
    assert not any(k.startswith("on") for _, a in tags.tags for k in a)


def test_loading_screen_comes_in_the_pages_first_bytes(bundle: dict[str, bytes]) -> None:
    """The pixel pet and the style that draws it come before any code, within the first ~14 KB a
    new connection can deliver in one round trip (gzipped, as servers send it)."""
    html = bundle["index.html"].decode()
    loader = html.index('<svg id="loader"')
    assert loader < html.index("<script")
    assert html.index("<style>") < loader
    assert len(gzip.compress(html[: html.index("</svg>", loader)].encode(), 6)) < 14_000
    assert 'shape-rendering="crispEdges"' in html[loader : html.index("</svg>", loader)]


def test_links_are_relative_and_present(bundle: dict[str, bytes]) -> None:
    for _, attrs in page(bundle).tags:
        for key in ("src", "href"):
            if key in attrs:
                assert attrs[key] in bundle, attrs[key]
    game = json.loads(bundle[page(bundle).meta("petpixel-game")])
    atlas = json.loads(bundle[game["atlas"]])
    assert atlas["image"] == game["sheet"]
    assert game["sheet"] in bundle


def test_pet_name_is_escaped_in_html_and_exact_in_json(bundle: dict[str, bytes]) -> None:
    html = bundle["index.html"].decode()
    assert "<b>Rex" not in html
    assert '"Bo"' not in html
    tags = page(bundle)
    assert tags.meta("og:title") == f"{TRICKY_NAME}'s PetPixel Adventure"
    assert TRICKY_NAME in tags.meta("twitter:description")
    assert tags.meta("twitter:card") == "summary_large_image"
    assert tags.meta("og:image") in bundle
    game = json.loads(bundle[tags.meta("petpixel-game")])
    assert game["pet_name"] == TRICKY_NAME
    assert game["version"] == 1
    assert game["theme"] == "beach"
    assert len(game["levels"]) == 2


def test_same_inputs_give_the_same_bundle(
    bundle: dict[str, bytes], pet_sheet: tuple[bytes, dict[str, Any]]
) -> None:
    assert make(pet_sheet) == bundle
    assert make(pet_sheet, seed=4).keys() != bundle.keys()


def test_whole_bundle_fits_the_gzip_budget(bundle: dict[str, bytes]) -> None:
    total = sum(len(gzip.compress(data, 9)) for data in bundle.values())
    assert total < 150 * 1024


def test_given_preview_becomes_the_share_image(pet_sheet: tuple[bytes, dict[str, Any]]) -> None:
    png = pet_sheet[0]
    tags = page(made := make(pet_sheet, preview_png=png))
    assert made[tags.meta("og:image")] == png


@pytest.mark.parametrize(
    ("field", "value"),
    [("pet_name", "   "), ("pet_name", "x" * 41), ("theme", "mars"), ("levels", [])],
)
def test_bad_inputs_are_refused(
    pet_sheet: tuple[bytes, dict[str, Any]], field: str, value: Any
) -> None:
    with pytest.raises(InvalidRequest):
        make(pet_sheet, **{field: value})


def test_write_bundle_writes_files_and_refuses_escapes(tmp_path: Path) -> None:
    written = write_bundle({"index.html": b"hi", "js/a.0123456789.js": b"x"}, tmp_path)
    assert (tmp_path / "js" / "a.0123456789.js").read_bytes() == b"x"
    assert len(written) == 2
    with pytest.raises(InvalidRequest):
        write_bundle({"../evil.html": b"x"}, tmp_path / "sub")
    assert not (tmp_path / "evil.html").exists()


def test_changing_a_module_changes_the_pages_code_and_hash(
    tmp_path: Path, pet_sheet: tuple[bytes, dict[str, Any]], bundle: dict[str, bytes]
) -> None:
    """The page (never cached for long) carries the code, so an edit reaches players at once;
    modules main.js never imports stay out."""
    template = tmp_path / "template"
    with as_file(game_template()) as shipped:
        shutil.copytree(shipped, template, ignore=shutil.ignore_patterns("tools", "tests"))
    with (template / "js" / "themes.js").open("a") as f:
        f.write("\nexport const CHANGED = 'changed';\n")
    (template / "js" / "unused.js").write_text("export const x = 'unused module';\n")
    changed = make(pet_sheet, template_dir=template)["index.html"].decode()
    (code,) = inline_blocks(changed, "script")
    assert "CHANGED='changed'" in code
    assert "unused module" not in code
    assert source_hash(code) in page({"index.html": changed.encode()}).meta(
        "Content-Security-Policy"
    )
    assert inline_blocks(bundle["index.html"].decode(), "script") != [code]


def bundled_modules(html: str) -> set[str]:
    (code,) = inline_blocks(html, "script")
    return set(re.findall(r"__petpixelModules\['([^']+)'\] = ", code))


def test_the_page_carries_only_the_themes_and_bosses_its_levels_use(
    pet_sheet: tuple[bytes, dict[str, Any]], bundle: dict[str, bytes]
) -> None:
    """A beach game carries beach's colours, skins and scenery and the crab its boss level
    fights (physics.json boss.theme_designs); a game whose levels change theme, each of them."""
    beach = bundled_modules(bundle["index.html"].decode())
    assert {m for m in beach if m.startswith(("js/themes/", "js/bosses/"))} == {
        "js/themes/all.js",
        "js/themes/beach.js",
        "js/bosses/all.js",
        "js/bosses/crab.js",
    }
    levels = [
        *generate_levels(seed=3, theme="park", difficulty=2, count=1),
        *generate_levels(seed=3, theme="snow", difficulty=2, count=3)[1:],
    ]
    mixed = make(pet_sheet, levels=levels, theme="city")["index.html"].decode()
    (code,) = inline_blocks(mixed, "script")
    assert {m for m in bundled_modules(mixed) if m.startswith(("js/themes/", "js/bosses/"))} == {
        "js/themes/all.js",
        "js/themes/city.js",  # the game's theme: the share card's colours
        "js/themes/park.js",
        "js/themes/snow.js",
        "js/bosses/all.js",
        "js/bosses/vacuum.js",  # park's boss (a one-level park game ends with it)
        "js/bosses/yeti.js",  # snow's, on the last level
    }
    assert "const WORLDS={city,park,snow};" in code  # in the order the game meets them


def test_the_page_carries_the_palette_machinery_only_for_a_palette_style(
    pet_sheet: tuple[bytes, dict[str, Any]], bundle: dict[str, bytes]
) -> None:
    """A full-colour game (16bit) carries no style module and none of styles/ink.js; a Game Boy
    game its own palette and the machinery, and no other style's palette nor the full palettes'
    rule (apart.js); an 8-bit game that rule and not the Game Boy's shades."""
    full = bundled_modules(bundle["index.html"].decode())
    assert {m for m in full if m.startswith("js/styles/")} == {"js/styles/all.js"}
    gameboy = make(pet_sheet, style="gameboy")["index.html"].decode()
    assert {m for m in bundled_modules(gameboy) if m.startswith("js/styles/")} == {
        "js/styles/all.js",
        "js/styles/gameboy.js",
        "js/styles/ink.js",
    }
    assert "LAYERS" not in inline_blocks(gameboy, "script")[0]  # apart.js: the full palettes' rule
    nes = make(pet_sheet, style="8bit")["index.html"].decode()
    assert {m for m in bundled_modules(nes) if m.startswith("js/styles/")} == {
        "js/styles/all.js",
        "js/styles/8bit.js",
        "js/styles/apart.js",
        "js/styles/ink.js",
    }
    (code,) = inline_blocks(nes, "script")
    assert "SHADE_ROLES" not in code  # gameboy.js: the four shades' rule
    assert "const STYLES={'8bit':m8bit};" in code  # the style's name is no identifier


def test_the_sheet_ships_as_a_palette_png_with_the_same_pixels(
    pet_sheet: tuple[bytes, dict[str, Any]], bundle: dict[str, bytes]
) -> None:
    """The first frame waits for the sheet: pixel art's few colours go as a palette PNG (alpha in
    tRNS), decoding to exactly the pixels given; an image of more than 256 colours stays as is."""
    given = pet_sheet[0]
    (name,) = [p for p in bundle if p.startswith("sheet.") and p.endswith(".png")]
    with Image.open(io.BytesIO(bundle[name])) as shipped:
        assert shipped.mode == "P"
        pixels = np.asarray(shipped.convert("RGBA"))
    with Image.open(io.BytesIO(given)) as original:
        assert np.array_equal(pixels, np.asarray(original.convert("RGBA")))
    assert len(bundle[name]) < 0.7 * len(given)
    noise = np.random.default_rng(1).integers(0, 256, (32, 32, 4), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(noise, "RGBA").save(buf, format="PNG")
    assert smallest_png(buf.getvalue()) == buf.getvalue()


def test_a_template_module_the_bundler_cannot_read_stops_packaging(
    tmp_path: Path, pet_sheet: tuple[bytes, dict[str, Any]]
) -> None:
    template = tmp_path / "template"
    with as_file(game_template()) as shipped:
        shutil.copytree(shipped, template, ignore=shutil.ignore_patterns("tools", "tests"))
    with (template / "js" / "themes.js").open("a") as f:
        f.write("\nexport default function later() {}\n")
    with pytest.raises(BundleError, match=r"js/themes\.js:\d+: `export default function"):
        make(pet_sheet, template_dir=template)


def test_animated_preview_is_a_second_share_image(pet_sheet: tuple[bytes, dict[str, Any]]) -> None:
    gif = b"GIF89a-not-decoded-by-the-packager"
    made = make(pet_sheet, preview_gif=gif)
    images = [a["content"] for t, a in page(made).tags if a.get("property") == "og:image"]
    assert len(images) == 2
    assert made[images[0]].startswith(b"\x89PNG")
    assert made[images[1]] == gif


def test_game_json_is_valid_and_carries_the_shipped_physics(bundle: dict[str, bytes]) -> None:
    """game.json: every level passes the level schema, the boss is last, physics is physics.json."""
    game = json.loads(bundle[page(bundle).meta("petpixel-game")])
    assert {"version", "pet_name", "style", "theme", "seed", "palette", "physics", "levels"} <= set(
        game
    )
    assert [validate_level(lv) for lv in game["levels"]] == [[], []]
    assert [lv["boss"] for lv in game["levels"]] == [False, True]
    assert game["physics"] == load_physics()
    assert game["palette"] == PALETTE


def test_the_share_card_carries_the_name_in_crisp_pixel_letters() -> None:
    import io
    import math

    import numpy as np
    from PIL import Image

    from core.packaging.cards import CARD_SIZE, TITLE_BAND, pixel_title, share_card

    sprite = Image.new("RGBA", (20, 16), (200, 120, 60, 255))
    titled = Image.open(io.BytesIO(share_card(sprite, "park", "Rex 🐶"))).convert("RGB")
    plain = Image.open(io.BytesIO(share_card(sprite, "park"))).convert("RGB")
    assert titled.size == plain.size == CARD_SIZE
    band = np.asarray(titled)[:TITLE_BAND]
    assert ((band == 255).all(axis=2)).sum() > 500  # white letters across the sky
    assert not ((np.asarray(plain)[:TITLE_BAND] == 255).all(axis=2)).any()

    letters = pixel_title("Rex", max_size=(1100, 120))
    assert letters is not None
    small = pixel_title("Rex", max_size=(1100, 30))
    assert small is not None
    base = math.gcd(letters.height, small.height)  # the font's height at 1x
    scale = letters.height // base
    assert scale > small.height // base >= 1
    # Whole-number scaling: every font pixel is a scale x scale block of one colour.
    grid = np.asarray(letters)
    assert (grid[::scale, ::scale].repeat(scale, 0).repeat(scale, 1) == grid).all()
    # Names the bitmap font cannot draw get no title rather than empty boxes.
    assert pixel_title("Мурка", max_size=(1100, 120)) is None
    assert pixel_title("🐶🐱", max_size=(1100, 120)) is None
    assert pixel_title("x" * 400, max_size=(1100, 120)) is None  # too long to fit at 1x
