"""generate_levels: seeded level JSON v1, each level proven completable before it is returned."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Any

from core.errors import InvalidRequest
from core.levels.physics import (
    PLAYER_LIMITS,
    Constants,
    derive,
    load_physics,
    mechanic_of,
    novice,
    with_player,
)
from core.levels.reach import Proof, prove
from core.levels.terrain import (
    HEIGHT,
    START_X,
    Knobs,
    Layout,
    build_layout,
    fit_player,
    knobs_for,
)
from core.levels.themes import Theme, get_theme

ATTEMPTS = 12
ARENA = 22
SPRING_SHARE = 0.4  # park: share of steps built as a bush-and-tall-wall (the springs mechanic)
SECRET_RISE = 3  # rows from a flat stretch up to the cache's ledge: a full novice jump


def generate_levels(
    *, seed: int, theme: str, difficulty: int, count: int, player: tuple[int, int] | None = None
) -> list[dict[str, Any]]:
    """`count` levels, the last one a boss arena; the same arguments always give the same levels.

    `player` is the hero's hitbox (w, h) in world px (default: physics.json's); every level is
    proven completable with that box, so pass the box the game will play with.
    """
    return [
        p.level
        for p in generate_proven(
            seed=seed, theme=theme, difficulty=difficulty, count=count, player=player
        )
    ]


@dataclass(frozen=True, slots=True)
class Proven:
    """A generated level with its certificates: novice input traces from the start (and from the
    checkpoint, when the level has one) to the goal, which anyone can replay to check them."""

    level: dict[str, Any]
    proof: Proof
    checkpoint_proof: Proof | None


def generate_proven(
    *, seed: int, theme: str, difficulty: int, count: int, player: tuple[int, int] | None = None
) -> list[Proven]:
    """generate_levels, keeping the proofs (for tests and tools that check the levels)."""
    th = check_request(theme=theme, difficulty=difficulty, count=count, player=player)
    ph = with_player(load_physics(), player)
    k = novice(derive(ph, th.name), ph)  # the theme's mechanic (ice, springs...) is in the proof
    return [
        make_level(seed=seed, theme=th, difficulty=difficulty, index=i, boss=i == count - 1, k=k)
        for i in range(count)
    ]


def check_request(
    *, theme: str, difficulty: int, count: int, player: tuple[int, int] | None = None
) -> Theme:
    """The cheap argument checks of generate_levels (callers may run them before slow work)."""
    th = get_theme(theme)
    if not 1 <= difficulty <= 5:
        raise InvalidRequest(
            "Difficulty goes from 1 (relaxed) to 5 (tough); pick a number in that range."
        )
    if not 1 <= count <= 10:
        raise InvalidRequest("A game has between 1 and 10 levels; pick a count in that range.")
    low, high = PLAYER_LIMITS
    if player is not None and not all(low <= side <= high for side in player):
        raise InvalidRequest(
            f"The hero's hitbox must be {low}-{high} px on each side; pick a size in that range."
        )
    return th


FLAT = Knobs(24, 1, 1, 1, 0.0, (1.0, 0.0, 0.0, 0.0, 0.0))


def make_level(
    *, seed: int, theme: Theme, difficulty: int, index: int, boss: bool, k: Constants
) -> Proven:
    """Regenerate from derived seeds until the novice proof holds; easier knobs as a last resort."""
    tries = [(d, a) for d in range(difficulty, 0, -1) for a in range(ATTEMPTS)] + [(0, 0)]
    for d, attempt in tries:
        rng = random.Random(f"{seed}:{theme.name}:{d}:{index}:{attempt}")
        # All flat: the fallback that always passes.
        knobs = fit_player(knobs_for(d, rng), k.pw // k.SP, k.tile) if d else FLAT
        if d and mechanic_of(load_physics(), theme.name) == "springs":
            knobs = replace(knobs, springs=SPRING_SHARE)
        level, lay = _draft(rng, theme, knobs, index, boss)
        if boss:
            _arena(level, lay, difficulty)
        else:
            _secret(level, lay, rng, k)
        proof = prove(level, k)
        if proof is not None:
            level["difficulty"], level["seed"] = difficulty, seed
            checkpoint_proof = _populate(level, lay, proof, rng, knobs, theme, k)
            return Proven(level, proof, checkpoint_proof)
    raise AssertionError("an all-flat level must always be completable")


def _draft(
    rng: random.Random, theme: Theme, k: Knobs, index: int, boss: bool
) -> tuple[dict[str, Any], Layout]:
    if boss:
        k = Knobs(24, k.gap_max, k.step_up_max, k.spike_run, 0.0, k.weights)
    lay = build_layout(k, rng, arena=ARENA if boss else 0)
    start_row, end_row = lay.surface[0], lay.last_row()
    assert start_row is not None
    goal_x = lay.x - ARENA + 1 if boss else lay.x - 3
    level: dict[str, Any] = {
        "version": 1, "index": index, "theme": theme.name, "width": lay.x, "height": HEIGHT,
        "tiles": lay.grid(), "start": {"x": START_X, "y": start_row - 1},
        "goal": {"x": goal_x, "y": end_row - 1}, "entities": [], "boss": boss,
        "name": f"{theme.title} {index + 1}",
    }  # fmt: skip
    return level, lay


def _arena(level: dict[str, Any], lay: Layout, difficulty: int) -> None:
    """One-way ledges to dodge charges, and the boss pacing the arena floor."""
    row, x0 = lay.last_row(), lay.x - ARENA
    tiles = [list(r) for r in level["tiles"]]
    for px in (x0 + 5, x0 + 14):
        for x in range(px, px + 3):
            tiles[row - 3][x] = "="
    level["tiles"] = ["".join(r) for r in tiles]
    boss = load_physics()["boss"]
    hp = boss["base_hp"] + (difficulty + 1) // 2
    design = boss["theme_designs"].get(level["theme"], "vacuum")
    level["entities"].append(
        {"type": "boss", "x": lay.x - 5, "y": row - 1, "hp": hp, "arena": [x0 + 3, lay.x - 1],
         "design": design}
    )  # fmt: skip


def _secret(level: dict[str, Any], lay: Layout, rng: random.Random, c: Constants) -> None:
    """A bonus treat cache on a one-way ledge SECRET_RISE rows over a later flat stretch (off the
    main path: a full jump up). Kept only if the novice can reach each of its treats from the start
    and the goal from the ledge; its treats carry `"secret": 1` so the game counts them apart."""
    w, tiles = level["width"], level["tiles"]
    spans = [f for f in lay.flats if f[0] >= w // 3 and f[1] - f[0] >= 2 and f[1] < w - 10]
    for span in rng.sample(spans, min(3, len(spans))):
        x0, x1, row = span
        x = rng.randint(x0, x1 - 2)
        top = row - SECRET_RISE - 1  # the row the cache's treats sit in
        room = range(max(0, x - 1), min(w, x + 4))
        if top < 1 or any(tiles[y][i] != "." for y in range(top - 1, row) for i in room):
            continue
        ledge = [*tiles]
        ledge[top + 1] = ledge[top + 1][:x] + "===" + ledge[top + 1][x + 3 :]
        trial = {**level, "tiles": ledge}
        cache = [(i, top) for i in range(x, x + 3)]
        if prove(trial, c, (x + 1, top)) is None or any(
            prove({**trial, "goal": {"x": i, "y": y}}, c) is None for i, y in cache
        ):
            continue
        level["tiles"] = ledge
        level["entities"] += [{"type": "treat", "x": i, "y": y, "secret": 1} for i, y in cache]
        lay.flats.remove(span)  # no enemy patrols under the cache
        return


def _populate(
    level: dict[str, Any],
    lay: Layout,
    proof: Proof,
    rng: random.Random,
    k: Knobs,
    theme: Theme,
    c: Constants,
) -> Proof | None:
    checkpoint_proof = _checkpoint(level, proof, c)
    _treats(level, proof, rng, 6 + 2 * level["difficulty"])
    if not level["boss"]:
        _enemies(level, lay, rng, k, theme)
    return checkpoint_proof


def _checkpoint(level: dict[str, Any], proof: Proof, c: Constants) -> Proof | None:
    """Midway checkpoint on a resting tile of the proof, kept if the goal is provable from there."""
    w = level["width"]
    spots = [
        r for r in proof.rests if w // 3 <= r[0] <= w - 12 and level["tiles"][r[1]][r[0]] == "."
    ]
    if not spots:
        return None
    spot = min(spots, key=lambda r: abs(r[0] - w // 2))
    found = prove(level, c, spot)
    if found is not None:
        level["entities"].append({"type": "checkpoint", "x": spot[0], "y": spot[1]})
    return found


def _treats(level: dict[str, Any], proof: Proof, rng: random.Random, count: int) -> None:
    """Treats only on tiles the proof's player passed through: reachable by construction."""
    used = {(e["x"], e["y"]) for e in level["entities"]} | {
        (level["goal"]["x"], level["goal"]["y"])
    }
    free = [t for t in proof.tiles if t[0] > 4 and t not in used and _empty(level, t)]
    picks = sorted(rng.sample(free, min(count, len(free))))
    level["entities"] += [{"type": "treat", "x": x, "y": y} for x, y in picks]


def _empty(level: dict[str, Any], t: tuple[int, int]) -> bool:
    x, y = t
    return 0 <= y < level["height"] and bool(level["tiles"][y][x] == ".")


def _enemies(
    level: dict[str, Any], lay: Layout, rng: random.Random, k: Knobs, theme: Theme
) -> None:
    spans = [f for f in lay.flats if f[0] > 9 and f[1] < lay.x - 6]
    n = round(k.enemy_density * level["width"] / 10)
    for x0, x1, row in rng.sample(spans, min(n, len(spans))):
        if rng.random() < theme.flyer_bias:
            dx = min(3, x1 - x0)
            level["entities"].append({"type": "flyer", "x": x0, "y": row - 4, "dx": dx, "dy": 0})
        elif x1 - x0 >= 3 and rng.random() < 0.7:
            level["entities"].append(
                {"type": "walker", "x": x0 + 1, "y": row - 1, "range": [x0, x1]}
            )
        else:
            mid = (x0 + x1) // 2
            level["entities"].append(
                {"type": "jumper", "x": mid, "y": row - 1, "phase": rng.randrange(96)}
            )
