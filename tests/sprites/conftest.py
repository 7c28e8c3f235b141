"""Sprite-area fixtures: a hand-drawn 32 px dog and drawn pets of any size, PixelSprite-shaped."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from PIL import Image, ImageDraw

# Sweetie 16 (lospec)
PALETTE = [
    "#1a1c2c", "#5d275d", "#b13e53", "#ef7d57", "#ffcd75", "#a7f070", "#38b764", "#257179",
    "#29366f", "#3b5dc9", "#41a6f6", "#73eff7", "#f4f4f4", "#94b0c2", "#566c86", "#333c57",
]  # fmt: skip
INK = {".": None, "o": "#1a1c2c", "e": "#1a1c2c", "f": "#ef7d57", "d": "#b13e53", "l": "#ffcd75",
       "n": "#333c57", "w": "#f4f4f4"}  # fmt: skip

# A dog facing right; its eye is the two 'e' pixels.
DOG = """
................................
......................oo...oo...
.....................odfo.odfo..
.....................offfoofffo.
....................offffffffffo
....................offfffefffffo
....................offfffeffflllo
..oo................offffffffllnno
.ofo...............offfffffflllo.
.ofo..............offfffffllllo..
.ofo..oooooooooooooffffffffwwo...
..ofooffffffffffffffffffffffo....
...offffffffffffffffffffffffo....
...ofdfffffffffffffffffffffo.....
...ofddffffffffffffffffffffo.....
...ofdddfffffffffffffffflffo.....
...oofddddfffflllllllllllffo.....
....ofdddoolllllllllllooffo......
....ofddo..ooooooooooo.offo......
....ofdo..............ofdo.......
....ofdo..............ofdo.......
...ofddo.............ofddo.......
...offfo.............offfo.......
...oooo..............oooo........
"""


@dataclass
class Sprite:
    """Stands in for core.pixelart.pixelize.PixelSprite (same fields)."""

    image: Image.Image
    palette: list[str]
    style: str = "16-bit"


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return (int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16))


def from_ascii(art: str) -> tuple[Image.Image, np.ndarray]:
    """The art as an RGBA image plus the mask of its 'e' (eye) pixels."""
    lines = art.strip("\n").splitlines()
    rows = [r.ljust(max(map(len, lines)), ".") for r in lines]
    rgba = np.zeros((len(rows), len(rows[0]), 4), dtype=np.uint8)
    for y, row in enumerate(rows):
        for x, ch in enumerate(row):
            if INK[ch] is not None:
                rgba[y, x] = (*rgb(INK[ch]), 255)
    eyes = np.array([[ch == "e" for ch in row] for row in rows])
    return Image.fromarray(rgba, "RGBA"), eyes


def drawn_pet(size: int, *, frontal: bool = False) -> tuple[Image.Image, np.ndarray]:
    """A simple outlined pet, `size` px wide, drawn without anti-aliasing; plus its eye mask."""
    w, h = size, max(8, round(size * 0.75))
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    fur, light, dark = (*rgb("#ef7d57"), 255), (*rgb("#ffcd75"), 255), (*rgb("#1a1c2c"), 255)
    s = size / 32
    for x in (5, 9, 19, 23):  # legs
        draw.rectangle([round(x * s), round(16 * s), round((x + 3) * s) - 1, h - 2], fill=fur)
    draw.ellipse([round(2 * s), round(9 * s), round(27 * s), round(19 * s)], fill=fur)
    draw.ellipse([round(8 * s), round(13 * s), round(22 * s), round(18 * s)], fill=light)
    hx = 16 if frontal else 23
    draw.ellipse([round((hx - 7) * s), round(1 * s), round((hx + 7) * s), round(13 * s)], fill=fur)
    eye = max(1, round(s * 1.5))
    eye_xs = (hx - 4, hx + 2) if frontal else (hx + 3,)
    for ex in eye_xs:
        draw.rectangle([round(ex * s), round(5 * s), round(ex * s) + eye - 1, round(5 * s) + eye],
                       fill=dark)  # fmt: skip
    arr = np.array(img)
    eyes = np.all(arr == dark, axis=-1)
    solid = arr[..., 3] > 0
    padded = np.pad(solid, 1)
    edge = solid & ~(padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:])
    arr[edge] = (*rgb("#333c57"), 255)  # an outline a shade off the eye colour, as pixelizers draw
    return Image.fromarray(arr, "RGBA"), eyes & ~edge


@pytest.fixture
def dog() -> Sprite:
    return Sprite(from_ascii(DOG)[0], PALETTE)


@pytest.fixture
def dog_eyes() -> np.ndarray:
    return from_ascii(DOG)[1]
