"""Quality metrics for pixel-art sprites (tests and bench/): each takes plain RGBA arrays or images.

A sprite is "exact" when every pixel is transparent or one palette colour; it reads as pixel art
when few pixels are orphans; it is faithful when its silhouette, colours and contrast follow the
photo's.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
from PIL import Image
from scipy import ndimage

from core.pixelart.cleanup import CROSS, SQUARE, orphan_mask
from core.pixelart.colour import hex_array, rgb_to_lab
from core.pixelart.downscale import subject_box

DARKER_EDGE = 15.0  # L* an outline pixel must sit below the interior's median


def as_rgba(image: Image.Image | np.ndarray) -> np.ndarray:
    if isinstance(image, Image.Image):
        return np.asarray(image.convert("RGBA"))
    return np.asarray(image)


def _in_palette(rgb: np.ndarray, palette: Sequence[str]) -> np.ndarray:
    """Per pixel: is its RGB one of the palette's colours?"""
    colours = hex_array(palette).astype(np.uint32)
    codes = (colours[:, 0] << 16) | (colours[:, 1] << 8) | colours[:, 2]
    rgb32 = rgb.astype(np.uint32)
    pixel_codes = (rgb32[..., 0] << 16) | (rgb32[..., 1] << 8) | rgb32[..., 2]
    return np.isin(pixel_codes, codes)


def palette_adherence(image: Image.Image | np.ndarray, palette: Sequence[str]) -> float:
    """Fraction of opaque (alpha > 0) pixels whose RGB is a palette colour; 1.0 with none opaque."""
    rgba = as_rgba(image)
    opaque = rgba[..., 3] > 0
    if not opaque.any():
        return 1.0
    return float(_in_palette(rgba[..., :3], palette)[opaque].mean())


def grid_exactness(image: Image.Image | np.ndarray, palette: Sequence[str]) -> float:
    """Fraction of pixels that are fully transparent, or fully opaque in a palette colour."""
    rgba = as_rgba(image)
    alpha = rgba[..., 3]
    exact = (alpha == 0) | ((alpha == 255) & _in_palette(rgba[..., :3], palette))
    return float(exact.mean())


def orphans(image: Image.Image | np.ndarray) -> np.ndarray:
    """Mask of opaque pixels whose colour none of their 8 neighbours share."""
    rgba = as_rgba(image)
    rgb = rgba[..., :3].astype(np.int64)
    codes = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    return orphan_mask(codes, rgba[..., 3] > 0)


def orphan_stats(image: Image.Image | np.ndarray) -> dict[str, float]:
    """Orphan count and fraction of opaque pixels, split into edge and inside."""
    rgba = as_rgba(image)
    opaque = rgba[..., 3] > 0
    lonely = orphans(rgba)
    inner = _eroded(opaque, SQUARE)
    total = max(int(opaque.sum()), 1)
    return {
        "count": int(lonely.sum()),
        "fraction": float(lonely.sum() / total),
        "edge": int((lonely & ~inner).sum()),
        "inside": int((lonely & inner).sum()),
    }


def silhouette_iou(image: Image.Image | np.ndarray, mask: np.ndarray) -> float:
    """IoU of the sprite's opaque pixels with the cutout mask, each framed by its own box."""
    opaque = as_rgba(image)[..., 3] > 0
    if not opaque.any():
        return 0.0
    x0, y0, x1, y1 = subject_box(np.where(opaque, 255, 0))
    sprite = opaque[y0:y1, x0:x1]
    mx0, my0, mx1, my1 = subject_box(np.asarray(mask))
    cut = (np.asarray(mask)[my0:my1, mx0:mx1] >= 128).astype(np.float32)
    small = cv2.resize(cut, (sprite.shape[1], sprite.shape[0]), interpolation=cv2.INTER_AREA) >= 0.5
    union = (sprite | small).sum()
    return float((sprite & small).sum() / union) if union else 0.0


def reference(subject: Image.Image | np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Area-average downsample of the subject's box to (h, w): what the eye sees, blurred."""
    rgba = as_rgba(subject)
    x0, y0, x1, y1 = subject_box(rgba[..., 3])
    box = rgba[y0:y1, x0:x1].astype(np.float32)
    return cv2.resize(box, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)


def colour_error(image: Image.Image | np.ndarray, subject: Image.Image | np.ndarray) -> float:
    """Mean CIELAB distance (CIE76) between the sprite and an area-average of the subject."""
    sprite = _boxed(as_rgba(image))
    ref = reference(subject, sprite.shape[:2])
    both = (sprite[..., 3] > 0) & (ref[..., 3] >= 128)
    if not both.any():
        return float("nan")
    a = rgb_to_lab(sprite[..., :3][both])
    b = rgb_to_lab(np.clip(np.rint(ref[..., :3][both]), 0, 255).astype(np.uint8))
    return float(np.linalg.norm(a - b, axis=1).mean())


def contrast_kept(image: Image.Image | np.ndarray, subject: Image.Image | np.ndarray) -> float:
    """Std of L* over the sprite's opaque pixels divided by the subject's (1.0 = all kept)."""
    sprite, photo = as_rgba(image), as_rgba(subject)
    sprite_l = rgb_to_lab(sprite[..., :3][sprite[..., 3] > 0])[:, 0]
    photo_l = rgb_to_lab(photo[..., :3][photo[..., 3] >= 128])[:, 0]
    return float(sprite_l.std() / max(float(photo_l.std()), 1e-6))


def outline_coverage(image: Image.Image | np.ndarray) -> float:
    """Fraction of the silhouette's rim pixels clearly darker than the interior's median L*."""
    rgba = as_rgba(image)
    opaque = rgba[..., 3] > 0
    inner = _eroded(opaque, CROSS)
    rim = opaque & ~inner
    if not rim.any() or not inner.any():
        return 0.0
    light = rgb_to_lab(rgba[..., :3])[..., 0]
    return float((light[rim] < np.median(light[inner]) - DARKER_EDGE).mean())


def _boxed(rgba: np.ndarray) -> np.ndarray:
    x0, y0, x1, y1 = subject_box(np.where(rgba[..., 3] > 0, 255, 0))
    return rgba[y0:y1, x0:x1]


def _eroded(mask: np.ndarray, structure: np.ndarray) -> np.ndarray:
    """Erosion where the image border counts as outside."""
    return np.asarray(ndimage.binary_erosion(mask, structure=structure, border_value=0), dtype=bool)


def body(image: Image.Image | np.ndarray) -> np.ndarray:
    """The sprite without its 1-px outer rim (the outline, for outlined styles), as RGBA.

    Fair comparisons with an outline-free sprite strip the outline first: otherwise its ink
    counts as colour error and as contrast. Pixels losing the rim become fully transparent.
    """
    rgba = as_rgba(image).copy()
    opaque = rgba[..., 3] > 0
    rim = opaque & ~_eroded(opaque, CROSS)
    rgba[rim] = 0
    return rgba
