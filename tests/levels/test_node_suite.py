"""Runs the node --test suite of sim.js rules (game_template/tests/) so CI runs it too."""

from __future__ import annotations

import pytest

from tests.levels.conftest import GAME, run_node

pytestmark = pytest.mark.node


def test_sim_rules_node_suite(node: str) -> None:
    files = sorted(str(p) for p in (GAME / "tests").glob("*.test.mjs"))
    assert files, "the node suite is missing"
    out = run_node(node, "--test", "--test-reporter=tap", *files)
    assert "# fail 0" in out
    assert "# pass 0" not in out
