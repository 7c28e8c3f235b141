"""The README's first command (`scripts/demo.sh`) turns its sample photo into a hero: the sample
exists in the repository and passes the quality gate (a refused sample would end the demo)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app as cli
from core.images.models import is_installed
from tests.conftest import need
from tests.images.conftest import U2NETP_DIR

ROOT = Path(__file__).resolve().parents[2]


def demo_sample() -> Path:
    script = (ROOT / "scripts" / "demo.sh").read_text()
    found = re.search(r'^SAMPLE="([^"]+)"', script, re.MULTILINE)
    assert found, "demo.sh names its sample photo in SAMPLE=..."
    return ROOT / found.group(1)


@pytest.mark.models
def test_the_demo_sample_becomes_a_walking_hero(tmp_path: Path) -> None:
    for model in ("u2netp", "pets"):  # what scripts/setup.sh installs for the demo
        need(is_installed(model, U2NETP_DIR), f"{model} (petpixel models install {model})")
    sample = demo_sample()
    assert sample.is_file()
    env = {"PETPIXEL_DATA_DIR": str(tmp_path / "data"), "PETPIXEL_MODELS_DIR": str(U2NETP_DIR)}
    out = tmp_path / "sprite"
    result = CliRunner().invoke(
        cli, ["sprite", str(sample), "--style", "16bit", "--out", str(out), "--json"], env=env
    )
    assert result.exit_code == 0, result.output
    assert '"species": "cat"' in result.output
    assert (out / "sheet.png").is_file()
    assert (out / "preview.gif").is_file()
