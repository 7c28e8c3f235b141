"""A small looping GIF of every animation in turn: the free preview sent in chat and on the web."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import numpy as np
from PIL import Image

from core.sprites.animate import ANIMATIONS, Frame

REPEATS = {"walk": 2}  # one walk cycle is only half a second: show it twice so it reads
CHECKER = ((138, 146, 166), (162, 170, 190))  # mid greys: white sparkles and outlines show
Background = str | tuple[int, int, int] | None


def preview_gif(
    animations: Mapping[str, Sequence[Frame]], *, scale: int = 4, background: Background = None
) -> bytes:
    """Animated GIF (loops forever) of idle, walk, jump, special and hurt, scaled up crisply.

    `background` None keeps transparency; "checker" draws a light checkerboard; "#rrggbb" or an RGB
    tuple fills a theme colour.
    """
    if scale < 1:
        raise ValueError("scale must be a positive integer")
    images, durations = _merge_repeats(preview_sequence(animations))
    rgba = np.stack([np.asarray(img.convert("RGBA")) for img in images])
    colours, indices = _index(rgba)
    indices = indices.repeat(scale, axis=1).repeat(scale, axis=2)
    palette = [(0, 0, 0), *colours]
    if background is not None:
        indices, palette = _fill_background(indices, palette, background, scale)
    return _encode(indices, palette, durations, transparent=background is None)


def preview_sequence(animations: Mapping[str, Sequence[Frame]]) -> list[Frame]:
    """The frames the preview shows, in order."""
    return [f for name in ANIMATIONS for _ in range(REPEATS.get(name, 1)) for f in animations[name]]


def _merge_repeats(frames: Sequence[Frame]) -> tuple[list[Image.Image], list[int]]:
    """Consecutive identical frames become one longer frame, as a GIF encoder would do anyway."""
    images: list[Image.Image] = []
    durations: list[int] = []
    for frame in frames:
        if images and np.array_equal(np.asarray(images[-1]), np.asarray(frame.image)):
            durations[-1] += frame.duration_ms
        else:
            images.append(frame.image)
            durations.append(frame.duration_ms)
    return images, durations


def _index(rgba: np.ndarray) -> tuple[list[tuple[int, int, int]], np.ndarray]:
    """Palette indices for every pixel: 0 is transparent, opaque colours from 1 up."""
    key = (
        (rgba[..., 0].astype(np.int64) << 16) | (rgba[..., 1].astype(np.int64) << 8) | rgba[..., 2]
    )
    solid = rgba[..., 3] > 0
    unique = np.unique(key[solid])
    if unique.size > 254:  # room for transparency and two background colours
        raise ValueError(
            f"pixel art should use at most 254 colours, these frames use {unique.size}"
        )
    indices = np.where(solid, np.searchsorted(unique, key) + 1, 0).astype(np.uint8)
    colours = [(int(k >> 16) & 255, int(k >> 8) & 255, int(k) & 255) for k in unique]
    return colours, indices


def _fill_background(
    indices: np.ndarray,
    palette: list[tuple[int, int, int]],
    background: str | tuple[int, int, int],
    scale: int,
) -> tuple[np.ndarray, list[tuple[int, int, int]]]:
    """See-through pixels take the background: a checkerboard of 2-pixel squares or one colour."""
    _n, h, w = indices.shape
    first = len(palette)
    if background == "checker":
        ys, xs = np.mgrid[0:h, 0:w] // (2 * scale)
        pattern = (first + (ys + xs) % 2).astype(np.uint8)
        palette = [*palette, *CHECKER]
    else:
        pattern = np.full((h, w), first, dtype=np.uint8)
        palette = [*palette, _parse_colour(background)]
    return np.where(indices == 0, pattern[None], indices), palette


def _parse_colour(colour: str | tuple[int, int, int]) -> tuple[int, int, int]:
    if isinstance(colour, tuple):
        return colour
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"background must be 'checker', '#rrggbb' or an RGB tuple, not {colour!r}")
    return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))


def _encode(
    indices: np.ndarray,
    palette: list[tuple[int, int, int]],
    durations: list[int],
    *,
    transparent: bool,
) -> bytes:
    flat = [channel for colour in palette for channel in colour]
    frames = []
    for plane in indices:
        image = Image.fromarray(plane, "P")
        image.putpalette(flat)
        frames.append(image)
    extra: dict[str, object] = {"transparency": 0} if transparent else {}
    buf = io.BytesIO()
    frames[0].save(
        buf,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=durations,
        loop=0,
        # Transparent frames must clear the previous one (2) or old poses would show through;
        # opaque frames cover everything, so keeping the last one (1) skips unchanged areas.
        disposal=2 if transparent else 1,
        optimize=False,
        background=0,
        **extra,
    )
    return buf.getvalue()
