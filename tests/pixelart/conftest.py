"""Subjects for the pixelizer tests: cut-outs with known masks and known eye positions."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from tests.conftest import make_synthetic_pet

# Eye (pupil) boxes as fractions (x0, y0, x1, y1) of each subject's opaque bounding box.
SYNTH_EYES = ((0.35, 0.29, 0.43, 0.36), (0.57, 0.29, 0.65, 0.36))
# Chelsea is cut by the ellipse (25, 0, 425, 300); her pupils sit near x 162-185 and 305-320.
CAT_ELLIPSE = (25, 0, 425, 300)
CAT_EYES = ((0.34, 0.31, 0.40, 0.43), (0.70, 0.37, 0.74, 0.49))


def synthetic_cutout() -> Image.Image:
    """The synthetic pet (tests/conftest.py) with its exact drawn shape as alpha."""
    photo = make_synthetic_pet()
    w, h = photo.size
    cx, cy = w // 2, h // 2 + 20
    mask = Image.new("L", photo.size, 0)
    draw = ImageDraw.Draw(mask)
    draw.ellipse([cx - 150, cy - 90, cx + 150, cy + 120], fill=255)
    draw.ellipse([cx - 90, cy - 170, cx + 90, cy - 20], fill=255)
    draw.polygon([(cx - 85, cy - 140), (cx - 60, cy - 210), (cx - 30, cy - 150)], fill=255)
    draw.polygon([(cx + 85, cy - 140), (cx + 60, cy - 210), (cx + 30, cy - 150)], fill=255)
    rgba = photo.convert("RGBA")
    rgba.putalpha(mask)
    return rgba


def ellipse_cutout(photo: Image.Image, box: tuple[int, int, int, int]) -> Image.Image:
    mask = Image.new("L", photo.size, 0)
    ImageDraw.Draw(mask).ellipse(box, fill=255)
    rgba = photo.convert("RGBA")
    rgba.putalpha(mask)
    return rgba


@pytest.fixture(scope="session")
def synth_subject() -> Image.Image:
    return synthetic_cutout()


@pytest.fixture(scope="session")
def cat_subject(cat_image: Image.Image) -> Image.Image:
    return ellipse_cutout(cat_image, CAT_ELLIPSE)


def alpha_mask(subject: Image.Image) -> np.ndarray:
    return np.asarray(subject)[..., 3]
