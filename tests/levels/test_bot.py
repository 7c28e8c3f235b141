"""The Node bot finishes generated levels (enemies and boss included) over the real sim.js."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from core.levels import generate_levels
from core.levels.physics import load_physics
from tests.levels.conftest import ROOT, run_node, write_json

pytestmark = pytest.mark.node
PHYSICS = "game_template/physics.json"
BATCH = """
import fs from 'node:fs';
import { solve } from './game_template/tools/bot.mjs';
import { replay } from './game_template/tools/trace.mjs';
const read = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));
const [levels, physics] = process.argv.slice(1).map(read);
const out = levels.map((level) => {
  const found = solve(level, physics);
  if (!found) return null;
  const { world, events } = replay(level, physics, found.inputs);
  const types = [...new Set(events.flat().map((e) => e.type))];
  return { found: found.frames, frames: events.length, status: world.status, types };
});
console.log(JSON.stringify(out));
"""
SAMPLE = [(seed, theme, 1 + seed % 5) for seed, theme in enumerate(
    ["park", "beach", "snow", "city", "space"] * 2, start=1)]  # fmt: skip


def solve_and_replay(node: str, tmp_path: Path, levels: list[dict[str, Any]]) -> list[Any]:
    """One node process: the bot solves each level, then a fresh world replays its inputs."""
    path = write_json(tmp_path / "levels.json", levels)
    physics = write_json(tmp_path / "physics.json", load_physics())
    out: list[Any] = json.loads(
        run_node(node, "--input-type=module", "-e", BATCH, str(path), str(physics))
    )
    return out


def test_bot_finishes_a_sample_of_games_over_sim_js(node: str, tmp_path: Path) -> None:
    """Enemies and boss included: every sampled level ends complete (or won) and unhurt."""
    levels = [
        lv
        for seed, theme, difficulty in SAMPLE
        for lv in generate_levels(seed=seed, theme=theme, difficulty=difficulty, count=2)
    ]
    results = solve_and_replay(node, tmp_path, levels)
    assert None not in results, "the bot found no trace for some level"
    for lv, done in zip(levels, results, strict=True):
        where = f"{lv['theme']} d{lv['difficulty']} seed {lv['seed']} level {lv['index']}"
        assert done["frames"] == done["found"], where
        assert done["status"] == ("won" if lv["boss"] else "level_complete"), where
        assert "hurt" not in done["types"], where
        if lv["boss"]:
            assert {"boss_hit", "won"} <= set(done["types"]), where
    enemies = {e["type"] for lv in levels for e in lv["entities"]}
    assert {"walker", "flyer", "jumper", "boss"} <= enemies, "the sample meets every enemy"


def test_bot_cli_explains_usage_and_unsolvable_levels(node: str, tmp_path: Path) -> None:
    usage = subprocess.run(
        [node, "game_template/tools/bot.mjs"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert usage.returncode == 2
    assert "usage" in usage.stderr
    (lv,) = generate_levels(seed=1, theme="park", difficulty=1, count=1)
    walled = {**lv, "tiles": [row[:10] + "#" + row[11:] for row in lv["tiles"]]}
    path = write_json(tmp_path / "walled.json", walled)
    args = [str(path), "--physics", PHYSICS, "--max-macros", "500"]
    done = subprocess.run(
        [node, "game_template/tools/bot.mjs", *args],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "no input trace" in done.stderr


MASH = """
import fs from 'node:fs';
import { createWorld, step } from './game_template/js/sim.js';
const [levels, physics] = process.argv.slice(1).map((p) => JSON.parse(fs.readFileSync(p, 'utf8')));
const out = levels.map((level) => {
  const world = createWorld({ ...level, start: level.goal }, physics, 0);
  const types = new Set();
  for (let i = 0; i < 20000 && world.status === 'playing'; i++) {
    const input = { left: false, right: false, jump: false, special: i % 2 === 0 };
    for (const e of step(world, input)) types.add(e.type);
  }
  return { status: world.status, hp: world.boss.hp, types: [...types] };
});
console.log(JSON.stringify(out));
"""


def test_mashing_the_special_at_the_arena_entrance_never_wins(node: str, tmp_path: Path) -> None:
    """Standing at the entrance of generated arenas, pressing the special every other frame for
    over 5 minutes of play: the player loses (or is still fighting); the boss never loses hp."""
    bosses = [
        generate_levels(seed=seed, theme=theme, difficulty=d, count=1)[0]
        for seed, (theme, d) in enumerate(
            [(t, d) for t in ("park", "beach", "snow", "city", "space") for d in (1, 2, 3, 5)]
        )
    ]
    path = write_json(tmp_path / "bosses.json", bosses)
    physics = write_json(tmp_path / "physics.json", load_physics())
    out = json.loads(run_node(node, "--input-type=module", "-e", MASH, str(path), str(physics)))
    for lv, done in zip(bosses, out, strict=True):
        where = f"{lv['theme']} d{lv['difficulty']}"
        assert done["status"] in {"dead", "playing"}, where
        assert "boss_hit" not in done["types"], where
        (boss,) = (e for e in lv["entities"] if e["type"] == "boss")
        assert done["hp"] == boss["hp"], where
    assert "dead" in {done["status"] for done in out}, "the boss fights back"
