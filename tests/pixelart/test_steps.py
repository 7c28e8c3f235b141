"""The pixelizer's steps on tiny hand-made grids: downscale, palette choice, clean-up, outline."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from core.pixelart import metrics
from core.pixelart.cleanup import orphan_mask, remove_orphans, smooth_silhouette
from core.pixelart.colour import rgb_to_lab
from core.pixelart.downscale import downscale, grid_shape
from core.pixelart.outline import add_outline, ring
from core.pixelart.pixelize import pixelize
from core.pixelart.quantize import kmeans
from core.pixelart.styles import STYLES

FUR, EYE = (170, 120, 70), (20, 15, 10)


def board(rows: str) -> np.ndarray:
    return np.array([[c == "#" for c in row] for row in rows.split()])


def test_grid_shape_keeps_the_aspect() -> None:
    assert grid_shape(300, 200, 32) == (32, 21)
    assert grid_shape(200, 300, 32) == (21, 32)
    assert grid_shape(2000, 5, 16) == (16, 1)


def test_a_small_dark_eye_keeps_its_cell_dark() -> None:
    rgba = np.zeros((80, 80, 4), dtype=np.uint8)
    rgba[...] = (*FUR, 255)
    rgba[34:39, 44:49] = (*EYE, 255)  # 5x5 px: under half a 10 px cell, straddling two
    cells = downscale(rgba, (8, 8))
    light = cells.lab[..., 0]
    fur_l, eye_l = rgb_to_lab(np.array([FUR], np.uint8))[0, 0], rgb_to_lab(np.array([EYE]))[0, 0]
    assert light.min() < eye_l + 10  # the eye's own darkness, not a fur/eye average
    assert cells.detail.sum() <= 4
    assert np.isclose(np.median(light), fur_l, atol=1)
    assert cells.coverage.min() == pytest.approx(1.0)


def test_edge_cells_take_the_pets_colour_not_the_background() -> None:
    rgba = np.zeros((40, 40, 4), dtype=np.uint8)
    rgba[:, :] = (0, 255, 0, 0)  # green, but transparent: must not bleed in
    rgba[:, :25] = (*FUR, 255)
    cells = downscale(rgba, (4, 4))
    assert cells.coverage[:, 2] == pytest.approx(0.5)
    fur = rgb_to_lab(np.array([FUR], np.uint8))[0]
    assert np.abs(cells.lab[:, 2] - fur).max() < 2


def test_kmeans_is_seeded_and_keeps_a_small_extreme() -> None:
    rng = np.random.default_rng(0)
    fur = rng.normal((60, 15, 30), 3, size=(500, 3))
    points = np.vstack([fur, [[5, 0, 0], [6, 0, 0]]]).astype(np.float32)
    a, b = kmeans(points, 4, seed=3), kmeans(points, 4, seed=3)
    assert np.array_equal(a, b)
    assert a[:, 0].min() < 10  # two eye pixels among 500 fur pixels still get a colour


def test_smooth_silhouette() -> None:
    shape = board(
        """
        ........
        .####...
        .#.##..#
        .####...
        .####...
        ..#.....
        ..#.....
        """
    )
    smooth = smooth_silhouette(shape)
    assert smooth[2, 2]  # pinhole filled
    assert not smooth[2, 7]  # lone speck dropped
    assert smooth[5:7, 2].all()  # a one-pixel leg stays


def test_orphans_go_but_eyes_stay() -> None:
    index = np.zeros((5, 6), dtype=int)
    index[1, 1] = 1  # a light speck: noise
    index[2, 4] = 2  # a dark dot inside: an eye
    opaque = np.ones_like(index, dtype=bool)
    lightness = np.array([60.0, 75.0, 10.0])
    assert orphan_mask(index, opaque).sum() == 2
    cleaned = remove_orphans(index, opaque, lightness)
    assert cleaned[1, 1] == 0
    assert cleaned[2, 4] == 2


def test_hard_outline_goes_around() -> None:
    opaque = board("..... .###. .###. .....")
    index = np.zeros(opaque.shape, dtype=int)
    palette = np.array([[170, 120, 70]], dtype=np.uint8)
    out, filled, colours = add_outline(index, opaque, palette, STYLES["8bit"])
    assert filled.sum() == opaque.sum() + ring(opaque).sum()
    assert (out[ring(opaque)] == 1).all()
    assert colours[1].tolist() == [0, 0, 0]
    assert (out[opaque] == 0).all()  # the pet itself is untouched


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_any_input_gives_exact_output(seed: int) -> None:
    rng = np.random.default_rng(seed)
    noise = rng.integers(0, 256, size=(97, 143, 4), dtype=np.uint8)
    for style in STYLES:
        sprite = pixelize(Image.fromarray(noise, "RGBA"), style=style, size=24, seed=seed)
        assert max(sprite.image.size) == 24
        assert metrics.grid_exactness(sprite.image, sprite.palette) == 1.0
