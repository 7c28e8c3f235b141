"""Clean-up on the small grid: a smooth silhouette and no stray single pixels.

Loops here run over the output grid (at most 128x128) and only over the few pixels that need
fixing, never over the photo.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

CROSS = ndimage.generate_binary_structure(2, 1)
SQUARE = ndimage.generate_binary_structure(2, 2)
MIN_ISLAND = 3  # opaque specks smaller than this, apart from the pet, are noise
MAX_HOLE = 2  # see-through holes up to this size are filled
FEATURE_GAP = 15.0  # an orphan this much darker than all its neighbours is an eye or nose: keep


def neighbour_stack(grid: np.ndarray, fill: int) -> np.ndarray:
    """(8, h, w): each pixel's 8 neighbours, `fill` beyond the border."""
    padded = np.pad(grid, 1, constant_values=fill)
    h, w = grid.shape
    shifts = [(dy, dx) for dy in (0, 1, 2) for dx in (0, 1, 2) if (dy, dx) != (1, 1)]
    return np.stack([padded[dy : dy + h, dx : dx + w] for dy, dx in shifts])


def smooth_silhouette(opaque: np.ndarray) -> np.ndarray:
    """Drop specks, fill pinholes and notches: the outline then reads as one clean shape.

    Pixels hanging on by a corner go; one-pixel lines stay (they are legs, tails and ears).
    """
    counts = ndimage.convolve(opaque.astype(np.uint8), CROSS.astype(np.uint8), mode="constant")
    mask = np.where(opaque, counts >= 2, counts >= 3)  # counts include the pixel itself
    labels, n = ndimage.label(mask, structure=SQUARE)
    if n:
        sizes = ndimage.sum_labels(mask, labels, index=np.arange(1, n + 1))
        keep = (sizes >= MIN_ISLAND) | (sizes == sizes.max())
        mask = keep[labels - 1] & (labels > 0)
    holes = ndimage.binary_fill_holes(mask) & ~mask
    labels, n = ndimage.label(holes, structure=CROSS)
    if n:
        sizes = ndimage.sum_labels(holes, labels, index=np.arange(1, n + 1))
        mask |= (sizes <= MAX_HOLE)[labels - 1] & (labels > 0)
    return np.asarray(mask, dtype=bool)


def orphan_mask(index: np.ndarray, opaque: np.ndarray, max_same: int = 0) -> np.ndarray:
    """Opaque pixels whose colour at most `max_same` of their 8 neighbours share (0: orphans)."""
    coded = np.where(opaque, index, -1)
    same = (neighbour_stack(coded, -1) == coded[None]).sum(axis=0)
    return np.asarray(opaque & (same <= max_same))


def remove_orphans(
    index: np.ndarray,
    opaque: np.ndarray,
    lightness: np.ndarray,
    *,
    max_same: int = 0,
    min_majority: int = 1,
    passes: int = 2,
) -> np.ndarray:
    """Recolour lonely pixels with their most common neighbour colour, sparing dark features.

    `lightness` is L* per palette index. With `max_same=1` and `min_majority=5` it also clears
    two-pixel specks sitting inside a patch of one colour (fur noise in few-colour styles).
    """
    index = index.copy()
    for _ in range(passes):
        ys, xs = np.nonzero(orphan_mask(index, opaque, max_same))
        if ys.size == 0:
            break
        coded = np.where(opaque, index, -1)
        around = neighbour_stack(coded, -1)[:, ys, xs].T  # (n, 8)
        for y, x, row in zip(ys, xs, around, strict=True):
            index[y, x] = _replacement(int(index[y, x]), row, lightness, min_majority)
    return index


def _replacement(
    current: int, neighbours: np.ndarray, lightness: np.ndarray, min_majority: int
) -> int:
    inside = neighbours[neighbours >= 0]
    others = inside[inside != current]
    if others.size == 0:
        return current
    if inside.size == 8:
        feature = _dark_feature(current, others, lightness)
        if feature is not None:
            return feature
    values, counts = np.unique(others, return_counts=True)
    if counts.max() < min_majority:
        return current
    best = values[counts == counts.max()]
    # Ties go to the colour closest in lightness, so the pixel changes as little as possible.
    return int(best[np.argmin(np.abs(lightness[best] - lightness[current]))])


def _dark_feature(current: int, others: np.ndarray, lightness: np.ndarray) -> int | None:
    """The colour a lonely pixel of a dark feature (eye, nostril) inside the pet should take.

    None when the pixel is not clearly darker than its surroundings. A lone dark dot keeps its
    colour; an eye drawn in several dark shades (each one an orphan) merges into the darkest of
    them instead of being painted over with fur, so the eye survives as one solid mark.
    """
    near = others[np.abs(lightness[others] - lightness[current]) < FEATURE_GAP]
    around = others[np.abs(lightness[others] - lightness[current]) >= FEATURE_GAP]
    if around.size == 0 or lightness[current] + FEATURE_GAP > lightness[around].min():
        return None
    candidates = np.append(near, current)
    return int(candidates[np.argmin(lightness[candidates])])
