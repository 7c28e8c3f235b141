"""Hardware and fantasy-console palettes, plus the SNES 15-bit colour grid.

Fixed palettes are lists of '#rrggbb' strings; adaptive palettes (16-bit, modern) are built per
sprite by `core.pixelart.quantize` and may be snapped to a hardware grid with `snap_15bit`.
"""

from __future__ import annotations

import numpy as np


def _hexes(text: str) -> tuple[str, ...]:
    return tuple(f"#{h.lower()}" for h in text.split())


# The NES 2C02 master palette as commonly rendered (NESdev/FCEUX); the duplicate blacks of the
# 64-entry table collapse to one, leaving 55 usable colours.
NES = _hexes(
    """
7c7c7c 0000fc 0000bc 4428bc 940084 a80020 a81000 881400 503000 007800 006800 005800 004058 000000
bcbcbc 0078f8 0058f8 6844fc d800cc e40058 f83800 e45c10 ac7c00 00b800 00a800 00a844 008888
f8f8f8 3cbcfc 6888fc 9878f8 f878f8 f85898 f87858 fca044 f8b800 b8f818 58d854 58f898 00e8d8 787878
fcfcfc a4e4fc b8b8f8 d8b8f8 f8b8f8 f8a4c0 f0d0b0 fce0a8 f8d878 d8f878 b8f8b8 b8f8d8 00fcfc f8d8f8
    """
)
PICO8 = _hexes(
    "000000 1d2b53 7e2553 008751 ab5236 5f574f c2c3c7 fff1e8 "
    "ff004d ffa300 ffec27 00e436 29adff 83769c ff77a8 ffccaa"
)
# Game Boy DMG, darkest to lightest.
GAMEBOY = _hexes("0f380f 306230 8bac0f 9bbc0f")
SWEETIE16 = _hexes(
    "1a1c2c 5d275d b13e53 ef7d57 ffcd75 a7f070 38b764 257179 "
    "29366f 3b5dc9 41a6f6 73eff7 f4f4f4 94b0c2 566c86 333c57"
)

# Palette sources a Style can name. "snes15" and "free" are adaptive: k-means picks the colours.
FIXED: dict[str, tuple[str, ...]] = {
    "nes": NES,
    "pico8": PICO8,
    "gameboy": GAMEBOY,
    "sweetie16": SWEETIE16,
}
ADAPTIVE = ("snes15", "free")


def snap_15bit(rgb: np.ndarray) -> np.ndarray:
    """Snap 8-bit RGB to the SNES 15-bit grid (5 bits a channel), expanded as the console does."""
    five = np.rint(np.asarray(rgb, dtype=np.float32) * 31.0 / 255.0).astype(np.uint16)
    return np.asarray((five << 3) | (five >> 2), dtype=np.uint8)


def on_15bit_grid(rgb: np.ndarray) -> bool:
    """True when every colour is exactly a 15-bit colour expanded to 8 bits."""
    return bool(np.array_equal(snap_15bit(rgb), np.asarray(rgb, dtype=np.uint8)))
