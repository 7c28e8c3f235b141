"""Level JSON v1 schema: the Python and JS validators agree on generated and on broken levels."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from core.levels import generate_levels
from core.levels import generator as gen
from core.levels.schema import validate_level
from tests.levels.conftest import run_node, write_json

JS = """
import fs from 'node:fs';
import { validateLevel } from './game_template/js/levelschema.js';
const levels = JSON.parse(fs.readFileSync(process.argv[1], 'utf8'));
console.log(JSON.stringify(levels.map((lv) => validateLevel(lv).length)));
"""


def broken_levels() -> list[dict[str, Any]]:
    base = generate_levels(seed=8, theme="beach", difficulty=2, count=1)[0]
    cases: list[dict[str, Any]] = []
    for change in (
        lambda lv: lv["tiles"].__setitem__(3, "x" * lv["width"]),
        lambda lv: lv["tiles"].pop(),
        lambda lv: lv.__setitem__("version", 2),
        lambda lv: lv.__setitem__("goal", {"x": -1, "y": 0}),
        lambda lv: lv["entities"].append({"type": "dragon", "x": 1, "y": 1}),
        lambda lv: lv.__setitem__("boss", False),
        lambda lv: lv.pop("start"),
    ):
        lv = copy.deepcopy(base)
        change(lv)
        cases.append(lv)
    return cases


@pytest.mark.parametrize("level", broken_levels())
def test_python_names_each_problem(level: dict[str, Any]) -> None:
    errors = validate_level(level)
    assert errors
    assert all(isinstance(e, str) and len(e) > 10 for e in errors)


@pytest.mark.node
def test_js_validator_agrees(node: str, tmp_path: Path) -> None:
    good = [
        lv for s in range(3) for lv in generate_levels(seed=s, theme="snow", difficulty=3, count=2)
    ]
    levels = good + broken_levels()
    path = write_json(tmp_path / "levels.json", levels)
    counts = json.loads(run_node(node, "--input-type=module", "-e", JS, str(path)))
    assert counts[: len(good)] == [0] * len(good)
    assert all(n > 0 for n in counts[len(good) :])
    assert [n > 0 for n in counts] == [bool(validate_level(lv)) for lv in levels]


def test_fallback_is_a_flat_completable_level(monkeypatch: pytest.MonkeyPatch) -> None:
    """When every drafted layout fails its proof, the all-flat fallback still ships a fair level."""
    monkeypatch.setattr(gen, "ATTEMPTS", 0)
    levels = generate_levels(seed=1, theme="park", difficulty=5, count=2)
    for lv in levels:
        assert validate_level(lv) == []
        assert "^" not in "".join(lv["tiles"])
        assert lv["tiles"][-1] == "#" * lv["width"], "no pits"
    assert levels[-1]["boss"]
