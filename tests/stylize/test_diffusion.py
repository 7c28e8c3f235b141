"""DiffusionStylizer on a real (tiny, random) diffusers img2img pipeline loaded from disk."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.config import Settings
from core.errors import PetPixelError
from core.pixelart import stylize
from core.pixelart.stylize import DiffusionStylizer, Stylizer, new_stylizer
from tests.conftest import need_module
from tests.stylize.conftest import pixels

torch = need_module("torch")
need_module("diffusers")


def run(
    stylizer: Stylizer, subject: Image.Image, *, style: str = "16bit", seed: int = 0
) -> np.ndarray:
    return pixels(stylizer.stylize(subject, style=style, seed=seed))


def test_forced_diffusion_builds_from_settings(diffusion_settings: Settings) -> None:
    stylizer = new_stylizer(diffusion_settings)
    assert isinstance(stylizer, DiffusionStylizer)
    assert stylizer.name == f"diffusion:{diffusion_settings.model_path.name}"
    assert (stylizer.resolution, stylizer.steps, stylizer.strength) == (64, 4, 0.5)


def test_auto_runs_diffusion_only_on_a_gpu(settings: Settings, tiny_pipeline: Path) -> None:
    auto = settings.model_copy(update={"model_path": tiny_pipeline})
    expected = "diffusion:" if torch.cuda.is_available() else "classical"
    assert new_stylizer(auto).name.startswith(expected)


def test_output_keeps_size_mode_and_the_cutout_alpha(
    diffusion_settings: Settings, subject: Image.Image
) -> None:
    out = new_stylizer(diffusion_settings).stylize(subject, style="16bit", seed=1)
    assert out.mode == "RGBA"
    assert out.size == subject.size
    assert np.array_equal(pixels(out)[..., 3], pixels(subject)[..., 3])


def test_the_pet_is_redrawn(diffusion_settings: Settings, subject: Image.Image) -> None:
    drawn = run(new_stylizer(diffusion_settings), subject)
    opaque = pixels(subject)[..., 3] == 255
    change = np.abs(drawn[..., :3] - pixels(subject)[..., :3])[opaque].mean()
    assert change > 10  # random weights repaint everything; a pass-through would give 0


def test_a_seed_reproduces_and_another_seed_differs(
    diffusion_settings: Settings, subject: Image.Image
) -> None:
    stylizer = new_stylizer(diffusion_settings)
    first, again, other = (run(stylizer, subject, seed=s) for s in (7, 7, 8))
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_each_style_has_its_own_prompt(diffusion_settings: Settings, subject: Image.Image) -> None:
    stylizer = new_stylizer(diffusion_settings)
    assert not np.array_equal(run(stylizer, subject), run(stylizer, subject, style="gameboy"))


def test_low_strength_still_runs_a_step(diffusion_settings: Settings, subject: Image.Image) -> None:
    # diffusers runs int(steps * strength) steps and refuses zero; 4 * 0.1 would be zero.
    out = new_stylizer(diffusion_settings).stylize(subject, style="8bit", strength=0.1, steps=4)
    assert out.size == subject.size


def test_progress_is_reported_up_to_100(diffusion_settings: Settings, subject: Image.Image) -> None:
    seen: list[int] = []
    new_stylizer(diffusion_settings).stylize(
        subject, style="pico8", progress=lambda percent, _: seen.append(percent)
    )
    assert seen == sorted(seen)
    assert seen[-1] == 100


def test_pipeline_loads_once_per_process(diffusion_settings: Settings) -> None:
    first = new_stylizer(diffusion_settings)
    second = new_stylizer(diffusion_settings)
    assert isinstance(first, DiffusionStylizer)
    assert isinstance(second, DiffusionStylizer)
    assert first.load() is second.load()
    unet = first.load().pipe.unet
    on_gpu = torch.cuda.is_available()
    assert unet.device.type == ("cuda" if on_gpu else "cpu")
    assert unet.dtype == (torch.float16 if on_gpu else torch.float32)


def test_loading_never_touches_the_network(
    tiny_pipeline: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access while loading: {args}")

    monkeypatch.setattr(stylize, "_CACHE", {})  # force a real load from disk
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    DiffusionStylizer(tiny_pipeline, resolution=64).load()
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_corrupt_weights_fail_with_a_clear_error(tiny_pipeline: Path, tmp_path: Path) -> None:
    broken = shutil.copytree(tiny_pipeline, tmp_path / "broken")
    weights = broken / "unet" / "diffusion_pytorch_model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])  # an interrupted copy
    stylizer = DiffusionStylizer(broken)  # the folder looks right until the weights are read
    with pytest.raises(PetPixelError, match="Could not load the diffusion pipeline") as err:
        stylizer.load()
    assert err.value.code == "stylizer_unavailable"


def test_pixelizer_accepts_the_stylized_pet(
    diffusion_settings: Settings, subject: Image.Image
) -> None:
    pixelize = need_module("core.pixelart.pixelize").pixelize
    drawn = new_stylizer(diffusion_settings).stylize(subject, style="16bit", seed=2)
    sprite = pixelize(drawn, style="16bit", size=32, seed=2)
    assert max(sprite.image.size) == 32
