"""The tiny style examples shown with the style keyboard: one small drawn pet in every style.

Drawn once per process with the real pixelizer (no photo, no cut-out needed), then uploaded once:
after the first send, Telegram's file_id is reused, so later orders send no bytes at all.
"""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageDraw

TILE = 24  # sprite size in pixels, shown at SCALE x
SCALE = 5
GAP = 12


def drawn_pet() -> Image.Image:
    """A cartoon cat on a transparent background (the same subject for every style)."""
    img = Image.new("RGBA", (200, 180), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse([30, 80, 170, 175], fill=(214, 134, 58, 255))  # body
    d.ellipse([55, 20, 145, 105], fill=(226, 150, 70, 255))  # head
    d.polygon([(60, 45), (70, 2), (95, 30)], fill=(190, 110, 45, 255))  # ears
    d.polygon([(140, 45), (130, 2), (105, 30)], fill=(190, 110, 45, 255))
    d.ellipse([78, 50, 92, 66], fill=(30, 30, 40, 255))  # eyes
    d.ellipse([108, 50, 122, 66], fill=(30, 30, 40, 255))
    d.ellipse([93, 72, 107, 82], fill=(240, 120, 140, 255))  # nose
    d.ellipse([80, 115, 120, 170], fill=(250, 235, 215, 255))  # chest
    return img


@functools.cache
def style_sheet(styles: tuple[str, ...]) -> bytes:
    """PNG: each style's sprite of the drawn pet, side by side in keyboard order."""
    from core.pixelart import pixelize as px

    subject = drawn_pet()
    tiles = [px.pixelize(subject, style=name, size=TILE).image.convert("RGBA") for name in styles]
    tiles = [t.resize((t.width * SCALE, t.height * SCALE), Image.Resampling.NEAREST) for t in tiles]
    height = max(t.height for t in tiles) + 2 * GAP
    width = sum(t.width for t in tiles) + GAP * (len(tiles) + 1)
    sheet = Image.new("RGBA", (width, height), (245, 241, 232, 255))
    x = GAP
    for tile in tiles:
        sheet.alpha_composite(tile, (x, height - GAP - tile.height))
        x += tile.width + GAP
    out = io.BytesIO()
    sheet.convert("RGB").save(out, format="PNG", optimize=True)
    return out.getvalue()
