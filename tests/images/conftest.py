"""Fixtures for intake, cutout and crop: the synthetic pet's true mask, a tiny ONNX model, IoU."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from core.config import Settings

U2NETP_DIR = Path(__file__).resolve().parents[2] / "petpixel-data" / "models"


def iou(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a > 0, b > 0
    return float((a & b).sum() / max(int((a | b).sum()), 1))


def synthetic_pet_truth(size: tuple[int, int] = (640, 480)) -> np.ndarray:
    """The silhouette tests/conftest.py's make_synthetic_pet draws (eyes and nose lie inside)."""
    w, h = size
    img = Image.new("L", size, 0)
    draw = ImageDraw.Draw(img)
    cx, cy = w // 2, h // 2 + 20
    draw.ellipse([cx - 150, cy - 90, cx + 150, cy + 120], fill=255)
    draw.ellipse([cx - 90, cy - 170, cx + 90, cy - 20], fill=255)
    draw.polygon([(cx - 85, cy - 140), (cx - 60, cy - 210), (cx - 30, cy - 150)], fill=255)
    draw.polygon([(cx + 85, cy - 140), (cx + 60, cy - 210), (cx + 30, cy - 150)], fill=255)
    return np.asarray(img) > 0


def chelsea_rough_truth(size: tuple[int, int] = (451, 300)) -> np.ndarray:
    """A hand-made outline of Chelsea's head and chest: everything left of the right-hand
    background (window/room) that starts around x=350 above the chin."""
    img = Image.new("L", size, 0)
    draw = ImageDraw.Draw(img)
    draw.polygon(
        [(0, 0), (395, 0), (372, 60), (352, 150), (342, 215), (360, 300), (0, 300)], fill=255
    )
    return np.asarray(img) > 0


@pytest.fixture
def synthetic_truth() -> np.ndarray:
    return synthetic_pet_truth()


@pytest.fixture
def u2netp_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"models_dir": U2NETP_DIR, "cutout_backend": "rembg"})
