"""Sparkles around the pet for the special move, in one palette colour so they stay pixel art."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import ndimage

from core.sprites.pixelops import Layer, opaque, render

TWINKLE = (1, 2, 3, 2, 1, 0)  # sparkle size over time: dot, small plus, big plus, ..., gone
Box = tuple[int, int, int, int]


def big_arm(unit: int) -> int:
    """Arm length of a full-size sparkle: 2 px on a 32 px sprite, growing with the sprite."""
    return max(2, 2 * unit)


def sparkle_zone(pet_box: Box, unit: int) -> Box:
    """The pet's box widened on the sides and top by room for a big sparkle plus a gap."""
    x0, y0, x1, y1 = pet_box
    room = 2 * big_arm(unit) + 2
    return (x0 - room, y0 - room, x1 + room, y1)


def add_sparkles(
    poses: Sequence[list[Layer]],
    *,
    zone: Box,
    colour: Sequence[int],
    unit: int,
    rng: np.random.Generator,
) -> list[list[Layer]]:
    """Each pose gets twinkling sparkles at seed-chosen spots in `zone` that never touch the pet."""
    spots = _pick_spots(poses, zone, unit, rng, count=4 + min(unit, 3))
    phases = rng.integers(0, len(TWINKLE), size=len(spots))
    out = []
    for index, pose in enumerate(poses):
        stars = [
            _star(x, y, TWINKLE[(index + int(p)) % len(TWINKLE)], unit, colour)
            for (x, y), p in zip(spots, phases, strict=True)
        ]
        out.append(list(pose) + [s for s in stars if s is not None])
    return out


def _pick_spots(
    poses: Sequence[list[Layer]], zone: Box, unit: int, rng: np.random.Generator, count: int
) -> list[tuple[int, int]]:
    """Spots near the pet but clear of it in every pose, spread apart (farthest-point sampling)."""
    x0, y0, x1, y1 = zone
    pet = np.zeros((y1 - y0, x1 - x0), dtype=bool)
    for pose in poses:
        pet |= opaque(render(pose, zone))
    arm = big_arm(unit)
    gap = ndimage.distance_transform_edt(~pet)
    ys, xs = np.mgrid[0 : pet.shape[0], 0 : pet.shape[1]]
    inside = (xs >= arm) & (xs < pet.shape[1] - arm) & (ys >= arm) & (ys < pet.shape[0] - arm)
    near = (gap >= arm + 2) & (gap <= arm + 2 + 2 * unit) & inside
    cand = np.argwhere(near)
    if cand.size == 0:
        return []
    chosen = [cand[int(rng.integers(len(cand)))]]
    dist = np.linalg.norm(cand - chosen[0], axis=1)
    while len(chosen) < count and dist.max() > 2 * arm + 1:
        chosen.append(cand[int(dist.argmax())])
        dist = np.minimum(dist, np.linalg.norm(cand - chosen[-1], axis=1))
    return [(int(x) + x0, int(y) + y0) for y, x in chosen]


def _star(x: int, y: int, phase: int, unit: int, colour: Sequence[int]) -> Layer | None:
    """A plus sign: phase 1 a dot, 2 a small plus, 3 a big one; strokes thicken on big sprites."""
    if phase == 0:
        return None
    stroke = 1 + 2 * (unit // 3)  # odd, so the plus stays symmetric about its centre pixel
    arm = {1: stroke // 2, 2: max(1, unit), 3: big_arm(unit)}[phase]
    size = 2 * arm + 1
    lo = arm - stroke // 2
    rgba = np.zeros((size, size, 4), dtype=np.uint8)
    for band in (rgba[lo : lo + stroke, :], rgba[:, lo : lo + stroke]):
        band[..., :3] = colour
        band[..., 3] = 255
    return Layer(rgba, x - arm, y - arm)
