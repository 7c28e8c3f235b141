"""One-pixel outlines drawn around the silhouette (never over it).

`hard`: one near-black colour all round. `selective`: each outline pixel is a darker shade of
the pet colour it touches, the softer look of modern indie sprites.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from core.pixelart.cleanup import CROSS, neighbour_stack, remove_orphans
from core.pixelart.colour import hex_to_rgb, lab_to_rgb, nearest, rgb_to_lab
from core.pixelart.palettes import FIXED, snap_15bit
from core.pixelart.quantize import kmeans
from core.pixelart.styles import Style

SHADE_L = 0.5  # an outline shade keeps half the lightness of the colour it borders
SHADE_CHROMA = 0.85
DARK_OUTLINE_L = 10.0
MAX_SHADES = 5
SAME_COLOUR = 6.0  # Lab distance under which a shade reuses a palette colour


def ring(opaque: np.ndarray) -> np.ndarray:
    """Transparent pixels touching the silhouette on a side."""
    return np.asarray(ndimage.binary_dilation(opaque, structure=CROSS) & ~opaque, dtype=bool)


def fit_to_source(rgb: np.ndarray, style: Style) -> np.ndarray:
    """Bring new colours onto the style's palette: hardware entries or the 15-bit grid."""
    if style.palette in FIXED:
        hardware = np.array([hex_to_rgb(c) for c in FIXED[style.palette]], dtype=np.uint8)
        return np.asarray(hardware[nearest(rgb_to_lab(rgb), rgb_to_lab(hardware))])
    if style.palette == "snes15":
        return snap_15bit(rgb)
    return rgb


def add_outline(
    index: np.ndarray, opaque: np.ndarray, palette: np.ndarray, style: Style
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(index, opaque, palette) with the outline drawn in; new colours are appended."""
    edge = ring(opaque)
    if style.outline == "none" or not edge.any():
        return index, opaque, palette
    if style.outline == "hard":
        colour = hard_colour(palette, style)
        palette, slot = with_colour(palette, colour)
        return np.where(edge, slot, index), opaque | edge, palette
    return selective(index, opaque, edge, palette, style)


def hard_colour(palette: np.ndarray, style: Style) -> np.ndarray:
    if style.outline_colour is not None:
        return np.array(hex_to_rgb(style.outline_colour), dtype=np.uint8)
    # A near-black tinted by the pet's darkest colour reads softer than pure black.
    lab = rgb_to_lab(palette)
    darkest = lab[np.argmin(lab[:, 0])].copy()
    darkest[0] = min(darkest[0], DARK_OUTLINE_L)
    darkest[1:] *= 0.5
    return np.asarray(fit_to_source(lab_to_rgb(darkest[None]), style)[0])


def with_colour(palette: np.ndarray, colour: np.ndarray) -> tuple[np.ndarray, int]:
    """The palette holding `colour`, and its index there."""
    hits = np.nonzero((palette == colour).all(axis=1))[0]
    if hits.size:
        return palette, int(hits[0])
    return np.vstack([palette, colour[None]]), len(palette)


def selective(
    index: np.ndarray, opaque: np.ndarray, edge: np.ndarray, palette: np.ndarray, style: Style
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    touching = bordering_colour(index, opaque, edge)
    lab = rgb_to_lab(palette)
    shades = lab.copy()
    shades[:, 0] *= SHADE_L
    shades[:, 1:] *= SHADE_CHROMA
    used = np.unique(touching[edge])
    centres = kmeans(shades[used], MAX_SHADES, seed=0)
    shade_rgb = np.unique(fit_to_source(lab_to_rgb(centres), style), axis=0)
    palette, slots = merge(palette, shade_rgb)
    pick = slots[nearest(shades[touching[edge]], rgb_to_lab(shade_rgb))]
    out = index.copy()
    out[edge] = pick
    lightness = rgb_to_lab(palette)[:, 0]
    out = np.where(edge, remove_orphans(out, edge, lightness), out)
    return out, opaque | edge, palette


def bordering_colour(index: np.ndarray, opaque: np.ndarray, edge: np.ndarray) -> np.ndarray:
    """For each edge pixel, the most common colour among its opaque neighbours."""
    around = neighbour_stack(np.where(opaque, index, -1), -1)
    result = np.zeros_like(index)
    for y, x in zip(*np.nonzero(edge), strict=True):
        values = around[:, y, x]
        values = values[values >= 0]
        kinds, counts = np.unique(values, return_counts=True)
        result[y, x] = kinds[np.argmax(counts)]
    return result


def merge(palette: np.ndarray, extra: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Append `extra` colours, reusing palette entries that are nearly the same; their indices."""
    slots = []
    for colour in extra:
        lab = rgb_to_lab(np.vstack([palette, colour[None]]))
        gaps = np.linalg.norm(lab[:-1] - lab[-1], axis=1)
        if gaps.min() < SAME_COLOUR:
            slots.append(int(np.argmin(gaps)))
        else:
            palette, slot = with_colour(palette, colour)
            slots.append(slot)
    return palette, np.array(slots)
