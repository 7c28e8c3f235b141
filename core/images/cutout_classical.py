"""Classical background removal, no weights: colour priors seed GrabCut on a ~400 px copy.

Plain GrabCut seeded with the whole border as background fails in two common cases: the pet touches
the frame (a close-up cat fills 20-35% of the border, which then teaches GrabCut that fur is
background), and a pet on plain grey ground. So the border is judged in segments: the segments
whose colours are closest to the centre of the photo (where the pet usually is), split from the rest
at Otsu's threshold, are left undecided instead of being forced to background. A per-pixel
foreground likelihood from the two colour models then seeds GrabCut's probable labels.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from core.images.cutout import CutoutResult, area_score, border_score, finish, refine, working_copy

WORK_SIDE = 320
SEGMENTS_PER_SIDE = 8
BORDER = 0.04  # strip width as a fraction of the short side
CLUSTERS = 5
GRABCUT_ITERATIONS = 3
MIN_CONTRAST = 10.0  # CIELAB distance below which two colours are "the same" for seeding
# Most of the border may be pet (a close-up); beyond this share the centre is taken for background.
MAX_TOUCHING = 0.85


class ClassicalCutter:
    """Colour-prior GrabCut; confidence is capped since it cannot know what a pet is."""

    name = "classical"

    def cut(self, image: Image.Image) -> CutoutResult:
        small = working_copy(image, WORK_SIDE)
        rgb = np.asarray(small)
        lab = cv2.cvtColor(cv2.GaussianBlur(rgb, (5, 5), 0), cv2.COLOR_RGB2LAB).astype(np.float32)
        likelihood, bg_border = foreground_likelihood(lab)
        labels = grabcut(rgb, seed_labels(likelihood, bg_border))
        mask = refine(labels.astype(np.float32))
        confidence = 0.8 * separation(likelihood, mask) * area_score(mask) * border_score(mask)
        return finish(image, mask, confidence, self.name)


def foreground_likelihood(lab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-pixel P(pet) from colour distances, and the border pixels judged background."""
    h, w = lab.shape[:2]
    strip = border_strip((h, w))
    d_fg = nearest_distance(lab, kmeans(lab[centre_region((h, w), 0.3)]))
    bg_border = strip & ~subject_segments(d_fg, strip)
    d_bg = nearest_distance(lab, kmeans(lab[bg_border] if bg_border.any() else lab[strip]))
    return d_bg / (d_fg + d_bg + 1e-6), bg_border


def subject_segments(d_fg: np.ndarray, strip: np.ndarray) -> np.ndarray:
    """Border segments whose colours look like the centre's: the pet touches the frame there.

    Each segment is scored by how unlike the centre its pixels are (median distance to the
    centre's colours); the scores split into two groups at the best two-class threshold (Otsu),
    and the low group touches the pet. A close-up cat can fill most of the border, so the split
    is data-driven rather than judged against a background model learnt from that same border.
    """
    segments = [seg & strip for seg in border_segments(strip.shape)]
    unlike = np.array([float(np.median(d_fg[seg])) for seg in segments])
    touching = np.zeros_like(strip)
    threshold = two_class_threshold(unlike)
    low, high = unlike[unlike < threshold], unlike[unlike >= threshold]
    if len(low) == 0 or float(high.mean() - low.mean()) < MIN_CONTRAST:
        return touching  # one colour all round the border: no way to tell, trust it
    for seg, d in zip(segments, unlike, strict=True):
        if d < threshold:
            touching |= seg
    # If nearly everything "touches", the centre colours are the background's: trust the border.
    return touching if touching.sum() < MAX_TOUCHING * strip.sum() else np.zeros_like(strip)


def two_class_threshold(values: np.ndarray) -> float:
    """Otsu's threshold on a handful of values: maximises the between-group variance."""
    ordered = np.sort(values)
    best_score, best = -1.0, float(ordered[-1]) + 1.0
    for i in range(1, len(ordered)):
        low, high = ordered[:i], ordered[i:]
        score = len(low) * len(high) * float(high.mean() - low.mean()) ** 2
        if score > best_score:
            best_score, best = score, float(ordered[i - 1] + ordered[i]) / 2
    return best


def seed_labels(likelihood: np.ndarray, bg_border: np.ndarray) -> np.ndarray:
    """GrabCut's initial labels: sure background on background border, probable elsewhere."""
    labels = np.where(likelihood > 0.5, cv2.GC_PR_FGD, cv2.GC_PR_BGD).astype(np.uint8)
    labels[(likelihood < 0.2)] = cv2.GC_BGD
    labels[bg_border] = cv2.GC_BGD
    core = centre_region(likelihood.shape, 0.12) & (likelihood > 0.6)
    labels[core] = cv2.GC_FGD
    return labels


def grabcut(rgb: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Boolean foreground after GrabCut; the seeds alone if GrabCut has nothing to separate."""
    has_both = (
        np.isin(labels, [cv2.GC_FGD, cv2.GC_PR_FGD]).any()
        and np.isin(labels, [cv2.GC_BGD, cv2.GC_PR_BGD]).any()
    )
    if not has_both:
        return np.isin(labels, [cv2.GC_FGD, cv2.GC_PR_FGD])
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    bgr = np.ascontiguousarray(rgb[..., ::-1])
    mask = labels.copy()
    cv2.setRNGSeed(0)  # GrabCut's GMM init uses k-means: keep cutouts reproducible
    rect = (0, 0, 1, 1)  # unused with GC_INIT_WITH_MASK
    cv2.grabCut(bgr, mask, rect, bgd, fgd, GRABCUT_ITERATIONS, cv2.GC_INIT_WITH_MASK)
    return np.isin(mask, [cv2.GC_FGD, cv2.GC_PR_FGD])


def separation(likelihood: np.ndarray, mask: np.ndarray) -> float:
    """How differently the colour model scores the inside and the outside of the mask."""
    if mask.all() or not mask.any():
        return 0.0
    gap = float(likelihood[mask].mean() - likelihood[~mask].mean())
    return float(np.clip(gap / 0.5, 0.0, 1.0))


def kmeans(pixels: np.ndarray, k: int = CLUSTERS) -> np.ndarray:
    """k colour centres of an N x 3 array (fewer when there are few pixels); deterministic."""
    data = pixels.reshape(-1, 3).astype(np.float32)
    if len(data) > 4000:  # a strided sample is plenty for 5 colour centres
        data = data[:: len(data) // 4000]
    k = max(1, min(k, len(data)))
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 1.0)
    cv2.setRNGSeed(0)
    labels = np.zeros((len(data), 1), np.int32)
    _, _, centres = cv2.kmeans(data, k, labels, criteria, 2, cv2.KMEANS_PP_CENTERS)
    return np.asarray(centres, dtype=np.float32)


def nearest_distance(lab: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Distance (CIELAB units, roughly) from each pixel to its nearest centre."""
    diff = lab[..., None, :] - centres
    return np.asarray(np.sqrt((diff * diff).sum(axis=-1)).min(axis=-1), dtype=np.float32)


def border_strip(shape: tuple[int, int]) -> np.ndarray:
    h, w = shape
    b = max(2, round(min(h, w) * BORDER))
    strip = np.ones((h, w), dtype=bool)
    strip[b:-b, b:-b] = False
    return strip


def border_segments(shape: tuple[int, int]) -> list[np.ndarray]:
    """The border cut into SEGMENTS_PER_SIDE pieces per side, as full-size boolean masks."""
    h, w = shape
    out = []
    for i in range(SEGMENTS_PER_SIDE):
        xs = slice(i * w // SEGMENTS_PER_SIDE, (i + 1) * w // SEGMENTS_PER_SIDE)
        ys = slice(i * h // SEGMENTS_PER_SIDE, (i + 1) * h // SEGMENTS_PER_SIDE)
        for rows, cols in ((slice(0, h // 2), xs), (slice(h // 2, h), xs)):
            seg = np.zeros((h, w), dtype=bool)
            seg[rows, cols] = True
            out.append(seg)
        for rows, cols in ((ys, slice(0, w // 2)), (ys, slice(w // 2, w))):
            seg = np.zeros((h, w), dtype=bool)
            seg[rows, cols] = True
            out.append(seg)
    return out


def centre_region(shape: tuple[int, int], fraction: float) -> np.ndarray:
    """An ellipse around the centre spanning `fraction` of each side."""
    h, w = shape
    yy, xx = np.ogrid[:h, :w]
    ry, rx = max(1.0, h * fraction / 2), max(1.0, w * fraction / 2)
    return ((yy - h / 2) / ry) ** 2 + ((xx - w / 2) / rx) ** 2 <= 1.0
