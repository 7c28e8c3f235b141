"""The five moves, each a list of (layers, duration_ms) poses in anchor coordinates.

Every pose is made of whole rows and columns of the still sprite, copied, dropped or repeated,
so no colour appears that the artist did not draw. One `unit` is 1 px on a 32 px sprite and
grows with size so a 128 px pet moves as visibly as a small one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.sprites.anatomy import Anatomy, close_eyes
from core.sprites.pixelops import (
    RGBA,
    Layer,
    drop_cols,
    drop_rows,
    mirrored,
    recolored,
    repeat_cols,
    repeat_rows,
    spread,
)

Pose = tuple[list[Layer], int]


def grounded(rgba: RGBA, anchor_x: int) -> Layer:
    """Stand the art on the ground line with its feet centre on the anchor."""
    return Layer(rgba, -anchor_x, -int(rgba.shape[0]))


def still(a: Anatomy) -> Layer:
    return grounded(a.rgba, a.anchor_x)


def idle(a: Anatomy) -> list[Pose]:
    """Slow breathing (the chest stretches by one unit, lifting the head) and one blink."""
    breathe = grounded(repeat_rows(a.rgba, a.torso_rows(a.unit)), a.anchor_x)
    blink = grounded(close_eyes(a.rgba, a.eyes), a.anchor_x)
    rest = still(a)
    return [
        ([rest], 300),
        ([breathe], 300),
        ([rest], 300),
        ([breathe], 300),
        ([blink], 140),
        ([rest], 160),
    ]


def walk(a: Anatomy) -> list[Pose]:
    """Front and back legs swap by one unit each step; the body bobs up on the passing poses."""
    apart, together = _stride(a, a.unit), _stride(a, -a.unit)
    return [
        ([*_with_body(a, 0), apart], 120),
        (_with_body(a, a.unit) + _lifted_legs(a, front=True), 120),
        ([*_with_body(a, 0), together], 120),
        (_with_body(a, a.unit) + _lifted_legs(a, front=False), 120),
    ]


def _split(a: Anatomy) -> int:
    # Keep at least one column on each side of the split, even on very narrow sprites.
    return int(np.clip(a.anchor_x, 1, a.width - 1))


def _with_body(a: Anatomy, bob: int) -> list[Layer]:
    """The body above the legs, raised by `bob` with its bottom row stretched to stay attached."""
    body = repeat_rows(a.rgba[: a.leg_top], [a.leg_top - 1] * bob)
    return [Layer(body, -a.anchor_x, -a.height - bob)]


def _stride(a: Anatomy, step: int) -> Layer:
    """Legs with the front half moved forward by `step` and the back half backward (or reverse)."""
    legs, cut = a.rgba[a.leg_top :], _split(a)
    band_y = a.leg_top - a.height
    if step > 0:
        # Apart: fill the opened gap by repeating the columns at the cut, so the belly stays whole.
        fill = [
            np.repeat(legs[:, cut - 1 : cut], step, 1),
            np.repeat(legs[:, cut : cut + 1], step, 1),
        ]
        band = np.concatenate([legs[:, :cut], *fill, legs[:, cut:]], axis=1)
        return Layer(band, -a.anchor_x - step, band_y)
    step = min(-step, cut, a.width - cut)
    band = np.concatenate([legs[:, : cut - step], legs[:, cut + step :]], axis=1)
    return Layer(band, -a.anchor_x + step, band_y)


def _lifted_legs(a: Anatomy, *, front: bool) -> list[Layer]:
    """Passing pose: one pair of legs bends (its foot leaves the ground), the other stays put."""
    legs, cut = a.rgba[a.leg_top :], _split(a)
    band_y = a.leg_top - a.height
    # The bent legs lose rows below their top row, so the belly line stays straight across the cut.
    bend = [row - a.leg_top for row in a.leg_rows(a.unit)]
    back, fore = legs[:, :cut], legs[:, cut:]
    if front:
        fore = drop_rows(fore, bend)
    else:
        back = drop_rows(back, bend)
    return [Layer(back, -a.anchor_x, band_y), Layer(fore, cut - a.anchor_x, band_y)]


def jump(a: Anatomy) -> list[Pose]:
    """Anticipation (squash), rise (stretch), apex (legs tucked), fall (legs reaching down)."""
    u = a.unit
    squash = repeat_cols(drop_rows(a.rgba, a.torso_rows(2 * u)), a.body_cols(u))
    stretch = drop_cols(repeat_rows(a.rgba, a.torso_rows(2 * u)), a.body_cols(u))
    tucked = drop_rows(a.rgba, a.leg_rows(u))
    reach = repeat_rows(a.rgba, a.leg_rows(u))
    return [
        ([grounded(squash, _shifted_anchor(a, a.body_cols(u), +1))], 110),
        ([grounded(stretch, _shifted_anchor(a, a.body_cols(u), -1))], 130),
        ([Layer(tucked, -a.anchor_x, -a.height)], 160),  # feet rise, the head stays put
        ([grounded(reach, a.anchor_x)], 160),
    ]


def _shifted_anchor(a: Anatomy, cols: Sequence[int], sign: int) -> int:
    """Where the feet centre lands after repeating (+1) or dropping (-1) columns."""
    return a.anchor_x + sign * sum(1 for c in cols if c < a.anchor_x)


SPIN = (0.5, 0.2, -0.5, -1.0, -0.5, 0.2, 0.5)  # width share of each turn pose; negative faces left


def spin(a: Anatomy) -> list[Pose]:
    """A full turn: the sprite narrows by dropping columns, flips, and comes back, then a bow."""
    poses: list[Pose] = []
    for share in SPIN:
        keep = max(1, round(a.width * abs(share)))
        gone = spread(0, a.width, a.width - keep)
        layer = grounded(
            drop_cols(a.rgba, gone), a.anchor_x - sum(1 for c in gone if c < a.anchor_x)
        )
        poses.append(([mirrored(layer) if share < 0 else layer], 60))
    poses += [([still(a)], 120), ([still(a)], 120), ([still(a)], 160)]
    return poses


def hurt(a: Anatomy, flash_rgb: Sequence[int]) -> list[Pose]:
    """A flash of solid colour and a knock backwards (the pet faces right, so to the left)."""
    u, rest = a.unit, still(a)
    flash = recolored(rest, flash_rgb)
    return [
        ([flash.moved(dx=-2 * u)], 80),
        ([rest.moved(dx=-2 * u)], 80),
        ([flash.moved(dx=-u)], 80),
        ([rest.moved(dx=-u)], 120),
    ]
