"""The face and the effects drawn over a posed body: eyes, nose, an open mouth, bark/meow marks.

Eyes are what owners look at first, so they are placed as whole-pixel blocks (never sampled from a
shape): one pixel on 16-px heroes, 1x2 on 24-px ones, 2x3 with a pupil and a glint from 40 px up,
growing with HD heroes beyond 48 px (5x8 at 128 px).
"""

from __future__ import annotations

import numpy as np

from core.hero import shapes
from core.hero.body import Part, Pose, Posed
from core.hero.rig import Rig


def add_features(rig: Rig, pose: Pose, out: Posed) -> None:
    """Fill `out.features` (name -> mask) and the eye/nose positions for this pose."""
    hx, hy = out.head
    r = rig.head_r
    if rig.species == "cat":
        eyes = [(hx + r * 0.08, hy - r * 0.05), (hx + r * 0.66, hy - r * 0.05)]
        nose = (hx + r * 0.40, hy + r * 0.32)
    else:
        eyes = [(hx + r * 0.2, hy - r * 0.18), (hx + r * 0.68, hy - r * 0.2)]
        nose = (hx + r * 0.78 + rig.muzzle_len * 1.2, hy + r * 0.12)
    out.eyes, out.nose = eyes, nose
    feats: dict[str, np.ndarray] = {k: out.grid.empty(bool) for k in
                                    ("eye", "pupil", "glint", "lid", "nose", "mouth", "pink",
                                     "effect")}  # fmt: skip
    for i, (ex, ey) in enumerate(eyes):
        _eye(rig, pose, out, feats, ex, ey, far=i == 1)
    nose_w = max(2, round(2 * rig.detail)) if rig.height >= 40 else 1
    nose_h = round(rig.detail)
    # A cat's nose is centred on its face; a dog's sits on top of the snout's tip, so a big one
    # grows down and back from there, staying on the snout.
    left = nose[0] - (nose_w - 1) - (0 if rig.species == "cat" else nose_h - 1)
    top = nose[1] - (nose_h // 2 if rig.species == "cat" else 0)
    for dy in range(nose_h):
        for dx in range(nose_w):
            feats["nose"] |= shapes.dot(out.grid, left + dx, top + dy)
    if pose.mouth == "open":
        _open_mouth(rig, out, feats, nose)
    if pose.effect != "none":
        feats["effect"] |= _effect(rig, out, pose, nose) & (out.parts == Part.EMPTY)
    out.features = feats


def eye_block(rig: Rig) -> tuple[int, int]:
    """Width and height of an open eye in pixels."""
    if rig.height < 22:
        return 1, 1
    if rig.height < 40:
        return 1, 2
    return round(2 * rig.detail), round(3 * rig.detail)


def _eye(
    rig: Rig, pose: Pose, out: Posed, feats: dict[str, np.ndarray], ex: float, ey: float, *,
    far: bool,
) -> None:  # fmt: skip
    w, h = eye_block(rig)
    if far and w > 1:
        w -= 1
    col0, row0 = int(np.floor(ex)) - (w - 1), int(np.floor(ey)) - (h - 1) // 2
    block = out.grid.empty(bool)
    for dy in range(h):
        for dx in range(w):
            block |= shapes.dot(out.grid, col0 + dx + 0.5, row0 + dy + 0.5)
    if pose.eyes != "open":
        lid = out.grid.empty(bool)
        row = row0 + h - 1 if pose.eyes == "closed" else row0 + (h - 1) // 2
        for dx in range(-1 if h > 1 else 0, w):
            lid |= shapes.dot(out.grid, col0 + dx + 0.5, row + 0.5)
        feats["lid"] |= lid
        return
    feats["eye"] |= block
    if h >= 3:  # big eyes: a dark pupil on the front side, a glint at the top back
        pupil, glint = max(1, w // 2), max(1, round(w / 3))
        for dy in range(1, h):
            for dx in range(w - pupil, w):
                feats["pupil"] |= shapes.dot(out.grid, col0 + dx + 0.5, row0 + dy + 0.5)
        for dy in range(glint):
            for dx in range(glint):
                feats["glint"] |= shapes.dot(out.grid, col0 + dx + 0.5, row0 + dy + 0.5)


def _open_mouth(
    rig: Rig, out: Posed, feats: dict[str, np.ndarray], nose: tuple[float, float]
) -> None:
    """A dropped jaw under the nose: its inside dark, with a pink tongue on bigger heroes."""
    r = rig.head_r
    if rig.species == "cat":
        centre = (nose[0] - 0.2, nose[1] + max(1.2, r * 0.3))
        rx, ry = max(0.8, r * 0.22), max(0.8, r * 0.2)
    else:
        centre = (nose[0] - rig.muzzle_len * 0.45, nose[1] + max(1.5, rig.muzzle_h * 0.6))
        rx, ry = max(1.0, rig.muzzle_len * 0.55), max(0.9, rig.muzzle_h * 0.35)
    inside = shapes.ellipse(out.grid, centre, rx, ry)
    jaw = shapes.ellipse(out.grid, (centre[0], centre[1] + 0.6), rx + 0.6, ry + 0.4)
    out.parts[jaw & (out.parts == Part.EMPTY)] = Part.MUZZLE
    feats["mouth"] |= inside
    if rig.height >= 24:
        rows = np.nonzero(inside.any(axis=1))[0]
        if rows.size:
            tongue = inside.copy()
            tongue[: rows.max(), :] = False
            feats["pink"] |= tongue


def _effect(rig: Rig, out: Posed, pose: Pose, nose: tuple[float, float]) -> np.ndarray:
    """Bark: three arcs ahead of the snout; meow: two arcs and a note above; stars: sparkles."""
    size = rig.height
    xs, ys = out.grid.centres()
    if pose.effect in ("bark", "meow"):
        ox, oy = nose[0] + 1, nose[1] - (0 if pose.effect == "bark" else size * 0.15)
        angle = np.arctan2(ys - oy, xs - ox)
        dist = np.hypot(xs - ox, ys - oy)
        arcs = np.zeros(xs.shape, dtype=bool)
        count = 3 if pose.effect == "bark" else 2
        for k in range(count):
            radius = size * (0.14 + 0.12 * k)
            arcs |= (np.abs(dist - radius) < 0.55) & (np.abs(angle) < 0.75)
        return arcs
    out_mask = out.grid.empty(bool)
    hx, hy = out.head
    for dx, dy in ((-0.5, -0.75), (0.45, -0.85), (0.7, -0.35)):
        cx, cy = hx + dx * size * 0.5, hy + dy * size * 0.4
        out_mask |= shapes.dot(out.grid, cx, cy)
        for ox, oy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            out_mask |= shapes.dot(out.grid, cx + ox, cy + oy)
    return out_mask
