"""The one physics.json, read and derived exactly as sim.js's `derive` does (integer sub-pixels)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from core.package_data import game_template


@dataclass(frozen=True, slots=True)
class Constants:
    """Player physics in 1/subpixel px units; field names follow sim.js `derive`."""

    SP: int
    T: int
    tile: int
    gravity: int
    fall_gravity: int
    jump_v: int
    jump_cut: float
    max_fall: int
    run: int
    g_acc: int
    g_turn: int
    g_fric: int
    a_acc: int
    a_turn: int
    a_fric: int
    coyote: int
    buffer: int
    pw: int
    ph: int
    hp: int
    lives: int
    invuln: int
    stun: int
    knock_x: int
    knock_y: int
    spike_inset: int
    ground_run: int = 0  # top speed on the ground (sand: slower); derive sets it
    wind: int = 0  # added to the air top speed (the city's tailwind)
    spring: int = 0  # launch speed of a springy bush `*` (park); 0: `*` is plain ground


@cache
def _load_default() -> str:
    return game_template().joinpath("physics.json").read_text(encoding="utf-8")


def load_physics(path: Path | None = None) -> dict[str, Any]:
    """physics.json as a dict (the shipped one unless a path is given)."""
    text = path.read_text(encoding="utf-8") if path else _load_default()
    data: dict[str, Any] = json.loads(text)
    return data


PLAYER_LIMITS = (4, 32)  # hitbox sides (px) the generator and its proofs are tested with


def with_player(ph: dict[str, Any], player: tuple[int, int] | None) -> dict[str, Any]:
    """physics.json with the hero's hitbox (w, h) in place of the default player box."""
    if player is None:
        return ph
    return {**ph, "player": {**ph["player"], "w": int(player[0]), "h": int(player[1])}}


def _half_up(value: float) -> int:
    return math.floor(value + 0.5)


def themed(ph: dict[str, Any], theme: str | None) -> dict[str, Any]:
    """physics.json with the theme's mechanic applied: physics.themes[theme] overrides keys."""
    over = dict(ph.get("themes", {}).get(theme, {})) if theme is not None else {}
    over.pop("mechanic", None)
    return {**ph, **over} if over else ph


def mechanic_of(ph: dict[str, Any], theme: str) -> str:
    """The name of the theme's mechanic (`none` when it has none)."""
    name: str = ph.get("themes", {}).get(theme, {}).get("mechanic", "none")
    return name


def derive(physics: dict[str, Any], theme: str | None = None) -> Constants:
    """Same formulas, same order of float operations as sim.js so both round identically.

    With a theme, that theme's mechanic is applied first (as sim.js `derive(physics, theme)`).
    """
    ph = themed(physics, theme)
    sp: int = ph["subpixel"]

    def sub(v: float) -> int:
        return _half_up(v * sp)

    height = sub(ph["jump_height_tiles"] * ph["tile"])
    t: int = ph["frames_to_apex"]
    gravity = (4 * height + t * t) // (2 * t * t)
    spring_tiles = ph.get("spring_height_tiles")  # a springy bush's launch: rises that high
    spring = 0
    if spring_tiles:
        spring = _half_up(math.sqrt(2 * gravity * sub(spring_tiles * ph["tile"])))
    hurt = ph["hurt"]
    return Constants(
        SP=sp, T=ph["tile"] * sp, tile=ph["tile"], gravity=gravity,
        fall_gravity=_half_up(gravity * ph["fall_gravity_mult"]),
        jump_v=(4 * height + t) // (2 * t), jump_cut=ph["jump_cut"], max_fall=sub(ph["max_fall"]),
        run=sub(ph["run_speed"]), g_acc=sub(ph["ground_accel"]), g_turn=sub(ph["ground_turn"]),
        g_fric=sub(ph["ground_friction"]),
        a_acc=sub(ph["air_accel"]), a_turn=sub(ph["air_turn"]), a_fric=sub(ph["air_friction"]),
        coyote=ph["coyote_frames"], buffer=ph["jump_buffer_frames"],
        pw=ph["player"]["w"] * sp, ph=ph["player"]["h"] * sp, hp=ph["hp"], lives=ph["lives"],
        invuln=hurt["invuln_frames"], stun=hurt["stun_frames"],
        knock_x=sub(hurt["knock_x"]), knock_y=sub(hurt["knock_y"]),
        spike_inset=ph["spike_inset"] * sp,
        ground_run=sub(ph.get("ground_run_speed", ph["run_speed"])), wind=sub(ph.get("wind", 0)),
        spring=spring,
    )  # fmt: skip


def novice(k: Constants, ph: dict[str, Any]) -> Constants:
    """The handicapped player levels must suit: lower jump (same gravity), no coyote time."""
    nv = ph["novice"]
    jump_v = _half_up(k.jump_v * math.sqrt(nv["jump_height_scale"]))
    return replace(k, jump_v=jump_v, coyote=nv["coyote_frames"])


def novice_for(theme: str, player: tuple[int, int] | None = None) -> Constants:
    """The novice constants the generator proves a `theme` level with (its mechanic applied)."""
    ph = with_player(load_physics(), player)
    return novice(derive(ph, theme), ph)
