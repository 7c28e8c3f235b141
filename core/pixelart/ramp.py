"""Tone ramps for fixed hardware palettes: shade the pet by lightness, not by nearest colour.

Nearest-colour matching against a coarse palette (PICO-8's 16, the NES's 55, the Game Boy's 4
greens) sends a whole low-chroma fur coat to the one entry nearest its average: a tabby becomes
a flat red blob, or green mush. A pixel artist instead picks a short ramp of palette colours in
the pet's hue family, dark to light, and shades by tone. Here: smooth the cells, split the body's
lightness into a few tone levels (1-D k-means), give each level one ramp colour (for colour
palettes, chosen so lightness rises along the ramp and stays near each level's average colour),
and keep a darkest ink for eyes and nose.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from core.pixelart.colour import hex_array, hex_to_rgb, rgb_to_lab
from core.pixelart.palettes import FIXED
from core.pixelart.styles import Style

SMOOTH_SIGMA = 14.0  # Lab distance below which neighbouring cells are blended before shading
MIN_STEP = 7.0  # L* between tone levels; a flatter pet gets fewer levels (no noise banding)
# Cumulative percent of the fur below each cut, for 1 to 5 tone levels.
SHARES: tuple[tuple[float, ...], ...] = (
    (),
    (20.0,),
    (20.0, 75.0),
    (20.0, 55.0, 85.0),
    (15.0, 40.0, 70.0, 90.0),
)
NEUTRAL_CHROMA = 12.0  # entries (and pets) below this Lab chroma count as greys
HUE_WINDOW = 50.0  # degrees around the pet's hue that a ramp colour may sit
CHROMA_WEIGHT = 0.5  # a*/b* error counts half as much as L* error when picking ramp colours
DARK_GREY_L = 45.0  # greys darker than this may shade a coloured pet (stripes, shadow)
DETAIL_INK_GAP = 6.0  # ...for kept dark details (eyes, nose) a smaller gap will do
INK_GAP = 14.0  # L* below the darkest tone level where eyes and nose take the ink


@dataclass(frozen=True)
class Ramp:
    """Ramp colours dark to light (rgb, plus the ink at index 0) and the L* cut between tones."""

    rgb: np.ndarray  # (1 + T, 3) uint8: ink, then the T tones
    cuts: np.ndarray  # (T - 1,) L* thresholds between consecutive tones
    darkest: float  # L* centre of the darkest tone level


def smooth(lab: np.ndarray) -> np.ndarray:
    """Edge-preserving blur of the cells, twice: flat areas of tone instead of fur noise."""
    out = lab
    for _ in range(2):
        out = cv2.bilateralFilter(out, d=5, sigmaColor=SMOOTH_SIGMA, sigmaSpace=2.0)
    return out


def tone_cuts(light: np.ndarray, wanted: int) -> np.ndarray:
    """L* thresholds between up to `wanted` tone levels, at fixed quantiles of the fur.

    The quantiles give the middle tones most of the pet and the darkest one at most a third,
    as a pixel artist shades: a base colour, shadow and highlight. A flat pet gets fewer levels,
    so noise is never split into bands.
    """
    lo, hi = np.percentile(light, [10, 90])
    n = int(np.clip(1 + (hi - lo) // MIN_STEP, 1, min(wanted, len(SHARES))))
    return np.asarray(np.percentile(light, SHARES[n - 1]), dtype=np.float32)


def level_targets(lab: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """The mean Lab colour of the points in each tone level (a grey at the cut when empty)."""
    label = np.searchsorted(cuts, lab[:, 0])
    edges = np.concatenate([cuts[:1], cuts]) if len(cuts) else np.array([lab[:, 0].mean()])
    return np.array(
        [
            lab[label == i].mean(axis=0) if (label == i).any() else (edges[i], 0.0, 0.0)
            for i in range(len(cuts) + 1)
        ],
        dtype=np.float32,
    )


def hue_family(entries: np.ndarray, body: np.ndarray) -> np.ndarray:
    """Mask of palette entries (Lab) that suit the pet: hues near its own, dark greys for stripes.

    A grey pet may take any entry. Light greys are left out for a coloured pet: next to its
    warm tones they read as a separate grey patch, not as a highlight.
    """
    a, b = float(body[:, 1].mean()), float(body[:, 2].mean())
    chroma = np.hypot(entries[:, 1], entries[:, 2])
    if np.hypot(a, b) < NEUTRAL_CHROMA:
        return np.ones(len(entries), dtype=bool)
    hue = np.degrees(np.arctan2(entries[:, 2], entries[:, 1]))
    gap = np.abs((hue - np.degrees(np.arctan2(b, a)) + 180.0) % 360.0 - 180.0)
    dark_grey = (chroma < NEUTRAL_CHROMA) & (entries[:, 0] < DARK_GREY_L)
    return np.asarray(dark_grey | ((chroma >= NEUTRAL_CHROMA) & (gap <= HUE_WINDOW)))


def pick_ramp(targets: np.ndarray, entries: np.ndarray) -> np.ndarray:
    """Indices into `entries`, one per target, distinct and rising in L*, at least total cost.

    Dynamic programming over the entries sorted by lightness: target i may only take an entry
    lighter than the one target i-1 took, so the ramp reads as shading.
    """
    order = np.argsort(entries[:, 0], kind="stable")
    e = entries[order]
    diff = targets[:, None, :] - e[None, :, :]
    cost = diff[..., 0] ** 2 + CHROMA_WEIGHT * (diff[..., 1] ** 2 + diff[..., 2] ** 2)
    t, m = cost.shape
    if m < t:
        raise ValueError("fewer palette entries than tones")
    best = np.full((t, m), np.inf)
    best[0] = cost[0]
    for i in range(1, t):
        running = np.minimum.accumulate(best[i - 1])  # best of any lighter-or-equal-rank entry
        best[i, 1:] = running[:-1] + cost[i, 1:]
    picks = [int(np.argmin(best[-1]))]
    for i in range(t - 1, 0, -1):
        picks.append(int(np.argmin(best[i - 1, : picks[-1]])))
    return np.asarray(order[picks[::-1]])


def spread_picks(available: int, wanted: int) -> np.ndarray:
    """Which of `available` fixed shades `wanted` levels use: spread out; one level, the middle."""
    if wanted == 1:
        return np.array([available // 2])
    return np.asarray(np.linspace(0, available - 1, wanted).round().astype(int))


def ink_colour(style: Style, hardware: np.ndarray) -> np.ndarray:
    """Eyes and nose: the outline ink if the style names one, else the palette's darkest."""
    if style.outline_colour is not None:
        return np.array(hex_to_rgb(style.outline_colour), dtype=np.uint8)
    return np.asarray(hardware[np.argmin(rgb_to_lab(hardware)[:, 0])])


def build_ramp(style: Style, lab: np.ndarray, opaque: np.ndarray, detail: np.ndarray) -> Ramp:
    """The ramp for this pet: tone levels of its body and one palette colour for each."""
    hardware = hex_array(FIXED[style.palette])
    fur = lab[opaque & ~detail] if (opaque & ~detail).any() else lab[opaque]
    ink = ink_colour(style, hardware)
    cuts = tone_cuts(fur[:, 0], style.tones)
    targets = level_targets(fur, cuts)
    if style.luma_only:  # a fixed ramp (Game Boy): the tones are the shades above the ink
        shades = hardware[np.argsort(rgb_to_lab(hardware)[:, 0])]
        tones = shades[~(shades == ink).all(axis=1)][-style.tones :]
        tones = tones[spread_picks(len(tones), len(targets))]
    else:
        entries = hardware[hue_family(rgb_to_lab(hardware), fur) & ~(hardware == ink).all(axis=1)]
        if len(entries) < len(targets):  # too few colours to shade with: fewer, wider tones
            cuts = tone_cuts(fur[:, 0], len(entries))
            targets = level_targets(fur, cuts)
        tones = entries[pick_ramp(targets, rgb_to_lab(entries))]
    return Ramp(
        rgb=np.vstack([ink[None], tones]).astype(np.uint8),
        cuts=cuts,
        darkest=float(targets[0, 0]),
    )


def shade(lab: np.ndarray, smoothed: np.ndarray, detail: np.ndarray, ramp: Ramp) -> np.ndarray:
    """Ramp index per cell: its smoothed tone level, or the ink for eyes, nose and deep shadow.

    Kept dark details (see downscale) take the ink sooner: a 16 px eye is one cell and must stay
    a dark dot, while a stripe only a little darker than the shadow tone stays fur.
    """
    light = lab[..., 0]
    index = np.searchsorted(ramp.cuts, smoothed[..., 0]) + 1
    inked = (light < ramp.darkest - INK_GAP) | (detail & (light < ramp.darkest - DETAIL_INK_GAP))
    return np.asarray(np.where(inked, 0, index))
