"""The Python twin (core/levels/sim.py) and sim.js agree bit for bit on player trajectories, in
every theme (each theme's mechanic: springs, sand, ice, wind, low gravity)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from core.levels import THEMES, generate_levels, sim
from core.levels.physics import derive, load_physics, mechanic_of
from core.levels.reach import prove
from tests.levels.conftest import run_node, write_json

pytestmark = pytest.mark.node
PH = load_physics()
K = derive(PH)
MOVERS = {"walker", "flyer", "jumper", "boss"}


def tiles_only(level: dict[str, Any]) -> dict[str, Any]:
    """The twin mirrors the player, not the enemies: compare on levels without them."""
    return {**level, "entities": [e for e in level["entities"] if e["type"] not in MOVERS]}


def random_runs(rng: random.Random, frames: int) -> list[list[Any]]:
    runs: list[list[Any]] = []
    while sum(r[0] for r in runs) < frames:
        keys = "".join(
            c for c, p in (("L", 0.2), ("R", 0.6), ("J", 0.45), ("S", 0.05)) if rng.random() < p
        )
        runs.append([rng.randint(1, 40), keys])
    return runs


def python_rows(level: dict[str, Any], runs: list[list[Any]]) -> list[list[Any]]:
    k = derive(PH, level["theme"])  # sim.js applies the level's theme the same way
    world = sim.create_world(level, k)
    rows = []
    for count, keys in runs:
        for _ in range(count):
            events = sim.step(world, k, "L" in keys, "R" in keys, "J" in keys)
            p = world.player
            rows.append([p.sx, p.sy, p.svx, p.svy, p.on_ground, p.coyote, p.jump_buffer, p.hp,
                         p.invuln, world.lives, world.status, "|".join(events)])  # fmt: skip
    return rows


def js_rows(node: str, tmp_path: Path, cases: list[dict[str, Any]]) -> list[list[list[Any]]]:
    req = write_json(tmp_path / "cases.json", {"physics": PH, "cases": cases})
    out: list[list[list[Any]]] = json.loads(
        run_node(node, "game_template/tools/trace.mjs", str(req))
    )
    return out


def test_each_theme_has_its_own_mechanic() -> None:
    """Every theme names one mechanic, and each changes the twin's constants (park's springs: the
    launch speed of the `*` bush)."""
    mechanics = {theme: mechanic_of(PH, theme) for theme in THEMES}
    assert mechanics == {"park": "springs", "beach": "sand", "snow": "ice", "city": "wind",
                         "space": "low_gravity"}  # fmt: skip
    ks = {theme: derive(PH, theme) for theme in THEMES}
    assert len(set(ks.values())) == len(THEMES), "five different physics"
    assert ks["park"].spring > 0
    assert K.spring == 0
    assert ks["beach"].ground_run < K.run == ks["beach"].run
    assert ks["snow"].g_fric < K.g_fric
    assert ks["snow"].g_acc < K.g_acc
    assert ks["city"].wind > 0 == K.wind
    assert ks["space"].gravity < K.gravity
    assert ks["space"].max_fall < K.max_fall


def test_random_traces_match_bit_for_bit(node: str, tmp_path: Path) -> None:
    """Every theme, random inputs (runs right with jumps): sim.js and the twin step identically."""
    rng = random.Random(2024)
    levels = [
        tiles_only(lv)
        for theme in sorted(THEMES)
        for seed in range(2)
        for lv in generate_levels(seed=seed, theme=theme, difficulty=1 + seed * 3, count=2)
    ]
    cases = [{"level": lv, "inputs": random_runs(rng, 1000)} for lv in levels for _ in range(3)]
    got = js_rows(node, tmp_path, cases)
    frames = 0
    for case, js in zip(cases, got, strict=True):
        py = python_rows(case["level"], case["inputs"])
        where = f"{case['level']['theme']} seed {case['level']['seed']}"
        for i, (a, b) in enumerate(zip(py, js, strict=True)):
            assert a == b, f"{where} frame {i}: python {a} != js {b}"
        frames += len(py)
    statuses = {row[10] for js in got for row in js}
    events = {e for js in got for row in js for e in row[11].split("|")}
    assert frames >= 50_000
    assert {"jump", "land", "hurt", "death", "checkpoint", "spring"} <= events, "exercise the rules"
    assert "dead" in statuses


def test_python_proofs_replay_to_the_goal_in_sim_js(node: str, tmp_path: Path) -> None:
    """A proof found with the real constants is an input trace that finishes the level in sim.js."""
    cases = []
    for seed, theme in enumerate(sorted(THEMES)):
        for lv in generate_levels(seed=seed, theme=theme, difficulty=1 + seed, count=2):
            if lv["boss"]:
                continue
            proof = prove(lv, derive(PH, theme))
            assert proof is not None
            runs = [[1, ("L" if f[0] else "") + ("R" if f[1] else "") + ("J" if f[2] else "")]
                    for f in proof.inputs]  # fmt: skip
            cases.append({"level": tiles_only(lv), "inputs": runs})
    got = js_rows(node, tmp_path, cases)
    assert [rows[-1][10] for rows in got] == ["level_complete"] * len(cases)
