"""Pattern, the markings' regions, and coat length, from the coat's cluster map and its families.

Shading and markings both split a coat into lighter and darker pixels; markings differ in how the
darker layer lies: many small pieces (tabby stripes elongated, spots round), a few large hard-edged
patches (bicolour), one dark face patch on a light cat (colourpoint), dark fragments on a grey or
white dog (merle). The layer is the coat's third colour when it has one (black on red or white),
else the darkest clusters of the base itself (a grey tabby's stripes).
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from core.hero.coat import Palette
from core.hero.families import Families
from core.hero.traits import Box, CoatLength, Pattern, Region

PATCH_L = 50.0  # a pattern's dark layer is darker than this
STRIPE_DEPTH = 15.0  # base clusters this much darker than the base's mean are its stripes
CALICO_CHROMA = 20.0  # a calico's orange patches are strongly coloured (a tabby's brown is not)
WHITE_MARKS = 0.12  # white covering this much of a coloured coat makes it bicolour
PATCHES = 0.2  # ... and black patches this much of a white cat
MERLE_BIGGEST = 0.75  # a merle's dark fragments: no one piece holds more of them than this
MARKED = 0.3  # a marking colour covering this much of a body part marks it


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


def dark_layer(palette: Palette, fam: Families) -> tuple[int, ...]:
    """The clusters that may draw a pattern: the third colour, else the base's darkest."""
    c, s = palette.centres, palette.shares
    if fam.third:  # without a white pet's shaded white and pink ears: its black patches
        return tuple(j for j in fam.third if c[j][0] < PATCH_L) or fam.third
    mean = sum(c[j][0] * s[j] for j in fam.base) / max(fam.share(palette, fam.base), 1e-6)
    return tuple(j for j in fam.base if c[j][0] < mean - STRIPE_DEPTH)


POINT_BODY_L = 55.0  # a colourpoint's body is at least this light


def light_body(palette: Palette) -> tuple[int, ...]:
    """The light clusters: a colourpoint cat's body colour."""
    return tuple(j for j in range(len(palette.shares)) if palette.centres[j][0] > POINT_BODY_L)


def pigmented(palette: Palette, fam: Families) -> tuple[int, ...]:
    """The black-grey clusters (a merle's marbled coat, without its white)."""
    return tuple(j for j in range(len(palette.shares)) if fam.kinds[j] == "dark")


def light_share(palette: Palette) -> float:
    return float(sum(palette.shares[j] for j in light_body(palette)))


def pattern(
    palette: Palette, fam: Families, *, species: str, texture: float, head: Box
) -> tuple[Pattern, float]:
    """The coat pattern and a confidence."""
    c, labels, kinds = palette.centres, palette.labels, fam.kinds

    def share(keep: Callable[[int], bool]) -> float:
        return fam.share(palette, tuple(j for j in range(len(c)) if keep(j)))

    white = share(lambda j: kinds[j] == "white")
    orange = share(lambda j: kinds[j] == "warm" and _chroma(c[j]) > CALICO_CHROMA)
    black = share(lambda j: kinds[j] == "dark" and c[j][0] < 35)
    layer = np.isin(labels, dark_layer(palette, fam))
    if species == "cat" and light_share(palette) >= 0.12 and _in_face(layer, head):
        return "colourpoint", 0.5
    if species == "cat" and min(white, orange, black) >= 0.08 and orange < 0.6:
        return "calico", 0.5
    white_marks = fam.share(palette, fam.secondary) >= WHITE_MARKS
    patches = fam.share(palette, fam.third) >= PATCHES
    marked = (white_marks and _is_white(fam, fam.secondary)) or (
        patches and _is_white(fam, fam.base)
    )
    big, elong, count = _pieces(layer) if layer.any() else (1.0, 1.0, 0)
    if species == "dog":
        grey_or_white = all(kinds[j] != "warm" for j in fam.base)
        if grey_or_white and layer.any() and big < MERLE_BIGGEST and texture > 5:
            return "merle", 0.5
        return ("bicolour", 0.55) if marked else ("solid", 0.45)
    if texture < 4.5 or not layer.any():
        return ("bicolour", 0.5) if marked else ("solid", 0.45)
    return ("spots", 0.45) if elong < 2.0 and count >= 12 else ("tabby", 0.55)


def _is_white(fam: Families, family: tuple[int, ...]) -> bool:
    return bool(family) and fam.kinds[family[0]] == "white"


def _chroma(lab: np.ndarray) -> float:
    return float(np.hypot(lab[1], lab[2]))


def _in_face(layer: np.ndarray, head: Box) -> bool:
    """Most of the dark layer sits in the middle of the head box (a Siamese-type mask)."""
    x0, y0, x1, y1 = head
    w, h = x1 - x0, y1 - y0
    inner = layer[y0 + h // 4 : y1, x0 + w // 5 : x1 - w // 5]
    return bool(layer.sum() > 0 and inner.sum() >= 0.5 * layer.sum() and inner.mean() > 0.35)


def regions(labels: np.ndarray, family: tuple[int, ...], head: Box) -> tuple[Region, ...]:
    """Where a marking family covers much of a body part (by the mask's geometry).

    `labels` is the cluster map over the pet's whole outline (thin legs and paws included).
    """
    if not family:
        return ()
    coat = labels >= 0
    sec = np.isin(labels, family)
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
        "chest": _chest(y0, y1, x0, x1, bottom),
        "paws": (slice(bottom - (bottom - top) // 9, bottom), slice(None)),
    }
    found: list[Region] = []
    for name, (rows, cols) in parts.items():
        area = coat[rows, cols].sum()
        if area > 0.01 * coat.sum() and sec[rows, cols].sum() >= MARKED * area:
            found.append(name)
    return tuple(found)


def _chest(y0: int, y1: int, x0: int, x1: int, bottom: int) -> tuple[slice, slice]:
    """Below the head, in the middle; on a head close-up (the head reaching the photo's bottom)
    the bottom of the head box, where the neck and chest ruff show."""
    hw, hh = x1 - x0, y1 - y0
    cols = slice(x0 + hw // 6, x1 - hw // 6)
    if y1 >= bottom - max(2, hh // 20):
        return slice(y1 - hh // 6, y1), cols
    return slice(y1, min(bottom, y1 + hh)), cols


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
