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
    are tried in turn (closest first) until one measures exactly right. A step can jump over the
    target between two tries (a slim dog at 16 px: 15 px at 16.25, 17 px at 16.5); then the scale
    is bisected between the two.
    """
    tried: list[tuple[float, int, Rig]] = []
    for step in range(0, 33):
        asked = target + (step + 1) // 2 * (1 if step % 2 else -1) * 0.25
        height, rig = _measure(look, asked, target)
        if height == target:
            return rig
        tried.append((asked, height, rig))
    low = max((t for t in tried if t[1] < target), key=lambda t: t[0], default=None)
    high = min(
        (t for t in tried if t[1] > target and (low is None or t[0] > low[0])),
        key=lambda t: t[0],
        default=None,
    )
    if low is not None and high is not None:
        lo, hi = low[0], high[0]
        for _ in range(8):
            mid = (lo + hi) / 2
            height, rig = _measure(look, mid, target)
            if height == target:
                return rig
            lo, hi = (mid, hi) if height < target else (lo, mid)
    return min(tried, key=lambda t: abs(t[1] - target))[2]


def _measure(look: PetLook, asked: float, target: int) -> tuple[int, Rig]:
    """The standing height of the rig built for `asked` pixels (labelled with the target)."""
    rig = replace(build_rig(look, asked), height=target)
    roles = _roles(rig, look, Pose(), grid_for(rig))
    rows = np.nonzero((roles != Role.EMPTY).any(axis=1))[0]
    return int(rows.max()) + 1 - int(rows.min()), rig


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
    """Every colour drawn, as sorted hex strings (one numpy pass: an HD hero has ~10^5 pixels)."""
    packed = []
    for frames in animations.values():
        for frame in frames:
            arr = np.asarray(frame.image).astype(np.uint32)
            solid = arr[arr[..., 3] == 255]
            packed.append((solid[:, 0] << 16) | (solid[:, 1] << 8) | solid[:, 2])
    return sorted(f"#{int(c):06x}" for c in np.unique(np.concatenate(packed)))


def _hitbox(posed: Posed, grid: Grid, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    body = np.isin(posed.parts, _BODY_PARTS)
    rows = np.nonzero(body.any(axis=1))[0]
    cols = np.nonzero(body.any(axis=0))[0]
    x0 = grid.x0 + int(cols.min()) - box[0]
    y0 = grid.y0 + int(rows.min()) - box[1]
    x1 = grid.x0 + int(cols.max()) + 1 - box[0]
    y1 = box[3] - box[1]
    return x0, y0, x1 - x0, y1 - y0
