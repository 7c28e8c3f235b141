"""Animation frames: exact pixel moves, palette kept, one cell, eyes that blink, deterministic."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw
from scipy import ndimage

from core.errors import NoSubjectFound
from core.sprites.animate import ANIMATIONS, Frame, animate
from tests.sprites.conftest import DOG, PALETTE, Sprite, drawn_pet, from_ascii, rgb

SIZES = [16, 24, 32, 48, 64, 96, 128]


def pixels(frame: Frame) -> np.ndarray:
    return np.asarray(frame.image)


def colours(rgba: np.ndarray) -> set[tuple[int, int, int]]:
    return {tuple(int(v) for v in px) for px in rgba[rgba[..., 3] > 0, :3]}


def content_box(rgba: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(rgba[..., 3])
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def pet_pixels(rgba: np.ndarray, colour: tuple[int, int, int] | None = None) -> np.ndarray:
    """Opaque pixels, leaving out one colour (the sparkles)."""
    solid = rgba[..., 3] > 0
    if colour is not None:
        solid &= ~np.all(rgba[..., :3] == colour, axis=-1)
    return solid


@pytest.fixture(params=["dog", *[f"pet{s}" for s in SIZES], "cat32", "cat128"])
def sprite(request: pytest.FixtureRequest) -> Sprite:
    name = request.param
    if name == "dog":
        return Sprite(from_ascii(DOG)[0], PALETTE)
    size = int(name[3:])
    return Sprite(drawn_pet(size, frontal=name.startswith("cat"))[0], PALETTE)


def test_every_frame_keeps_the_palette_and_binary_alpha(sprite: Sprite) -> None:
    allowed = {rgb(c) for c in sprite.palette}
    for name, frames in animate(sprite).items():
        for i, frame in enumerate(frames):
            rgba = pixels(frame)
            assert frame.image.mode == "RGBA"
            assert set(np.unique(rgba[..., 3]).tolist()) <= {0, 255}, (name, i)
            assert colours(rgba) <= allowed, (name, i)


def test_frame_counts_and_order(sprite: Sprite) -> None:
    animations = animate(sprite)
    assert tuple(animations) == ANIMATIONS
    for name in ("idle", "walk", "jump", "special"):
        assert len(animations[name]) >= 4, name
    assert len(animations["jump"]) == 4  # the atlas contract names four jump poses
    assert len(animations["hurt"]) >= 2
    assert all(
        f.duration_ms > 0 and f.duration_ms % 10 == 0 for fs in animations.values() for f in fs
    )


def test_one_cell_one_anchor_one_ground_line(sprite: Sprite) -> None:
    animations = animate(sprite)
    frames = [f for fs in animations.values() for f in fs]
    assert len({f.image.size for f in frames}) == 1
    assert len({f.anchor for f in frames}) == 1
    w, h = frames[0].image.size
    ax, ay = frames[0].anchor or (0, 0)
    assert ax * 2 == w  # symmetric about the feet: the game's horizontal flip keeps them in place
    src = np.asarray(sprite.image)
    sx0, sy0, sx1, sy1 = content_box(src)
    assert w >= sx1 - sx0
    assert h >= sy1 - sy0
    for name in ("idle", "walk"):
        for frame in animations[name]:
            assert content_box(pixels(frame))[3] == ay, name  # feet rest on the anchor line
    rest = content_box(pixels(animations["idle"][0]))
    assert rest[0] < ax < rest[2]


def test_rest_frame_is_the_sprite_itself(sprite: Sprite) -> None:
    rest = pixels(animate(sprite)["idle"][0])
    src = np.asarray(sprite.image)
    x0, y0, x1, y1 = content_box(src)
    rx0, ry0, rx1, ry1 = content_box(rest)
    np.testing.assert_array_equal(rest[ry0:ry1, rx0:rx1], src[y0:y1, x0:x1])


def test_moves_copy_pixels_and_add_only_palette_effects() -> None:
    image = from_ascii(DOG)[0]
    sprite = Sprite(image, PALETTE)  # the dog uses 6 of these 16 colours
    source = colours(np.asarray(image))
    animations = animate(sprite)
    for name in ("idle", "walk", "jump"):
        for frame in animations[name]:
            assert colours(pixels(frame)) <= source, name  # no blending, no new shades
    brightest = rgb("#f4f4f4")
    for name in ("special", "hurt"):
        for frame in animations[name]:
            assert colours(pixels(frame)) <= source | {brightest}, name


def test_walk_changes_only_the_legs_and_bobs_the_body(sprite: Sprite) -> None:
    animations = animate(sprite)
    rest = pixels(animations["idle"][0])
    x0, y0, x1, y1 = content_box(rest)
    upper = round((y1 - y0) * 0.6)
    head = rest[y0 : y0 + upper]
    bottoms = set()
    bobs = set()
    for frame in animations["walk"]:
        rgba = pixels(frame)
        top = content_box(rgba)[1]
        bob = y0 - top
        assert bob in (0, max(1, round(max(x1 - x0, y1 - y0) / 32)))
        bobs.add(bob)
        np.testing.assert_array_equal(rgba[top : top + upper], head)
        bottoms.add(rgba[y0 + upper :].tobytes())
    assert bobs == {0, max(bobs)}
    assert max(bobs) > 0
    assert len(bottoms) == len(animations["walk"])  # every step poses the legs differently


def eye_changes(sprite: Sprite, eyes: np.ndarray) -> list[int]:
    """Idle frames whose eye pixels differ from the rest pose (allowing for the breathing)."""
    animations = animate(sprite)
    src = np.asarray(sprite.image)
    sx0, sy0, _, _ = content_box(src)
    ys, xs = np.nonzero(eyes)
    rest = pixels(animations["idle"][0])
    rx0, ry0, _, _ = content_box(rest)
    open_eyes = rest[ys - sy0 + ry0, xs - sx0 + rx0]
    changed = []
    for i, frame in enumerate(animations["idle"]):
        rgba = pixels(frame)
        dy = content_box(rgba)[1] - ry0
        if not np.array_equal(rgba[ys - sy0 + ry0 + dy, xs - sx0 + rx0], open_eyes):
            changed.append(i)
    return changed


@pytest.mark.parametrize(("size", "frontal"), [(0, False), (16, False), (32, True), (64, False),
                                               (128, True)])  # fmt: skip
def test_blink_closes_the_eyes_in_one_or_two_frames(size: int, frontal: bool) -> None:
    image, eyes = from_ascii(DOG) if size == 0 else drawn_pet(size, frontal=frontal)
    sprite = Sprite(image, PALETTE)
    changed = eye_changes(sprite, eyes)
    assert 1 <= len(changed) <= 2
    blink = pixels(animate(sprite)["idle"][changed[0]])
    eye_colour = tuple(int(v) for v in np.asarray(image)[eyes][0, :3])
    src_dark = np.all(np.asarray(image)[..., :3] == eye_colour, axis=-1) & eyes
    shut = blink[..., :3].reshape(-1, 3).tolist().count(list(eye_colour))
    total = np.asarray(image)[..., :3].reshape(-1, 3).tolist().count(list(eye_colour))
    assert total - shut >= src_dark.sum() // 2  # at least half the eye pixels became lid


def test_jump_squashes_stretches_tucks_and_reaches() -> None:
    animations = animate(Sprite(from_ascii(DOG)[0], PALETTE))
    rest = content_box(pixels(animations["idle"][0]))
    boxes = [content_box(pixels(f)) for f in animations["jump"]]
    height = rest[3] - rest[1]
    squash, rise, apex, fall = boxes
    assert squash[3] - squash[1] < height
    assert squash[2] - squash[0] > rest[2] - rest[0]
    assert rise[3] - rise[1] > height
    assert rise[2] - rise[0] < rest[2] - rest[0]
    assert apex[3] < rest[3]
    assert apex[1] == rest[1]
    assert fall[3] == rest[3]
    assert fall[3] - fall[1] > height


def test_special_spins_with_sparkles_clear_of_the_pet() -> None:
    animations = animate(
        Sprite(drawn_pet(32)[0], PALETTE)
    )  # no white in its fur: stars stand alone
    sparkle = rgb("#f4f4f4")
    rest = pixels(animations["idle"][0])
    specials = [pixels(f) for f in animations["special"]]
    assert any(np.array_equal(pet_pixels(f, sparkle), pet_pixels(rest[:, ::-1])) for f in specials)
    widths = [np.ptp(np.nonzero(pet_pixels(f, sparkle).any(axis=0))[0]) + 1 for f in specials]
    rest_width = content_box(rest)[2] - content_box(rest)[0]
    assert min(widths) < rest_width / 3  # edge-on mid-turn
    for rgba in specials:
        stars = np.all(rgba[..., :3] == sparkle, axis=-1) & (rgba[..., 3] > 0)
        assert stars.any()
        assert not (
            ndimage.binary_dilation(stars, np.ones((3, 3))) & pet_pixels(rgba, sparkle)
        ).any()


def test_hurt_flashes_and_knocks_back() -> None:
    animations = animate(Sprite(from_ascii(DOG)[0], PALETTE))
    rest = pixels(animations["idle"][0])
    hurt = [pixels(f) for f in animations["hurt"]]
    assert colours(hurt[0]) == {rgb("#f4f4f4")}  # an orange dog flashes the palette's lightest
    assert content_box(hurt[0])[0] == content_box(rest)[0] - 2
    np.testing.assert_array_equal(np.roll(rest, -2, axis=1), hurt[1])
    assert content_box(hurt[-1])[0] == content_box(rest)[0] - 1


def test_pale_pet_flashes_dark() -> None:
    image = np.asarray(drawn_pet(32)[0]).copy()
    solid = image[..., 3] > 0
    image[solid & (image[..., :3].sum(-1) > 200), :3] = rgb("#f4f4f4")
    animations = animate(Sprite(Image.fromarray(image, "RGBA"), PALETTE))
    assert colours(pixels(animations["hurt"][0])) == {rgb("#1a1c2c")}


def test_same_seed_same_frames_other_seed_other_sparkles(sprite: Sprite) -> None:
    def dump(seed: int) -> dict[str, list[bytes]]:
        return {
            n: [pixels(f).tobytes() for f in fs] for n, fs in animate(sprite, seed=seed).items()
        }

    first, again, other = dump(7), dump(7), dump(8)
    assert first == again
    assert {n: v for n, v in first.items() if n != "special"} == {
        n: v for n, v in other.items() if n != "special"
    }
    assert first["special"] != other["special"]


def test_empty_sprite_is_refused_kindly() -> None:
    blank = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    with pytest.raises(NoSubjectFound, match="nothing to animate"):
        animate(Sprite(blank, PALETTE))


@pytest.mark.parametrize("shape", [(1, 1), (1, 3), (3, 1), (2, 16), (16, 2), (40, 7)])
def test_degenerate_shapes_still_animate(shape: tuple[int, int]) -> None:
    rgba = np.zeros((*shape, 4), dtype=np.uint8)
    rgba[...] = (*rgb("#ef7d57"), 255)
    animations = animate(Sprite(Image.fromarray(rgba, "RGBA"), PALETTE))
    assert len({f.image.size for fs in animations.values() for f in fs}) == 1


def test_soft_alpha_is_made_binary() -> None:
    image = from_ascii(DOG)[0]
    soft = np.asarray(image).copy()
    soft[..., 3] = np.where(soft[..., 3] > 0, 200, 30)  # semi-transparent edges from some editor
    frames = animate(Sprite(Image.fromarray(soft, "RGBA"), PALETTE))
    hard = animate(Sprite(image, PALETTE))
    assert [pixels(f).tobytes() for f in frames["idle"]] == [
        pixels(f).tobytes() for f in hard["idle"]
    ]


@st.composite
def random_pets(draw: st.DrawFn) -> Sprite:
    """Blobby sprites of random size, shape and colours: the moves must hold for any input."""
    w = draw(st.integers(16, 128))
    h = draw(st.integers(max(4, w // 3), w))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    palette = [PALETTE[i] for i in rng.choice(len(PALETTE), size=rng.integers(2, 9), replace=False)]
    image = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    for _ in range(rng.integers(1, 7)):
        x0, y0 = rng.integers(0, w), rng.integers(0, h)
        box = [x0, y0, x0 + rng.integers(1, w), y0 + rng.integers(1, h)]
        pen.ellipse(box, fill=(*rgb(palette[rng.integers(len(palette))]), 255))
    pen.point((int(rng.integers(w)), h - 1), fill=(*rgb(palette[0]), 255))
    return Sprite(image, palette)


@settings(max_examples=25, deadline=None)
@given(random_pets(), st.integers(0, 1000))
def test_any_sprite_gives_valid_frames(sprite: Sprite, seed: int) -> None:
    animations = animate(sprite, seed=seed)
    allowed = {rgb(c) for c in sprite.palette}
    frames = [f for fs in animations.values() for f in fs]
    assert len({f.image.size for f in frames}) == 1
    for frame in frames:
        rgba = pixels(frame)
        assert set(np.unique(rgba[..., 3]).tolist()) <= {0, 255}
        assert colours(rgba) <= allowed
    ay = frames[0].anchor[1]  # type: ignore[index]
    assert content_box(pixels(animations["idle"][0]))[3] == ay
