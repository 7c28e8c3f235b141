"""Exact pixel moves on RGBA arrays: copy, drop or repeat whole rows and columns, never resample.

A `Layer` is an RGBA array placed in anchor coordinates: x = 0 is the point between the pet's
feet and y = 0 is the ground line (y grows downwards: the resting pet occupies rows -h..-1).
Anchor coordinates let every frame be built on its own and the shared cell be sized afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

RGBA = np.ndarray  # HxWx4 uint8, alpha strictly 0 or 255


@dataclass(frozen=True)
class Layer:
    """An RGBA array whose top-left pixel sits at (x0, y0) in anchor coordinates."""

    rgba: RGBA
    x0: int
    y0: int

    @property
    def x1(self) -> int:
        return self.x0 + int(self.rgba.shape[1])

    @property
    def y1(self) -> int:
        return self.y0 + int(self.rgba.shape[0])

    def moved(self, dx: int = 0, dy: int = 0) -> Layer:
        return Layer(self.rgba, self.x0 + dx, self.y0 + dy)


def opaque(rgba: RGBA) -> np.ndarray:
    """Boolean mask of the opaque pixels."""
    return np.asarray(rgba[..., 3] > 0)


def crop_to_content(rgba: RGBA) -> RGBA:
    """The tight box around the opaque pixels (the array itself when nothing is opaque)."""
    ys, xs = np.nonzero(opaque(rgba))
    if ys.size == 0:
        return rgba
    return rgba[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1].copy()


def repeat_rows(rgba: RGBA, rows: Iterable[int]) -> RGBA:
    """Insert one extra copy of each listed row right below it (a 1-px stretch per row)."""
    counts = np.ones(rgba.shape[0], dtype=int)
    for row in rows:
        counts[row] += 1
    return np.repeat(rgba, counts, axis=0)


def drop_rows(rgba: RGBA, rows: Iterable[int]) -> RGBA:
    """Remove the listed rows (a 1-px squash per row), always keeping at least one."""
    return np.delete(rgba, _keep_one(rows, rgba.shape[0]), axis=0)


def repeat_cols(rgba: RGBA, cols: Iterable[int]) -> RGBA:
    """Insert one extra copy of each listed column right after it."""
    counts = np.ones(rgba.shape[1], dtype=int)
    for col in cols:
        counts[col] += 1
    return np.repeat(rgba, counts, axis=1)


def drop_cols(rgba: RGBA, cols: Iterable[int]) -> RGBA:
    """Remove the listed columns, always keeping at least one."""
    return np.delete(rgba, _keep_one(cols, rgba.shape[1]), axis=1)


def _keep_one(indices: Iterable[int], length: int) -> list[int]:
    # A tiny sprite must never be squashed out of existence.
    return sorted({i for i in indices if 0 <= i < length})[: max(0, length - 1)]


def spread(lo: int, hi: int, count: int) -> list[int]:
    """`count` distinct integers spread evenly over [lo, hi) (fewer when the range is short)."""
    if hi <= lo or count <= 0:
        return []
    if count >= hi - lo:
        return list(range(lo, hi))
    step = (hi - lo) / count
    return sorted({lo + int(step * (i + 0.5)) for i in range(count)})


def mirrored(layer: Layer) -> Layer:
    """Flip horizontally about the anchor (x = 0), as the game does to face left."""
    return Layer(layer.rgba[:, ::-1].copy(), -layer.x1, layer.y0)


def recolored(layer: Layer, rgb: Sequence[int]) -> Layer:
    """Every opaque pixel painted one colour: a silhouette for a hit flash."""
    out = layer.rgba.copy()
    out[opaque(out), :3] = np.asarray(rgb, dtype=np.uint8)
    return Layer(out, layer.x0, layer.y0)


def bounds(layers: Iterable[Layer]) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) of the opaque pixels of all layers together."""
    boxes = []
    for layer in layers:
        ys, xs = np.nonzero(opaque(layer.rgba))
        if ys.size:
            boxes.append(
                (
                    layer.x0 + xs.min(),
                    layer.y0 + ys.min(),
                    layer.x0 + xs.max() + 1,
                    layer.y0 + ys.max() + 1,
                )
            )
    if not boxes:
        return (0, 0, 0, 0)
    arr = np.array(boxes)
    return (int(arr[:, 0].min()), int(arr[:, 1].min()), int(arr[:, 2].max()), int(arr[:, 3].max()))


def render(layers: Iterable[Layer], box: tuple[int, int, int, int]) -> RGBA:
    """Composite layers (later ones on top, opaque pixels only) into the box (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    out = np.zeros((y1 - y0, x1 - x0, 4), dtype=np.uint8)
    for layer in layers:
        h, w = layer.rgba.shape[:2]
        tx, ty = layer.x0 - x0, layer.y0 - y0
        # Clip so a layer poking outside the box can never wrap around or raise.
        sx0, sy0 = max(0, -tx), max(0, -ty)
        sx1, sy1 = min(w, out.shape[1] - tx), min(h, out.shape[0] - ty)
        if sx1 <= sx0 or sy1 <= sy0:
            continue
        src = layer.rgba[sy0:sy1, sx0:sx1]
        dst = out[ty + sy0 : ty + sy1, tx + sx0 : tx + sx1]
        mask = opaque(src)
        dst[mask] = src[mask]
    return out
