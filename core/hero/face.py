"""Where the head is (cat-face cascade when OpenCV has one, else the mask's geometry) and the ears.

Geometry: the head is the thickest part of the silhouette high up (distance-transform peak weighted
towards the top); for a wide, side-on silhouette it sits at the end whose upper half is thicker.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from core.hero.traits import Box, EarType

CAT_CASCADE = "haarcascade_frontalcatface_extended.xml"


def _cascade() -> object | None:
    """OpenCV's cat-face cascade; None where the installed OpenCV (5.x) ships no cascades."""
    make = getattr(cv2, "CascadeClassifier", None)
    data = getattr(getattr(cv2, "data", None), "haarcascades", None)
    if make is None or data is None or not (Path(data) / CAT_CASCADE).is_file():
        return None
    cascade: object = make(str(Path(data) / CAT_CASCADE))
    return cascade


def cat_face(photo: np.ndarray, mask: np.ndarray) -> Box | None:
    """The largest cascade face centred on the pet (photo pixels); the image is padded 25%."""
    cascade = _cascade()
    if cascade is None:
        return None
    grey = cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY)
    pad = max(grey.shape) // 4
    padded = cv2.copyMakeBorder(grey, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
    found = cascade.detectMultiScale(padded, scaleFactor=1.1, minNeighbors=3)  # type: ignore[attr-defined]
    best: Box | None = None
    for x, y, w, h in sorted(found, key=lambda f: -int(f[2]) * int(f[3])):
        cx, cy = x - pad + w // 2, y - pad + h // 2
        if 0 <= cy < mask.shape[0] and 0 <= cx < mask.shape[1] and mask[cy, cx]:
            best = (int(x - pad), int(y - pad - h // 3), int(x - pad + w), int(y - pad + h))
            break
    return best


def head_from_mask(mask: np.ndarray) -> tuple[Box, float]:
    """Head box from the silhouette alone, in the mask's pixels, and a confidence."""
    ys, xs = np.nonzero(mask)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    height, width = y1 - y0, x1 - x0
    dist = cv2.distanceTransform((mask > 0).astype(np.uint8), cv2.DIST_L2, 5)
    rows = (np.arange(mask.shape[0])[:, None] - y0) / max(height, 1)
    score = dist * np.clip(1.0 - rows, 0.0, 1.0)
    score[np.broadcast_to(rows > 0.6, score.shape)] = 0
    confidence = 0.45
    if width > 1.3 * height:  # side-on: the head is at the end whose upper half is thicker
        third = width // 3
        left = score[:, x0 : x0 + third].max()
        right = score[:, x1 - third : x1].max()
        keep = np.zeros_like(score, dtype=bool)
        keep[:, x0 : x0 + third] = left >= right
        keep[:, x1 - third : x1] = right > left
        score = np.where(keep, score, 0)
        confidence = 0.35
    cy, cx = np.unravel_index(int(score.argmax()), score.shape)
    r = float(dist[cy, cx])
    box = (int(cx - 1.25 * r), int(cy - 1.6 * r), int(cx + 1.25 * r), int(cy + 1.15 * r))
    return _clip(box, (int(x0), int(y0), int(x1), int(y1))), confidence


def _clip(box: Box, bounds: Box) -> Box:
    return (
        max(box[0], bounds[0]),
        max(box[1], bounds[1]),
        min(box[2], bounds[2]),
        min(box[3], bounds[3]),
    )


def ear_type(mask: np.ndarray, head: Box, species: str) -> tuple[EarType, float]:
    """Pointed when two peaks rise from the head's outline; else floppy (dog) or pointed (cat)."""
    x0, y0, x1, y1 = head
    region = mask[y0:y1, x0:x1] > 0
    if region.shape[0] < 8 or region.shape[1] < 8:
        return ("pointed", 0.3) if species == "cat" else ("floppy", 0.3)
    has = region.any(axis=0)
    top = np.where(has, region.argmax(axis=0), region.shape[0]).astype(np.float64)
    cols = np.nonzero(has)[0]
    if cols.size < 8:
        return ("pointed", 0.3) if species == "cat" else ("floppy", 0.3)
    lo, hi = cols[0], cols[-1] + 1
    span = hi - lo
    left = top[lo : lo + span // 2].min()
    right = top[lo + span - span // 2 : hi].min()
    middle = top[lo + span // 3 : lo + span - span // 3].min()
    depth = (middle - max(left, right)) / max(region.shape[0], 1)
    if depth > 0.09:
        return "pointed", float(min(0.9, 0.5 + depth * 2))
    if species == "cat":
        return "pointed", 0.4
    return "floppy", float(min(0.8, 0.5 + (0.09 - depth) * 2))
