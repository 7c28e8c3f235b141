"""The coat's palette: deterministic k-means in Lab over the eroded pet mask, the colour of a group
of clusters, and the base's shade and highlight (core.hero.families says which is which)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from core.hero.colour import to_lab, to_rgb
from core.hero.traits import RGB

K = 6
ITERATIONS = 12
MERGE_DELTA = 11.0  # Lab distance under which two clusters are one colour with shading
MIN_SHARE = 0.03
SAMPLE = 5000  # pixels the clusters are fitted on


@dataclass(frozen=True)
class Palette:
    """Coat clusters, largest first; `labels` maps each working-image pixel (-1: not coat)."""

    centres: np.ndarray  # (k, 3) Lab
    shares: np.ndarray  # (k,) fraction of coat pixels
    labels: np.ndarray  # (H, W) int


def inner_mask(mask: np.ndarray) -> np.ndarray:
    """The mask eroded by ~3% of the pet's size, so edge pixels (background bleed) never count."""
    ys, xs = np.nonzero(mask)
    if ys.size == 0:
        return mask > 0
    size = max(int(np.ptp(ys)), int(np.ptp(xs)))
    radius = max(1, size // 33)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    eroded = cv2.erode((mask > 0).astype(np.uint8), kernel) > 0
    return eroded if eroded.sum() >= 0.25 * (mask > 0).sum() else mask > 0


def sq_distances(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """(n, k) squared distances from n Lab points to k centres.

    Summed channel by channel: the same numbers as `((p - c) ** 2).sum(axis=2)` at a fraction of
    the cost (numpy reduces a last axis of three slowly).
    """
    total = np.zeros((len(points), len(centres)))
    for channel in range(points.shape[1]):
        total += (points[:, channel, None] - centres[None, :, channel]) ** 2
    return total


def _kmeans(lab: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Plain Lloyd iterations from lightness quantiles: deterministic, no RNG."""
    order = np.argsort(lab[:, 0], kind="stable")
    picks = order[((np.arange(k) + 0.5) / k * (len(order) - 1)).astype(int)]
    centres = lab[picks].copy()
    labels = np.zeros(len(lab), dtype=np.int64)
    for _ in range(ITERATIONS):
        dist = sq_distances(lab, centres)
        labels = dist.argmin(axis=1)
        for j in range(k):
            members = lab[labels == j]
            if len(members):
                centres[j] = members.mean(axis=0)
    return centres, labels


def _merge(centres: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Merge near-identical clusters and drop specks; returns the new label of each old cluster."""
    new = np.arange(len(centres))
    while True:
        live = [j for j in range(len(centres)) if counts[j] > 0]
        pairs = [
            (np.linalg.norm(centres[a] - centres[b]), a, b) for a in live for b in live if a < b
        ]
        dist, a, b = min(pairs, default=(np.inf, 0, 0))
        if dist >= MERGE_DELTA:
            break
        total = counts[a] + counts[b]
        centres[a] = (centres[a] * counts[a] + centres[b] * counts[b]) / total
        counts[a], counts[b] = total, 0
        new[new == b] = a
    return new


def read_palette(image: np.ndarray, coat: np.ndarray) -> Palette:
    """Cluster the coat pixels of a small, light-corrected image."""
    lab_img = to_lab(image)
    lab = lab_img[coat]
    step = max(1, len(lab) // SAMPLE)  # a fixed stride keeps it deterministic and fast
    centres, labels = _kmeans(lab[::step], K)
    counts = np.bincount(labels, minlength=K).astype(np.float64)
    _merge(centres, counts)
    share = counts / counts.sum()
    keep = [j for j in np.argsort(-share, kind="stable") if share[j] >= MIN_SHARE]
    kept = centres[keep]
    # Specks join the nearest kept cluster; centres are recomputed from their members.
    dist = sq_distances(lab, kept)
    labels = dist.argmin(axis=1)
    kept = np.array([lab[labels == j].mean(axis=0) for j in range(len(keep))])
    shares = np.bincount(labels, minlength=len(keep)) / len(labels)
    order = np.argsort(-shares, kind="stable")
    remap = np.empty_like(order)
    remap[order] = np.arange(len(order))
    label_map = np.full(coat.shape, -1, dtype=np.int64)
    label_map[coat] = remap[labels]
    return Palette(centres=kept[order], shares=shares[order], labels=label_map)


def label_map(image: np.ndarray, palette: Palette, inside: np.ndarray) -> np.ndarray:
    """Every pixel inside `inside` labelled with its nearest cluster (-1 elsewhere): the eroded
    map leaves out thin legs and tails, where paws and tips are marked."""
    labels = np.full(inside.shape, -1, dtype=np.int64)
    labels[inside] = sq_distances(to_lab(image)[inside], palette.centres).argmin(axis=1)
    return labels


def family_colour(
    image: np.ndarray, labels: np.ndarray, family: tuple[int, ...], *, vivid: bool = False
) -> RGB | None:
    """The median colour of a family's pixels (None for an empty family). `vivid`: of its more
    colourful half, for small tan marks whose edges blend into the black around them."""
    pixels = np.isin(labels, family) & (labels >= 0)
    if not family or not pixels.any():
        return None
    lab = to_lab(image)[pixels]
    if vivid:
        chroma = np.hypot(lab[:, 1], lab[:, 2])
        lab = lab[chroma >= np.median(chroma)]
    return to_rgb(np.median(lab, axis=0))


def tones(image: np.ndarray, pixels: np.ndarray) -> tuple[RGB, RGB, RGB]:
    """Base, shade and highlight of the base pixels.

    Base is the median of the lighter 80%: stripes and shadows darken a coat's every pixel mix,
    while owners name the colour of the lit fur between them. Shade and highlight keep its hue.
    """
    lab = to_lab(image)[pixels]
    lit = lab[lab[:, 0] >= np.percentile(lab[:, 0], 20)]
    centre = np.median(lit, axis=0)
    low, high = np.percentile(lab[:, 0], [15, 90])
    shade = np.array([min(low, centre[0] - 8), centre[1], centre[2]])
    light = np.array([min(max(high, centre[0] + 8), 100.0), centre[1], centre[2]])
    return to_rgb(centre), to_rgb(shade), to_rgb(light)
