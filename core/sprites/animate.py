"""One still sprite -> idle, walk, jump, special and hurt frames sharing one cell and anchor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from PIL import Image

from core.errors import NoSubjectFound
from core.sprites import motions
from core.sprites.anatomy import Anatomy, analyse, luminance
from core.sprites.effects import Box, add_sparkles, sparkle_zone
from core.sprites.pixelops import Layer, bounds, opaque, render

ANIMATIONS = ("idle", "walk", "jump", "special", "hurt")
PALE_GAP = 64.0  # a flash needs at least this much luma over the fur to read as a flash
LOOPS = {"idle": True, "walk": True, "jump": False, "special": False, "hurt": False}


class SpriteLike(Protocol):
    """What animation needs from `core.pixelart.pixelize.PixelSprite`."""

    @property
    def image(self) -> Image.Image: ...

    @property
    def palette(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class Frame:
    """One RGBA frame of the shared cell.

    `anchor` is where the resting feet meet the ground, in pixel-edge coordinates of the cell:
    x = frame_w / 2 (the cell is symmetric about the feet) and y = the line just below them.
    """

    image: Image.Image
    duration_ms: int
    anchor: tuple[int, int] | None = None


def animate(sprite: SpriteLike, *, seed: int = 0) -> dict[str, list[Frame]]:
    """Frames for every name in ANIMATIONS, deterministic for a given sprite and seed."""
    rgba = binary_alpha(sprite.image)
    if not opaque(rgba).any():
        raise NoSubjectFound(
            "The pixel sprite came out empty, so there is nothing to animate. "
            "Try a photo where your pet fills more of the picture."
        )
    anatomy = analyse(rgba)
    colours = palette_rgb(sprite.palette) or _colours_of(rgba)
    poses = {
        "idle": motions.idle(anatomy),
        "walk": motions.walk(anatomy),
        "jump": motions.jump(anatomy),
        "special": motions.spin(anatomy),
        "hurt": motions.hurt(anatomy, _flash_colour(rgba, colours)),
    }
    pet_box = bounds(layer for frames in poses.values() for layers, _ in frames for layer in layers)
    zone = sparkle_zone(pet_box, anatomy.unit)
    poses["special"] = _sparkled(poses["special"], zone, max(colours, key=_luma), anatomy, seed)
    box, anchor = _cell(pet_box, zone)
    return {
        name: [_frame(layers, ms, box, anchor) for layers, ms in poses[name]] for name in ANIMATIONS
    }


def _sparkled(
    poses: list[motions.Pose], zone: Box, colour: tuple[int, int, int], anatomy: Anatomy, seed: int
) -> list[motions.Pose]:
    """The special move with sparkles in the palette's brightest colour, placed by the seed."""
    layers = add_sparkles(
        [layers for layers, _ in poses],
        zone=zone,
        colour=colour,
        unit=anatomy.unit,
        rng=np.random.default_rng(seed),
    )
    return [(lay, ms) for lay, (_, ms) in zip(layers, poses, strict=True)]


def binary_alpha(image: Image.Image) -> np.ndarray:
    """RGBA array, alpha forced to 0/255, see-through pixels blanked so equal art compares equal."""
    rgba = np.array(image.convert("RGBA"), dtype=np.uint8)
    solid = rgba[..., 3] >= 128
    rgba[..., 3] = np.where(solid, 255, 0)
    rgba[~solid] = 0
    return rgba


def palette_rgb(palette: Sequence[str]) -> list[tuple[int, int, int]]:
    """'#rrggbb' strings as RGB tuples."""
    return [(int(c[1:3], 16), int(c[3:5], 16), int(c[5:7], 16)) for c in palette]


def _colours_of(rgba: np.ndarray) -> list[tuple[int, int, int]]:
    unique = np.unique(rgba[opaque(rgba), :3], axis=0)
    return [(int(r), int(g), int(b)) for r, g, b in unique]


def _luma(rgb: Sequence[int]) -> float:
    return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]


def _flash_colour(rgba: np.ndarray, colours: list[tuple[int, int, int]]) -> tuple[int, int, int]:
    """The palette's lightest colour, or its darkest on a pale pet, where white would not show."""
    lightest, darkest = max(colours, key=_luma), min(colours, key=_luma)
    pet = float(np.median(luminance(rgba)[opaque(rgba)]))
    return lightest if _luma(lightest) - pet >= PALE_GAP else darkest


def _cell(pet_box: Box, zone: Box) -> tuple[Box, tuple[int, int]]:
    """A cell holding every pose and sparkle, symmetric about the anchor: a flip keeps the feet."""
    half = max(-pet_box[0], pet_box[2], -zone[0], zone[2])
    top = min(pet_box[1], zone[1])
    bottom = max(pet_box[3], 0)
    return (-half, top, half, bottom), (half, -top)


def _frame(layers: list[Layer], ms: int, box: Box, anchor: tuple[int, int]) -> Frame:
    return Frame(Image.fromarray(render(layers, box), "RGBA"), ms, anchor)
