"""Contrast-aware downscale: the cut-out photo -> one CIELAB colour and a coverage per output cell.

A plain area average turns a dark eye into a muddy mid-brown at 32 px. Here each cell takes its
median colour, unless it holds a small, clearly darker detail (eye, nose, stripe): then it keeps
that detail's colour, the way PixelOE expands dark outlines before downscaling.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from scipy import ndimage

from core.errors import NoSubjectFound
from core.pixelart.colour import rgb_to_lab

MAX_CELL = 8  # working pixels per cell side: enough statistics, bounded cost
DARK_SHARE = 0.2  # the darkest fifth of a cell stands for its detail
DETAIL_GAP = 18.0  # L* a detail must sit below its neighbourhood to be kept
MINORITY_GAP = 10.0  # ...and below its own cell's median (so it is a detail, not dark fur)


@dataclass(frozen=True)
class Cells:
    """The downscaled subject: Lab colour, alpha coverage and kept-detail flags per cell."""

    lab: np.ndarray  # (h, w, 3) float32
    coverage: np.ndarray  # (h, w) float32, 0..1
    detail: np.ndarray  # (h, w) bool: the cell took its dark detail's colour


def subject_box(alpha: np.ndarray) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) of the mostly-opaque pixels; NoSubjectFound when there are none."""
    ys, xs = np.nonzero(alpha >= 128)
    if ys.size == 0:
        raise NoSubjectFound(
            "The cut-out came back empty, so there is no pet to draw. "
            "Try a photo where your pet stands out from the background, or crop closer to it."
        )
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


def grid_shape(width: int, height: int, long_side: int) -> tuple[int, int]:
    """(w, h) of the cell grid whose longer side is `long_side`, keeping the aspect ratio."""
    if width >= height:
        return long_side, max(1, round(long_side * height / width))
    return max(1, round(long_side * width / height)), long_side


def downscale(rgba: np.ndarray, grid: tuple[int, int]) -> Cells:
    """Cells for an (H, W, 4) uint8 subject already cropped to its box."""
    gw, gh = grid
    k = int(np.clip(min(rgba.shape[1] // gw, rgba.shape[0] // gh), 1, MAX_CELL))
    rgb, alpha = working_image(rgba, (gw * k, gh * k))
    lab = rgb_to_lab(rgb)
    cells = lab.reshape(gh, k, gw, k, 3).transpose(0, 2, 1, 3, 4).reshape(gh, gw, k * k, 3)
    colour, detail = pick_colours(cells)
    coverage = alpha.reshape(gh, k, gw, k).mean(axis=(1, 3))
    return Cells(lab=colour, coverage=coverage.astype(np.float32), detail=detail)


def working_image(rgba: np.ndarray, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """RGB and alpha (0..1) at `size`; the background takes the nearest pet colour (no halo)."""
    alpha = rgba[..., 3].astype(np.float32) / 255.0
    premultiplied = rgba[..., :3].astype(np.float32) * alpha[..., None]
    shrinking = size[0] <= rgba.shape[1]
    interp = cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR
    small_alpha = cv2.resize(alpha, size, interpolation=interp)
    small = cv2.resize(premultiplied, size, interpolation=interp)
    inside = small_alpha >= 0.5
    rgb = small / np.maximum(small_alpha, 1e-3)[..., None]
    if not inside.all():
        # Edge cells are coloured from the pet alone: copy the nearest inside pixel outwards.
        _, (iy, ix) = ndimage.distance_transform_edt(~inside, return_indices=True)
        rgb = rgb[iy, ix]
    return np.clip(rgb, 0, 255).astype(np.uint8), small_alpha


def pick_colours(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per cell: the median colour, or the colour of its darkest share when that is a detail."""
    order = np.argsort(cells[..., 0], axis=2)
    ranked = np.take_along_axis(cells, order[..., None], axis=2)
    n = ranked.shape[2]
    dark = ranked[:, :, : max(1, round(n * DARK_SHARE))].mean(axis=2)
    middle = ranked[:, :, n // 4 : max(n // 4 + 1, 3 * n // 4)].mean(axis=2)
    context = ndimage.median_filter(middle[..., 0], size=3, mode="nearest")
    detail = (context - dark[..., 0] > DETAIL_GAP) & (middle[..., 0] - dark[..., 0] > MINORITY_GAP)
    colour = np.where(detail[..., None], dark, middle)
    return colour.astype(np.float32), detail
