"""Pure JavaScript logic of the game (input latching, camera) under `node --test`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import need

pytestmark = pytest.mark.node

JS_TESTS = Path(__file__).parent / "js"


def test_node_unit_tests_pass() -> None:
    need(shutil.which("node") is not None, "node")
    files = sorted(str(p) for p in JS_TESTS.glob("*.test.mjs"))
    assert len(files) >= 2
    result = subprocess.run(
        ["node", "--test", *files], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout
