"""Colour helpers for reading a pet: Lab conversion, CIEDE2000, and the room-light correction.

The correction is a clamped von Kries white balance: the illuminant is estimated from near-neutral
pixels (background and the pet's own greys and whites, brighter ones weighted more, as in
white-patch), so warm lamp light no longer turns a grey cat olive. Strongly coloured pixels never
vote, and the gains are clamped, so a genuinely orange cat stays orange.
"""

from __future__ import annotations

import numpy as np
from skimage.color import deltaE_ciede2000, lab2rgb, rgb2lab, xyz2lab

from core.hero.traits import RGB

# Lab chroma below which a pixel may be a grey or white lit by a tinted light.
NEUTRAL_CHROMA = 26.0
# Lab hue of the warm end of the warm-cool line that lamps, daylight and shade tint whites along
# (the cool end is opposite); background pixels tinted off it by more than the spread are objects.
LIGHT_HUE = 75.0
LIGHT_HUE_SPREAD = 30.0
GREY_CHROMA = 6.0  # any tint this faint may be the light's
# The pet's own fur votes only when it is clearly grey or white (below this chroma).
PET_NEUTRAL_CHROMA = 10.0
# How far a channel's gain may move from 1 (a stronger cast is likelier the scene's own colour).
MAX_GAIN_SHIFT = 0.35
# Fewer near-neutral pixels than this fraction: no estimate, no correction.
MIN_NEUTRAL_SHARE = 0.02

# sRGB to linear light for every 8-bit value, by the formula skimage's rgb2xyz uses: looking it up
# instead of raising each pixel to the power 2.4 makes Lab conversion of a photo ~3x cheaper.
_STEPS = np.arange(256, dtype=np.float64) / 255.0
LINEAR = np.where(_STEPS <= 0.04045, _STEPS / 12.92, ((_STEPS + 0.055) / 1.055) ** 2.4)
# Linear sRGB to CIE XYZ (D65), the matrix of skimage.color.
XYZ_FROM_RGB = np.array(
    [[0.412453, 0.357580, 0.180423], [0.212671, 0.715160, 0.072169], [0.019334, 0.119193, 0.950227]]
)


def to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB uint8 (..., 3) to CIELAB float (..., 3); the same numbers as skimage's rgb2lab."""
    arr = np.asarray(rgb)
    if arr.dtype != np.uint8:
        return np.asarray(rgb2lab(arr.astype(np.float64) / 255.0))
    return np.asarray(xyz2lab(LINEAR[arr] @ XYZ_FROM_RGB.T))


def to_rgb(lab: np.ndarray) -> RGB:
    """One Lab colour to an sRGB tuple (clipped into gamut)."""
    rgb = lab2rgb(np.asarray(lab, dtype=np.float64).reshape(1, 1, 3)).reshape(3)
    r, g, b = (round(float(v)) for v in np.clip(rgb * 255.0, 0, 255))
    return (r, g, b)


def delta_e(a: RGB, b: RGB) -> float:
    """CIEDE2000 difference between two sRGB colours."""
    lab = to_lab(np.array([a, b], dtype=np.uint8))
    return float(deltaE_ciede2000(lab[0], lab[1]))  # type: ignore[no-untyped-call]


def hex_rgb(colour: str) -> RGB:
    """'#rrggbb' to an RGB tuple."""
    value = colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def _linear(rgb: np.ndarray) -> np.ndarray:
    if rgb.dtype == np.uint8:
        return np.asarray(LINEAR[rgb])
    c = rgb.astype(np.float64) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _srgb(lin: np.ndarray) -> np.ndarray:
    c = np.clip(lin, 0.0, 1.0)
    out = np.where(c <= 0.0031308, c * 12.92, 1.055 * c ** (1 / 2.4) - 0.055)
    return np.asarray(np.round(out * 255.0), dtype=np.uint8)


def estimate_gains(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per-channel gains (linear light) that neutralise the room's cast, clamped; ones if unsure.

    The background's near-neutral pixels (walls, floors, sky, snow) vote, and so does the pet's own
    clearly grey or white fur; its pale cream, gold or tan fur never does: a golden dog in
    daylight is the dog's colour, not a cast, and must not be pulled toward grey.
    """
    pixels = image.reshape(-1, 3)
    lab = to_lab(pixels)
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    on_pet = mask.reshape(-1) > 0
    usable = (lab[:, 0] > 25) & (lab[:, 0] < 98)
    # A lamp or the sky tints whites along the warm-cool (daylight) line; a green or purple tint
    # is the object's own colour (grass, sea, a painted wall) unless it is nearly grey.
    hue = np.degrees(np.arctan2(lab[:, 2], lab[:, 1]))
    off_line = np.abs((hue - LIGHT_HUE + 90.0) % 180.0 - 90.0)
    tint = (chroma < NEUTRAL_CHROMA) & ((off_line < LIGHT_HUE_SPREAD) | (chroma < GREY_CHROMA))
    neutral = usable & np.where(on_pet, chroma < PET_NEUTRAL_CHROMA, tint)
    if neutral.mean() < MIN_NEUTRAL_SHARE:
        return np.ones(3)
    # The pet's own greys and whites count as much as the whole background once there are
    # enough of them (a few stray pixels must not outvote it).
    on_pet = on_pet[neutral]
    n_pet, n_bg = int(on_pet.sum()), int((~on_pet).sum())
    pet_weight = min(1.0, n_pet / 200) if n_bg else 1.0
    weight = (lab[neutral, 0] / 100.0) ** 2
    weight = weight * np.where(on_pet, pet_weight / max(n_pet, 1), 1.0 / max(n_bg, 1))
    mean = (_linear(pixels[neutral]) * weight[:, None]).sum(axis=0) / weight.sum()
    gains = mean.mean() / np.maximum(mean, 1e-6)
    # Pixels near the neutral threshold could be pale coloured surfaces: trust a consistent cast.
    cast = np.hypot(*np.median(lab[neutral, 1:], axis=0))
    trust = float(np.clip(1.8 - cast / NEUTRAL_CHROMA, 0.0, 1.0))
    gains = 1.0 + np.clip(gains - 1.0, -MAX_GAIN_SHIFT, MAX_GAIN_SHIFT) * trust
    return np.asarray(gains / gains.mean())


def apply_gains(image: np.ndarray, gains: np.ndarray) -> np.ndarray:
    """The image with the gains applied in linear light (uint8 sRGB out)."""
    return _srgb(_linear(image) * gains.reshape(1, 1, 3))
