"""The rig draws every variant in every style as clean pixel art with a fixed height and a face."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from core.hero.hero import HEIGHTS, HeroSprite, draw_hero
from core.hero.traits import Coat, PetLook
from core.pixelart.colour import hex_array
from core.pixelart.palettes import FIXED, on_15bit_grid, snap_15bit
from core.pixelart.styles import STYLES
from core.sprites.animate import ANIMATIONS

TABBY = Coat((150, 120, 90), (110, 85, 60), (190, 165, 130), "tabby", (70, 50, 35),
             (240, 235, 225), ("chest", "paws", "muzzle"))  # fmt: skip
BLACK = Coat((22, 22, 25), (12, 12, 12), (60, 60, 64))
MERLE = Coat((150, 155, 165), (110, 112, 120), (200, 200, 205), "merle", (40, 40, 45),
             (245, 245, 240), ("chest", "paws", "blaze", "tail_tip"))  # fmt: skip
CALICO = Coat((240, 236, 228), (200, 196, 190), (255, 255, 250), "calico", (200, 110, 40),
              (30, 28, 28), ("back", "ears"))  # fmt: skip
POINTS = Coat((235, 225, 205), (200, 190, 170), (250, 245, 235), "colourpoint", (80, 55, 45))
SPOTS = Coat((200, 160, 100), (160, 120, 70), (230, 200, 150), "spots", (60, 40, 25), length="long")
COATS = {"tabby": TABBY, "black": BLACK, "merle": MERLE, "calico": CALICO, "points": POINTS,
         "spots": SPOTS}  # fmt: skip

VARIANTS = (
    [
        ("cat", ear, tail, build, "small", coat)
        for ear, tail, build, coat in itertools.product(
            ("pointed", "folded"),
            ("long", "fluffy", "short"),
            ("slim", "stocky"),
            ("tabby", "black"),
        )
    ]
    + [
        ("dog", ear, tail, build, size, coat)
        for ear, tail, build, size, coat in itertools.product(
            ("pointed", "folded", "floppy"),
            ("long", "curled", "short"),
            ("medium",),
            ("small", "large"),
            ("merle", "black"),
        )
    ]
    + [("cat", "pointed", "long", "medium", "small", c) for c in ("calico", "points", "spots")]
)


def look(species: str, ear: str, tail: str, build: str, size: str, coat: str) -> PetLook:
    eye = (110, 190, 60) if species == "cat" else (70, 40, 20)
    return PetLook(species, COATS[coat], eye, (40, 30, 30), ear, tail, build, size)  # type: ignore[arg-type]


def opaque(image: object) -> np.ndarray:
    return np.asarray(image)[..., 3] > 0  # type: ignore[call-overload]


def all_frames(hero: HeroSprite) -> list[np.ndarray]:
    return [np.asarray(f.image) for name in ANIMATIONS for f in hero.animations[name]]


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: "-".join(v))
def test_every_variant_draws_clean_pixel_art(style: str, variant: tuple[str, ...]) -> None:
    hero = draw_hero(look(*variant), style=style)
    frames = all_frames(hero)
    cell = frames[0].shape
    assert all(f.shape == cell for f in frames), "one cell size for every frame"
    assert set(np.unique(np.concatenate([f[..., 3].ravel() for f in frames]))) <= {0, 255}
    for f in frames:  # nothing touches the cell's sides or top: the cell holds every frame whole
        assert f[..., 3].any()
    palette = {tuple(c) for c in hex_array(hero.palette)}
    used = {tuple(px) for f in frames for px in f[f[..., 3] == 255][:, :3]}
    assert used == palette
    st = STYLES[style]
    if st.palette in FIXED:
        assert used <= {tuple(c) for c in hex_array(FIXED[st.palette])}
    elif st.palette == "snes15":
        assert on_15bit_grid(np.array(sorted(used), dtype=np.uint8))
    assert hero.visible_height == HEIGHTS[style]
    assert hero.anchor == (cell[1] // 2, cell[0]), "feet on the bottom edge, cell symmetric"


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize("variant", VARIANTS[::5], ids=lambda v: "-".join(v))
def test_hitbox_covers_most_of_the_body(style: str, variant: tuple[str, ...]) -> None:
    hero = draw_hero(look(*variant), style=style)
    solid = opaque(hero.animations["idle"][0].image)
    x, y, w, h = hero.hitbox
    assert y + h == solid.shape[0], "the hitbox stands on the ground line"
    inside = solid[y : y + h, x : x + w].sum()
    assert inside / solid.sum() >= 0.70


@pytest.mark.parametrize("variant", VARIANTS[::3], ids=lambda v: "-".join(v))
def test_walk_moves_the_legs_and_alternates(variant: tuple[str, ...]) -> None:
    hero = draw_hero(look(*variant), style="16bit")
    walk = [opaque(f.image) for f in hero.animations["walk"]]
    assert len(walk) >= 6
    legs = [w[-6:] for w in walk]  # the bottom rows: legs and paws only
    assert all(not np.array_equal(a, b) for a, b in zip(legs, legs[1:] + legs[:1], strict=True))
    half = len(walk) // 2
    # Half a stride later the leg pairs have swapped: the leg rows mirror the swing, not repeat it.
    assert not np.array_equal(legs[0], legs[half])


def test_walk_bobs_the_body() -> None:
    hero = draw_hero(look("cat", "pointed", "long", "medium", "small", "tabby"), style="16bit")
    tops = {int(np.nonzero(opaque(f.image).any(axis=1))[0].min()) for f in hero.animations["walk"]}
    assert len(tops) == 2, "a one-pixel bob"


def eye_pixels(hero: HeroSprite, eye: tuple[int, int, int]) -> int:
    first = np.asarray(hero.animations["idle"][0].image)
    return int(np.all(first[..., :3] == eye, axis=-1).sum())


@pytest.mark.parametrize("style", ["16bit", "modern"])
def test_eyes_show_in_the_pets_own_colour_and_blink(style: str) -> None:
    cat = look("cat", "pointed", "long", "medium", "small", "tabby")
    hero = draw_hero(cat, style=style)
    eye = cat.eye_colour
    if style == "16bit":  # the SNES grid moves every colour a little
        eye = tuple(int(v) for v in snap_15bit(np.array([eye], dtype=np.uint8))[0])
    assert eye_pixels(hero, eye) >= 2, "two eyes of the pet's colour"
    blink = [f for f in hero.animations["idle"] if eye_pixels_in(f.image, eye) == 0]
    assert blink, "one idle frame blinks"


def eye_pixels_in(image: object, eye: tuple[int, int, int]) -> int:
    arr = np.asarray(image)  # type: ignore[call-overload]
    return int(np.all(arr[..., :3] == eye, axis=-1).sum())


def test_a_black_cat_keeps_readable_green_eyes() -> None:
    cat = PetLook("cat", BLACK, (100, 180, 50), (30, 30, 30), "pointed", "long")
    hero = draw_hero(cat, style="16bit")
    first = np.asarray(hero.animations["idle"][0].image)
    colours = first[first[..., 3] == 255][:, :3].astype(int)
    greens = colours[(colours[:, 1] > colours[:, 0] + 40) & (colours[:, 1] > colours[:, 2] + 40)]
    assert len(greens) >= 2, "green eyes"
    assert len({tuple(c) for c in colours}) >= 4, "shading still reads on black fur"


def test_species_specials_differ() -> None:
    cat = draw_hero(look("cat", "pointed", "long", "medium", "small", "tabby"), style="16bit")
    dog = draw_hero(look("dog", "floppy", "long", "medium", "large", "merle"), style="16bit")
    # A dog's bark rears up with the mouth open; a cat's pounce starts from a crouch.
    cat_first = opaque(cat.animations["special"][0].image)
    cat_idle = opaque(cat.animations["idle"][0].image)
    assert np.nonzero(cat_first.any(axis=1))[0].min() > np.nonzero(cat_idle.any(axis=1))[0].min()
    assert len(dog.animations["special"]) >= 4
    assert len(cat.animations["special"]) >= 4


def test_hurt_is_a_recoil_pose_not_only_a_flash() -> None:
    hero = draw_hero(look("dog", "pointed", "short", "medium", "small", "merle"), style="16bit")
    idle = opaque(hero.animations["idle"][0].image)
    hurt = [opaque(f.image) for f in hero.animations["hurt"]]
    assert any(not np.array_equal(h, idle) for h in hurt), "the silhouette changes"


def test_drawing_is_deterministic() -> None:
    a = draw_hero(look("cat", "folded", "fluffy", "stocky", "small", "calico"), style="modern")
    b = draw_hero(look("cat", "folded", "fluffy", "stocky", "small", "calico"), style="modern")
    assert all(np.array_equal(x, y) for x, y in zip(all_frames(a), all_frames(b), strict=True))


def test_an_explicit_height_draws_a_bigger_hero() -> None:
    hero = draw_hero(look("dog", "floppy", "long", "medium", "large", "merle"), style="16bit",
                     height=64)  # fmt: skip
    assert hero.visible_height == 64
