"""Eye contrast: how clearly the darkest pixel of an eye stands out from the fur around it."""

from __future__ import annotations

import numpy as np
from PIL import Image

from core.pixelart.colour import rgb_to_lab

Box = tuple[float, float, float, float]


def eye_contrast(sprite: Image.Image, eyes: tuple[Box, ...], pad: int) -> float:
    """Median L* of the sprite's interior minus the darkest L* in each eye box (the weaker eye).

    Boxes are fractions of the subject's bounding box; `pad` is the outline's width around it.
    """
    rgba = np.asarray(sprite)
    inner = rgba[pad : rgba.shape[0] - pad, pad : rgba.shape[1] - pad]
    light = rgb_to_lab(inner[..., :3])[..., 0]
    opaque = inner[..., 3] > 0
    fur = float(np.median(light[opaque]))
    h, w = light.shape
    gaps = []
    for x0, y0, x1, y1 in eyes:
        ys = slice(int(y0 * h), max(int(y0 * h) + 1, int(np.ceil(y1 * h))))
        xs = slice(int(x0 * w), max(int(x0 * w) + 1, int(np.ceil(x1 * w))))
        window = np.where(opaque[ys, xs], light[ys, xs], 100.0)
        gaps.append(fur - float(window.min()))
    return min(gaps)
