"""The rig draws every variant in every style as clean pixel art with a fixed height and a face."""

from __future__ import annotations

import functools
import itertools
from dataclasses import replace

import numpy as np
import pytest

from core.hero.hero import HEIGHTS, HeroSprite, draw_hero
from core.hero.paint import Role
from core.hero.rolecolours import fit_style, role_colours
from core.hero.traits import Coat, PetLook
from core.pixelart.colour import hex_array
from core.pixelart.palettes import FIXED, on_15bit_grid, snap_15bit
from core.pixelart.styles import STYLES, get_style
from core.sprites.animate import ANIMATIONS

TABBY = Coat((150, 120, 90), (110, 85, 60), (190, 165, 130), "tabby", (70, 50, 35),
             (240, 235, 225), ("chest", "paws", "muzzle"))  # fmt: skip
BLACK = Coat((22, 22, 25), (12, 12, 12), (60, 60, 64))
MERLE = Coat((150, 155, 165), (110, 112, 120), (200, 200, 205), "merle", (40, 40, 45),
             (245, 245, 240), ("chest", "paws", "blaze", "tail_tip"))  # fmt: skip
CALICO = Coat((240, 236, 228), (200, 196, 190), (255, 255, 250), "calico", (200, 110, 40),
              (30, 28, 28), ("back", "ears"))  # fmt: skip
POINTS = Coat((235, 225, 205), (200, 190, 170), (250, 245, 235), "colourpoint", (80, 55, 45))
SPOTS = Coat((200, 160, 100), (160, 120, 70), (230, 200, 150), "spots", (60, 40, 25))
# A Rottweiler: black with tan points; a tricolour beagle: tan, white trim, a black saddle; a white
# cat with black patches.
BLACK_TAN = Coat((34, 32, 36), (20, 20, 22), (70, 68, 74), secondary=(160, 90, 45),
                 secondary_regions=("points",))  # fmt: skip
TRICOLOUR = Coat((175, 125, 75), (130, 90, 50), (210, 165, 115), "bicolour", None,
                 (240, 238, 232), ("chest", "paws", "muzzle", "blaze", "tail_tip"),
                 tertiary=(36, 32, 30), tertiary_regions=("saddle",))  # fmt: skip
PATCHED = Coat((236, 236, 232), (200, 200, 196), (252, 252, 250), "bicolour", (30, 28, 28))
COATS = {"tabby": TABBY, "black": BLACK, "merle": MERLE, "calico": CALICO, "points": POINTS,
         "spots": SPOTS, "black_tan": BLACK_TAN, "tricolour": TRICOLOUR,
         "patched": PATCHED}  # fmt: skip

# The rig's traits and the coats that paint it, per species. Every value of every trait meets every
# value of every other trait in at least one variant (all pairs): rig bugs come from one trait or
# from two meeting (folded ears on a big head, a curled tail on a long body), and the full product
# (hundreds of heroes per style) would mostly repeat those pairs.
TRAITS = {
    "cat": {
        "ear": ("pointed", "folded"),
        "tail": ("long", "fluffy", "short"),
        "build": ("slim", "medium", "stocky"),
        "size": ("small",),
        "length": ("short", "long"),
        "coat": ("tabby", "black", "calico", "points", "spots", "patched"),
    },
    "dog": {
        "ear": ("pointed", "folded", "floppy"),
        "tail": ("long", "fluffy", "curled", "short"),
        "build": ("slim", "medium", "stocky"),
        "size": ("small", "large"),
        "length": ("short", "long"),
        "coat": ("merle", "black", "spots", "black_tan", "tricolour"),
    },
}


def all_pairs(traits: dict[str, tuple[str, ...]]) -> list[tuple[str, ...]]:
    """A small set of trait combinations holding every pair of values (greedy, deterministic)."""
    names = list(traits)
    combos = list(itertools.product(*traits.values()))

    def pairs(combo: tuple[str, ...]) -> set[tuple[int, str, int, str]]:
        return {(i, combo[i], j, combo[j]) for i, j in itertools.combinations(range(len(names)), 2)}

    todo = set().union(*(pairs(c) for c in combos))
    chosen = []
    while todo:
        best = max(combos, key=lambda c: len(pairs(c) & todo))
        chosen.append(best)
        todo -= pairs(best)
    return chosen


VARIANTS = [(species, *combo) for species, traits in TRAITS.items() for combo in all_pairs(traits)]
TABBY_CAT = ("cat", "pointed", "long", "medium", "small", "short", "tabby")
MERLE_DOG = ("dog", "floppy", "long", "medium", "large", "short", "merle")


def look(species: str, ear: str, tail: str, build: str, size: str, length: str, coat: str
         ) -> PetLook:  # fmt: skip
    eye = (110, 190, 60) if species == "cat" else (70, 40, 20)
    fur = replace(COATS[coat], length=length)
    return PetLook(species, fur, eye, (40, 30, 30), ear, tail, build, size)  # type: ignore[arg-type]


@functools.cache
def drawn(variant: tuple[str, ...], style: str) -> HeroSprite:
    """Each variant is drawn once per style, however many tests look at it."""
    return draw_hero(look(*variant), style=style)


def opaque(image: object) -> np.ndarray:
    return np.asarray(image)[..., 3] > 0  # type: ignore[call-overload]


def all_frames(hero: HeroSprite) -> list[np.ndarray]:
    return [np.asarray(f.image) for name in ANIMATIONS for f in hero.animations[name]]


def test_variants_hold_every_pair_of_traits() -> None:
    for species, traits in TRAITS.items():
        combos = [v[1:] for v in VARIANTS if v[0] == species]
        for (i, a), (j, b) in itertools.combinations(enumerate(traits.values()), 2):
            assert {(x, y) for x in a for y in b} == {(c[i], c[j]) for c in combos}
    assert len(VARIANTS) < 40, "all pairs, not the full product"


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: "-".join(v))
def test_every_variant_draws_a_clean_walking_hero(style: str, variant: tuple[str, ...]) -> None:
    """In its cell, binary alpha, exact palette, the style's height, a fair hitbox, walking legs."""
    hero = drawn(variant, style)
    frames = all_frames(hero)
    cell = frames[0].shape
    assert all(f.shape == cell for f in frames), "one cell size for every frame"
    assert hero.anchor == (cell[1] // 2, cell[0]), "feet on the bottom edge, cell symmetric"
    alpha = np.stack([f[..., 3] for f in frames])
    assert set(np.unique(alpha).tolist()) <= {0, 255}, "binary alpha"
    assert alpha.reshape(len(frames), -1).any(axis=1).all(), "no empty frame"
    assert colours(frames) == {tuple(c) for c in hex_array(hero.palette).tolist()}
    st = STYLES[style]
    if st.palette in FIXED:
        assert colours(frames) <= {tuple(c) for c in hex_array(FIXED[st.palette]).tolist()}
    elif st.palette == "snes15":
        assert on_15bit_grid(np.array(sorted(colours(frames)), dtype=np.uint8))
    assert hero.visible_height == HEIGHTS[style]
    check_hitbox(hero)
    check_walk(hero)


def colours(frames: list[np.ndarray]) -> set[tuple[int, ...]]:
    """The RGB colours of every opaque pixel in the frames."""
    solid = np.concatenate([f[f[..., 3] == 255][:, :3] for f in frames])
    return {tuple(c) for c in np.unique(solid, axis=0).tolist()}


def check_hitbox(hero: HeroSprite) -> None:
    solid = opaque(hero.animations["idle"][0].image)
    x, y, w, h = hero.hitbox
    assert y + h == solid.shape[0], "the hitbox stands on the ground line"
    assert solid[y : y + h, x : x + w].sum() / solid.sum() >= 0.70, "the hitbox covers the body"


def check_walk(hero: HeroSprite) -> None:
    """Every walk frame moves the legs, and half a stride later the leg pairs have swapped."""
    walk = [opaque(f.image) for f in hero.animations["walk"]]
    assert len(walk) >= 6
    legs = [w[-max(4, hero.visible_height // 4) :] for w in walk]  # the bottom rows: legs, paws
    assert all(not np.array_equal(a, b) for a, b in zip(legs, legs[1:] + legs[:1], strict=True))
    assert not np.array_equal(legs[0], legs[len(walk) // 2]), "the swing mirrors, not repeats"


def test_walk_bobs_the_body() -> None:
    hero = drawn(TABBY_CAT, "16bit")
    tops = {int(np.nonzero(opaque(f.image).any(axis=1))[0].min()) for f in hero.animations["walk"]}
    assert len(tops) == 2, "a one-pixel bob"


def eye_pixels(hero: HeroSprite, eye: tuple[int, int, int]) -> int:
    first = np.asarray(hero.animations["idle"][0].image)
    return int(np.all(first[..., :3] == eye, axis=-1).sum())


@pytest.mark.parametrize("style", ["16bit", "modern"])
def test_eyes_show_in_the_pets_own_colour_and_blink(style: str) -> None:
    cat = look(*TABBY_CAT)
    hero = drawn(TABBY_CAT, style)
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
    cat = drawn(TABBY_CAT, "16bit")
    dog = drawn(MERLE_DOG, "16bit")
    # A dog's bark rears up with the mouth open; a cat's pounce starts from a crouch.
    cat_first = opaque(cat.animations["special"][0].image)
    cat_idle = opaque(cat.animations["idle"][0].image)
    assert np.nonzero(cat_first.any(axis=1))[0].min() > np.nonzero(cat_idle.any(axis=1))[0].min()
    assert len(dog.animations["special"]) >= 4
    assert len(cat.animations["special"]) >= 4


def test_hurt_is_a_recoil_pose_not_only_a_flash() -> None:
    hero = drawn(("dog", "pointed", "short", "medium", "small", "short", "merle"), "16bit")
    idle = opaque(hero.animations["idle"][0].image)
    hurt = [opaque(f.image) for f in hero.animations["hurt"]]
    assert any(not np.array_equal(h, idle) for h in hurt), "the silhouette changes"


def test_drawing_is_deterministic() -> None:
    a = draw_hero(
        look("cat", "folded", "fluffy", "stocky", "small", "long", "calico"), style="modern"
    )
    b = draw_hero(
        look("cat", "folded", "fluffy", "stocky", "small", "long", "calico"), style="modern"
    )
    assert all(np.array_equal(x, y) for x, y in zip(all_frames(a), all_frames(b), strict=True))


def test_an_explicit_height_draws_a_bigger_hero() -> None:
    hero = draw_hero(look(*MERLE_DOG), style="16bit", height=64)
    assert hero.visible_height == 64


def test_an_hd_hero_keeps_a_readable_face() -> None:
    """The 128-px deluxe download: eyes and nose grow with the hero, not stay at 48-px sizes."""
    cat = look(*TABBY_CAT)
    small, hd = drawn(TABBY_CAT, "modern"), draw_hero(cat, style="modern", height=128)
    assert hd.visible_height == 128
    assert eye_pixels(hd, cat.eye_colour) >= 6 * max(1, eye_pixels(small, cat.eye_colour))
    assert eye_pixels(hd, cat.nose_colour) >= 6, "a nose block, not a single dot"


def role_pixels(hero: HeroSprite, look_: PetLook, role: Role, style: str) -> np.ndarray:
    """Where the first idle frame shows the colour of `role` (as fitted to the style)."""
    colour = fit_style(role_colours(look_), get_style(style))[role]
    first = np.asarray(hero.animations["idle"][0].image)
    return np.asarray(np.all(first[..., :3] == colour, axis=-1) & (first[..., 3] > 0))


@pytest.mark.parametrize("style", ["16bit", "modern"])
def test_a_black_and_tan_dog_shows_its_points(style: str) -> None:
    """A Rottweiler: tan on the lower legs and on the face (muzzle, cheeks, brows), not the back."""
    dog = look("dog", "floppy", "long", "medium", "large", "short", "black_tan")
    tan = role_pixels(draw_hero(dog, style=style), dog, Role.SECONDARY, style)
    rows = np.nonzero(tan.any(axis=1))[0]
    height = HEIGHTS[style]
    assert tan[-max(3, height // 6) :].sum() >= 4, "tan lower legs"
    assert rows.min() < tan.shape[0] - height * 0.55, "tan on the face"
    cols = np.nonzero(tan.any(axis=0))[0]
    assert cols.max() > tan.shape[1] * 0.6, "the points sit at the front (muzzle, chest)"
    assert tan.sum() < 0.35 * opaque(draw_hero(dog, style=style).still).sum(), "points, not coat"


@pytest.mark.parametrize("style", ["16bit", "modern"])
def test_a_tricolour_dog_has_a_black_saddle_and_white_trim(style: str) -> None:
    dog = look("dog", "floppy", "long", "medium", "small", "short", "tricolour")
    hero = draw_hero(dog, style=style)
    saddle = role_pixels(hero, dog, Role.TERTIARY, style)
    white = role_pixels(hero, dog, Role.SECONDARY, style)
    tan = role_pixels(hero, dog, Role.BASE, style)
    assert min(saddle.sum(), white.sum(), tan.sum()) >= 4, "three colours"
    legs = max(3, HEIGHTS[style] // 6)  # the bottom rows: legs and paws
    assert white[-legs:].any(), "white paws"
    assert not saddle[-legs:].any(), "no black paws"
    xs = np.nonzero(saddle)[1]
    assert np.median(xs) < saddle.shape[1] / 2 + 1, "the saddle lies on the back, behind the head"


def test_a_white_cat_shows_its_black_patches() -> None:
    cat = look("cat", "pointed", "long", "medium", "small", "short", "patched")
    hero = draw_hero(cat, style="16bit")
    assert role_pixels(hero, cat, Role.PATTERN, "16bit").sum() >= 6
    assert role_pixels(hero, cat, Role.BASE, "16bit").sum() >= 20
