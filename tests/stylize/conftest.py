"""Stylizer fixtures: a cut-out pet with a soft rim and a tiny random diffusers pipeline on disk."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from core.config import Settings
from tests.conftest import need_module

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_tiny_diffusers.py"


@pytest.fixture(scope="session")
def subject(synthetic_pet: Image.Image) -> Image.Image:
    """The synthetic pet as crop_subject hands it over: RGBA, transparent outside, soft rim."""
    photo = synthetic_pet.crop((150, 40, 490, 400)).resize((120, 127))
    mask = Image.new("L", photo.size, 0)
    ImageDraw.Draw(mask).ellipse((12, 8, 108, 118), fill=255)
    rgba = photo.convert("RGBA")
    rgba.putalpha(mask.filter(ImageFilter.GaussianBlur(2)))  # partial alpha must survive too
    return rgba


def load_script() -> ModuleType:
    """Import scripts/make_tiny_diffusers.py (scripts/ is not a package) so tests share its code."""
    spec = importlib.util.spec_from_file_location("make_tiny_diffusers", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def tiny_pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A random StableDiffusionImg2ImgPipeline saved with save_pretrained (~7 MB, ~2 s)."""
    torch = need_module("torch")
    need_module("diffusers")
    need_module("transformers")
    # One thread: the tiny model gains nothing from more, and on a shared, busy CPU torch's
    # spinning worker threads made these tests 3x slower.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield load_script().build_tiny_pipeline(tmp_path_factory.mktemp("tiny-sd"), seed=0)
    finally:
        torch.set_num_threads(threads)


@pytest.fixture
def diffusion_settings(settings: Settings, tiny_pipeline: Path) -> Settings:
    """Forced diffusion on the tiny pipeline at 64 px, 4 steps at strength 0.5 (2 run)."""
    return Settings(
        data_dir=settings.data_dir,
        models_dir=settings.models_dir,
        model_path=tiny_pipeline,
        stylizer="diffusion",
        diffusion_resolution=64,
        diffusion_steps=4,
        diffusion_strength=0.5,
    )


def pixels(image: Image.Image) -> np.ndarray:
    return np.asarray(image, dtype=np.int16)
