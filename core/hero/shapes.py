"""Raster primitives on a pixel grid: which pixel centres fall inside a shape.

The rig is described in continuous coordinates (pixels of the final sprite, y down, the ground at
y = 0 and the body centre at x = 0); every shape here answers for a whole grid at once, so a pose
renders in well under a millisecond at sprite sizes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

Point = tuple[float, float]


@dataclass(frozen=True)
class Grid:
    """Pixel centres of a canvas whose top-left pixel covers [x0, x0+1) x [y0, y0+1)."""

    x0: int
    y0: int
    width: int
    height: int

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """x and y of every pixel centre: read-only arrays shared by every shape on this grid."""
        return _centres(self)

    def empty(self, dtype: type = np.uint8) -> np.ndarray:
        return np.zeros((self.height, self.width), dtype=dtype)


@functools.lru_cache(maxsize=64)
def _centres(grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    # A hero draws ~30 poses of ~40 shapes on one grid: building the coordinates once matters.
    ys, xs = np.mgrid[0 : grid.height, 0 : grid.width].astype(np.float32)
    xs, ys = xs + grid.x0 + 0.5, ys + grid.y0 + 0.5
    xs.flags.writeable = ys.flags.writeable = False
    return xs, ys


def ellipse(grid: Grid, centre: Point, rx: float, ry: float) -> np.ndarray:
    """Pixels whose centre lies inside the axis-aligned ellipse."""
    rx, ry = max(rx, 0.01), max(ry, 0.01)
    cx, cy = centre
    out, (xs, ys), window = _canvas(grid, (cx - rx, cy - ry, cx + rx, cy + ry))
    out[window] = ((xs - cx) / rx) ** 2 + ((ys - cy) / ry) ** 2 <= 1.0
    return out


def polygon(grid: Grid, points: list[Point]) -> np.ndarray:
    """Pixels whose centre lies inside a convex polygon (points in either winding order)."""
    px, py = [p[0] for p in points], [p[1] for p in points]
    edges = list(zip(points, points[1:] + points[:1], strict=True))
    flat = sum((ax * by - bx * ay) for (ax, ay), (bx, by) in edges) == 0
    # A flat polygon's "inside" is a whole line through the grid: only then look everywhere.
    bounds = None if flat else (min(px), min(py), max(px), max(py))
    out, (xs, ys), window = _canvas(grid, bounds)
    inside_pos = np.ones(xs.shape, dtype=bool)
    inside_neg = np.ones(xs.shape, dtype=bool)
    for (ax, ay), (bx, by) in edges:
        cross = (bx - ax) * (ys - ay) - (by - ay) * (xs - ax)
        inside_pos &= cross >= 0
        inside_neg &= cross <= 0
    out[window] = inside_pos | inside_neg
    return out


def capsule(grid: Grid, a: Point, b: Point, radius: float) -> np.ndarray:
    """Pixels within `radius` of the segment a-b (a thick line with round ends)."""
    reach = abs(radius)
    box = (min(a[0], b[0]) - reach, min(a[1], b[1]) - reach,
           max(a[0], b[0]) + reach, max(a[1], b[1]) + reach)  # fmt: skip
    out, (xs, ys), window = _canvas(grid, box)
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = max(dx * dx + dy * dy, 1e-6)
    t = np.clip(((xs - a[0]) * dx + (ys - a[1]) * dy) / length2, 0.0, 1.0)
    out[window] = (xs - a[0] - t * dx) ** 2 + (ys - a[1] - t * dy) ** 2 <= radius * radius
    return out


def _canvas(
    grid: Grid, box: tuple[float, float, float, float] | None
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray], tuple[slice, slice]]:
    """An empty mask of the grid, and the pixel centres of the window that holds `box`.

    A shape is only evaluated near its bounding box (with a pixel to spare for rounding): the
    same pixels as over the whole grid, at a fraction of the cost on a 128-px HD hero.
    """
    out = grid.empty(bool)
    if box is None:
        window = (slice(0, grid.height), slice(0, grid.width))
    else:
        left, top, right, bottom = box
        c0 = min(grid.width, max(0, int(np.floor(left)) - grid.x0 - 1))
        c1 = max(c0, min(grid.width, int(np.ceil(right)) - grid.x0 + 1))
        r0 = min(grid.height, max(0, int(np.floor(top)) - grid.y0 - 1))
        r1 = max(r0, min(grid.height, int(np.ceil(bottom)) - grid.y0 + 1))
        window = (slice(r0, r1), slice(c0, c1))
    xs, ys = grid.centres()
    return out, (xs[window], ys[window]), window


def limb(grid: Grid, top: Point, foot: Point, width: float) -> np.ndarray:
    """A leg as a sheared quad: `width` wide at the hip and at the foot, square at both ends."""
    half = width / 2
    return polygon(
        grid,
        [
            (top[0] - half, top[1]),
            (top[0] + half, top[1]),
            (foot[0] + half, foot[1]),
            (foot[0] - half, foot[1]),
        ],
    )


def polyline(grid: Grid, points: list[Point], radii: list[float]) -> np.ndarray:
    """A chain of capsules whose radius tapers from point to point (tails)."""
    out = grid.empty(bool)
    for i in range(len(points) - 1):
        out |= capsule(grid, points[i], points[i + 1], (radii[i] + radii[i + 1]) / 2)
    return out


def dot(grid: Grid, x: float, y: float) -> np.ndarray:
    """The one pixel containing (x, y), or nothing when it is off the grid."""
    out = grid.empty(bool)
    col, row = int(np.floor(x)) - grid.x0, int(np.floor(y)) - grid.y0
    if 0 <= row < grid.height and 0 <= col < grid.width:
        out[row, col] = True
    return out
