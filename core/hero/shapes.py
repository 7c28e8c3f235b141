"""Raster primitives on a pixel grid: which pixel centres fall inside a shape.

The rig is described in continuous coordinates (pixels of the final sprite, y down, the ground at
y = 0 and the body centre at x = 0); every shape here answers for a whole grid at once, so a pose
renders in well under a millisecond at sprite sizes.
"""

from __future__ import annotations

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
        ys, xs = np.mgrid[0 : self.height, 0 : self.width].astype(np.float32)
        return xs + self.x0 + 0.5, ys + self.y0 + 0.5

    def empty(self, dtype: type = np.uint8) -> np.ndarray:
        return np.zeros((self.height, self.width), dtype=dtype)


def ellipse(grid: Grid, centre: Point, rx: float, ry: float) -> np.ndarray:
    """Pixels whose centre lies inside the axis-aligned ellipse."""
    xs, ys = grid.centres()
    return ((xs - centre[0]) / max(rx, 0.01)) ** 2 + ((ys - centre[1]) / max(ry, 0.01)) ** 2 <= 1.0


def polygon(grid: Grid, points: list[Point]) -> np.ndarray:
    """Pixels whose centre lies inside a convex polygon (points in either winding order)."""
    xs, ys = grid.centres()
    inside_pos = np.ones(xs.shape, dtype=bool)
    inside_neg = np.ones(xs.shape, dtype=bool)
    for (ax, ay), (bx, by) in zip(points, points[1:] + points[:1], strict=True):
        cross = (bx - ax) * (ys - ay) - (by - ay) * (xs - ax)
        inside_pos &= cross >= 0
        inside_neg &= cross <= 0
    return inside_pos | inside_neg


def capsule(grid: Grid, a: Point, b: Point, radius: float) -> np.ndarray:
    """Pixels within `radius` of the segment a-b (a thick line with round ends)."""
    xs, ys = grid.centres()
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = max(dx * dx + dy * dy, 1e-6)
    t = np.clip(((xs - a[0]) * dx + (ys - a[1]) * dy) / length2, 0.0, 1.0)
    return (xs - a[0] - t * dx) ** 2 + (ys - a[1] - t * dy) ** 2 <= radius * radius


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
