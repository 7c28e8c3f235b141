"""Species in real Chromium: a cat game shows fish and meows on the special move, a dog game shows
bones and barks; a big (modern, shrunk 2x) cat plays a level to the end with its own hitbox."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from core.levels import generate_levels
from core.packaging import build_bundle, player_box, write_bundle
from tests.game.atlas_v2 import make_sheet_v2
from tests.game.conftest import PALETTE, serve
from tests.game.play import bot_trace, open_paused, replay, state, watched_page

pytestmark = pytest.mark.browser
FISH_BLUE, BONE_WHITE = (0x41, 0xA6, 0xF6), (0xF4, 0xF4, 0xF4)


def build(root: Path, species: str, u: int) -> None:
    sheet_png, atlas = make_sheet_v2(species, u)
    levels = generate_levels(seed=5, theme="park", difficulty=2, count=1, player=player_box(atlas))
    bundle = build_bundle(
        sheet_png=sheet_png, atlas=atlas, levels=levels, pet_name="Mia", style="modern",
        theme="park", seed=5, palette=PALETTE,
    )  # fmt: skip
    write_bundle(bundle, root / species)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    root = tmp_path_factory.mktemp("species")
    build(root, "cat", 2)
    build(root, "dog", 1)
    served = serve(root, "cat")
    cat = next(served)
    yield root, cat.url.removesuffix("cat/")
    served.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 960, "height": 540})
    page = watched_page(context)
    yield page
    context.close()


def hud_icon_pixels(page: Any, colour: tuple[int, int, int]) -> int:
    """Screen pixels of `colour` on the HUD's collectible icon (logical 26..38 x 12..20, 2x)."""
    shot = page.screenshot(clip={"x": 52, "y": 24, "width": 24, "height": 16})
    rgb = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB"))
    return int((rgb == colour).all(axis=2).sum())


@pytest.mark.parametrize(
    ("species", "word", "voice", "collectible", "colour"),
    [("cat", "meow", "meow", "fish", FISH_BLUE), ("dog", "bark", "bark", "bone", BONE_WHITE)],
)
def test_species_sounds_words_and_collectibles(
    page: Any, site: tuple[Path, str], species: str, word: str, voice: str, collectible: str,
    colour: tuple[int, int, int],
) -> None:  # fmt: skip
    open_paused(page, site[1] + f"{species}/")
    assert f"X/Shift Special ({word})" in page.locator("#overlay-text").text_content()
    assert page.locator('[data-action="special"]').text_content() == f"{word.title()}!"
    page.keyboard.press("Enter")
    hook = state(page)
    assert (hook["status"], hook["species"]) == ("playing", species)
    assert hook["collectible"] == collectible
    page.clock.run_for(300)
    shown = hud_icon_pixels(page, colour)
    other = hud_icon_pixels(page, FISH_BLUE if species == "dog" else BONE_WHITE)
    assert shown >= 40, shown  # a fish is mostly blue (one white eye), a bone mostly white
    assert other <= 4, other
    page.keyboard.press("KeyX")
    page.clock.run_for(200)
    sounds = state(page)["sounds"]
    assert sounds.get(voice) == 1, sounds
    assert {"meow", "bark", "chirp"} - {voice} & set(sounds) == set(), sounds
    assert page.errors == []


def test_a_big_cat_finishes_a_level_with_its_own_hitbox(
    page: Any, site: tuple[Path, str], tmp_path: Path
) -> None:
    """The bot's trace, found with the game's physics (the cat's box), replays to the goal."""
    game = json.loads(next((site[0] / "cat").glob("game.*.json")).read_text())
    assert game["hero"]["scale"] == 2
    open_paused(page, site[1] + "cat/")
    page.keyboard.press("Enter")
    replay(page, bot_trace(game["levels"][0], tmp_path, game["physics"]))
    assert state(page)["status"] == "won"
    assert page.errors == []
