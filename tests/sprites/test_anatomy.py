"""Landmarks (eyes, legs, feet centre) and the exact row/column moves everything is built from."""

from __future__ import annotations

import numpy as np
import pytest

from core.sprites.anatomy import analyse, close_eyes, find_eyes
from core.sprites.pixelops import (
    Layer,
    bounds,
    crop_to_content,
    drop_cols,
    drop_rows,
    mirrored,
    render,
    repeat_rows,
    spread,
)
from tests.sprites.conftest import DOG, drawn_pet, from_ascii, rgb


def crop_like(mask: np.ndarray, rgba: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(rgba[..., 3])
    return mask[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


@pytest.mark.parametrize(
    ("size", "frontal"), [(0, False), (16, False), (24, True), (32, True), (64, False), (128, True)]
)
def test_finds_exactly_the_eyes(size: int, frontal: bool) -> None:
    image, eyes = from_ascii(DOG) if size == 0 else drawn_pet(size, frontal=frontal)
    rgba = np.asarray(image)
    found = find_eyes(crop_to_content(rgba))
    np.testing.assert_array_equal(found, crop_like(eyes, rgba))


def test_stripes_patches_and_outline_are_not_eyes() -> None:
    image, eyes = drawn_pet(64)
    rgba = np.asarray(image).copy()
    dark = (*rgb("#1a1c2c"), 255)
    rgba[22:24, 8:40] = dark  # a long tabby stripe across the back
    rgba[26:36, 30:40] = (*rgb("#b13e53"), 255)  # a big darker patch
    found = find_eyes(crop_to_content(rgba))
    np.testing.assert_array_equal(found, crop_like(eyes, rgba))


def test_no_eyes_on_a_plain_blob() -> None:
    rgba = np.zeros((20, 30, 4), dtype=np.uint8)
    rgba[2:18, 2:28] = (*rgb("#ef7d57"), 255)
    assert not find_eyes(rgba).any()


def test_dark_pet_with_light_eyes() -> None:
    rgba = np.zeros((24, 32, 4), dtype=np.uint8)
    rgba[2:23, 2:30] = (*rgb("#1a1c2c"), 255)
    rgba[6:8, 18] = rgba[6:8, 24] = (*rgb("#a7f070"), 255)
    found = find_eyes(rgba)
    assert found.sum() == 4
    assert found[6:8, 18].all()
    assert found[6:8, 24].all()


def test_closed_eye_takes_the_fur_colour_and_keeps_a_lash_line() -> None:
    rgba = np.asarray(from_ascii(DOG)[0])
    art = crop_to_content(rgba)
    eyes = find_eyes(art)
    shut = close_eyes(art, eyes)
    (y0, x), (y1, _) = np.argwhere(eyes)
    assert tuple(shut[y0, x, :3]) == rgb("#ef7d57")  # the lid is fur
    assert tuple(shut[y1, x, :3]) == rgb("#1a1c2c")  # the bottom row stays dark
    assert np.array_equal(shut[~eyes], art[~eyes])


def test_legs_and_feet_centre_of_the_dog() -> None:
    a = analyse(np.asarray(from_ascii(DOG)[0]))
    assert a.unit == 1
    assert a.height == 23
    assert a.leg_top == 17  # the bottom quarter: the legs below the belly line
    assert 8 < a.anchor_x < 22  # between the back legs (x 3-7) and front legs (x 21-25)
    lo, hi = a.torso
    assert a.eyes.any(axis=1).nonzero()[0].max() < lo < hi <= a.leg_top
    assert not a.eyes[:, a.body_cols(2)].any()


def test_units_grow_with_size() -> None:
    assert [analyse(np.asarray(drawn_pet(s)[0])).unit for s in (16, 32, 64, 128)] == [1, 1, 2, 4]


def test_row_and_column_moves_are_exact() -> None:
    rgba = np.arange(4 * 3 * 4, dtype=np.uint8).reshape(4, 3, 4)
    assert np.array_equal(repeat_rows(rgba, [1, 1])[1:4], rgba[[1, 1, 1]])
    assert repeat_rows(rgba, [1, 1]).shape == (6, 3, 4)
    assert np.array_equal(drop_rows(rgba, [0, 2]), rgba[[1, 3]])
    assert drop_rows(rgba, range(10)).shape[0] == 1  # never squashed out of existence
    assert drop_cols(rgba, [1]).shape == (4, 2, 4)
    assert spread(0, 10, 3) == [1, 5, 8]
    assert spread(4, 4, 3) == []
    assert spread(0, 2, 5) == [0, 1]


def test_layers_render_mirror_and_clip() -> None:
    dot = np.zeros((1, 2, 4), dtype=np.uint8)
    dot[0, 0] = (10, 20, 30, 255)
    layer = Layer(dot, 1, -1)
    assert bounds([layer]) == (1, -1, 2, 0)
    flipped = mirrored(layer)
    assert (flipped.x0, flipped.x1) == (-3, -1)
    assert flipped.rgba[0, 1, 3] == 255
    out = render([layer, Layer(dot, 50, 50)], (-2, -2, 2, 0))  # the second one lies outside
    assert out.shape == (2, 4, 4)
    assert out[1, 3, 3] == 255
    assert out[..., 3].sum() == 255
