"""Colour a posed body: light and shade, the coat's pattern and markings, the face, the outline.

Painting works in roles (base, shade, eye, ...) so the same pose can be shown in any style's
palette: `core.hero.colours` decides which exact colour each role gets.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

import numpy as np

from core.hero import shapes
from core.hero.body import Part, Posed
from core.hero.features import eye_block
from core.hero.rig import Rig
from core.hero.traits import PetLook


class Role(IntEnum):
    EMPTY = 0
    OUTLINE = 1
    BASE = 2
    SHADE = 3
    HIGHLIGHT = 4
    SECONDARY = 5
    SECONDARY_SHADE = 6
    PATTERN = 7
    EYE = 8
    PUPIL = 9
    GLINT = 10
    NOSE = 11
    PINK = 12
    MOUTH = 13
    EFFECT = 14
    FLASH = 15
    TERTIARY = 16
    TERTIARY_SHADE = 17


_FUR = (Part.BODY, Part.HEAD, Part.MUZZLE, Part.NEAR_LEG, Part.NEAR_EAR, Part.TAIL)


def paint(rig: Rig, look: PetLook, posed: Posed, *, flash: bool = False) -> np.ndarray:
    """The role of every pixel of one posed frame (HxW uint8 of `Role` values)."""
    parts = posed.parts
    roles = np.zeros(parts.shape, dtype=np.uint8)
    roles[np.isin(parts, _FUR)] = Role.BASE
    roles[np.isin(parts, (Part.FAR_LEG, Part.FAR_EAR))] = Role.SHADE
    if rig.ear == "floppy":  # a hanging ear reads only when it is darker than the head it covers
        roles[parts == Part.NEAR_EAR] = Role.SHADE
    _light(rig, parts, roles)
    _pattern(rig, look, posed, roles)
    # A third colour first, white last: white spotting covers any pigment (a Bernese's white
    # chest over its tan points, a beagle's white tail tip and legs over its saddle).
    _marks(rig, posed, roles, look.coat.tertiary, look.coat.tertiary_regions, Role.TERTIARY)
    _marks(rig, posed, roles, look.coat.secondary, look.coat.secondary_regions, Role.SECONDARY)
    _inner_ears(rig, look, posed, roles)
    _face(posed, roles)
    if flash:
        roles[(roles != Role.EMPTY) & (roles != Role.EFFECT)] = Role.FLASH
    _outline(roles)
    return roles


def _light(rig: Rig, parts: np.ndarray, roles: np.ndarray) -> None:
    """Light from above: the top rim of back and head lighter, the belly and chin darker."""
    body_like = np.isin(parts, (Part.BODY, Part.HEAD, Part.TAIL))
    above = np.zeros_like(body_like)
    above[1:] = body_like[:-1] | (parts[:-1] == Part.NEAR_EAR) | (parts[:-1] == Part.FAR_EAR)
    rim = body_like & ~above
    if rig.height >= 40:  # two rows of light on big sprites
        rim2 = np.zeros_like(rim)
        rim2[1:] = rim[:-1]
        rim |= rim2 & body_like
    roles[rim & (roles == Role.BASE)] = Role.HIGHLIGHT
    body = parts == Part.BODY
    below = np.zeros_like(body)
    below[:-1] = body[1:]
    belly = body & ~below
    roles[belly & (roles == Role.BASE)] = Role.SHADE


def _pattern(rig: Rig, look: PetLook, posed: Posed, roles: np.ndarray) -> None:
    coat = look.coat
    parts = posed.parts
    fur = np.isin(roles, (Role.BASE, Role.HIGHLIGHT, Role.SHADE)) & ~np.isin(parts, (Part.MUZZLE,))
    xs, ys = posed.grid.centres()
    period = 3 if rig.height < 30 else round(4 * rig.detail)
    width = round(rig.detail)  # stripes one pixel wide up to 48 px, wider on HD heroes
    mask = np.zeros(parts.shape, dtype=bool)
    if coat.pattern == "tabby":
        body = np.isin(parts, (Part.BODY, Part.TAIL, Part.NEAR_LEG, Part.FAR_LEG))
        stripes = (np.floor(xs + ys * 0.35).astype(int) % period) < width
        mask = body & stripes & (ys < posed.body[1][1] + rig.body_h * 0.3)
        hx, hy = posed.head
        brow = (parts == Part.HEAD) & (ys < hy - rig.head_r * 0.45)
        brow &= (np.floor(xs / width).astype(int) % 2 == 0) & (
            np.abs(xs - hx - rig.head_r * 0.3) < rig.head_r * 0.5
        )
        mask |= brow
    elif coat.pattern in ("spots", "merle", "calico") or (
        coat.pattern == "bicolour" and coat.pattern_colour is not None
    ):  # bicolour with a pattern colour: a white pet's black patches
        mask = _blotches(rig, look, posed, parts)
    elif coat.pattern == "colourpoint":
        hx, hy = posed.head
        face = (parts == Part.MUZZLE) | ((parts == Part.HEAD) & (xs > hx + rig.head_r * 0.05)
                                          & (ys > hy - rig.head_r * 0.2))  # fmt: skip
        low_legs = np.isin(parts, (Part.NEAR_LEG, Part.FAR_LEG)) & (ys > -1 - rig.leg_len * 0.8)
        mask = face | low_legs | np.isin(parts, (Part.TAIL, Part.NEAR_EAR, Part.FAR_EAR))
        mask &= ~np.isin(roles, (Role.EMPTY,))
        roles[mask] = Role.PATTERN
        return
    roles[mask & fur] = Role.PATTERN


def _blotches(rig: Rig, look: PetLook, posed: Posed, parts: np.ndarray) -> np.ndarray:
    """Round patches placed by a hash of the coat, so one pet always gets the same marks."""
    seed = sum(look.coat.base) * 7 + sum(look.coat.pattern_colour or (0, 0, 0))
    rng = np.random.default_rng(seed)
    big = look.coat.pattern in ("calico", "merle", "bicolour")
    count = 4 if big else 7
    radius = rig.height * (0.12 if big else 0.045)
    (rx, ry), (fx, fy) = posed.body
    xs, ys = posed.grid.centres()
    mask = np.zeros(parts.shape, dtype=bool)
    for _ in range(count):
        t, v = rng.uniform(0, 1), rng.uniform(-0.6, 0.4)
        cx, cy = rx + (fx - rx) * t, ry + (fy - ry) * t + v * rig.body_h * 0.6
        mask |= (xs - cx) ** 2 + (ys - cy) ** 2 <= max(radius, 0.6) ** 2
    if big:
        hx, hy = posed.head
        mask |= (xs - hx + rig.head_r * 0.4) ** 2 + (ys - hy + rig.head_r * 0.3) ** 2 <= (
            rig.head_r * 0.55
        ) ** 2
    return mask & np.isin(parts, (Part.BODY, Part.HEAD, Part.TAIL, Part.NEAR_LEG, Part.FAR_LEG))


def _marks(
    rig: Rig, posed: Posed, roles: np.ndarray, colour: object, regions: tuple[str, ...],
    role: Role,
) -> None:  # fmt: skip
    """A marking colour where the coat has it (white chest, paws, blaze; tan points; a saddle);
    `role` on the near side, its shade on the far legs."""
    if colour is None or not regions:
        return
    region = np.zeros(roles.shape, dtype=bool)
    for name in regions:
        region |= _region(rig, posed, name)
    far = posed.parts == Part.FAR_LEG
    paintable = roles != Role.EMPTY
    shade = Role.SECONDARY_SHADE if role == Role.SECONDARY else Role.TERTIARY_SHADE
    roles[region & paintable & ~far] = role
    roles[region & paintable & far] = shade


def _region(rig: Rig, posed: Posed, name: str) -> np.ndarray:
    return np.asarray(_region_of(rig, posed, name), dtype=bool)


def _region_of(rig: Rig, posed: Posed, name: str) -> Any:
    parts = posed.parts
    xs, ys = posed.grid.centres()
    hx, hy = posed.head
    r = rig.head_r
    (_rx, ry), (fx, fy) = posed.body
    legs = np.isin(parts, (Part.NEAR_LEG, Part.FAR_LEG))
    if name == "chest":
        return (
            (parts == Part.BODY) & (xs > fx - rig.body_h * 0.35) & (ys > fy - rig.body_h * 0.2)
        ) | ((parts == Part.HEAD) & (ys > hy + r * 0.55) & (xs < hx + r * 0.5))
    if name == "belly":
        return (parts == Part.BODY) & (ys > ry + rig.body_h * 0.1)
    if name == "paws":
        foot_y = -1 - max(1.0, rig.leg_len * 0.4)
        return legs & (ys > foot_y)
    if name == "muzzle":
        return (parts == Part.MUZZLE) | ((parts == Part.HEAD) & (ys > hy + r * 0.2) & (xs > hx))
    if name == "blaze":
        mid = (posed.eyes[0][0] + posed.eyes[1][0]) / 2 if posed.eyes else hx + r * 0.4
        return ((parts == Part.HEAD) & (np.abs(xs - mid) < max(0.6, r * 0.16))) | (
            parts == Part.MUZZLE
        )
    if name == "tail_tip" and posed.tail_points:
        tx, ty = posed.tail_points[-1]
        return (parts == Part.TAIL) & (
            (xs - tx) ** 2 + (ys - ty) ** 2 <= (rig.tail_len * 0.35) ** 2
        )
    if name == "mask":
        return (
            ((parts == Part.HEAD) & (np.abs(ys - posed.eyes[0][1]) < r * 0.4))
            if posed.eyes
            else legs & False
        )
    if name == "ears":
        return np.isin(parts, (Part.NEAR_EAR, Part.FAR_EAR))
    if name == "back":
        return (parts == Part.BODY) & (ys < ry - rig.body_h * 0.05)
    if name == "points":
        return _points(rig, posed)
    if name == "saddle":  # the back behind the shoulders, down the flank, and the tail's root
        spine = ry + (fy - ry) * (xs - _rx) / max(fx - _rx, 1e-6)
        back = (parts == Part.BODY) & (ys < spine + rig.body_h * 0.1) & (xs < fx - rig.body_h * 0.3)
        tail = (parts == Part.TAIL) & (xs > _rx - rig.tail_len * 0.45)
        return back | tail
    return np.zeros(parts.shape, dtype=bool)


def _points(rig: Rig, posed: Posed) -> np.ndarray:
    """A black-and-tan dog's points: a dot over each eye, cheeks and muzzle, the front of the
    chest, the lower legs."""
    parts = posed.parts
    xs, ys = posed.grid.centres()
    hx, hy = posed.head
    r = rig.head_r
    (_rx, _ry), (fx, fy) = posed.body
    face = (parts == Part.HEAD) & (ys > hy + r * 0.25) & (xs > hx + r * 0.1)
    cheeks = (parts == Part.MUZZLE) | face
    chest = (parts == Part.BODY) & (xs > fx - rig.body_h * 0.2) & (ys > fy)
    legs = np.isin(parts, (Part.NEAR_LEG, Part.FAR_LEG)) & (ys > -1 - rig.leg_len * 0.6)
    out = np.asarray(cheeks | chest | legs)
    if rig.height >= 20:  # brows: one pixel (a block on big heroes) over each eye
        w, h = eye_block(rig)
        for ex, ey in posed.eyes:
            col0, row0 = int(np.floor(ex)) - (w - 1), int(np.floor(ey)) - (h - 1) // 2
            for dx in range(w):
                out |= shapes.dot(posed.grid, col0 + dx + 0.5, row0 - 0.5)
        out &= parts != Part.EMPTY
    return out


def _inner_ears(rig: Rig, look: PetLook, posed: Posed, roles: np.ndarray) -> None:
    """Pointed ears on bigger heroes get a pink (cats) or dark (dogs) inner ear."""
    if rig.height < 24 or rig.ear != "pointed":
        return
    ear = posed.parts == Part.NEAR_EAR
    inner = ear.copy()
    inner[:, :-1] &= ear[:, 1:]
    inner[:, 1:] &= ear[:, :-1]
    inner[:-1, :] &= ear[1:, :]
    roles[inner] = Role.PINK if look.species == "cat" else Role.SHADE


def _face(posed: Posed, roles: np.ndarray) -> None:
    f = posed.features
    for name, role in (("eye", Role.EYE), ("pupil", Role.PUPIL), ("glint", Role.GLINT),
                       ("lid", Role.OUTLINE), ("nose", Role.NOSE), ("mouth", Role.MOUTH),
                       ("pink", Role.PINK)):  # fmt: skip
        if name in f:
            roles[f[name] & (roles != Role.EMPTY)] = role
    if "effect" in f:
        roles[f["effect"] & (roles == Role.EMPTY)] = Role.EFFECT


def _outline(roles: np.ndarray) -> None:
    """A 1-px outline around the silhouette (4-neighbours: rounder corners than 8)."""
    solid = (roles != Role.EMPTY) & (roles != Role.EFFECT)
    ring = np.zeros_like(solid)
    ring[1:] |= solid[:-1]
    ring[:-1] |= solid[1:]
    ring[:, 1:] |= solid[:, :-1]
    ring[:, :-1] |= solid[:, 1:]
    roles[ring & (roles == Role.EMPTY)] = Role.OUTLINE
