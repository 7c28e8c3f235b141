"""Build, body size and tail: rough guesses from the silhouette and the other traits.

A photo rarely shows these cleanly (sitting and lying pets hide legs and tails), so the guesses
lean on species and coat defaults and their confidences stay low.
"""

from __future__ import annotations

import cv2
import numpy as np

from core.hero.traits import BodySize, Box, Build, CoatLength, EarType, TailType


def build(mask: np.ndarray) -> tuple[Build, float]:
    """Slim / medium / stocky from how much of its convex hull the silhouette fills."""
    m = (mask > 0).astype(np.uint8)
    contours, _ = cv2.findContours(m, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return "medium", 0.1
    hull = cv2.convexHull(np.concatenate(contours))
    solidity = float(m.sum()) / max(float(cv2.contourArea(hull)), 1.0)
    if solidity > 0.86:
        return "stocky", 0.3
    return ("slim", 0.3) if solidity < 0.68 else ("medium", 0.3)


def body_size(mask: np.ndarray, head: Box, species: str) -> tuple[BodySize, float]:
    """Dogs: large when the head is small against the whole silhouette (big breeds, adults)."""
    if species != "dog":
        return "small", 0.5
    head_area = max((head[2] - head[0]) * (head[3] - head[1]), 1)
    ratio = float((mask > 0).sum()) / head_area
    return ("large", 0.3) if ratio > 4.0 else ("small", 0.3)


def tail(species: str, length: CoatLength, ear: EarType, size: BodySize) -> tuple[TailType, float]:
    """Species and coat defaults: spitz-like dogs (pointed ears, long coat) curl it over."""
    if species == "dog" and ear == "pointed" and length == "long" and size == "large":
        return "curled", 0.25
    if species == "dog" and ear == "pointed" and size == "small" and length == "short":
        return "short", 0.2
    return ("fluffy", 0.3) if length == "long" else ("long", 0.35)
