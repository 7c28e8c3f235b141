"""Version-2 test atlases: a side-view cat or dog drawn from rectangles, with species and hitbox."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, ImageDraw

from tests.game.conftest import ANIMATIONS, PALETTE

BASE = 32  # cell side at u=1 (16bit-sized: 24 px visible); u=2 doubles everything (modern)
HITBOX = (7, 10, 21, 22)  # x, y, w, h at u=1: body, head and legs; ear tips and tail stick out


def draw_hero(draw: ImageDraw.ImageDraw, ox: int, oy: int, u: int, species: str, leg: int) -> None:
    """Facing right, feet on the cell's bottom edge; `leg` shifts alternate legs (walk)."""
    ink, fur, dark = "#1a1c2c", ("#ef7d57" if species == "cat" else "#a0703c"), "#6b4220"

    def box(x0: int, y0: int, x1: int, y1: int, fill: str) -> None:
        draw.rectangle([ox + x0 * u, oy + y0 * u, ox + (x1 + 1) * u - 1, oy + (y1 + 1) * u - 1],
                       fill=fill, outline=ink)  # fmt: skip

    box(7, 16, 23, 26, fur)  # body
    box(17, 10, 27, 20, fur)  # head
    if species == "cat":
        box(18, 8, 20, 10, fur)  # pointed ears: the visible top
        box(24, 8, 26, 10, fur)
        box(2, 9, 6, 12, fur)  # tail, curled up
        box(4, 12, 7, 18, fur)
    else:
        box(18, 8, 21, 15, dark)  # floppy ear
        box(2, 14, 7, 17, fur)  # tail
    box(24, 13, 25, 14, ink)  # eye
    for i, lx in enumerate((8, 12, 18, 22)):
        shift = leg if i % 2 == 0 else -leg
        box(lx + shift, 27, lx + shift + 2, 31, dark)


def make_sheet_v2(species: str = "cat", u: int = 1) -> tuple[bytes, dict[str, Any]]:
    """sheet.png bytes and a version-2 atlas (species, visible_height, hitbox)."""
    cell = BASE * u
    sheet = Image.new("RGBA", (cell * max(ANIMATIONS.values()), cell * len(ANIMATIONS)))
    draw = ImageDraw.Draw(sheet)
    animations: dict[str, Any] = {}
    for row, (name, count) in enumerate(ANIMATIONS.items()):
        frames = []
        for col in range(count):
            leg = (col % 2) * 2 - 1 if name == "walk" else 0
            draw_hero(draw, col * cell, row * cell, u, species, leg)
            frames.append(
                {"x": col * cell, "y": row * cell, "w": cell, "h": cell, "duration_ms": 120}
            )
        animations[name] = {"loop": name in ("idle", "walk"), "frames": frames}
    buf = io.BytesIO()
    sheet.save(buf, format="PNG")
    x, y, w, h = (v * u for v in HITBOX)
    atlas = {
        "version": 2, "image": "sheet.png", "frame_w": cell, "frame_h": cell,
        "anchor": {"x": cell // 2, "y": cell}, "palette": PALETTE, "animations": animations,
        "species": species, "visible_height": (BASE - 8) * u,
        "hitbox": {"x": x, "y": y, "w": w, "h": h},
    }  # fmt: skip
    return buf.getvalue(), atlas
