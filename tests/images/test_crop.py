"""Crop: a tight padded box around the cutout, or the user's rectangle as fractions."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from core.errors import InvalidRequest, NoSubjectFound
from core.images.crop import crop_subject, mask_box, user_box


def scene() -> tuple[Image.Image, np.ndarray]:
    """A 400x300 image whose mask is the box x 100..199, y 50..149."""
    arr = np.zeros((300, 400, 4), np.uint8)
    arr[..., 0] = np.arange(400, dtype=np.uint16)[None, :] % 256  # x is readable from red
    arr[..., 3] = 255
    mask = np.zeros((300, 400), np.uint8)
    mask[50:150, 100:200] = 255
    return Image.fromarray(arr), mask


def test_tight_box_is_padded_by_a_fraction_of_the_longer_side() -> None:
    image, mask = scene()
    assert mask_box(mask, 0.0) == (100, 50, 200, 150)
    assert mask_box(mask, 0.1) == (90, 40, 210, 160)
    out = crop_subject(image, mask, pad=0.1)
    assert out.size == (120, 120)
    assert out.mode == "RGBA"
    assert out.getpixel((0, 0))[0] == 90  # the crop starts at x = 90


def test_padding_is_clipped_at_the_frame() -> None:
    image, mask = scene()
    mask[:] = 0
    mask[0:40, 380:400] = 255  # pet in the top-right corner
    assert mask_box(mask, 0.5) == (360, 0, 400, 60)
    assert crop_subject(image, mask, pad=0.5).size == (40, 60)


def test_user_crop_is_fractions_of_the_image() -> None:
    image, mask = scene()
    out = crop_subject(image, mask, user_crop=(0.25, 0.1, 0.75, 0.6))
    assert out.size == (200, 150)
    assert out.getpixel((0, 0))[0] == 100
    # The same fractions frame the same region of a resized copy: they survive resizing.
    assert user_box((0.25, 0.1, 0.75, 0.6), (800, 600)) == (200, 60, 600, 360)


def test_user_crop_that_cuts_part_of_the_pet_is_kept() -> None:
    image, mask = scene()
    assert crop_subject(image, mask, user_crop=(0.0, 0.0, 0.3, 0.3)).size == (120, 90)


def test_user_crop_missing_the_pet_is_refused() -> None:
    image, mask = scene()
    with pytest.raises(NoSubjectFound) as caught:
        crop_subject(image, mask, user_crop=(0.6, 0.6, 1.0, 1.0))
    assert caught.value.code == "no_subject"


@pytest.mark.parametrize(
    "crop",
    [
        (0.5, 0.1, 0.2, 0.9),  # x0 > x1
        (0.1, 0.5, 0.9, 0.5),  # zero height
        (-0.1, 0.0, 0.5, 0.5),
        (0.0, 0.0, 1.2, 0.5),
        (0.0, 0.0, float("nan"), 0.5),
        (0.0, 0.0, float("inf"), 0.5),
        (0.1, 0.1, 0.11, 0.9),  # 1% wide: a mis-tap
        (0.1, 0.2, 0.3),
        ("a", "b", "c", "d"),
        5,  # not a sequence at all
    ],
)
def test_invalid_user_crop_is_refused_with_invalid_request(crop: object) -> None:
    image, mask = scene()
    with pytest.raises(InvalidRequest) as caught:
        crop_subject(image, mask, user_crop=crop)  # type: ignore[arg-type]
    assert caught.value.code == "bad_crop"
    assert "between 0 and 1" in caught.value.message


def test_empty_mask_raises_no_subject() -> None:
    image, mask = scene()
    with pytest.raises(NoSubjectFound):
        crop_subject(image, np.zeros_like(mask))
