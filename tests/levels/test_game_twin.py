"""The whole-game Python twin (core/levels/game.py) and sim.js agree on every frame: player,
enemies, treats (secret ones too), the special's stun and cooldown, the boss (its design, plan,
phases, shots, defeat beat), score, lives and status. Both print one state row per frame
(game_template/tools/replay.mjs and Game.row); any drift between them fails here."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from core.levels import THEMES, generate_levels
from core.levels.game import JUMP, LEFT, RIGHT, SPECIAL, Game, decode, mask_of, replay
from core.levels.physics import load_physics
from tests.levels.conftest import run_node, write_json

pytestmark = pytest.mark.node
PH = load_physics()


def random_inputs(rng: random.Random, frames: int, special: float = 0.1) -> list[list[int]]:
    runs: list[list[int]] = []
    while sum(r[0] for r in runs) < frames:
        mask = (RIGHT if rng.random() < 0.7 else 0) | (LEFT if rng.random() < 0.15 else 0)
        mask |= (JUMP if rng.random() < 0.45 else 0) | (SPECIAL if rng.random() < special else 0)
        runs.append([rng.randint(1, 30), mask])
    return runs


def bot_inputs(node: str, level: dict[str, Any], tmp_path: Path) -> list[list[int]]:
    path = write_json(tmp_path / f"level-{level['theme']}-{level['index']}.json", level)
    found = json.loads(run_node(node, "game_template/tools/bot.mjs", str(path)))
    return [[int(n), mask_of(keys)] for n, keys in found["inputs"]]


def python_rows(level: dict[str, Any], inputs: list[list[int]], lives: int | None) -> list[str]:
    game = Game(level, PH)
    if lives is not None:
        game.lives = lives
    rows = []
    for mask in decode(inputs):
        if game.status != "playing":
            break
        rows.append(game.row(game.step(mask)))
    return rows


def js_rows(node: str, tmp_path: Path, cases: list[dict[str, Any]]) -> list[list[str]]:
    req = write_json(tmp_path / "replay.json", {"physics": PH, "cases": cases})
    out: list[list[str]] = json.loads(run_node(node, "game_template/tools/replay.mjs", str(req)))
    return out


def assert_same(node: str, tmp_path: Path, cases: list[dict[str, Any]]) -> list[list[str]]:
    got = js_rows(node, tmp_path, cases)
    for case, js in zip(cases, got, strict=True):
        py = python_rows(case["level"], case["inputs"], case.get("lives"))
        where = f"{case['level']['theme']} level {case['level']['index']} ({case['why']})"
        assert len(py) == len(js), f"{where}: python ran {len(py)} frames, sim.js {len(js)}"
        for frame, (a, b) in enumerate(zip(py, js, strict=True)):
            assert a == b, f"{where} frame {frame + 1}:\npython {a}\nsim.js {b}"
    return got


def test_bot_runs_match_frame_for_frame(node: str, tmp_path: Path) -> None:
    """The bot's winning runs (stomps, treats, checkpoints, every boss design beaten) in every
    theme: identical state on every frame, and replay() ends the same way at the same frame."""
    cases = []
    for theme in sorted(THEMES):
        for level in generate_levels(seed=11, theme=theme, difficulty=3, count=2):
            cases.append(
                {"level": level, "inputs": bot_inputs(node, level, tmp_path), "why": "bot"}
            )
    got = assert_same(node, tmp_path, cases)
    ends = {row.split(",")[1] for js in got for row in js[-1:]}
    assert ends == {"level_complete", "won"}
    events = {e for js in got for row in js for e in row.rsplit(",", 1)[1].split("|")}
    assert {"stomp", "collect", "boss_hit", "won", "goal", "special", "stun"} <= events
    for case, js in zip(cases, got, strict=True):
        result = replay(case["level"], PH, case["inputs"])
        last = js[-1].split(",")
        assert (result.status, result.score, result.ended_at) == (last[1], int(last[2]), len(js))
    designs = {js[0].split(",")[23 + 6 * _enemies(c)] for c, js in zip(cases, got, strict=True)
               if c["level"]["boss"]}  # fmt: skip
    assert len(designs) >= 2, designs


def _enemies(case: dict[str, Any]) -> int:
    return sum(e["type"] in ("walker", "flyer", "jumper") for e in case["level"]["entities"])


def test_random_runs_match_frame_for_frame(node: str, tmp_path: Path) -> None:
    """Random inputs (special pressed often) on every theme, boss and plain levels, two seeds,
    from full and from a last life: deaths, game over, stuns, shots and hurts agree."""
    rng = random.Random(15)
    cases = []
    for theme in sorted(THEMES):
        for seed in (3, 4):
            for level in generate_levels(seed=seed, theme=theme, difficulty=seed, count=2):
                for lives in (None, 1):
                    inputs = random_inputs(rng, 1500, special=0.25 if level["boss"] else 0.1)
                    cases.append(
                        {"level": level, "inputs": inputs, "lives": lives, "why": "random"}
                    )
    got = assert_same(node, tmp_path, cases)
    statuses = {js[-1].split(",")[1] for js in got}
    assert "dead" in statuses
    events = {e for js in got for row in js for e in row.rsplit(",", 1)[1].split("|")}
    assert {"hurt", "death", "special", "stun", "collect", "checkpoint"} <= events


def test_boss_arena_fight_matches(node: str, tmp_path: Path) -> None:
    """Spawned in the arena (every design): the boss walks, winds up, charges, hops, shoots,
    slams and lobs at a player who jumps about and barks; sim.js and the twin agree throughout."""
    rng = random.Random(7)
    cases = []
    for theme in sorted(THEMES):
        level = generate_levels(seed=5, theme=theme, difficulty=5, count=1)[0]
        boss = next(e for e in level["entities"] if e["type"] == "boss")
        arena = {**level, "start": {"x": boss["arena"][0], "y": boss["y"]}}
        for _ in range(2):
            inputs = random_inputs(rng, 2400, special=0.3)
            cases.append({"level": arena, "inputs": inputs, "why": "arena"})
    got = assert_same(node, tmp_path, cases)
    modes = {m for js in got for row in js for m in row.split(",")}
    assert {"windup", "charge", "hop", "stunned"} <= modes
