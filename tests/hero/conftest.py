"""Shared fixtures for the hero step: the development photos, the installed detector and cutter.

Fixtures that need real weights skip on a laptop without them and fail under CI=true, where
scripts/setup.sh installs both (`petpixel models install u2netp` and `... pets`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.config import Settings
from core.hero.detect import PetDetector, guess_species, new_detector
from core.hero.traits import SpeciesGuess
from core.images.cutout import CutoutResult, Cutter, new_cutter
from core.images.models import is_installed
from tests.conftest import need
from tests.images.conftest import U2NETP_DIR

PETS_DIR = Path(__file__).resolve().parents[1] / "data" / "pets"
DEV_PHOTOS = sorted(p.stem for p in PETS_DIR.glob("*.jpg"))
# Real photos of no cat or dog (scikit-image, offline) and one more cat.
NON_PETS = ("astronaut", "coffee", "rocket")


def dev_photo(name: str) -> Image.Image:
    """One development photo as RGB (the species is the file name's prefix)."""
    with Image.open(PETS_DIR / f"{name}.jpg") as img:
        return img.convert("RGB")


def skimage_photo(name: str) -> Image.Image:
    from skimage import data

    return Image.fromarray(np.asarray(getattr(data, name)())).convert("RGB")


@dataclass(frozen=True)
class PhotoRead:
    """What the hero step knows about one photo before the gate: cutout and detector guess."""

    image: Image.Image
    mask: np.ndarray
    confidence: float
    guess: SpeciesGuess


@pytest.fixture(scope="session")
def models_settings() -> Settings:
    """Settings over the repository's installed models (petpixel-data/models)."""
    return Settings(models_dir=U2NETP_DIR, cutout_backend="rembg")


@pytest.fixture(scope="session")
def pet_detector(models_settings: Settings) -> PetDetector:
    need(is_installed("pets", U2NETP_DIR), "the pet detector (petpixel models install pets)")
    detector = new_detector(models_settings)
    assert detector is not None
    return detector


@pytest.fixture(scope="session")
def u2netp_cutter(models_settings: Settings) -> Cutter:
    need(is_installed("u2netp", U2NETP_DIR), "u2netp (petpixel models install u2netp)")
    return new_cutter(models_settings)


@pytest.fixture(scope="session")
def cut_photo(u2netp_cutter: Cutter) -> Callable[[str], tuple[Image.Image, CutoutResult]]:
    """cut_photo(name) -> (photo, u2netp cutout) for a development photo (or "chelsea"), cut once
    per session: the reader, gate and detector tests share it."""
    cache: dict[str, tuple[Image.Image, CutoutResult]] = {}

    def cut(name: str) -> tuple[Image.Image, CutoutResult]:
        if name not in cache:
            image = skimage_photo(name) if name == "chelsea" else dev_photo(name)
            cache[name] = (image, u2netp_cutter.cut(image))
        return cache[name]

    return cut


@pytest.fixture(scope="session")
def read_photo(
    pet_detector: PetDetector, cut_photo: Callable[[str], tuple[Image.Image, CutoutResult]]
) -> Callable[[str], PhotoRead]:
    """read_photo(name) -> PhotoRead for a development photo (or "chelsea"), cached per session."""
    cache: dict[str, PhotoRead] = {}

    def read(name: str) -> PhotoRead:
        if name not in cache:
            image, cut = cut_photo(name)
            guess = guess_species(image, pet_detector)
            cache[name] = PhotoRead(image, cut.mask, cut.confidence, guess)
        return cache[name]

    return read
