"""A decoded photo -> the upright RGB(A) working image, with few full-size copies in memory.

The obvious chain (rotate, convert the mode, then shrink) copies the full-size image at each step: a
49 MP 16-bit grey PNG took 750 MB that way. Here the full-size image is read once, in horizontal
strips: each strip is converted to a compact mode and box-reduced by the integer factor that
Pillow's `resize(..., reducing_gap=2.0)` would use, so only the reduced image is kept. The Lanczos
step runs on that, and the rotation on the final, small image.

Where the photo is not rotated this gives exactly the pixels of the obvious chain (the reduce, the
premultiplied alpha and the Lanczos box are Pillow's own); a rotated photo that needs shrinking may
differ by rounding, since the rotation now comes after the resampling.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import numpy as np
from PIL import Image, ImageFile

# EXIF orientation -> the transpose that makes the photo upright (as ImageOps.exif_transpose).
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
SWAPPING_ORIENTATIONS = {5, 6, 7, 8}
SIXTEEN_BIT = ("I;16", "I;16B", "I;16L", "I;16N", "I")
ALPHA_MODES = ("RGBA", "LA", "PA", "La", "RGBa")
GREY_MODES = ("1", "L", "LA", "La")
# Up to this size (phone photos), a rotated photo is turned before resampling, as it always was;
# bigger ones are turned after it, so no full-size turned copy is made.
TURN_FIRST_MAX_PIXELS = 16_000_000
STRIP_BYTES = 4 * 1024 * 1024  # full-size bytes converted at a time (Pillow keeps 4 a pixel)

Convert = Callable[[Image.Image], Image.Image]


@dataclass(frozen=True)
class Shrink:
    """How one decoded image becomes the working image; sizes are in the stored orientation."""

    full: tuple[int, int]
    target: tuple[int, int]
    factor: tuple[int, int]
    orientation: int

    @classmethod
    def plan(cls, size: tuple[int, int], orientation: int, max_side: int) -> Shrink:
        target = size
        if max(size) > max_side:
            scale = max_side / max(size)
            target = (max(1, round(size[0] * scale)), max(1, round(size[1] * scale)))
        factor = (1, 1)
        if target != size:  # Pillow's reducing_gap=2.0: box-reduce while 2x or more remains
            factor = (int(size[0] / target[0] / 2) or 1, int(size[1] / target[1] / 2) or 1)
        return cls(size, target, factor, orientation)

    def compact(self, image: Image.Image) -> Image.Image:
        """The full-size image in L, RGB, RGBA or (premultiplied, to resample) RGBa, reduced by
        `factor`; the image itself when nothing changes. The caller then drops the full one."""
        mode = _compact_mode(image, resampling=self.target != self.full)
        if mode == image.mode and self.factor == (1, 1):
            return image
        return _in_strips(image, _converter(image, mode), mode, self.factor)

    def finish(self, compact: Image.Image) -> Image.Image:
        """Lanczos down to the target, rotate upright, and end in RGB or RGBA."""
        method = UPRIGHT.get(self.orientation)
        target = self.target
        box = (0.0, 0.0, self.full[0] / self.factor[0], self.full[1] / self.factor[1])
        turn_first = self.factor == (1, 1) and self.full[0] * self.full[1] <= TURN_FIRST_MAX_PIXELS
        if method is not None and turn_first:
            # Exactly as exif_transpose then resize always did (turning last can differ by
            # rounding); a copy this size is affordable.
            compact, method = compact.transpose(method), None
            if self.orientation in SWAPPING_ORIENTATIONS:
                target, box = (target[1], target[0]), (0.0, 0.0, box[3], box[2])
        if self.target != self.full:
            compact = compact.resize(target, Image.Resampling.LANCZOS, box=box)
        if compact.mode == "RGBa":
            compact = compact.convert("RGBA")
        upright = compact.transpose(method) if method is not None else compact
        if upright.mode not in ("RGB", "RGBA"):
            upright = upright.convert("RGB")
        elif isinstance(upright, ImageFile.ImageFile):  # untouched: don't hand out the file
            upright = upright.copy()
        upright.info = {}  # the file's metadata (EXIF with its orientation, GPS...) stays behind
        return upright


def _compact_mode(image: Image.Image, *, resampling: bool) -> str:
    """Grey stays one band until the end; alpha is kept only when some pixel is see-through."""
    if image.mode in SIXTEEN_BIT:
        return "L"
    if _has_real_alpha(image):
        return "RGBa" if resampling else "RGBA"  # Pillow resamples RGBA premultiplied
    return "L" if image.mode in GREY_MODES else "RGB"


def _has_real_alpha(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA"):
        return _alpha_low(image) < 255  # read in place: no copy
    if image.mode not in ALPHA_MODES and "transparency" not in image.info:
        return False
    rows = _strip_rows(image.width, 1)
    for top in range(0, image.height, rows):
        strip = image.crop((0, top, image.width, min(image.height, top + rows)))
        if _alpha_low(strip.convert("RGBA")) < 255:
            return True
    return False


def _alpha_low(image: Image.Image) -> int:
    """The lowest alpha of an image whose last band is alpha."""
    bands = cast("tuple[tuple[int, int], ...]", image.getextrema())
    return int(bands[-1][0])


def _converter(image: Image.Image, mode: str) -> Convert:
    if image.mode in SIXTEEN_BIT:
        return _sixteen_bit_to_grey(image)
    if mode == "RGBa":
        return lambda strip: strip.convert("RGBA").convert("RGBa")
    return lambda strip: strip.convert(mode)


def _sixteen_bit_to_grey(image: Image.Image) -> Convert:
    """Scale 16-bit samples to 8 bits (Pillow's convert clips all above 255 to white); the
    shift is decided on the whole image, as if it were converted at once."""
    low, high = cast("tuple[int, int]", image.getextrema())
    shift = 8 if int(high) > 255 or int(low) < 0 else 0  # negatives wrap past 255 as uint32

    def convert(strip: Image.Image) -> Image.Image:
        values = np.asarray(strip, dtype=np.uint32)
        return Image.fromarray((values >> shift).clip(0, 255).astype(np.uint8))

    return convert


def _in_strips(
    image: Image.Image, convert: Convert, mode: str, factor: tuple[int, int]
) -> Image.Image:
    width, height = image.size
    out = Image.new(mode, (math.ceil(width / factor[0]), math.ceil(height / factor[1])))
    rows = _strip_rows(width, factor[1])
    for top in range(0, height, rows):
        strip = convert(image.crop((0, top, width, min(height, top + rows))))
        if factor != (1, 1):
            strip = strip.reduce(factor)
        out.paste(strip, (0, top // factor[1]))
    return out


def _strip_rows(width: int, multiple: int) -> int:
    """Rows per strip: about STRIP_BYTES of the full image, a whole number of reduce blocks."""
    rows = max(1, STRIP_BYTES // (4 * max(1, width)))
    return max(multiple, rows // multiple * multiple)
