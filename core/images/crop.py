"""Frame the pet: a tight, padded box around the cutout, or the user's own crop rectangle."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PIL import Image

from core.errors import InvalidRequest, NoSubjectFound

UserCrop = tuple[float, float, float, float]
# A crop smaller than this fraction of a side is almost surely a mis-tap, not a framing choice.
MIN_CROP_SIDE = 0.02


def crop_subject(
    rgba: Image.Image,
    mask: np.ndarray,
    *,
    user_crop: Sequence[float] | None = None,
    pad: float = 0.06,
) -> Image.Image:
    """The RGBA subject: the user's rectangle (fractions x0, y0, x1, y1) or the mask's padded box.

    A user's rectangle that misses the cutout entirely raises NoSubjectFound (the sprite would be
    empty); one that cuts part of the pet off is the user's choice and is kept.
    """
    if mask.shape != (rgba.height, rgba.width):
        raise ValueError(f"mask {mask.shape} does not match image {rgba.size}")
    image = rgba.convert("RGBA")
    if user_crop is not None:
        box = user_box(user_crop, image.size)
        if not (mask[box[1] : box[3], box[0] : box[2]] > 0).any():
            raise NoSubjectFound(
                "Your crop leaves out the pet we found. Draw the box around your pet, or skip"
                " cropping and let us frame it.",
                code="no_subject",
            )
        return image.crop(box)
    return image.crop(mask_box(mask, pad))


def user_box(user_crop: Sequence[float], size: tuple[int, int]) -> tuple[int, int, int, int]:
    """Validate fractions and turn them into a pixel box of at least one pixel a side."""
    x0, y0, x1, y1 = _fractions(user_crop)
    w, h = size
    left, top = min(int(x0 * w), w - 1), min(int(y0 * h), h - 1)
    right, bottom = max(math.ceil(x1 * w), left + 1), max(math.ceil(y1 * h), top + 1)
    return left, top, min(right, w), min(bottom, h)


def mask_box(mask: np.ndarray, pad: float) -> tuple[int, int, int, int]:
    """Bounding box of the mask grown by pad x its longer side, clipped to the image."""
    ys, xs = np.nonzero(mask > 0)
    if len(xs) == 0:
        raise NoSubjectFound(
            "We couldn't find a pet in this photo: try one where your pet fills more of the frame.",
            code="no_subject",
        )
    h, w = mask.shape
    left, top, right, bottom = int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1
    margin = round(pad * max(right - left, bottom - top))
    return (
        max(0, left - margin),
        max(0, top - margin),
        min(w, right + margin),
        min(h, bottom + margin),
    )


def _fractions(user_crop: Sequence[float]) -> UserCrop:
    bad = InvalidRequest(
        "The crop must be four numbers (x0, y0, x1, y1) between 0 and 1, with x0 < x1 and"
        f" y0 < y1, each side at least {MIN_CROP_SIDE:.0%} of the photo. Got {user_crop!r}.",
        code="bad_crop",
    )
    try:
        x0, y0, x1, y1 = (float(v) for v in user_crop)
    except (TypeError, ValueError):
        raise bad from None
    values = (x0, y0, x1, y1)
    if not all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in values):
        raise bad
    if x1 - x0 < MIN_CROP_SIDE or y1 - y0 < MIN_CROP_SIDE:
        raise bad
    return values
