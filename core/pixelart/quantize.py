"""Adaptive palettes in CIELAB: seeded k-means, colour assignment, dither.

Fixed hardware palettes (NES, PICO-8, Game Boy) are shaded along tone ramps instead: see ramp.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.pixelart.colour import lab_to_rgb, nearest, rgb_to_lab, sq_distances
from core.pixelart.palettes import snap_15bit
from core.pixelart.styles import Style

KMEANS_ROUNDS = 12
KMEANS_SAMPLE = 4096  # cells beyond this add time, not better colours
DITHER_BAND = 0.38  # dither only when a colour sits at least this far towards the second entry
DITHER_MAX_GAP = 45.0  # ...and the two entries are close enough for a checker to read as a blend


@dataclass(frozen=True)
class Palette:
    """Sprite colours as sRGB (for the image) and the space they are matched in."""

    rgb: np.ndarray  # (P, 3) uint8
    match: np.ndarray  # (P, 3) Lab, the space colours are matched in


def kmeans(points: np.ndarray, k: int, seed: int) -> np.ndarray:
    """k-means in Lab, seeded with the darkest and lightest points so small extremes (eyes) stay."""
    rng = np.random.default_rng(seed)
    k = min(k, len(np.unique(points, axis=0)))
    sample = points
    if len(points) > KMEANS_SAMPLE:
        sample = points[rng.choice(len(points), KMEANS_SAMPLE, replace=False)]
    centres = [points[np.argmin(points[:, 0])], points[np.argmax(points[:, 0])]][:k]
    d2 = sq_distances(sample, np.array(centres)).min(axis=1)
    while len(centres) < k:  # k-means++: far points are likelier seeds
        if d2.sum() <= 0:
            break
        centres.append(sample[rng.choice(len(sample), p=d2 / d2.sum())])
        d2 = np.minimum(d2, sq_distances(sample, centres[-1][None])[:, 0])
    c = np.array(centres, dtype=np.float32)
    for _ in range(KMEANS_ROUNDS):
        labels = nearest(sample, c)
        counts = np.bincount(labels, minlength=len(c))
        sums = np.stack([np.bincount(labels, weights=col, minlength=len(c)) for col in sample.T])
        filled = counts > 0
        c[filled] = (sums[:, filled] / counts[filled]).T
    return c


def build_palette(style: Style, points: np.ndarray, seed: int) -> Palette:
    """An adaptive style's palette for the opaque cells' Lab colours."""
    centres = kmeans(points, style.max_colours, seed)
    if style.palette == "snes15":
        rgb = np.unique(snap_15bit(lab_to_rgb(centres)), axis=0)
    else:
        rgb = np.unique(lab_to_rgb(centres), axis=0)
    return Palette(rgb=rgb, match=rgb_to_lab(rgb))


def assign(points: np.ndarray, palette: Palette, *, dither: bool) -> np.ndarray:
    """Palette index per point of an (h, w, C) grid; 2x2 checker dither between close entries."""
    h, w, c = points.shape
    flat = points.reshape(-1, c)
    d2 = sq_distances(flat, palette.match)
    if not dither or len(palette.match) < 2:
        return np.asarray(np.argmin(d2, axis=1)).reshape(h, w)
    first, second = np.argsort(d2, axis=1)[:, :2].T
    a, b = palette.match[first], palette.match[second]
    span = np.einsum("nc,nc->n", b - a, b - a)
    t = np.einsum("nc,nc->n", flat - a, b - a) / np.maximum(span, 1e-6)
    yy, xx = np.mgrid[0:h, 0:w]
    odd = ((yy + xx) % 2 == 1).reshape(-1)
    blend = (t >= DITHER_BAND) & (span <= DITHER_MAX_GAP**2) & odd
    return np.asarray(np.where(blend, second, first)).reshape(h, w)
