"""Fixtures for the level tests: node (for sim.js) and the shipped physics."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import need

ROOT = Path(__file__).resolve().parents[2]
GAME = ROOT / "game_template"


@pytest.fixture(scope="session")
def node() -> str:
    path = shutil.which("node") or "/usr/bin/node"
    need(Path(path).exists(), "node (for sim.js)")
    return path


def run_node(node: str, *args: str, timeout: float = 120) -> str:
    """Run a Node tool from the repo root; its stderr is shown when it fails."""
    done = subprocess.run(
        [node, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, done.stderr or done.stdout
    return done.stdout


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path
