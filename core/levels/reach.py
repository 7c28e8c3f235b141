"""Reachability proof: a best-first search over real jump arcs simulated with the Python twin.

Nodes are resting states (on the ground, not moving). Edges are input patterns (run-up, jump held
for some frames, steering in the air) simulated frame by frame until the player rests again, so a
found path is an input trace sim.js replays to the goal. The novice constants keep levels fair.
"""

from __future__ import annotations

import copy
import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from core.levels import sim
from core.levels.physics import Constants

Frame = tuple[bool, bool, bool]  # left, right, jump
# (run-up frames, jump frames held (0: no jump), air steering from, air steering until)
JUMPS = [
    (16, 40, 0, 99), (0, 40, 0, 99), (16, 12, 0, 99), (0, 12, 0, 99), (0, 40, 0, 12),
    (16, 40, 0, 20), (0, 4, 0, 99), (0, 4, 0, 6), (8, 0, 0, 0), (28, 0, 0, 0), (0, 40, 16, 99),
    (40, 40, 0, 99), (6, 40, 0, 99), (24, 40, 0, 99),
]  # fmt: skip
AIR_LIMIT, SETTLE_LIMIT, MAX_MACROS = 150, 90, 6000


@dataclass(frozen=True, slots=True)
class Macro:
    direction: int
    runup: int
    hold: int
    steer_from: int
    steer_until: int

    def inputs(self) -> Iterator[Frame]:
        """Frames of input; after the jump the pattern repeats its last frame until told to stop."""
        left, right = self.direction < 0, self.direction > 0
        for _ in range(self.runup):
            yield left, right, False
        if not self.hold:
            return
        i = 0
        while True:
            steer = self.steer_from <= i < self.steer_until
            yield left and steer, right and steer, i < self.hold
            i += 1


@dataclass(slots=True)
class Proof:
    """Macros from the start to the goal, with the frame-by-frame inputs and the tiles passed."""

    macros: list[Macro]
    inputs: list[Frame]
    tiles: list[tuple[int, int]]
    rests: list[tuple[int, int]]


def macros_for(direction: int) -> list[Macro]:
    """Macros toward the goal first: the search tries them in this order."""
    return [Macro(d, *j) for d in (direction, -direction) for j in JUMPS]


def _tile_of(p: sim.Player, k: Constants) -> tuple[int, int]:
    return (p.sx + k.pw // 2) // k.T, (p.sy + k.ph - 1) // k.T


def run_macro(
    world: sim.World,
    k: Constants,
    m: Macro,
    trace: list[Frame] | None = None,
    tiles: dict[tuple[int, int], None] | None = None,
) -> bool:
    """Play one macro then let the player come to rest; False if hurt, killed or never settling.

    With `trace`, every frame's input is appended to it; with `tiles`, the tile under the
    player's centre after every frame is added to it (the tiles the path passes through).
    """
    airborne_for, took_off = 0, False
    for i, frame in enumerate(m.inputs()):
        if not _frame(world, k, frame, trace, tiles):
            return False
        if world.status != "playing":
            return world.status == "level_complete"
        airborne_for = 0 if world.player.on_ground else airborne_for + 1
        took_off = took_off or (i >= m.runup and airborne_for > 0)
        if airborne_for > AIR_LIMIT:
            return False
        if airborne_for == 0 and not frame[2] and (took_off or i >= m.runup + m.hold):
            break  # landed after the jump
    return _settle(world, k, trace, tiles)


def _settle(
    world: sim.World,
    k: Constants,
    trace: list[Frame] | None,
    tiles: dict[tuple[int, int], None] | None,
) -> bool:
    for _ in range(SETTLE_LIMIT):
        p = world.player
        if p.on_ground and p.svx == 0 and p.svy == 0:
            return True
        if not _frame(world, k, (False, False, False), trace, tiles) or world.status != "playing":
            return world.status == "level_complete"
    return False


def _frame(
    world: sim.World,
    k: Constants,
    frame: Frame,
    trace: list[Frame] | None,
    tiles: dict[tuple[int, int], None] | None = None,
) -> bool:
    events = sim.step(world, k, *frame)
    if trace is not None:
        trace.append(frame)
    if tiles is not None:
        p = world.player
        tiles[((p.sx + k.pw // 2) // k.T, (p.sy + k.ph // 2) // k.T)] = None
    return "hurt" not in events and "death" not in events


def _search_world(level: dict[str, Any], k: Constants, spot: tuple[int, int]) -> sim.World:
    # The goal tile is the target on boss levels too (the arena entrance); checkpoints are moot.
    bare = {**level, "boss": False, "entities": [], "start": {"x": spot[0], "y": spot[1]}}
    return sim.create_world(bare, k)


def prove(level: dict[str, Any], k: Constants, spot: tuple[int, int] | None = None) -> Proof | None:
    """Find macros leading from `spot` (default: the start) to the goal, or None."""
    spot = spot or (level["start"]["x"], level["start"]["y"])
    world = _search_world(level, k, spot)
    if not run_macro(world, k, Macro(0, 0, 0, 0, 0)):
        return None
    gx, gy = level["goal"]["x"], level["goal"]["y"]
    nodes: list[tuple[sim.Player, int, Macro | None]] = [(copy.copy(world.player), -1, None)]
    seen = {_tile_of(world.player, k)}
    heap: list[tuple[float, int, int]] = []

    def push(node: int, m_index: int) -> None:
        tx, ty = _tile_of(nodes[node][0], k)
        h = abs(gx - tx) + abs(gy - ty) * 0.5 + m_index * 0.4
        heapq.heappush(heap, (h, len(nodes) * 64 + m_index, node))

    push(0, 0)
    tries = 0
    while heap and tries < MAX_MACROS:
        _, order, node = heapq.heappop(heap)
        m_index = order % 64
        player = nodes[node][0]
        macros = macros_for(1 if gx * k.T >= player.sx else -1)
        if m_index + 1 < len(macros):
            push(node, m_index + 1)
        tries += 1
        world.player, world.status = copy.copy(player), "playing"
        if not run_macro(world, k, macros[m_index]):
            continue
        if world.status == "level_complete":
            return _replay(level, k, spot, [*_path(nodes, node), macros[m_index]])
        key = _tile_of(world.player, k)
        if key not in seen:
            seen.add(key)
            nodes.append((copy.copy(world.player), node, macros[m_index]))
            push(len(nodes) - 1, 0)
    return None


def _path(nodes: list[tuple[sim.Player, int, Macro | None]], node: int) -> list[Macro]:
    out: list[Macro] = []
    while node >= 0:
        _, parent, m = nodes[node]
        if m is not None:
            out.append(m)
        node = parent
    return out[::-1]


def _replay(
    level: dict[str, Any], k: Constants, spot: tuple[int, int], macros: list[Macro]
) -> Proof:
    """Re-run the path from a fresh world, recording inputs, tiles passed and resting tiles."""
    world = _search_world(level, k, spot)
    inputs: list[Frame] = []
    rests: list[tuple[int, int]] = []
    tiles: dict[tuple[int, int], None] = {}
    for m in [Macro(0, 0, 0, 0, 0), *macros]:
        run_macro(world, k, m, inputs, tiles)
        rests.append(_tile_of(world.player, k))
    return Proof(macros, inputs, list(tiles), rests)
