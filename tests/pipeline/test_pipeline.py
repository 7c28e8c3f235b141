"""The sprite pipeline end to end, and the `petpixel sprite` / `styles` commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.config import Settings
from core.errors import ImageRejected, InvalidRequest
from core.pipeline import make_sprite
from core.sprites.animate import ANIMATIONS
from tests.conftest import encode

PETPIXEL = [sys.executable, "-m", "cli.main"]


@pytest.fixture
def classical(settings: Settings) -> Settings:
    return settings.model_copy(update={"cutout_backend": "classical"})


def opaque_colours(image: Image.Image) -> set[str]:
    rgba = np.asarray(image.convert("RGBA"))
    opaque = rgba[rgba[..., 3] == 255][:, :3]
    return {"#{:02x}{:02x}{:02x}".format(*px) for px in np.unique(opaque, axis=0)}


def test_cat_photo_becomes_an_animated_sprite(cat_jpeg: bytes, classical: Settings) -> None:
    seen: list[tuple[int, str]] = []
    result = make_sprite(
        cat_jpeg,
        settings=classical,
        style="16bit",
        size=32,
        seed=1,
        progress=lambda p, label: seen.append((p, label)),
    )
    assert max(result.sprite.size) == 32
    assert opaque_colours(result.sprite) <= set(result.palette)
    assert opaque_colours(result.sheet) <= set(result.palette)
    assert set(result.atlas["animations"]) == set(ANIMATIONS)
    assert result.mask.size == (451, 300)
    assert set(np.unique(np.asarray(result.mask))) <= {0, 255}
    assert result.preview_gif[:6] in (b"GIF89a", b"GIF87a")
    assert result.cutout_backend == "classical"
    assert [p for p, _ in seen] == sorted(p for p, _ in seen)
    assert seen[-1][0] == 100
    assert {"intake", "cutout", "crop", "pixelize", "animate", "total"} <= set(result.timings_ms)


def test_same_seed_same_sprite(cat_jpeg: bytes, classical: Settings) -> None:
    first = make_sprite(cat_jpeg, settings=classical, style="pico8", size=24, seed=7)
    second = make_sprite(cat_jpeg, settings=classical, style="pico8", size=24, seed=7)
    assert first.sheet.tobytes() == second.sheet.tobytes()
    assert first.preview_gif == second.preview_gif


def test_mask_follows_exif_orientation(cat_image: Image.Image, classical: Settings) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise on display
    rotated_file = encode(cat_image, "JPEG", quality=90, exif=exif.tobytes())
    result = make_sprite(rotated_file, settings=classical, style="8bit", size=24)
    assert result.mask.size == (300, 451)


def test_unknown_style_is_refused_before_work(cat_jpeg: bytes, classical: Settings) -> None:
    with pytest.raises(InvalidRequest):
        make_sprite(cat_jpeg, settings=classical, style="watercolour")


def test_bad_photo_is_refused(classical: Settings) -> None:
    with pytest.raises(ImageRejected):
        make_sprite(b"not an image at all", settings=classical, style="16bit")


def run_cli(*args: str, env_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "PETPIXEL_DATA_DIR": str(env_dir),
        "PETPIXEL_CUTOUT_BACKEND": "classical",
    }
    return subprocess.run(
        [*PETPIXEL, *args], capture_output=True, text=True, env=env, check=False, timeout=120
    )


def test_cli_sprite_writes_every_output(tmp_path: Path, cat_jpeg: bytes) -> None:
    photo = tmp_path / "cat.jpg"
    photo.write_bytes(cat_jpeg)
    out = tmp_path / "out"
    proc = run_cli(
        "sprite",
        str(photo),
        "--style",
        "16bit",
        "--size",
        "32",
        "--out",
        str(out),
        "--json",
        env_dir=tmp_path / "data",
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["style"] == "16bit"
    assert summary["size"] == 32
    assert summary["cutout"]["backend"] == "classical"
    assert 0.0 <= summary["cutout"]["confidence"] <= 1.0
    assert all(c.startswith("#") for c in summary["palette"])
    assert {"intake", "cutout", "pixelize", "total"} <= set(summary["timings_ms"])
    for name in ("sprite.png", "sheet.png", "sheet.json", "preview.gif", "mask.png"):
        assert (out / name).stat().st_size > 0, name
    atlas = json.loads((out / "sheet.json").read_text())
    assert Image.open(out / "sheet.png").size[0] >= atlas["frame_w"]


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"GIF89a" + b"\0" * 64, "unsupported_type"), (b"", "empty_file")],
)
def test_cli_bad_input_exits_2_with_one_line(tmp_path: Path, content: bytes, code: str) -> None:
    photo = tmp_path / "bad.jpg"
    photo.write_bytes(content)
    proc = run_cli("sprite", str(photo), "--out", str(tmp_path / "o"), env_dir=tmp_path / "d")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert code in lines[0]
    assert "Traceback" not in proc.stderr


def test_cli_missing_file_and_bad_style(tmp_path: Path, cat_jpeg: bytes) -> None:
    missing = run_cli(
        "sprite", str(tmp_path / "nope.jpg"), "--out", str(tmp_path / "o"), env_dir=tmp_path / "d"
    )
    assert missing.returncode == 2
    assert "file_not_found" in missing.stderr
    photo = tmp_path / "cat.jpg"
    photo.write_bytes(cat_jpeg)
    bad_style = run_cli(
        "sprite", str(photo), "--style", "oil", "--out", str(tmp_path / "o"), env_dir=tmp_path / "d"
    )
    assert bad_style.returncode == 2
    assert "8bit" in bad_style.stderr  # the error names the valid styles


def test_cli_styles_lists_every_style(tmp_path: Path) -> None:
    proc = run_cli("styles", env_dir=tmp_path)
    assert proc.returncode == 0
    names = {line.split()[0] for line in proc.stdout.splitlines() if line.strip()}
    assert {"8bit", "16bit", "modern", "gameboy", "pico8"} <= names
