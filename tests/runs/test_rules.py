"""Game rules versions: each packaged game.json carries the version of the sim.js it plays, the
Python twin names the one it mirrors, and a run of a game made with other rules is refused
clearly (game_rules_changed) with nothing stored."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from core.db import Database
from core.levels import generate_levels
from core.levels.game import RULES_VERSION
from core.packaging import build_bundle
from core.packaging.rules import SIM, rules_version, template_rules_version
from core.runs import RunRefused, RunService
from core.storage import LocalStorage
from tests.game.conftest import make_sheet
from tests.game.play import TEMPLATE
from tests.runs.conftest import publish
from tests.runs.test_runs import ANON, claim, stored


def test_the_twin_mirrors_the_template_sim() -> None:
    # When this fails, sim.js's code changed: bring core/levels/game.py's rules along, then set
    # its RULES_VERSION to the new value (runs of games made before are then refused, clearly).
    assert template_rules_version() == RULES_VERSION


def test_only_code_changes_the_version() -> None:
    code = "export function f(a) { return a + 1; } // one more\nconst s = 'x  y';\n"
    same = "/* the rules */\nexport function f(a){\n  return a+1;\n}\nconst s = 'x  y';"
    assert rules_version(code) == rules_version(same)
    assert rules_version(code) != rules_version(code.replace("a + 1", "a + 2"))
    assert rules_version(code) != rules_version(code.replace("'x  y'", "'x y'"))


def packaged_rules(template: Path) -> Any:
    """The "rules" a game packaged from `template` carries in its game.json."""
    sheet, atlas = make_sheet()
    levels = generate_levels(seed=3, theme="park", difficulty=1, count=1)
    bundle = build_bundle(
        sheet_png=sheet, atlas=atlas, levels=levels,
        pet_name="Rex", style="16bit", theme="park", seed=3, palette=atlas["palette"],
        template_dir=template,
    )  # fmt: skip
    return json.loads(next(v for k, v in bundle.items() if k.startswith("game.")))["rules"]


@pytest.mark.node
def test_a_game_made_with_other_rules_is_refused_and_nothing_stored(
    runs: RunService, db: Database, storage: LocalStorage, game_data: dict[str, Any],
    bot_run: dict[str, Any], tmp_path: Path,
) -> None:  # fmt: skip
    assert packaged_rules(TEMPLATE) == RULES_VERSION
    # The same template, but a sim.js whose rules differ (a speed-up the twin does not know).
    changed = tmp_path / "template"
    shutil.copytree(TEMPLATE, changed, ignore=shutil.ignore_patterns("tests", "tools"))
    sim = changed / SIM
    sim.write_text(sim.read_text().replace("const ", "let ", 1))
    other = packaged_rules(changed)
    assert other != RULES_VERSION
    publish(db, storage, "OldRules1", {**game_data, "rules": other})
    publish(db, storage, "NoRules01", {**game_data, "rules": None})  # packaged before versions
    for code in ("OldRules1", "NoRules01"):
        with pytest.raises(RunRefused) as caught:
            runs.submit(code=code, claim=claim(bot_run), anon_id=ANON)
        assert (caught.value.code, caught.value.status_code) == ("game_rules_changed", 409)
        assert "rules" in caught.value.message
    assert stored(db) == 0
    # The very same run of a game made with today's rules is kept.
    runs.submit(code="GameOne01", claim=claim(bot_run), anon_id=ANON)
    assert stored(db) == 1
