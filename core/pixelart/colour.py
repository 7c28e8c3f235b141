"""Colour helpers for the pixelizer and its metrics: hex strings, sRGB <-> CIELAB, distances."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """'#rrggbb' (or 'rrggbb') -> (r, g, b)."""
    value = colour.removeprefix("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def rgb_to_hex(rgb: Sequence[int] | np.ndarray) -> str:
    r, g, b = (int(c) for c in rgb[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def hex_array(colours: Sequence[str]) -> np.ndarray:
    """A list of hex colours as an (N, 3) uint8 array."""
    return np.array([hex_to_rgb(c) for c in colours], dtype=np.uint8).reshape(-1, 3)


def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB uint8 (..., 3) -> CIELAB float32 (L 0-100, a/b about -128..127), D65 like OpenCV."""
    flat = np.ascontiguousarray(rgb, dtype=np.float32).reshape(-1, 1, 3) / 255.0
    return np.asarray(cv2.cvtColor(flat, cv2.COLOR_RGB2Lab), dtype=np.float32).reshape(rgb.shape)


def lab_to_rgb(lab: np.ndarray) -> np.ndarray:
    """CIELAB float (..., 3) -> sRGB uint8, clipped into gamut."""
    flat = np.ascontiguousarray(lab, dtype=np.float32).reshape(-1, 1, 3)
    rgb = np.asarray(cv2.cvtColor(flat, cv2.COLOR_Lab2RGB)).reshape(lab.shape)
    return np.asarray(np.clip(np.rint(rgb * 255.0), 0, 255), dtype=np.uint8)


def sq_distances(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Squared Euclidean distances (N, K) between two point sets (CIE76 in Lab)."""
    p = np.asarray(points, dtype=np.float32)
    c = np.asarray(centres, dtype=np.float32)
    d2 = (p * p).sum(axis=1)[:, None] - 2.0 * (p @ c.T) + (c * c).sum(axis=1)[None, :]
    out: np.ndarray = np.maximum(d2, 0.0)
    return out


def nearest(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Index of the nearest centre for every point."""
    return np.asarray(np.argmin(sq_distances(points, centres), axis=1))


def luminance(rgb: np.ndarray) -> np.ndarray:
    """CIELAB L* (0-100) of sRGB uint8 pixels."""
    return np.asarray(rgb_to_lab(rgb)[..., 0])
