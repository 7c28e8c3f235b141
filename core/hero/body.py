"""Draw one pose of a rig as a map of body parts, plus the face features on top.

The part map says which part covers each pixel (painter's order: far legs, tail, far ear, body,
near legs, head, muzzle, near ear); `core.hero.paint` turns parts into colours. Joint positions of
the pose are kept (`Posed`) so markings can be placed by anatomy (chest, paws, tail tip, muzzle).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Literal

import numpy as np

from core.hero import shapes
from core.hero.rig import Rig
from core.hero.shapes import Grid, Point

FootOffsets = tuple[Point, Point, Point, Point]  # near front, near back, far front, far back
LEGS = ("near_front", "near_back", "far_front", "far_back")


class Part(IntEnum):
    EMPTY = 0
    FAR_LEG = 1
    TAIL = 2
    FAR_EAR = 3
    BODY = 4
    NEAR_LEG = 5
    HEAD = 6
    MUZZLE = 7
    NEAR_EAR = 8


@dataclass(frozen=True)
class Pose:
    """How far each joint moves from the standing rig, in pixels (y down) or radians."""

    body_dy: float = 0.0  # the whole body down (+) or up (-): breath, bob, crouch
    pitch: float = 0.0  # the front end up (+) and the back end down, e.g. rearing for a bark
    stretch: float = 1.0  # body length factor (a leap stretches, a crouch squashes)
    head: Point = (0.0, 0.0)
    feet: FootOffsets = ((0, 0), (0, 0), (0, 0), (0, 0))
    tail: float = 0.0  # sway: + lifts the tail tip forward/up, - drops it back
    ear: float = 0.0  # twitch: the ear tips lean back by this many pixels
    eyes: Literal["open", "closed", "squint"] = "open"
    mouth: Literal["closed", "open"] = "closed"
    flash: bool = False
    effect: Literal["none", "bark", "meow", "stars"] = "none"


@dataclass
class Posed:
    """The drawn pose: part map, feature masks and where the joints ended up."""

    grid: Grid
    parts: np.ndarray
    features: dict[str, np.ndarray] = field(default_factory=dict)
    head: Point = (0.0, 0.0)
    eyes: list[Point] = field(default_factory=list)
    nose: Point = (0.0, 0.0)
    hips: dict[str, Point] = field(default_factory=dict)
    feet: dict[str, Point] = field(default_factory=dict)
    tail_points: list[Point] = field(default_factory=list)
    body: tuple[Point, Point] = ((0.0, 0.0), (0.0, 0.0))


def grid_for(rig: Rig) -> Grid:
    """A canvas with room for every pose and effect of this rig."""
    back = int(np.ceil(rig.body_len / 2 + rig.tail_len + rig.tail_w + 4))
    front = int(np.ceil(rig.head_x + rig.head_r + rig.muzzle_len + rig.height * 0.5 + 4))
    top = int(np.ceil(rig.height * 1.4)) + 4
    return Grid(-max(back, front), -top, 2 * max(back, front), top + 1)


def draw(rig: Rig, pose: Pose, grid: Grid) -> Posed:
    """The part map of one pose; features (eyes, nose, mouth) come separately."""
    out = Posed(grid=grid, parts=grid.empty())
    rear, front = _body_line(rig, pose)
    out.body = (rear, front)
    hx = rig.head_x + pose.head[0] + (pose.stretch - 1) * rig.body_len / 2
    hy = rig.head_y + pose.body_dy + pose.head[1] - pose.pitch * 0.9
    out.head = (hx, hy)
    _legs(rig, pose, out, far=True)
    _paint(out, _tail(rig, pose, out), Part.TAIL)
    _ears(rig, pose, out, far=True)
    r = rig.body_h / 2
    _paint(out, shapes.capsule(grid, rear, front, r), Part.BODY)
    _paint(out, shapes.ellipse(grid, (front[0], front[1] + r * 0.1), r * 1.08, r * 1.02), Part.BODY)
    _legs(rig, pose, out, far=False)
    _paint(out, shapes.ellipse(grid, (hx, hy), rig.head_r * 1.06, rig.head_r), Part.HEAD)
    _paint(out, _muzzle(rig, out), Part.MUZZLE)
    _ears(rig, pose, out, far=False)
    return out


def _paint(out: Posed, mask: np.ndarray, part: Part) -> None:
    out.parts[mask] = part


def _body_line(rig: Rig, pose: Pose) -> tuple[Point, Point]:
    """The body's spine as a capsule axis from rump to chest."""
    half = rig.body_len / 2 * pose.stretch - rig.body_h / 2
    y = rig.body_y + pose.body_dy
    return (-half, y + pose.pitch * 0.5), (half, y - pose.pitch * 0.5)


def _legs(rig: Rig, pose: Pose, out: Posed, *, far: bool) -> None:
    stretch_dx = (pose.stretch - 1) * rig.body_len / 2
    for i, name in enumerate(LEGS):
        if name.startswith("far") != far:
            continue
        is_front = name.endswith("front")
        x = (rig.front_x + stretch_dx) if is_front else (rig.back_x - stretch_dx)
        x += rig.far_shift if far else 0.0
        hip_y = rig.body_y + pose.body_dy + (-pose.pitch * 0.4 if is_front else pose.pitch * 0.4)
        dx, dy = pose.feet[i]
        foot = (x + dx, max(-1.0 + dy, hip_y + 1.5))
        out.hips[name], out.feet[name] = (x, hip_y), foot
        mask = shapes.limb(out.grid, (x, hip_y), foot, rig.leg_w)
        if rig.height >= 24:  # a paw: one pixel of toe in front at the foot
            paw = shapes.ellipse(out.grid, (foot[0] + rig.leg_w * 0.25, foot[1] - 0.6),
                                 rig.leg_w * 0.62, 0.9)  # fmt: skip
            mask |= paw
        _paint(out, mask, Part.FAR_LEG if far else Part.NEAR_LEG)


def _tail(rig: Rig, pose: Pose, out: Posed) -> np.ndarray:
    rear = out.body[0]
    base = (rear[0] - rig.body_h * 0.2, rear[1] - rig.body_h * 0.28)
    length, sway = rig.tail_len, pose.tail
    if rig.tail == "curled":
        r = max(1.5, length * 0.9)
        centre = (base[0] + r * 0.5, base[1] - r * 1.1)
        angles = np.linspace(np.pi * 0.95, -np.pi * 0.35 + sway * 0.3, 6)
        pts = [base] + [(centre[0] + r * np.cos(a), centre[1] - r * np.sin(a)) for a in angles]
    elif rig.tail == "short":
        pts = [base, (base[0] - length * 0.75, base[1] - length * (0.6 + sway))]
    else:
        rise = 1.0 if rig.species == "cat" else 0.9
        shape = [(0, 0), (-0.35, -0.25), (-0.55, -0.62), (-0.42, -0.98)] if rig.species == "cat" \
            else [(0, 0), (-0.45, -0.35), (-0.72, -0.85)]  # fmt: skip
        pts = [(base[0] + (fx - sway * 0.5 * -fy) * length,
                base[1] + fy * length * rise * (1 + sway * 0.2)) for fx, fy in shape]  # fmt: skip
    out.tail_points = pts
    w = rig.tail_w / 2
    radii = [w * (1.0 - 0.15 * i / len(pts)) for i in range(len(pts))]
    if rig.tail == "fluffy":
        radii = [w * (0.7 + 0.5 * i / len(pts)) for i in range(len(pts))]
    return shapes.polyline(out.grid, pts, radii)


def _ears(rig: Rig, pose: Pose, out: Posed, *, far: bool) -> None:
    hx, hy = out.head
    r = rig.head_r
    if rig.ear == "floppy":
        if far:
            return
        top = (hx - r * 0.35, hy - r * 0.78)
        tip = (hx - r * (0.55 + pose.ear * 0.05), hy - r * 0.78 + rig.floppy_len)
        _paint(out, shapes.capsule(out.grid, top, tip, max(1.2, rig.ear_w * 0.6)), Part.NEAR_EAR)
        return
    bx = hx + (r * 0.42 if far else -r * 0.28)
    by = hy - r * (0.62 if far else 0.7)
    w, h = rig.ear_w, rig.ear_h + r * 0.3
    lean = -pose.ear + (w * 0.45 if rig.ear == "folded" else 0.0)
    tri = [(bx - w / 2, by), (bx + w / 2, by), (bx + lean + (w * 0.1 if far else 0), by - h)]
    _paint(out, shapes.polygon(out.grid, tri), Part.FAR_EAR if far else Part.NEAR_EAR)


def _muzzle(rig: Rig, out: Posed) -> np.ndarray:
    """Dogs: a snout out in front of the head; cats: a small round muzzle on the face."""
    hx, hy = out.head
    r = rig.head_r
    if rig.species == "cat":
        centre = (hx + r * 0.62, hy + r * 0.42)
        return shapes.ellipse(out.grid, centre, rig.muzzle_len + r * 0.22, rig.muzzle_h * 0.5)
    centre = (hx + r * 0.78 + rig.muzzle_len * 0.45, hy + r * 0.3)
    return shapes.ellipse(out.grid, centre, rig.muzzle_len * 0.85, rig.muzzle_h * 0.55)
