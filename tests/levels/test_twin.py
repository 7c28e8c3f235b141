"""The Python twin (core/levels/sim.py) and sim.js agree bit for bit on player trajectories."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from core.levels import generate_levels, sim
from core.levels.physics import derive, load_physics
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
    world = sim.create_world(level, K)
    rows = []
    for count, keys in runs:
        for _ in range(count):
            events = sim.step(world, K, "L" in keys, "R" in keys, "J" in keys)
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


def test_random_traces_match_bit_for_bit(node: str, tmp_path: Path) -> None:
    rng = random.Random(2024)
    levels = [
        tiles_only(lv)
        for seed in range(6)
        for lv in generate_levels(seed=seed, theme="city", difficulty=1 + seed % 5, count=2)
    ]
    cases = [{"level": lv, "inputs": random_runs(rng, 1500)} for lv in levels for _ in range(3)]
    got = js_rows(node, tmp_path, cases)
    frames = 0
    for case, js in zip(cases, got, strict=True):
        py = python_rows(case["level"], case["inputs"])
        for i, (a, b) in enumerate(zip(py, js, strict=True)):
            assert a == b, f"frame {i}: python {a} != js {b}"
        frames += len(py)
    statuses = {row[10] for js in got for row in js}
    events = {e for js in got for row in js for e in row[11].split("|")}
    assert frames >= 50_000
    assert {"jump", "land", "hurt", "death", "checkpoint"} <= events, "exercise the rules"
    assert "dead" in statuses


def test_python_proofs_replay_to_the_goal_in_sim_js(node: str, tmp_path: Path) -> None:
    """A proof found with the real constants is an input trace that finishes the level in sim.js."""
    cases = []
    for seed in range(4):
        for lv in generate_levels(seed=seed, theme="snow", difficulty=2 + seed, count=2):
            if lv["boss"]:
                continue
            proof = prove(lv, K)
            assert proof is not None
            runs = [[1, ("L" if f[0] else "") + ("R" if f[1] else "") + ("J" if f[2] else "")]
                    for f in proof.inputs]  # fmt: skip
            cases.append({"level": tiles_only(lv), "inputs": runs})
    got = js_rows(node, tmp_path, cases)
    assert [rows[-1][10] for rows in got] == ["level_complete"] * len(cases)
