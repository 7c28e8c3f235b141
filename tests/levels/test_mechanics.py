"""Each theme's mechanic is part of the proofs: every theme x difficulty is proven with its own
physics (springs, sand, ice, wind, low gravity), and the boss level carries the theme's design."""

from __future__ import annotations

import itertools
from typing import Any

from core.levels import THEMES, sim
from core.levels.generator import generate_proven
from core.levels.physics import Constants, derive, load_physics, mechanic_of, novice, novice_for
from core.levels.reach import Proof

PH = load_physics()
SEEDS = range(3)


def replay(level: dict[str, Any], proof: Proof, k: Constants) -> tuple[str, list[str]]:
    """Replay a certificate's inputs in a fresh twin world; the final status and every event."""
    world = sim.create_world({**level, "boss": False}, k)
    events: list[str] = []
    for frame in proof.inputs:
        events += sim.step(world, k, *frame)
    return world.status, events


def test_every_theme_and_difficulty_is_proven_with_its_mechanic() -> None:
    """Theme x difficulty 1-5 x 3 seeds, 2 levels each (150 games, 300 levels): each level's
    certificate replays to the goal, unhurt, under its theme's novice constants."""
    counts: dict[str, int] = {}
    springs_used = 0
    for theme, difficulty, seed in itertools.product(sorted(THEMES), range(1, 6), SEEDS):
        k = novice_for(theme)
        for p in generate_proven(seed=seed, theme=theme, difficulty=difficulty, count=2):
            status, events = replay(p.level, p.proof, k)
            where = f"{theme} d{difficulty} seed {seed} level {p.level['index']}"
            assert status == "level_complete", where
            assert not {"hurt", "death"} & set(events), where
            springs_used += events.count("spring")
            counts[theme] = counts.get(theme, 0) + 1
    assert counts == dict.fromkeys(sorted(THEMES), 5 * len(SEEDS) * 2)
    assert springs_used > 0, "park's proofs bounce off springy bushes"


def test_park_spring_walls_need_the_springs() -> None:
    """Park levels hold springy bushes before walls too tall to jump: the same certificate fails
    without the spring (the mechanic is modelled, not decoration); other themes have no bushes."""
    plain = novice(derive(PH), PH)  # no theme: `*` is plain ground
    with_bushes = 0
    for seed, difficulty in itertools.product(range(4), (2, 4)):
        for p in generate_proven(seed=seed, theme="park", difficulty=difficulty, count=2):
            if not any("*" in row for row in p.level["tiles"]):
                continue
            with_bushes += 1
            status, events = replay(p.level, p.proof, novice_for("park"))
            assert status == "level_complete"
            assert "spring" in events
            assert replay(p.level, p.proof, plain)[0] != "level_complete"
    assert with_bushes >= 4
    for theme in sorted(set(THEMES) - {"park"}):
        lv = generate_proven(seed=1, theme=theme, difficulty=3, count=2)[0].level
        assert not any("*" in row for row in lv["tiles"]), theme


def test_each_theme_boss_level_names_its_design() -> None:
    designs = {}
    for theme in sorted(THEMES):
        (p,) = generate_proven(seed=2, theme=theme, difficulty=2, count=1)
        (boss,) = [e for e in p.level["entities"] if e["type"] == "boss"]
        designs[theme] = boss["design"]
        assert boss["design"] == PH["boss"]["theme_designs"][theme]
        assert boss["design"] in PH["boss"]["designs"]
    assert len(set(designs.values())) >= 3
    assert {mechanic_of(PH, t) for t in THEMES} == {
        "springs", "sand", "ice", "wind", "low_gravity"
    }  # fmt: skip
