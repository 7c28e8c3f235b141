"""pixelize: exact output for every style and size, determinism, clean outlines, surviving faces."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from core.errors import InvalidRequest, NoSubjectFound
from core.pixelart import metrics
from core.pixelart.baseline import naive_pixelize
from core.pixelart.colour import hex_to_rgb
from core.pixelart.palettes import FIXED, GAMEBOY, on_15bit_grid
from core.pixelart.pixelize import PixelSprite, pixelize
from core.pixelart.styles import STYLES
from tests.pixelart.conftest import CAT_EYES, SYNTH_EYES, alpha_mask
from tests.pixelart.faces import eye_contrast

CROSS = ndimage.generate_binary_structure(2, 1)


@pytest.mark.parametrize("size", [16, 24, 32, 64, 128])
@pytest.mark.parametrize("style", sorted(STYLES))
def test_output_is_exact_pixel_art(synth_subject: Image.Image, style: str, size: int) -> None:
    sprite = pixelize(synth_subject, style=style, size=size, seed=1)
    rgba = np.asarray(sprite.image)
    assert sprite.image.mode == "RGBA"
    assert sprite.style == style
    assert max(sprite.image.size) == size
    assert set(np.unique(rgba[..., 3])) == {0, 255}
    assert metrics.palette_adherence(sprite.image, sprite.palette) == 1.0
    assert metrics.grid_exactness(sprite.image, sprite.palette) == 1.0
    used = {tuple(c) for c in rgba[rgba[..., 3] == 255][:, :3]}
    assert used == {hex_to_rgb(c) for c in sprite.palette}  # the palette lists what is drawn
    assert (rgba[rgba[..., 3] == 0] == 0).all()


def test_size_defaults_to_the_style(cat_subject: Image.Image) -> None:
    for name, style in STYLES.items():
        assert max(pixelize(cat_subject, style=name).image.size) == style.default_size


@pytest.mark.parametrize("subject_name", ["synth_subject", "cat_subject"])
def test_same_seed_same_sprite(subject_name: str, request: pytest.FixtureRequest) -> None:
    subject = request.getfixturevalue(subject_name)
    for style in STYLES:
        a = pixelize(subject, style=style, size=32, seed=7)
        b = pixelize(subject, style=style, size=32, seed=7)
        assert a.palette == b.palette
        assert np.array_equal(np.asarray(a.image), np.asarray(b.image))


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("subject_name", ["synth_subject", "cat_subject"])
def test_few_orphan_pixels(style: str, subject_name: str, request: pytest.FixtureRequest) -> None:
    subject = request.getfixturevalue(subject_name)
    for size in (20, 32, 64):
        stats = metrics.orphan_stats(pixelize(subject, style=style, size=size).image)
        assert stats["edge"] == 0, stats
        assert stats["fraction"] <= 0.02, stats


@pytest.mark.parametrize("style", [s for s in sorted(STYLES) if STYLES[s].outline == "hard"])
@pytest.mark.parametrize("subject_name", ["synth_subject", "cat_subject"])
def test_hard_outline_is_closed_and_one_pixel(
    style: str, subject_name: str, request: pytest.FixtureRequest
) -> None:
    subject = request.getfixturevalue(subject_name)
    rgba = np.asarray(pixelize(subject, style=style, size=48).image)
    opaque = rgba[..., 3] == 255
    outside = ~np.pad(opaque, 1)
    side = opaque & ndimage.binary_dilation(outside, structure=CROSS)[1:-1, 1:-1]
    inks = {tuple(c) for c in rgba[side][:, :3]}
    assert len(inks) == 1, inks  # one outline colour all round
    ink = np.all(rgba[..., :3] == rgba[side][0, :3], axis=-1)
    corner = ndimage.binary_dilation(outside, structure=np.ones((3, 3)))[1:-1, 1:-1]
    outline = opaque & ink & corner
    interior = opaque & ~outline
    # One pixel thick: the outline is exactly the side-neighbours of the interior.
    ring = ndimage.binary_dilation(interior, structure=CROSS) & ~interior
    assert np.array_equal(ring, outline)
    assert len({tuple(c) for c in rgba[interior][:, :3]}) > 1
    # ...and it sits around the pet rather than eating into it.
    inner_only = np.where(interior, 255, 0).astype(np.uint8)
    inner_rgba = np.dstack([rgba[..., :3], inner_only])
    assert metrics.silhouette_iou(inner_rgba, alpha_mask(subject)) >= 0.88


def test_selective_outline_shades_the_neighbouring_colours(cat_subject: Image.Image) -> None:
    rgba = np.asarray(pixelize(cat_subject, style="modern", size=64).image)
    opaque = rgba[..., 3] == 255
    assert metrics.outline_coverage(rgba) >= 0.9
    rim = opaque & ~ndimage.binary_erosion(opaque, structure=CROSS, border_value=0)
    assert len({tuple(c) for c in rgba[rim][:, :3]}) >= 2  # shaded, not one ink


@pytest.mark.parametrize("style", [s for s in sorted(STYLES) if STYLES[s].palette in FIXED])
@pytest.mark.parametrize("subject_name", ["synth_subject", "cat_subject"])
def test_fixed_palette_styles_draw_only_hardware_colours(
    style: str, subject_name: str, request: pytest.FixtureRequest
) -> None:
    hardware = FIXED[STYLES[style].palette]
    for size in (16, 48):
        sprite = pixelize(request.getfixturevalue(subject_name), style=style, size=size)
        assert set(sprite.palette) <= set(hardware)  # the outline ink included
        assert metrics.palette_adherence(sprite.image, hardware) == 1.0
        assert len(sprite.palette) <= STYLES[style].max_colours + 1


def test_gameboy_uses_only_its_four_greens(cat_subject: Image.Image) -> None:
    sprite = pixelize(cat_subject, style="gameboy", size=32)
    assert set(sprite.palette) <= set(GAMEBOY)
    assert len(sprite.palette) >= 3  # contrast-stretched: the pet is not one flat green
    assert metrics.palette_adherence(sprite.image, GAMEBOY) == 1.0


def test_16bit_uses_15bit_colour(cat_subject: Image.Image) -> None:
    sprite = pixelize(cat_subject, style="16bit", size=32)
    assert on_15bit_grid(np.array([hex_to_rgb(c) for c in sprite.palette]))
    assert 16 <= len(sprite.palette) <= 33


def test_progress_reaches_100(cat_subject: Image.Image) -> None:
    seen: list[tuple[int, str]] = []
    pixelize(cat_subject, style="8bit", progress=lambda p, label: seen.append((p, label)))
    percents = [p for p, _ in seen]
    assert percents == sorted(percents)
    assert percents[-1] == 100
    assert all(label for _, label in seen)


@pytest.mark.parametrize("style", sorted(STYLES))
def test_sizes_outside_16_to_128_are_refused(cat_subject: Image.Image, style: str) -> None:
    for size in (0, 8, 15, 129, 256):
        with pytest.raises(InvalidRequest, match="16 to 128") as err:
            pixelize(cat_subject, style=style, size=size)
        assert err.value.code == "bad_size"


def test_bad_size_and_empty_subject_are_friendly(cat_subject: Image.Image) -> None:
    with pytest.raises(InvalidRequest, match="16 to 128"):
        pixelize(cat_subject, style="16bit", size=8)
    empty = Image.new("RGBA", (200, 200), (120, 80, 40, 0))
    with pytest.raises(NoSubjectFound, match="photo"):
        pixelize(empty, style="16bit")


def test_small_and_opaque_inputs(cat_image: Image.Image) -> None:
    tiny = cat_image.resize((24, 16))  # smaller than the sprite; no alpha at all
    sprite = pixelize(tiny, style="modern", size=64)
    assert sprite.image.size == (64, 43)
    assert metrics.grid_exactness(sprite.image, sprite.palette) == 1.0


def test_face_survives_on_the_synthetic_pet(synth_subject: Image.Image) -> None:
    for style in STYLES:
        sprite = pixelize(synth_subject, style=style, size=32)
        assert eye_contrast(sprite.image, SYNTH_EYES, pad=1) >= 30, style


def test_face_survives_on_the_real_cat_better_than_the_baseline(cat_subject: Image.Image) -> None:
    baseline = eye_contrast(naive_pixelize(cat_subject, size=32, colours=16).image, CAT_EYES, 0)
    for style in ("8bit", "16bit", "modern", "pico8"):
        ours = eye_contrast(pixelize(cat_subject, style=style, size=32).image, CAT_EYES, 1)
        assert ours >= 35, style
        assert ours >= baseline + 10, (style, ours, baseline)


@pytest.mark.parametrize("size", range(16, 41, 3))
def test_eyes_survive_at_every_small_size(synth_subject: Image.Image, size: int) -> None:
    # Multi-shade eyes once split into orphans that clean-up painted over (modern, 19-20 px).
    for style in STYLES:
        sprite = pixelize(synth_subject, style=style, size=size)
        assert eye_contrast(sprite.image, SYNTH_EYES, pad=1) >= 30, style


def naive_for(style: str, subject: Image.Image, ours_size: int, colours: int) -> PixelSprite:
    """The naive baseline at our sprite's body size, with the style's palette when fixed."""
    hardware = FIXED.get(STYLES[style].palette)
    return naive_pixelize(subject, size=ours_size - 2, colours=colours, palette=hardware)


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize(
    ("subject_name", "eyes"), [("synth_subject", SYNTH_EYES), ("cat_subject", CAT_EYES)]
)
def test_face_survives_16px_where_the_naive_baseline_loses_it(
    style: str, subject_name: str, eyes: tuple, request: pytest.FixtureRequest
) -> None:
    subject = request.getfixturevalue(subject_name)
    ours = pixelize(subject, style=style, size=16)
    naive = naive_for(style, subject, 16, len(ours.palette))
    ours_eye, naive_eye = eye_contrast(ours.image, eyes, 1), eye_contrast(naive.image, eyes, 0)
    assert ours_eye >= 25, (ours_eye, naive_eye)
    assert ours_eye >= naive_eye + 10, (ours_eye, naive_eye)


@pytest.mark.parametrize("style", sorted(STYLES))
@pytest.mark.parametrize("subject_name", ["synth_subject", "cat_subject"])
def test_beats_the_baseline_on_pixel_art_metrics(
    style: str, subject_name: str, request: pytest.FixtureRequest
) -> None:
    subject = request.getfixturevalue(subject_name)
    mask = alpha_mask(subject)
    ours = pixelize(subject, style=style, size=32)
    naive = naive_for(style, subject, 32, len(ours.palette))
    ours_orphans, naive_orphans = (metrics.orphan_stats(s.image) for s in (ours, naive))
    assert ours_orphans["edge"] == 0
    assert ours_orphans["count"] <= naive_orphans["count"]
    if subject_name == "cat_subject":  # real fur: the naive sprite is visibly speckled
        assert ours_orphans["count"] < naive_orphans["count"]
    body = metrics.body(ours.image)  # outline stripped: compare like with like
    assert metrics.contrast_kept(body, subject) >= 0.95
    naive_kept = metrics.contrast_kept(naive.image, subject)
    if naive_kept < 1.0:  # past the photo's own contrast (flat synthetic pet), more is not better
        assert metrics.contrast_kept(body, subject) > naive_kept
    assert metrics.silhouette_iou(body, mask) >= 0.9
    assert metrics.outline_coverage(ours.image) >= 0.9
    assert metrics.outline_coverage(naive.image) < 0.5
    if STYLES[style].palette not in FIXED:  # adaptive palettes stay close to the photo's colours
        assert metrics.colour_error(body, subject) <= 12
