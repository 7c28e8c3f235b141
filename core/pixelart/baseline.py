"""The naive baseline the tests and benchmark compare against: box resize, then quantize.

Two flavours, both with the same framing and size as `pixelize` and none of its care: median-cut to
a colour budget (the usual "pixelate" filter), or nearest colour of a fixed hardware palette (what a
naive Game Boy / PICO-8 / NES filter does).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image

from core.pixelart.colour import hex_array, rgb_to_hex
from core.pixelart.downscale import grid_shape, subject_box
from core.pixelart.pixelize import PixelSprite


def naive_pixelize(
    subject_rgba: Image.Image,
    *,
    size: int,
    colours: int,
    palette: Sequence[str] | None = None,
) -> PixelSprite:
    """PIL box-resize to `size` (longest side), then median-cut to `colours`.

    With `palette`, each pixel instead takes the nearest palette colour in RGB (no dithering) and
    `colours` is ignored.
    """
    rgba = subject_rgba.convert("RGBA")
    box = subject_box(np.asarray(rgba)[..., 3])
    cropped = rgba.crop(box)
    small = cropped.resize(grid_shape(*cropped.size, size), Image.Resampling.BOX)
    alpha = np.asarray(small)[..., 3] >= 128
    if palette is None:
        quantized = small.convert("RGB").quantize(colors=colours, method=Image.Quantize.MEDIANCUT)
        rgb = np.asarray(quantized.convert("RGB"))
    else:
        rgb = nearest_rgb(np.asarray(small.convert("RGB")), hex_array(palette))
    out = np.zeros((*alpha.shape, 4), dtype=np.uint8)
    out[alpha, :3] = rgb[alpha]
    out[alpha, 3] = 255
    used = np.unique(rgb[alpha].reshape(-1, 3), axis=0)
    return PixelSprite(
        image=Image.fromarray(out, "RGBA"),
        palette=[rgb_to_hex(c) for c in used],
        style="baseline",
    )


def nearest_rgb(rgb: np.ndarray, entries: np.ndarray) -> np.ndarray:
    """Each pixel replaced by the nearest entry in plain RGB distance."""
    flat = rgb.reshape(-1, 1, 3).astype(np.int32)
    d2 = ((flat - entries[None].astype(np.int32)) ** 2).sum(axis=2)
    return np.asarray(entries[np.argmin(d2, axis=1)].reshape(rgb.shape), dtype=np.uint8)
