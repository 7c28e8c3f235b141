"""Python twin of sim.js's player physics: tiles, one-way platforms, spikes, pits, checkpoints, and
each theme's mechanic (ice, low gravity, sand, wind: in the constants; springy bushes `*`: below).

Enemies, treats, the bark and the boss are not mirrored; every line below has a twin in stepPlayer.
Build the constants with the level's theme: `derive(physics, level["theme"])`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from core.levels.physics import Constants


@dataclass(slots=True)
class Player:
    sx: int = 0
    sy: int = 0
    svx: int = 0
    svy: int = 0
    on_ground: bool = False
    rising: bool = False
    coyote: int = 0
    jump_buffer: int = 0
    jump_held: bool = False
    facing: int = 1
    stun: int = 0
    invuln: int = 0
    hp: int = 0


@dataclass(slots=True)
class World:
    """The mirrored part of the sim.js world: one level, one player."""

    tiles: list[str]
    width: int
    height: int
    goal: tuple[int, int]
    checkpoint: tuple[int, int]
    checkpoints: list[tuple[int, int]]
    is_boss: bool
    lives: int
    spikes: frozenset[tuple[int, int]] = frozenset()
    columns: list[str] = field(default_factory=list)  # walls: tiles by column, `*` as `#`
    player: Player = field(default_factory=Player)
    status: str = "playing"
    taken: set[tuple[int, int]] = field(default_factory=set)

    def tile(self, tx: int, ty: int) -> str:
        if tx < 0 or tx >= self.width:
            return "#"
        if ty < 0 or ty >= self.height:
            return "."
        return self.tiles[ty][tx]


def spawn(world: World, k: Constants, spot: tuple[int, int]) -> None:
    p = world.player
    p.sx = spot[0] * k.T + (k.T - k.pw) // 2
    p.sy = (spot[1] + 1) * k.T - k.ph
    p.svx = p.svy = p.coyote = p.jump_buffer = p.stun = 0
    p.on_ground = p.rising = False
    p.hp, p.invuln = k.hp, k.invuln


def create_world(level: dict[str, Any], k: Constants) -> World:
    start = (level["start"]["x"], level["start"]["y"])
    checkpoints = [(e["x"], e["y"]) for e in level["entities"] if e["type"] == "checkpoint"]
    world = World(
        tiles=list(level["tiles"]), width=level["width"], height=level["height"],
        goal=(level["goal"]["x"], level["goal"]["y"]), checkpoint=start, checkpoints=checkpoints,
        is_boss=bool(level.get("boss")), lives=k.lives, spikes=_spikes(level["tiles"]),
        columns=["".join(col).replace("*", "#") for col in zip(*level["tiles"], strict=True)],
    )  # fmt: skip
    spawn(world, k, start)
    world.player.invuln = 0
    return world


def _spikes(tiles: list[str]) -> frozenset[tuple[int, int]]:
    # A set lookup instead of scanning tiles each frame: same answer as tile() == "^", faster.
    return frozenset((x, y) for y, row in enumerate(tiles) for x, ch in enumerate(row) if ch == "^")


def _approach(v: int, target: int, rate: int) -> int:
    if v < target:
        return min(v + rate, target)
    if v > target:
        return max(v - rate, target)
    return v


def _steer_and_jump(p: Player, k: Constants, left: bool, right: bool, jump: bool) -> list[str]:
    events = []
    if jump and not p.jump_held:
        p.jump_buffer = k.buffer
    elif p.jump_buffer > 0:
        p.jump_buffer -= 1
    d = 0 if p.stun > 0 else int(right) - int(left)
    if d:
        p.facing = d
    if not d:
        rate = k.g_fric if p.on_ground else k.a_fric
    elif d * p.svx < 0:  # steering against the motion: the turn rate until the speed crosses zero
        rate = k.g_turn if p.on_ground else k.a_turn
    else:
        rate = k.g_acc if p.on_ground else k.a_acc
    # Top speed: ground_run on the ground (slower on sand), run in the air plus the wind.
    target = d * k.ground_run if p.on_ground else d * k.run + k.wind
    p.svx = _approach(p.svx, target, rate)
    if p.jump_buffer > 0 and p.stun == 0 and (p.on_ground or p.coyote > 0):
        p.svy, p.jump_buffer, p.coyote, p.on_ground, p.rising = -k.jump_v, 0, 0, False, True
        events.append("jump")
    if p.rising and not jump and p.svy < 0:
        p.svy = -math.floor(-p.svy * k.jump_cut)
        p.rising = False
    if p.svy >= 0:
        p.rising = False
    p.svy = min(p.svy + (k.gravity if p.svy < 0 else k.fall_gravity), k.max_fall)
    p.jump_held = jump
    return events


def _wall(world: World, tx: int, top: int, bot: int) -> bool:
    """Whether any of rows top..bot of column tx is `#` (columns outside the map are walls)."""
    if tx < 0 or tx >= world.width:
        return True
    return "#" in world.columns[tx][max(top, 0) : bot + 1]


def _move_x(world: World, p: Player, k: Constants) -> None:
    p.sx += p.svx
    max_x = world.width * k.T - k.pw
    if p.sx < 0 or p.sx > max_x:
        p.sx = min(max(p.sx, 0), max_x)
        p.svx = 0
    if p.svx == 0:
        return
    top, bot = p.sy // k.T, (p.sy + k.ph - 1) // k.T
    if p.svx > 0:
        tx = (p.sx + k.pw - 1) // k.T
        if _wall(world, tx, top, bot):
            p.sx, p.svx = tx * k.T - k.pw, 0
    else:
        tx = p.sx // k.T
        if _wall(world, tx, top, bot):
            p.sx, p.svx = (tx + 1) * k.T, 0


def _row(world: World, x0: int, x1: int, ty: int) -> str:
    """Tiles x0..x1 of row ty as world.tile gives them (`#` for the side walls, `.` above/below)."""
    wall = "#" if x0 < 0 or x1 >= world.width else ""
    if ty < 0 or ty >= world.height:
        return wall
    return world.tiles[ty][max(x0, 0) : x1 + 1] + wall


def _move_y(world: World, p: Player, k: Constants) -> list[str]:
    was_on_ground = p.on_ground
    old_bottom = p.sy + k.ph
    p.sy += p.svy
    p.on_ground = False
    x0, x1 = p.sx // k.T, (p.sx + k.pw - 1) // k.T
    if p.svy > 0:
        ty = (p.sy + k.ph - 1) // k.T
        row = _row(world, x0, x1, ty)
        floor = "#" in row or "*" in row or (old_bottom <= ty * k.T and "=" in row)
        if floor and k.spring and "*" in row:
            # a springy bush: launched up at the spring speed (no jump cut, no coyote)
            p.sy, p.svy, p.rising, p.coyote = ty * k.T - k.ph, -k.spring, False, 0
            return ["spring"]
        if floor:
            p.sy, p.svy, p.on_ground = ty * k.T - k.ph, 0, True
            return [] if was_on_ground else ["land"]
    elif p.svy < 0:
        ty = p.sy // k.T
        row = _row(world, x0, x1, ty)
        if "#" in row or "*" in row:
            p.sy, p.svy = (ty + 1) * k.T, 0
    return []


def _hurt(world: World, k: Constants, direction: int) -> list[str]:
    p = world.player
    if p.invuln > 0 or world.status != "playing":
        return []
    p.hp -= 1
    p.invuln, p.stun = k.invuln, k.stun
    p.svx, p.svy, p.on_ground, p.rising = direction * k.knock_x, -k.knock_y, False, False
    return ["hurt", *_die(world, k)] if p.hp <= 0 else ["hurt"]


def _die(world: World, k: Constants) -> list[str]:
    world.lives -= 1
    if world.lives <= 0:
        world.status = "dead"
    else:
        spawn(world, k, world.checkpoint)
    return ["death"]


def _overlaps(p: Player, k: Constants, x: int, y: int, w: int, h: int) -> bool:
    return p.sx < x + w and x < p.sx + k.pw and p.sy < y + h and y < p.sy + k.ph


def _touch_tiles(world: World, p: Player, k: Constants) -> list[str]:
    if p.sy >= world.height * k.T:
        return _die(world, k)
    spikes = world.spikes
    if not spikes:
        return []
    t, inset = k.T, k.spike_inset
    for ty in range(p.sy // t, (p.sy + k.ph - 1) // t + 1):
        for tx in range(p.sx // t, (p.sx + k.pw - 1) // t + 1):
            if (tx, ty) in spikes and _overlaps(p, k, tx * t, ty * t + inset, t, t - inset):
                return _hurt(world, k, -p.facing)
    return []


def _touch_markers(world: World, p: Player, k: Constants) -> list[str]:
    events = []
    for spot in world.checkpoints:
        if spot not in world.taken and _overlaps(p, k, spot[0] * k.T, spot[1] * k.T, k.T, k.T):
            world.taken.add(spot)
            world.checkpoint = spot
            events.append("checkpoint")
    gx, gy = world.goal
    if not world.is_boss and _overlaps(p, k, gx * k.T, gy * k.T, k.T, k.T):
        world.status = "level_complete"
        events.append("goal")
    return events


def step(world: World, k: Constants, left: bool, right: bool, jump: bool) -> list[str]:
    """One frame of player physics, exactly as sim.js stepPlayer; returns event names."""
    if world.status != "playing":
        return []
    p = world.player
    if p.invuln > 0:
        p.invuln -= 1
    if p.stun > 0:
        p.stun -= 1
    events = _steer_and_jump(p, k, left, right, jump)
    _move_x(world, p, k)
    events += _move_y(world, p, k)
    if p.on_ground:
        p.coyote = k.coyote
    elif p.coyote > 0:
        p.coyote -= 1
    events += _touch_tiles(world, p, k)
    if world.status == "playing":
        events += _touch_markers(world, p, k)
    return events
