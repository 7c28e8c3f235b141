"""`petpixel game`: friendly one-line errors with exit code 2, and a full photo-to-game run."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cli import game as game_cli
from tests.conftest import need


def run(*args: str) -> object:
    app = typer.Typer()
    game_cli.register(app)
    app.command("noop", hidden=True)(lambda: None)  # two commands keep `game` a named subcommand
    return CliRunner().invoke(app, ["game", *args])


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--theme", "mars"], "theme"),
        (["--levels", "0"], "levels"),
        (["--difficulty", "9"], "Difficulty"),
        (["--name", "   "], "Names need 1 to 40 characters"),  # core.petnames, as every channel
        (["--name", "x" * 41], "Names need 1 to 40 characters"),
        (["--name", "Rex\x07"], "characters I can't use"),
    ],
)
def test_bad_choices_exit_2_with_one_line(
    tmp_path: Path, cat_jpeg: bytes, extra: list[str], words: str
) -> None:
    photo = tmp_path / "cat.jpg"
    photo.write_bytes(cat_jpeg)
    result = run(str(photo), "--out", str(tmp_path / "out"), *extra)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert words in result.stderr
    assert not (tmp_path / "out").exists()


def test_missing_photo_exits_2(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.jpg"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "file_not_found" in result.stderr


def pipeline_ready() -> bool:
    try:
        importlib.import_module("core.pipeline")
    except ImportError:
        return False
    return True


@pytest.mark.slow
def test_photo_becomes_a_game_folder(tmp_path: Path) -> None:
    need(pipeline_ready(), "the sprite pipeline (core.pipeline imports)")
    # A real cat photo: with the detector installed it gets the hero, without it the photo's pose.
    photo = (
        Path(__file__).resolve().parents[1]
        / "data"
        / "pets"
        / "cat-16-sitting-orange-tabby-outdoor.jpg"
    )
    out = tmp_path / "game"
    result = run(str(photo), "--out", str(out), "--name", "Chelsea", "--levels", "2")
    assert result.exit_code == 0, result.stderr
    game = json.loads(next(out.glob("game.*.json")).read_text())
    assert game["pet_name"] == "Chelsea"
    assert len(game["levels"]) == 2
    assert (out / game["sheet"]).stat().st_size > 0
    assert "Chelsea" in (out / "index.html").read_text()
