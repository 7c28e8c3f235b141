"""The classical pixelizer: a cut-out pet (RGBA) -> an exact pixel-art sprite in a style."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from core.pixelart.cleanup import remove_orphans, smooth_silhouette
from core.pixelart.colour import rgb_to_hex, rgb_to_lab
from core.pixelart.downscale import downscale, grid_shape, subject_box
from core.pixelart.outline import add_outline
from core.pixelart.palettes import FIXED
from core.pixelart.quantize import assign, build_palette
from core.pixelart.ramp import build_ramp, shade, smooth
from core.pixelart.styles import Style, get_style
from core.progress import ProgressFn, no_progress

FLATTEN_SIGMA = 10.0  # Lab distance below which neighbouring cells are averaged together
OPAQUE = 0.5  # a cell belongs to the silhouette when the pet covers at least half of it


@dataclass(frozen=True)
class PixelSprite:
    """An RGBA sprite whose every opaque pixel is one of `palette` ('#rrggbb')."""

    image: Image.Image
    palette: list[str]
    style: str


def pixelize(
    subject_rgba: Image.Image,
    *,
    style: str | Style,
    size: int | None = None,
    seed: int = 0,
    progress: ProgressFn | None = None,
) -> PixelSprite:
    """Draw the subject as a sprite whose longest side is `size` (the style's default if None)."""
    report = progress or no_progress
    chosen = get_style(style)
    long_side = chosen.check_size(size)
    pad = 0 if chosen.outline == "none" else 1  # room for the outline around the silhouette
    rgba = np.asarray(subject_rgba.convert("RGBA"))
    x0, y0, x1, y1 = subject_box(rgba[..., 3])
    report(10, "Shrinking")
    cells = downscale(rgba[y0:y1, x0:x1], grid_shape(x1 - x0, y1 - y0, long_side - 2 * pad))
    opaque = smooth_silhouette(cells.coverage >= OPAQUE)
    if not opaque.any():  # a sliver of a subject: keep its best-covered cell
        opaque = cells.coverage == cells.coverage.max()
    report(35, "Choosing colours")
    lab = restyle(cells.lab, opaque, chosen)
    if chosen.palette in FIXED:
        colours, index = shade_by_tone(lab, opaque, cells.detail, chosen)
    else:
        colours, index = match_colours(lab, opaque, cells.detail, chosen, seed)
    report(65, "Cleaning up")
    lightness = rgb_to_lab(colours)[:, 0]
    index = remove_orphans(index, opaque, lightness)
    if chosen.despeckle:
        index = remove_orphans(index, opaque, lightness, max_same=1, min_majority=5)
    index, opaque = np.pad(index, pad), np.pad(opaque, pad)
    index, opaque, colours = add_outline(index, opaque, colours, chosen)
    report(90, "Finishing")
    sprite = render(index, opaque, colours)
    report(100, "Pixel art ready")
    return sprite_with_used_palette(sprite, colours, index, opaque, chosen.name)


def shade_by_tone(
    lab: np.ndarray, opaque: np.ndarray, detail: np.ndarray, style: Style
) -> tuple[np.ndarray, np.ndarray]:
    """Fixed hardware palettes: (colours, index) shaded along a tone ramp (see ramp.py)."""
    smoothed = smooth(lab)
    ramp = build_ramp(style, smoothed, opaque, detail)
    return ramp.rgb, shade(lab, smoothed, detail, ramp)


def match_colours(
    lab: np.ndarray, opaque: np.ndarray, detail: np.ndarray, style: Style, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Adaptive palettes: (colours, index) from seeded k-means, nearest colour per cell."""
    if style.despeckle:
        lab = flatten(lab, detail)
    palette = build_palette(style, lab[opaque], seed)
    return palette.rgb, assign(lab, palette, dither=style.dither)


def restyle(lab: np.ndarray, opaque: np.ndarray, style: Style) -> np.ndarray:
    """Style colour tweaks in Lab: contrast about the pet's median L*, chroma scaling."""
    out = lab.copy()
    median = float(np.median(lab[..., 0][opaque]))
    out[..., 0] = median + (lab[..., 0] - median) * style.contrast
    out[..., 1:] *= style.saturation
    out[..., 0] = np.clip(out[..., 0], 0.0, 100.0)
    return out


def flatten(lab: np.ndarray, detail: np.ndarray) -> np.ndarray:
    """Edge-preserving smoothing of the cell colours, kept details untouched.

    Few-colour palettes turn fur texture into speckle: each small wobble flips a cell between
    two entries. Smoothing first gives flat areas of colour, as a pixel artist would draw them.
    """
    smooth = cv2.bilateralFilter(lab, d=5, sigmaColor=FLATTEN_SIGMA, sigmaSpace=2.0)
    return np.where(detail[..., None], lab, smooth)


def render(index: np.ndarray, opaque: np.ndarray, colours: np.ndarray) -> np.ndarray:
    rgba = np.zeros((*index.shape, 4), dtype=np.uint8)
    rgba[..., :3] = colours[index]
    rgba[..., 3] = np.where(opaque, 255, 0)
    rgba[~opaque, :3] = 0
    return rgba


def sprite_with_used_palette(
    rgba: np.ndarray, colours: np.ndarray, index: np.ndarray, opaque: np.ndarray, style: str
) -> PixelSprite:
    used = np.unique(index[opaque])
    lightness = rgb_to_lab(colours[used])[:, 0]
    palette = [rgb_to_hex(colours[i]) for i in used[np.argsort(lightness, kind="stable")]]
    return PixelSprite(image=Image.fromarray(rgba, "RGBA"), palette=palette, style=style)
