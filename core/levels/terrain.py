"""Terrain layout: a left-to-right run of segments (flat, steps, pits, spikes, platform bridges)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

HEIGHT = 16
BASE_ROW, TOP_ROW, LOW_ROW = 12, 6, 13  # surface rows: start, highest, lowest allowed
SPIKE_CLEAR_PX = 60  # spike row + hero width the novice jump clears with room to spare
START_X = 2  # the spawn column
SAFE_OPENING = 8  # columns after the spawn that always have ground (a careless first run survives)
SPRING_WALL = (4, 5)  # rows a bush-and-wall step rises (park's springs): over the novice jump
# Difficulty ramp inside a level: (segment weight multipliers for flat, step, gap, spikes, bridge;
# how much narrower the widest pit, lower the highest step and shorter the spike row are;
# the chance a flat stretch may hold an enemy). The first third is gentle, the last third harder.
RAMP = (
    ((1.6, 1.0, 0.35, 0.5, 0.5), 1, 0.4),
    ((1.0, 1.0, 1.0, 1.0, 1.0), 0, 1.0),
    ((0.8, 1.0, 1.3, 1.2, 1.2), 0, 1.0),
)


@dataclass(frozen=True, slots=True)
class Knobs:
    """What difficulty changes; every value stays inside the novice player's reach."""

    length: int
    gap_max: int
    step_up_max: int
    spike_run: int
    enemy_density: float  # enemies per 10 columns
    weights: tuple[float, float, float, float, float]  # flat, step, gap, spikes, bridge
    springs: float = 0.0  # park: share of steps that are a tall wall with a springy bush before it


def knobs_for(difficulty: int, rng: random.Random) -> Knobs:
    d = difficulty - 1
    return Knobs(
        length=48 + 16 * difficulty + rng.randrange(0, 16),
        gap_max=(2, 3, 3, 4, 4)[d],
        step_up_max=(1, 2, 2, 3, 3)[d],
        spike_run=(1, 1, 2, 2, 3)[d],
        enemy_density=(0.4, 0.6, 0.8, 1.0, 1.2)[d],
        weights=(3.0 - 0.4 * d, 2.0, 1.0 + 0.4 * d, 0.5 + 0.4 * d, 0.4 + 0.3 * d),
    )


def ramped(k: Knobs, progress: float) -> tuple[Knobs, float]:
    """The knobs for a segment starting at `progress` (0-1) through the level, and the chance its
    flat ground may hold an enemy: easier in the first third, harder in the last."""
    weights, ease, enemy_chance = RAMP[min(2, int(progress * 3))]
    return replace(
        k,
        gap_max=max(1, k.gap_max - ease),
        step_up_max=max(1, k.step_up_max - ease),
        spike_run=max(1, k.spike_run - ease),
        weights=tuple(w * m for w, m in zip(k.weights, weights, strict=True)),  # type: ignore[arg-type]
    ), enemy_chance


def fit_player(k: Knobs, player_w: int, tile: int = 16) -> Knobs:
    """Shorter spike rows for a wide hero: the novice clears about SPIKE_CLEAR_PX of spikes plus
    its own width in one jump (3 rows with the default 12-px box), so wider boxes get fewer."""
    most = max(1, (SPIKE_CLEAR_PX - player_w) // tile)
    return replace(k, spike_run=min(k.spike_run, most))


@dataclass(slots=True)
class Layout:
    """Column surfaces (None: pit) plus overlay tiles; flats are (x0, x1, row) spans for enemies."""

    surface: list[int | None] = field(default_factory=list)
    overlay: dict[tuple[int, int], str] = field(default_factory=dict)
    flats: list[tuple[int, int, int]] = field(default_factory=list)
    gaps: list[tuple[int, int, int]] = field(default_factory=list)

    @property
    def x(self) -> int:
        return len(self.surface)

    def last_row(self) -> int:
        return next(s for s in reversed(self.surface) if s is not None)

    def flat(self, n: int, row: int, enemies: bool = True) -> None:
        if enemies:
            self.flats.append((self.x, self.x + n - 1, row))
        self.surface.extend([row] * n)

    def pit(self, n: int, row: int) -> None:
        self.gaps.append((self.x, self.x + n - 1, row))
        self.surface.extend([None] * n)

    def grid(self) -> list[str]:
        rows = [["."] * len(self.surface) for _ in range(HEIGHT)]
        for x, top in enumerate(self.surface):
            for y in range(top if top is not None else HEIGHT, HEIGHT):
                rows[y][x] = "#"
        for (x, y), ch in self.overlay.items():
            rows[y][x] = ch
        return ["".join(r) for r in rows]


def _step(lay: Layout, k: Knobs, rng: random.Random) -> None:
    row = lay.last_row()
    if k.springs and row - SPRING_WALL[0] >= TOP_ROW and rng.random() < k.springs:
        _spring_wall(lay, rng, row)
        return
    dh = rng.choice(
        [d for d in range(-3, k.step_up_max + 1) if d and TOP_ROW <= row - d <= LOW_ROW]
    )
    lay.flat(rng.randint(2, 4), row - dh)


def _spring_wall(lay: Layout, rng: random.Random, row: int) -> None:
    """A wall too tall to jump (SPRING_WALL rows) with a springy bush `*` in the ground before it"""
    up = rng.randint(SPRING_WALL[0], min(SPRING_WALL[1], row - TOP_ROW))
    lay.flat(1, row, enemies=False)
    lay.overlay[(lay.x - 1, row)] = "*"
    lay.flat(rng.randint(3, 4), row - up, enemies=False)


def _gap(lay: Layout, k: Knobs, rng: random.Random) -> None:
    row = lay.last_row()
    dh = rng.choice([d for d in (-1, 0, 1) if TOP_ROW <= row - d <= LOW_ROW])
    lay.pit(rng.randint(1, max(1, k.gap_max - max(dh, 0))), row)
    lay.flat(rng.randint(3, 5), row - dh)


def _spikes(lay: Layout, k: Knobs, rng: random.Random) -> None:
    row, run = lay.last_row(), rng.randint(1, k.spike_run)
    start = lay.x + 2
    lay.flat(run + 5, row, enemies=False)
    for x in range(start, start + run):
        lay.overlay[(x, row - 1)] = "^"


def _bridge(lay: Layout, k: Knobs, rng: random.Random) -> None:
    """A wide pit crossed on one-way platforms hanging above it."""
    row = lay.last_row()
    hops = rng.randint(2, 3)
    lay.pit(1 + hops * 4, row)
    for i in range(hops):
        up = rng.randint(1, min(2, k.step_up_max))
        for x in range(lay.x - hops * 4 + i * 4, lay.x - hops * 4 + i * 4 + 3):
            lay.overlay[(x, row - up)] = "="
    lay.flat(rng.randint(3, 4), row)


def _flat(lay: Layout, _k: Knobs, rng: random.Random) -> None:
    lay.flat(rng.randint(3, 7), lay.last_row())


SEGMENTS = (
    _flat,
    _step,
    _gap,
    _spikes,
    _bridge,
)


def build_layout(k: Knobs, rng: random.Random, arena: int = 0) -> Layout:
    """Start flat (the spawn plus SAFE_OPENING columns, never a pit), segments until the length is
    used (ramped: gentler in the first third, see RAMP), then a flat finish (or a boss arena)."""
    lay = Layout()
    lay.flat(START_X + 1 + SAFE_OPENING, BASE_ROW, enemies=False)
    while lay.x < k.length - 10:
        seg, enemy_chance = ramped(k, lay.x / k.length)
        flats = len(lay.flats)
        rng.choices(SEGMENTS, weights=seg.weights)[0](lay, seg, rng)
        if enemy_chance < 1 and len(lay.flats) > flats and rng.random() >= enemy_chance:
            del lay.flats[flats:]  # an early stretch left without enemies
    lay.flat(arena or 8, lay.last_row(), enemies=False)
    return lay
