"""Level flow: the difficulty ramp inside a level and the secret treat caches, over many seeds."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from core.levels import THEMES, generate_levels
from core.levels.physics import derive, load_physics, novice, novice_for
from core.levels.reach import prove
from core.levels.terrain import SAFE_OPENING, START_X

PH = load_physics()
NOVICE = novice(derive(PH), PH)
ENEMIES = {"walker", "flyer", "jumper"}
WIDEST_GAP = (2, 3, 3, 4, 4)  # the knobs' widest open pit per difficulty


@pytest.fixture(scope="module")
def levels() -> list[dict[str, Any]]:
    """Non-boss levels over every theme and difficulty, four seeds each."""
    return [
        lv
        for seed, theme, d in itertools.product(range(4), sorted(THEMES), range(1, 6))
        for lv in generate_levels(seed=seed * 101, theme=theme, difficulty=d, count=2)
        if not lv["boss"]
    ]


def thirds(level: dict[str, Any]) -> tuple[range, range]:
    """The first third (after the always-flat opening) and the last third (before the finish)."""
    w = level["width"]
    return range(START_X + 1 + SAFE_OPENING, w // 3), range(2 * w // 3, w - 8)


def open_pits(level: dict[str, Any], columns: range) -> list[int]:
    """Widths of the open pits (no one-way bridge over them) starting inside `columns`."""
    widths: list[int] = []
    run = 0
    for x in range(columns.start, level["width"]):
        column = "".join(row[x] for row in level["tiles"])
        if column[-1] == "." and "=" not in column:
            run += 1
        elif run:
            if x - run in columns:
                widths.append(run)
            run = 0
        if x >= columns.stop and not run:
            break
    return widths


def test_the_first_third_has_fewer_narrower_pits_and_fewer_enemies(
    levels: list[dict[str, Any]],
) -> None:
    early = {"pits": 0, "enemies": 0, "columns": 0}
    late = dict(early)
    for lv in levels:
        for tally, columns in zip((early, late), thirds(lv), strict=True):
            tally["pits"] += len(open_pits(lv, columns))
            tally["enemies"] += sum(
                e["type"] in ENEMIES and e["x"] in columns for e in lv["entities"]
            )
            tally["columns"] += len(columns)
        first, _ = thirds(lv)
        gentle = max(1, WIDEST_GAP[lv["difficulty"] - 1] - 1)
        assert max(open_pits(lv, first), default=0) <= gentle, (lv["seed"], lv["theme"])
    for what in ("pits", "enemies"):
        rate_early = early[what] / early["columns"]
        rate_late = late[what] / late["columns"]
        assert rate_early < 0.8 * rate_late, (what, rate_early, rate_late)


def secret_treats(level: dict[str, Any]) -> list[tuple[int, int]]:
    return [(e["x"], e["y"]) for e in level["entities"] if e["type"] == "treat" and e.get("secret")]


def test_secret_caches_sit_on_high_ledges_and_are_proven_reachable(
    levels: list[dict[str, Any]],
) -> None:
    with_secret = [lv for lv in levels if secret_treats(lv)]
    assert len(with_secret) >= 0.9 * len(levels)
    for lv in with_secret[::5]:
        cache = secret_treats(lv)
        k = novice_for(lv["theme"])  # the theme's mechanic is part of the proof
        assert len(cache) == 3
        for x, y in cache:
            assert lv["tiles"][y][x] == "."
            assert lv["tiles"][y + 1][x] == "=", "the cache sits on a one-way ledge"
            assert prove({**lv, "goal": {"x": x, "y": y}}, k) is not None, (x, y)
        x, y = cache[1]
        assert prove(lv, k, (x, y)) is not None, "the goal stays reachable from the cache"
    for theme in sorted(THEMES):  # boss arenas stay clear
        (boss,) = generate_levels(seed=5, theme=theme, difficulty=3, count=1)
        assert secret_treats(boss) == []
