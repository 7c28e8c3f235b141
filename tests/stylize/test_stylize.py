"""The stylizer protocol without torch: classical pass-through, factory choices, start-up checks."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.config import Settings
from core.errors import PetPixelError
from core.pixelart.stylize import (
    NEUTRAL_BACKGROUND,
    ClassicalStylizer,
    check_pipeline_dir,
    new_stylizer,
    on_neutral,
    snap_size,
)
from tests.stylize.conftest import pixels


def test_classical_returns_an_equal_copy(subject: Image.Image) -> None:
    seen: list[int] = []
    out = ClassicalStylizer().stylize(
        subject, style="16bit", seed=3, progress=lambda p, _: seen.append(p)
    )
    assert out is not subject
    assert out.mode == "RGBA"
    assert np.array_equal(pixels(out), pixels(subject))
    assert seen == [100]


def test_factory_is_classical_without_model_path(settings: Settings) -> None:
    assert isinstance(new_stylizer(settings), ClassicalStylizer)


def test_factory_honours_forced_classical(settings: Settings, tmp_path: Path) -> None:
    forced = settings.model_copy(update={"stylizer": "classical", "model_path": tmp_path})
    assert new_stylizer(forced).name == "classical"


def test_forced_diffusion_without_model_path_explains_what_to_set(settings: Settings) -> None:
    with pytest.raises(PetPixelError, match="PETPIXEL_MODEL_PATH") as err:
        new_stylizer(settings.model_copy(update={"stylizer": "diffusion"}))
    assert err.value.code == "stylizer_unavailable"


@pytest.mark.parametrize("make", ["missing", "empty", "bad_json", "not_object", "no_class"])
def test_bad_model_path_fails_at_start_up(settings: Settings, tmp_path: Path, make: str) -> None:
    folder = tmp_path / "weights"
    if make != "missing":
        folder.mkdir()
    if make == "bad_json":
        (folder / "model_index.json").write_text("{not json")
    if make == "not_object":
        (folder / "model_index.json").write_text("[]")
    if make == "no_class":
        (folder / "model_index.json").write_text("{}")
    forced = settings.model_copy(update={"stylizer": "diffusion", "model_path": folder})
    with pytest.raises(PetPixelError, match="diffusers pipeline") as err:
        new_stylizer(forced)
    assert err.value.code == "stylizer_unavailable"
    assert str(folder) in err.value.message


def test_half_copied_pipeline_names_the_missing_part(tmp_path: Path) -> None:
    index = {
        "_class_name": "StableDiffusionImg2ImgPipeline",
        "unet": ["diffusers", "UNet2DConditionModel"],
        "vae": ["diffusers", "AutoencoderKL"],
        "safety_checker": [None, None],  # optional parts are listed as [null, null]
    }
    (tmp_path / "model_index.json").write_text(json.dumps(index))
    (tmp_path / "vae").mkdir()
    with pytest.raises(PetPixelError, match="missing: unet"):
        check_pipeline_dir(tmp_path)
    (tmp_path / "unet").mkdir()
    assert check_pipeline_dir(tmp_path)["_class_name"] == "StableDiffusionImg2ImgPipeline"


@pytest.mark.parametrize(
    ("size", "long_side", "expected"),
    [
        ((640, 480), 512, (512, 384)),
        ((480, 640), 512, (384, 512)),
        ((120, 127), 64, (64, 64)),
        ((300, 200), 100, (96, 64)),  # a long side off the grid snaps to it too
        ((4000, 10), 512, (512, 8)),  # never a zero-sized side
    ],
)
def test_snap_size_keeps_aspect_on_a_grid_of_8(
    size: tuple[int, int], long_side: int, expected: tuple[int, int]
) -> None:
    assert snap_size(size, long_side) == expected


def test_cutout_is_flattened_on_neutral_grey(subject: Image.Image) -> None:
    flat = pixels(on_neutral(subject))
    alpha = pixels(subject)[..., 3]
    assert flat.shape[2] == 3
    assert (flat[alpha == 0] == NEUTRAL_BACKGROUND).all()
    assert np.array_equal(flat[alpha == 255], pixels(subject)[alpha == 255][:, :3])
