"""Metrics on tiny hand-made arrays, so each one is shown to fail as well as pass."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from core.pixelart import metrics
from core.pixelart.baseline import naive_pixelize

R, G, B, K = (255, 0, 0), (0, 255, 0), (0, 0, 255), (0, 0, 0)
PALETTE = ["#ff0000", "#00ff00"]


def rgba(rows: list[list[tuple[int, int, int] | None]]) -> np.ndarray:
    """None = transparent; a colour tuple = opaque."""
    out = np.zeros((len(rows), len(rows[0]), 4), dtype=np.uint8)
    for y, row in enumerate(rows):
        for x, c in enumerate(row):
            if c is not None:
                out[y, x] = (*c, 255)
    return out


def test_palette_adherence_and_grid_exactness() -> None:
    img = rgba([[R, G], [B, None]])
    assert metrics.palette_adherence(img, PALETTE) == pytest.approx(2 / 3)
    assert metrics.grid_exactness(img, PALETTE) == pytest.approx(3 / 4)
    half = img.copy()
    half[0, 0, 3] = 128  # a mixed sub-pixel is not exact even in a palette colour
    assert metrics.grid_exactness(half, PALETTE) == pytest.approx(2 / 4)
    assert metrics.palette_adherence(rgba([[None]]), PALETTE) == 1.0
    assert metrics.palette_adherence(Image.fromarray(rgba([[R, R]])), PALETTE) == 1.0


def test_orphans_count_pixels_sharing_no_neighbour_colour() -> None:
    img = rgba(
        [
            [R, R, R, None],
            [R, G, R, None],
            [R, R, R, B],
            [G, None, G, None],
        ]
    )
    lonely = metrics.orphans(img)
    assert lonely.tolist() == [
        [False, False, False, False],
        [False, True, False, False],
        [False, False, False, True],
        [True, False, True, False],
    ]
    stats = metrics.orphan_stats(img)
    assert stats["count"] == 4
    assert stats["inside"] == 1
    assert stats["edge"] == 3
    assert stats["fraction"] == pytest.approx(4 / 12)
    diagonal = rgba([[G, R], [R, G]])  # a checker: every pixel has a diagonal twin
    assert metrics.orphan_stats(diagonal)["count"] == 0


def test_silhouette_iou_ignores_framing() -> None:
    mask = np.zeros((40, 40), dtype=np.uint8)
    mask[10:30, 10:20] = 255  # a 2:1 box, padded
    assert metrics.silhouette_iou(rgba([[R], [R]]), mask) == 1.0
    half = rgba([[R, R], [R, None], [R, None], [R, None]])
    assert metrics.silhouette_iou(half, mask) == pytest.approx(5 / 8)
    assert metrics.silhouette_iou(rgba([[None]]), mask) == 0.0


def test_colour_error_and_contrast_kept() -> None:
    subject = np.zeros((4, 4, 4), dtype=np.uint8)
    subject[:, :2] = (*K, 255)
    subject[:, 2:] = (255, 255, 255, 255)
    same = rgba([[K, (255, 255, 255)]])
    assert metrics.colour_error(same, subject) == pytest.approx(0.0, abs=0.01)
    assert metrics.contrast_kept(same, subject) == pytest.approx(1.0, abs=0.01)
    grey = rgba([[(119, 119, 119), (119, 119, 119)]])  # L* = 50
    assert metrics.colour_error(grey, subject) == pytest.approx(50, abs=0.5)
    assert metrics.contrast_kept(grey, subject) == pytest.approx(0.0, abs=0.01)


def test_outline_coverage() -> None:
    light = (230, 200, 160)
    outlined = rgba([[K] * 5, [K, light, light, light, K], [K, light, light, light, K], [K] * 5])
    assert metrics.outline_coverage(outlined) == 1.0
    bare = rgba([[light] * 5] * 4)
    assert metrics.outline_coverage(bare) == 0.0
    half = outlined.copy()
    half[0, :, :3] = light  # the top edge lost its outline: 5 of 14 rim pixels
    assert metrics.outline_coverage(half) == pytest.approx(9 / 14)


def test_baseline_matches_size_and_colour_budget(cat_subject: Image.Image) -> None:
    sprite = naive_pixelize(cat_subject, size=32, colours=12)
    assert max(sprite.image.size) == 32
    assert len(sprite.palette) <= 12
    assert metrics.grid_exactness(sprite.image, sprite.palette) == 1.0


def test_body_strips_the_one_pixel_rim() -> None:
    light = (230, 200, 160)
    outlined = rgba([[K] * 5, [K, light, light, light, K], [K, light, light, light, K], [K] * 5])
    body = metrics.body(outlined)
    assert (body[..., 3] > 0).sum() == 6
    assert {tuple(c) for c in body[body[..., 3] > 0][:, :3]} == {light}
    assert (body[body[..., 3] == 0] == 0).all()


def test_baseline_with_a_fixed_palette_uses_only_it(cat_subject: Image.Image) -> None:
    greens = ["#0f380f", "#306230", "#8bac0f", "#9bbc0f"]
    sprite = naive_pixelize(cat_subject, size=24, colours=99, palette=greens)
    assert max(sprite.image.size) == 24
    assert set(sprite.palette) <= set(greens)
    assert metrics.palette_adherence(sprite.image, greens) == 1.0
