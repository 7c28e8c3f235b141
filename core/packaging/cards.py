"""Share-card and icon images drawn from the sprite sheet: what a link unfurls with."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from core.errors import InvalidRequest

CARD_SIZE = (1200, 630)  # the 1.91:1 Open Graph / Twitter large-card shape
# Sky (top, bottom) and ground colours per theme, matching game_template/js/themes/<name>.js.
THEME_COLOURS: dict[str, tuple[str, str, str]] = {
    "park": ("#7ec8f0", "#d4f1ff", "#3e8948"),
    "beach": ("#4fb6e8", "#ffe9b8", "#e8c26a"),
    "snow": ("#9bb7d4", "#eef4fb", "#f4f8ff"),
    "city": ("#2b2d5c", "#f08a5d", "#4a4e69"),
    "space": ("#0b0b23", "#2a1b4a", "#6b5b95"),
}


def idle_frame(sheet_png: bytes, atlas: dict[str, Any]) -> Image.Image:
    """The first idle frame, cropped to its opaque pixels."""
    try:
        sheet = Image.open(io.BytesIO(sheet_png)).convert("RGBA")
        cell = atlas["animations"]["idle"]["frames"][0]
        frame = sheet.crop((cell["x"], cell["y"], cell["x"] + cell["w"], cell["y"] + cell["h"]))
    except (OSError, KeyError, IndexError, TypeError) as exc:
        raise InvalidRequest("The sprite sheet or its atlas is unreadable.") from exc
    box = frame.getbbox()
    return frame.crop(box) if box else frame


def share_card(sprite: Image.Image, theme: str, title: str | None = None) -> bytes:
    """A 1200x630 PNG: the pet scaled up by a whole number on its theme's sky and ground, with
    `title` (the pet's name) across the sky in chunky pixel letters when the font can draw it."""
    top, bottom, ground = THEME_COLOURS.get(theme, THEME_COLOURS["park"])
    w, h = CARD_SIZE
    card = _gradient((w, h), top, bottom)
    ground_y = h * 4 // 5
    ImageDraw.Draw(card).rectangle([0, ground_y, w, h], fill=ground)
    lettering = pixel_title(title or "", max_size=(w - 100, TITLE_BAND - 30))
    band = TITLE_BAND if lettering is not None else 0
    scale = max(1, min((ground_y - band - 20) // sprite.height, 700 // sprite.width))
    big = sprite.resize((sprite.width * scale, sprite.height * scale), Image.Resampling.NEAREST)
    card.alpha_composite(big, ((w - big.width) // 2, ground_y - big.height))
    if lettering is not None:
        at = ((w - lettering.width) // 2, (band - lettering.height) // 2)
        card.alpha_composite(lettering, at)
    return _png(card.convert("RGB"))


TITLE_BAND = 150  # pixels of sky above the pet that the title may use


def pixel_title(text: str, *, max_size: tuple[int, int]) -> Image.Image | None:
    """`text` in Pillow's built-in bitmap font (Latin-1), outlined, scaled up by a whole number
    so every font pixel is a crisp square; None when nothing of it can be drawn (a name in
    another script, only emoji): the card then shows the pet alone rather than boxes."""
    shown = " ".join("".join(ch for ch in text if ch.isprintable() and ord(ch) < 256).split())
    if not shown:
        return None
    font = ImageFont.load_default_imagefont()
    left, top, right, bottom = font.getbbox(shown)
    layer = Image.new("RGBA", (right - left + 2, bottom - top + 2))
    draw = ImageDraw.Draw(layer)
    origin = (1 - left, 1 - top)
    for dx, dy in ((-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1), (-1, 1), (1, -1)):
        draw.text((origin[0] + dx, origin[1] + dy), shown, font=font, fill=(26, 28, 44, 255))
    draw.text(origin, shown, font=font, fill=(255, 255, 255, 255))
    scale = min(max_size[0] // layer.width, max_size[1] // layer.height, 10)
    if scale < 1:
        return None
    return layer.resize((layer.width * scale, layer.height * scale), Image.Resampling.NEAREST)


def icon(sprite: Image.Image, size: int = 64) -> bytes:
    """A square favicon: the pet centred, scaled by a whole number so pixels stay crisp."""
    scale = max(1, size // max(sprite.size))
    big = sprite.resize((sprite.width * scale, sprite.height * scale), Image.Resampling.NEAREST)
    if max(big.size) > size:
        big.thumbnail((size, size), Image.Resampling.NEAREST)
    canvas = Image.new("RGBA", (size, size))
    canvas.alpha_composite(big, ((size - big.width) // 2, (size - big.height) // 2))
    return _png(canvas)


def _gradient(size: tuple[int, int], top: str, bottom: str) -> Image.Image:
    w, h = size
    a, b = _rgb(top), _rgb(bottom)
    strip = Image.new("RGBA", (1, h))
    for y in range(h):
        t = y / max(1, h - 1)
        strip.putpixel((0, y), (*(round(a[i] + (b[i] - a[i]) * t) for i in range(3)), 255))
    return strip.resize((w, h), Image.Resampling.NEAREST)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = int(hex_colour.lstrip("#"), 16)
    return (value >> 16) & 255, (value >> 8) & 255, value & 255


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
