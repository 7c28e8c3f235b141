"""Draw the hero: a PetLook -> every animation frame in one cell, its palette, height and hitbox.

The visible height is fixed per style (see HEIGHTS), so every pet stands as tall as any other in
the same style; the rig is calibrated until the idle pose measures exactly that height. The hitbox
is the box of body, head and legs in the first idle frame (tail and ear tips stick out of it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from core.hero.body import Part, Pose, Posed, draw, grid_for
from core.hero.features import add_features
from core.hero.paint import Role, paint
from core.hero.poses import ANIMATIONS
from core.hero.rig import Rig, build_rig
from core.hero.rolecolours import RoleColours, fit_style, role_colours
from core.hero.shapes import Grid
from core.hero.traits import PetLook
from core.pixelart.colour import rgb_to_hex
from core.pixelart.styles import Style, get_style
from core.sprites.animate import Frame
from core.sprites.sheet import visible_height

# Visible height in pixels (feet to the top of the ears, outline included) per style.
HEIGHTS = {"8bit": 16, "gameboy": 16, "pico8": 20, "16bit": 24, "modern": 48}
_BODY_PARTS = (Part.BODY, Part.HEAD, Part.MUZZLE, Part.NEAR_LEG, Part.FAR_LEG)


@dataclass(frozen=True)
class HeroSprite:
    """The drawn hero: frames by animation (one cell, feet on the anchor) and its measurements."""

    animations: dict[str, list[Frame]]
    palette: list[str]
    visible_height: int
    hitbox: tuple[int, int, int, int]  # x, y, w, h in cell pixels
    anchor: tuple[int, int]

    @property
    def still(self) -> Image.Image:
        """The first idle frame, cropped to the pet (share cards, "sprite.png")."""
        image = self.animations["idle"][0].image
        return image.crop(image.getbbox())


def hero_height(style: Style, size: int | None) -> int:
    """The visible height for a style, or an explicit size (the deluxe HD hero)."""
    return size if size is not None else HEIGHTS.get(style.name, 24)


def draw_hero(look: PetLook, *, style: str | Style, height: int | None = None) -> HeroSprite:
    """Every animation of the hero for `look` in `style` (deterministic: same look, same art)."""
    st = get_style(style)
    target = hero_height(st, height)
    rig = _calibrated(look, target)
    colours = fit_style(role_colours(look), st)
    grid = grid_for(rig)
    roles = {name: [(_roles(rig, look, pose, grid), ms) for pose, ms in make(rig)]
             for name, make in ANIMATIONS.items()}  # fmt: skip
    box, anchor = _cell(grid, [r for frames in roles.values() for r, _ in frames])
    animations = {
        name: [Frame(_image(r, colours, grid, box), ms, anchor) for r, ms in frames]
        for name, frames in roles.items()
    }
    first = _posed(rig, Pose(), grid)
    return HeroSprite(
        animations=animations,
        palette=_palette(animations),
        visible_height=visible_height(animations, anchor[1]),
        hitbox=_hitbox(first, grid, box),
        anchor=anchor,
    )


def _posed(rig: Rig, pose: Pose, grid: Grid) -> Posed:
    posed = draw(rig, pose, grid)
    add_features(rig, pose, posed)
    return posed


def _roles(rig: Rig, look: PetLook, pose: Pose, grid: Grid) -> np.ndarray:
    return paint(rig, look, _posed(rig, pose, grid), flash=pose.flash)


def _calibrated(look: PetLook, target: int) -> Rig:
    """A rig whose standing pose is exactly `target` pixels tall, outline included.

    Rounding to whole pixels makes height a step function of the rig's scale, so nearby scales
    are tried in turn (closest first) until one measures exactly right.
    """
    best: tuple[int, Rig] | None = None
    for step in range(0, 33):
        asked = target + (step + 1) // 2 * (1 if step % 2 else -1) * 0.25
        rig = replace(build_rig(look, asked), height=target)
        grid = grid_for(rig)
        rows = np.nonzero((_roles(rig, look, Pose(), grid) != Role.EMPTY).any(axis=1))[0]
        error = abs(int(rows.max()) + 1 - int(rows.min()) - target)
        if error == 0:
            return rig
        if best is None or error < best[0]:
            best = (error, rig)
    assert best is not None
    return best[1]


def _cell(
    grid: Grid, frames: list[np.ndarray]
) -> tuple[tuple[int, int, int, int], tuple[int, int]]:
    """A cell holding every frame, symmetric about x = 0, its bottom on the ground line."""
    solid = np.zeros(frames[0].shape, dtype=bool)
    for roles in frames:
        solid |= roles != Role.EMPTY
    rows = np.nonzero(solid.any(axis=1))[0]
    cols = np.nonzero(solid.any(axis=0))[0]
    left, right = grid.x0 + int(cols.min()), grid.x0 + int(cols.max()) + 1
    half = max(-left, right)
    top = grid.y0 + int(rows.min())
    return (-half, top, half, 0), (half, -top)


def _image(
    roles: np.ndarray, colours: RoleColours, grid: Grid, box: tuple[int, int, int, int]
) -> Image.Image:
    """Roles -> RGBA through the style's colours, cropped to the cell."""
    lut = np.zeros((len(Role), 4), dtype=np.uint8)
    for role in Role:
        if role is not Role.EMPTY:
            lut[role] = (*colours[role], 255)
    x0, y0, x1, y1 = box
    cell = roles[y0 - grid.y0 : y1 - grid.y0, x0 - grid.x0 : x1 - grid.x0]
    return Image.fromarray(np.ascontiguousarray(lut[cell]), "RGBA")


def _palette(animations: dict[str, list[Frame]]) -> list[str]:
    seen: set[tuple[int, int, int]] = set()
    for frames in animations.values():
        for frame in frames:
            arr = np.asarray(frame.image)
            solid = arr[..., 3] == 255
            seen.update(map(tuple, arr[solid][:, :3].tolist()))
    return sorted(rgb_to_hex(c) for c in seen)


def _hitbox(posed: Posed, grid: Grid, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    body = np.isin(posed.parts, _BODY_PARTS)
    rows = np.nonzero(body.any(axis=1))[0]
    cols = np.nonzero(body.any(axis=0))[0]
    x0 = grid.x0 + int(cols.min()) - box[0]
    y0 = grid.y0 + int(rows.min()) - box[1]
    x1 = grid.x0 + int(cols.max()) + 1 - box[0]
    y1 = box[3] - box[1]
    return x0, y0, x1 - x0, y1 - y0
