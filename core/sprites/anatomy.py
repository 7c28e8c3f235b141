"""Reading a still sprite: where the legs, torso and eyes are, so the moves can avoid the face."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from core.sprites.pixelops import RGBA, crop_to_content, opaque, spread

LEG_BAND = 0.25  # bottom share of the body treated as legs
EYE_ZONE = 0.6  # eyes are searched in this top share of the body
EYE_CONTRAST = 40.0  # luminance step (0-255) that makes a small cluster stand out as an eye
EIGHT = np.ones((3, 3), dtype=bool)


@dataclass(frozen=True)
class Anatomy:
    """The sprite cropped to its content plus the landmarks the animations move around."""

    rgba: RGBA
    unit: int  # one "art pixel" of motion: 1 px at 32 px, scaled up for bigger sprites
    anchor_x: int  # column edge between the front and back feet
    leg_top: int  # first row of the leg band
    torso: tuple[int, int]  # rows [lo, hi) below the eyes and above the legs: safe to stretch
    eyes: np.ndarray  # boolean mask of the eye pixels (may be empty)

    @property
    def height(self) -> int:
        return int(self.rgba.shape[0])

    @property
    def width(self) -> int:
        return int(self.rgba.shape[1])

    def torso_rows(self, count: int) -> list[int]:
        """`count` rows spread over the torso (at least one, even on tiny sprites)."""
        lo, hi = self.torso
        step = (hi - lo) / max(1, count)
        return sorted({lo + int(step * (i + 0.5)) for i in range(max(1, count))})

    def leg_rows(self, count: int) -> list[int]:
        """Up to `count` rows inside the legs, below the belly line: to bend or extend them."""
        lo = min(self.leg_top + 1, self.height - 1)
        return spread(lo, self.height, count)

    def body_cols(self, count: int) -> list[int]:
        """The `count` columns nearest the body centre that do not cross an eye."""
        eye_cols = set(np.nonzero(self.eyes.any(axis=0))[0].tolist())
        lo = max(0, self.anchor_x - self.width // 4)
        hi = min(self.width, self.anchor_x + self.width // 4 + 1)
        fallback = [min(max(self.anchor_x - 1, 0), self.width - 1)]
        free = [c for c in range(lo, hi) if c not in eye_cols] or fallback
        free.sort(key=lambda c: (abs(c - self.anchor_x), c))
        return sorted(free[: max(1, count)])


def analyse(rgba: RGBA) -> Anatomy:
    """Landmarks of a pet sprite facing right (content is cropped first)."""
    art = crop_to_content(rgba)
    h, w = art.shape[:2]
    leg_top = max(1, h - max(1, round(h * LEG_BAND)))
    eyes = find_eyes(art)
    eye_rows = np.nonzero(eyes.any(axis=1))[0]
    lo = max(round(h * 0.35), int(eye_rows.max()) + 1 if eye_rows.size else 0)
    lo = min(lo, leg_top - 1)
    return Anatomy(
        rgba=art,
        unit=max(1, round(max(h, w) / 32)),
        anchor_x=_feet_centre(art, leg_top),
        leg_top=leg_top,
        torso=(lo, leg_top),
        eyes=eyes,
    )


def _feet_centre(art: RGBA, leg_top: int) -> int:
    cols = np.nonzero(opaque(art[leg_top:]).any(axis=0))[0]
    if cols.size == 0:
        return int(art.shape[1]) // 2
    return int(cols.min() + cols.max() + 1) // 2


def luminance(rgba: RGBA) -> np.ndarray:
    """Rec. 601 luma, 0-255, as float."""
    rgb = rgba[..., :3].astype(float)
    return np.asarray(rgb @ np.array([0.299, 0.587, 0.114]))


def find_eyes(art: RGBA) -> np.ndarray:
    """Small clusters clearly darker (or, on a dark pet, lighter) than their surroundings, up top.

    A morphological top-hat keeps spots smaller than about a sixth of the sprite, so outlines
    (touching the transparent background) and long stripes drop out, leaving one or two eyes.
    """
    solid = opaque(art)
    if not solid.any():
        return np.zeros(solid.shape, dtype=bool)
    lum = luminance(art)
    lum = np.where(solid, lum, np.median(lum[solid]))
    size = max(5, round(max(art.shape[:2]) / 6)) | 1
    interior = ndimage.binary_erosion(solid, EIGHT, border_value=0)
    for spots in (
        ndimage.grey_closing(lum, size=size) - lum,
        lum - ndimage.grey_opening(lum, size=size),
    ):
        eyes = _pick_eyes(np.where(interior, spots, 0.0), size)
        if eyes.any():
            return eyes
    return np.zeros(solid.shape, dtype=bool)


def _pick_eyes(spots: np.ndarray, size: int) -> np.ndarray:
    labels, _ = ndimage.label(spots >= EYE_CONTRAST, EIGHT)
    found = []
    for index, box in enumerate(ndimage.find_objects(labels), start=1):
        if box is None or (box[0].start + box[0].stop) / 2 >= spots.shape[0] * EYE_ZONE:
            continue
        bh, bw = box[0].stop - box[0].start, box[1].stop - box[1].start
        if max(bh, bw) >= size or max(bh, bw) > 2.5 * min(bh, bw) + 1:
            continue  # too big or too elongated: a patch or a stripe, not an eye
        comp = labels == index
        found.append((float(spots[comp].mean()), (box[0].start + box[0].stop) / 2, comp))
    if not found:
        return np.zeros(spots.shape, dtype=bool)
    found.sort(key=lambda item: -item[0])
    best_score, best_row, eyes = found[0]
    for score, row, comp in found[1:]:
        # The other eye sits at about the same height and is nearly as strong; a nose sits lower.
        if score >= 0.5 * best_score and abs(row - best_row) <= max(1.0, spots.shape[0] / 12):
            return np.asarray(ndimage.binary_fill_holes(eyes | comp))
    return np.asarray(ndimage.binary_fill_holes(eyes))


def close_eyes(art: RGBA, eyes: np.ndarray) -> RGBA:
    """The eyes shut: lids in the surrounding fur colour, a dark lash line kept on tall eyes."""
    out = art.copy()
    labels, _ = ndimage.label(eyes, EIGHT)
    for index in range(1, int(labels.max()) + 1):
        comp = labels == index
        rows = np.nonzero(comp.any(axis=1))[0]
        lid = comp.copy()
        if rows.size > 1:
            lid[rows.max()] = False  # the bottom row stays dark: it reads as a closed eyelid
        out[lid, :3] = _fur_colour(art, comp, eyes)
    return out


def _fur_colour(art: RGBA, comp: np.ndarray, eyes: np.ndarray) -> np.ndarray:
    ring = ndimage.binary_dilation(comp, EIGHT) & ~eyes & opaque(art)
    lum = luminance(art)
    eye_lum = float(lum[comp].mean())
    # Prefer the fur over an outline pixel that happens to touch the eye.
    candidates = ring & (np.abs(lum - eye_lum) >= EYE_CONTRAST / 2)
    pick = candidates if candidates.any() else ring
    if not pick.any():
        return np.asarray(art[comp][0, :3])
    counts = Counter(tuple(int(v) for v in px) for px in art[pick, :3])
    colour = max(counts.items(), key=lambda item: (item[1], item[0]))[0]
    return np.array(colour, dtype=np.uint8)
