"""Pattern, secondary colour and its regions, and coat length, from the coat's cluster map.

Shading and markings both split a coat into a light and a dark cluster; markings differ in how the
dark cluster lies: many small pieces (tabby stripes elongated, spots round), a few large hard-edged
patches with a big colour gap (bicolour), one dark face patch on a light cat (colourpoint), dark
fragments on a grey or white dog (merle).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from core.hero.coat import Palette, is_white
from core.hero.traits import Box, CoatLength, Pattern, Region


@dataclass(frozen=True)
class Layout:
    """The cluster roles: base, secondary (white/tan or None), pattern colour (or None)."""

    base: int
    secondary: int | None
    pattern: int | None


def _chroma(lab: np.ndarray) -> float:
    return float(np.hypot(lab[1], lab[2]))


def roles(palette: Palette, base: int) -> Layout:
    """Secondary: a white (or much lighter) cluster; pattern: the largest remaining contrast."""
    c, s = palette.centres, palette.shares
    others = [j for j in range(len(s)) if j != base]
    whites = [j for j in others if is_white(c[j]) and s[j] >= 0.05]
    lighter = [j for j in others if c[j][0] > c[base][0] + 22 and 0.05 <= s[j] <= 0.4]
    secondary = next(iter(whites or lighter), None)
    rest = [j for j in others if j != secondary and s[j] >= 0.08]
    contrast = [j for j in rest if np.linalg.norm(c[j] - c[base]) > 15]
    return Layout(base, secondary, contrast[0] if contrast else None)


def fine_texture(lightness: np.ndarray, coat: np.ndarray) -> float:
    """Mid-frequency lightness energy on the coat (stripes and spots have it, shading has not)."""
    size = max(coat.shape)
    fine = cv2.GaussianBlur(lightness, (0, 0), size / 200)
    coarse = cv2.GaussianBlur(lightness, (0, 0), size / 40)
    return float(np.abs(fine - coarse)[coat].mean())


def _pieces(layer: np.ndarray) -> tuple[float, float, int]:
    """Largest component's share of the layer, median elongation of its pieces, piece count."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(layer.astype(np.uint8), connectivity=8)
    areas = stats[1:, 4]
    if n <= 1:
        return 1.0, 1.0, 0
    # Second moments of every piece at once (bincount over the label image).
    ys, xs = np.indices(labels.shape)
    flat = labels.ravel()
    sums = [
        np.bincount(flat, weights=v.ravel(), minlength=n)
        for v in (xs, ys, xs * xs, ys * ys, xs * ys)
    ]
    area = np.maximum(np.bincount(flat, minlength=n), 1)
    mx, my = sums[0] / area, sums[1] / area
    vxx, vyy, vxy = sums[2] / area - mx * mx, sums[3] / area - my * my, sums[4] / area - mx * my
    root = np.sqrt(((vxx - vyy) / 2) ** 2 + vxy**2)
    lo, hi = (vxx + vyy) / 2 - root, (vxx + vyy) / 2 + root
    big = np.nonzero(stats[:, 4] >= 6)[0]
    big = big[big > 0]
    elong = np.sqrt((hi[big] + 1e-3) / (lo[big] + 1e-3))
    median = float(np.median(elong)) if len(elong) else 1.0
    return float(areas.max() / areas.sum()), median, len(elong)


def pattern(
    palette: Palette, layout: Layout, *, species: str, texture: float, head: Box
) -> tuple[Pattern, float]:
    """The coat pattern and a confidence."""
    c, s, labels = palette.centres, palette.shares, palette.labels
    base = c[layout.base]
    white = next((j for j in range(len(s)) if is_white(c[j]) and s[j] >= 0.08), None)
    orange = [
        j for j in range(len(s)) if _chroma(c[j]) > 22 and 35 < _hue(c[j]) < 85 and s[j] >= 0.08
    ]
    dark = [j for j in range(len(s)) if c[j][0] < 32 and s[j] >= 0.08]
    if species == "cat" and white is not None and orange and dark:
        return "calico", 0.5
    if layout.pattern is None:
        if layout.secondary is not None and s[layout.secondary] >= 0.2:
            return "bicolour", 0.6
        return "solid", 0.6
    pat = c[layout.pattern]
    big, elong, count = _pieces(labels == layout.pattern)
    gap = float(np.linalg.norm(pat - base))
    if (
        species == "cat"
        and base[0] > 58
        and pat[0] < base[0] - 25
        and _in_face(labels == layout.pattern, head)
    ):
        return "colourpoint", 0.5
    if gap > 45 and big > 0.5 and texture < 9:
        return "bicolour", 0.55
    if species == "dog":
        grey = _chroma(base) < 14 or (
            layout.secondary is not None and is_white(c[layout.secondary])
        )
        if grey and pat[0] < base[0] and texture > 5:
            return "merle", 0.5
        return ("bicolour", 0.4) if gap > 35 and big > 0.5 else ("solid", 0.45)
    if texture < 4.5:
        return "solid", 0.45
    return ("spots", 0.45) if elong < 2.0 and count >= 12 else ("tabby", 0.55)


def _hue(lab: np.ndarray) -> float:
    return float(np.degrees(np.arctan2(lab[2], lab[1])) % 360)


def _in_face(layer: np.ndarray, head: Box) -> bool:
    """Most of the dark layer sits in the middle of the head box (a Siamese-type mask)."""
    x0, y0, x1, y1 = head
    w, h = x1 - x0, y1 - y0
    inner = layer[y0 + h // 4 : y1, x0 + w // 5 : x1 - w // 5]
    return bool(layer.sum() > 0 and inner.sum() >= 0.5 * layer.sum() and inner.mean() > 0.35)


def regions(palette: Palette, secondary: int | None, head: Box) -> tuple[Region, ...]:
    """Where the secondary colour covers much of a body part (by the mask's geometry)."""
    if secondary is None:
        return ()
    coat = palette.labels >= 0
    sec = palette.labels == secondary
    ys = np.nonzero(coat)[0]
    bottom, top = ys.max() + 1, ys.min()
    x0, y0, x1, y1 = head
    hw, hh = x1 - x0, y1 - y0
    parts: dict[Region, tuple[slice, slice]] = {
        "muzzle": (slice(y0 + hh * 11 // 20, y1), slice(x0 + hw // 5, x1 - hw // 5)),
        "blaze": (
            slice(y0 + hh // 5, y0 + hh * 11 // 20),
            slice(x0 + hw * 2 // 5, x1 - hw * 2 // 5),
        ),
        "chest": (slice(y1, min(bottom, y1 + hh)), slice(x0, x1)),
        "paws": (slice(bottom - (bottom - top) // 9, bottom), slice(None)),
    }
    found: list[Region] = []
    for name, (rows, cols) in parts.items():
        area = coat[rows, cols].sum()
        if area > 0.01 * coat.sum() and sec[rows, cols].sum() >= 0.35 * area:
            found.append(name)
    return tuple(found)


def coat_length(mask: np.ndarray) -> tuple[CoatLength, float]:
    """Long when the outline is ragged (fur wisps) relative to a smoothed outline."""
    m = (mask > 0).astype(np.uint8)
    size = max(m.shape)
    smooth = (cv2.GaussianBlur(m.astype(np.float32), (0, 0), size / 60) > 0.5).astype(np.uint8)
    rough = _perimeter(m) / max(_perimeter(smooth), 1.0)
    return ("long", 0.45) if rough > 1.18 else ("short", 0.45)


def _perimeter(m: np.ndarray) -> float:
    contours, _ = cv2.findContours(m, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    return float(sum(cv2.arcLength(c, True) for c in contours))
