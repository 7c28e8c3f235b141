"""Levels for a big hero (the sprite's own hitbox, up to 24x24 px) stay proven completable: the
twin's certificates replay, a fresh search agrees, the Node bot finishes them over sim.js."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from core.levels import THEMES, generate_levels, sim
from core.levels.generator import Proven, generate_proven
from core.levels.physics import Constants, load_physics, novice_for, with_player
from core.levels.reach import prove
from core.levels.schema import validate_level
from tests.levels.conftest import run_node, write_json
from tests.levels.test_bot import BATCH

BOXES = [(32, 24), (24, 24), (24, 10), (8, 24), (20, 20), (4, 4)]


def games(n: int, box: tuple[int, int], offset: int = 0) -> list[list[Proven]]:
    cycle = itertools.cycle(itertools.product(sorted(THEMES), range(1, 6)))
    return [
        generate_proven(seed=offset + i * 104729, theme=th, difficulty=d, count=2, player=box)
        for i, (th, d) in zip(range(n), cycle, strict=False)
    ]


def replays(level: dict[str, Any], inputs: list[Any], spot: dict[str, int], k: Constants) -> bool:
    """The certificate's frames, replayed in a fresh twin world with the box: goal, never hurt."""
    world = sim.create_world({**level, "boss": False, "start": spot}, k)
    for frame in inputs:
        if {"hurt", "death"} & set(sim.step(world, k, *frame)):
            return False
    return world.status == "level_complete"


def problems(game: list[Proven], box: tuple[int, int]) -> list[str]:
    out = []
    for p in game:
        lv = p.level
        k = novice_for(lv["theme"], box)  # the box, and the theme's mechanic
        where = f"seed {lv['seed']} {lv['theme']} d{lv['difficulty']} level {lv['index']}"
        out += [f"{where}: {e}" for e in validate_level(lv)]
        if not replays(lv, p.proof.inputs, lv["start"], k):
            out.append(f"{where}: start certificate fails")
        for e in (e for e in lv["entities"] if e["type"] == "checkpoint"):
            assert p.checkpoint_proof is not None
            if not replays(lv, p.checkpoint_proof.inputs, {"x": e["x"], "y": e["y"]}, k):
                out.append(f"{where}: checkpoint certificate fails")
    return out


@pytest.mark.parametrize("box", BOXES)
def test_levels_for_a_big_hero_are_proven_with_its_box(box: tuple[int, int]) -> None:
    sample = games(30, box)
    assert [msg for game in sample for msg in problems(game, box)] == []
    fresh = [p.level for game in sample[::3] for p in game]
    assert [lv["index"] for lv in fresh if prove(lv, novice_for(lv["theme"], box)) is None] == []


def test_a_wide_hero_gets_shorter_spike_rows() -> None:
    """Spike rows the novice clears with its own width: at 24 px wide, two tiles at most."""
    rows = [row for game in games(25, (24, 24)) for p in game for row in p.level["tiles"]]
    assert max(len(run) for row in rows for run in row.split(".") if "^" in run) == 2


def test_the_default_box_gives_the_same_levels_as_before() -> None:
    box = tuple(load_physics()["player"][s] for s in ("w", "h"))
    assert generate_levels(seed=4, theme="snow", difficulty=5, count=2, player=box) == (  # type: ignore[arg-type]
        generate_levels(seed=4, theme="snow", difficulty=5, count=2)
    )


@pytest.mark.node
@pytest.mark.parametrize("box", [(24, 24), (24, 12)])
def test_the_node_bot_finishes_big_hero_levels_over_sim_js(
    node: str, tmp_path: Path, box: tuple[int, int]
) -> None:
    """Enemies and boss included, with the big box in sim.js's physics: complete and unhurt."""
    levels = [p.level for game in games(8, box, offset=11) for p in game]
    physics = with_player(load_physics(), box)
    paths = [
        write_json(tmp_path / "levels.json", levels),
        write_json(tmp_path / "ph.json", physics),
    ]
    out = json.loads(run_node(node, "--input-type=module", "-e", BATCH, *map(str, paths)))
    assert None not in out, "the bot found no trace for some level"
    for lv, done in zip(levels, out, strict=True):
        assert done["status"] == ("won" if lv["boss"] else "level_complete"), lv["seed"]
        assert "hurt" not in done["types"], lv["seed"]


@pytest.mark.slow
@pytest.mark.parametrize("box", [(24, 24), (24, 16), (16, 24)])
def test_hundreds_more_big_hero_games(box: tuple[int, int]) -> None:
    assert [msg for game in games(300, box, offset=7) for msg in problems(game, box)] == []
