"""Eyes and nose in a head crop: small blobs at eye height whose colour the coat does not have.

Cats' irises are saturated and unlike the fur (green, yellow, amber, copper, blue); dogs' eyes are
dark blobs. A matching pair at one height is trusted most; none found gives the species default.
"""

from __future__ import annotations

import cv2
import numpy as np

from core.hero.colour import to_lab, to_rgb
from core.hero.traits import RGB

DEFAULT_EYE: dict[str, RGB] = {"cat": (150, 160, 60), "dog": (70, 45, 30)}
NOSES: dict[str, RGB] = {"pink": (214, 150, 150), "black": (38, 34, 36), "brown": (110, 72, 56)}


def eye_family(colour: RGB, species: str) -> str:
    """Name an eye colour: cats blue/green/yellow/amber/copper; dogs blue/amber/brown/dark."""
    lightness, a, b = to_lab(np.array([[colour]], dtype=np.uint8)).reshape(3)
    hue = float(np.degrees(np.arctan2(b, a))) % 360
    chroma = float(np.hypot(a, b))
    if 180 <= hue < 300 or (chroma < 10 and b < 2 and lightness > 35):
        return "blue"
    if species == "dog":
        if lightness < 25:
            return "dark"
        return "amber" if lightness > 50 and chroma > 30 else "brown"
    if hue >= 100:
        return "green"
    return "yellow" if hue >= 80 else "amber" if hue >= 60 else "copper"


def _candidates(lab: np.ndarray, coat: np.ndarray, species: str) -> np.ndarray:
    """Pixels that may be iris (cats: colourful and unlike the coat) or eye (dogs: dark)."""
    if species == "dog":
        limit = min(32.0, float(coat[:, 0].min()) - 15)
        return np.asarray(lab[..., 0] < limit)
    # Irises differ from the fur in hue far more than in lightness: compare a*b* only.
    ab = lab[..., None, 1:] - coat[None, None, :, 1:]
    gap = np.sqrt(ab[..., 0] ** 2 + ab[..., 1] ** 2).min(axis=-1)  # as .sum(axis=-1), faster
    hue = np.degrees(np.arctan2(lab[..., 2], lab[..., 1])) % 360
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    return np.asarray((gap > 9) & (chroma > 8) & (hue > 58) & (hue < 300) & (lab[..., 0] > 20))


def _blobs(cand: np.ndarray, inside: np.ndarray) -> list[tuple[float, float, float, np.ndarray]]:
    """Eye-sized, roundish components in the eye band: (x, y, area, pixel mask)."""
    h, w = cand.shape
    band = np.zeros_like(cand)
    band[int(0.22 * h) : int(0.75 * h)] = True
    cand = (cand & band & inside).astype(np.uint8)
    cand = cv2.morphologyEx(cand, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    n, labels, stats, cents = cv2.connectedComponentsWithStats(cand, connectivity=8)
    out = []
    for j in range(1, n):
        bw, bh, area = stats[j, 2], stats[j, 3], stats[j, 4]
        if 0.0015 * h * w <= area <= 0.05 * h * w and max(bw, bh) <= 3 * min(bw, bh):
            out.append((float(cents[j, 0]), float(cents[j, 1]), float(area), labels == j))
    return out


def find_eyes(
    face: np.ndarray, inside: np.ndarray, coat: np.ndarray, species: str
) -> tuple[RGB, float]:
    """Eye colour in a head crop (sRGB, light-corrected) and the confidence; default when unseen."""
    lab = to_lab(face)
    blobs = _blobs(_candidates(lab, coat, species), inside)
    h, w = inside.shape
    best, best_score = None, 0.0
    for i, a in enumerate(blobs):
        for b in blobs[i + 1 :]:
            dx, dy = abs(a[0] - b[0]), abs(a[1] - b[1])
            score = min(a[2], b[2])  # two eyes are alike in size
            similar = max(a[2], b[2]) <= 3 * score
            if similar and dy < 0.08 * h and 0.22 * w < dx < 0.75 * w and score > best_score:
                best, best_score = a[3] | b[3], score
    confidence = 0.75
    if best is None and blobs:
        best = max(blobs, key=lambda blob: blob[2])[3]
        confidence = 0.4
    if best is None:
        return DEFAULT_EYE.get(species, DEFAULT_EYE["dog"]), 0.15
    pixels = lab[best]
    low, high = np.percentile(pixels[:, 0], [25, 92])
    keep = pixels[(pixels[:, 0] >= low) & (pixels[:, 0] <= high)]
    return to_rgb(np.median(keep if len(keep) else pixels, axis=0)), confidence


def nose_colour(face: np.ndarray, inside: np.ndarray, coat_lightness: float) -> tuple[RGB, float]:
    """Pink, black or brown from the lower middle of the head; from the coat when unclear."""
    h, w = inside.shape
    lab = to_lab(face[int(0.55 * h) : int(0.95 * h), int(0.3 * w) : int(0.7 * w)])
    region = inside[int(0.55 * h) : int(0.95 * h), int(0.3 * w) : int(0.7 * w)]
    hue = np.degrees(np.arctan2(lab[..., 2], lab[..., 1])) % 360
    pink = region & (lab[..., 1] > 14) & (lab[..., 0] > 45) & ((hue < 50) | (hue > 330))
    dark = region & (lab[..., 0] < min(30.0, coat_lightness - 20))
    area = max(int(region.sum()), 1)
    if pink.sum() > 0.02 * area and pink.sum() >= 0.8 * dark.sum():
        return NOSES["pink"], 0.55
    if dark.sum() > 0.02 * area:
        brownish = float(np.median(np.hypot(lab[dark][:, 1], lab[dark][:, 2]))) > 12
        return (NOSES["brown"], 0.4) if brownish else (NOSES["black"], 0.55)
    return (NOSES["pink"], 0.2) if coat_lightness > 55 else (NOSES["black"], 0.2)
