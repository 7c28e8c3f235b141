"""The sprite pipeline end to end.

photo bytes -> cutout -> crop -> pixel sprite -> animated sheet + GIF.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PIL import Image

from core.config import Settings
from core.images.crop import crop_subject
from core.images.cutout import new_cutter
from core.hero.traits import Species, SpeciesChoice
from core.images.intake import IntakeLimits, load_image
from core.pixelart.pixelize import PixelSprite, pixelize
from core.pixelart.styles import get_style
from core.pixelart.stylize import Stylizer, new_stylizer
from core.progress import ProgressFn, no_progress, scaled
from core.sprites.animate import Frame, animate
from core.sprites.preview import preview_gif
from core.sprites.sheet import build_sheet

UserCrop = tuple[float, float, float, float]


@dataclass
class SpriteResult:
    """Everything the sprite step hands to packaging, storage and previews."""

    sprite: Image.Image
    sheet: Image.Image
    atlas: dict[str, Any]
    preview_gif: bytes
    mask: Image.Image
    palette: list[str]
    style: str
    size: int
    cutout_backend: str
    confidence: float
    animations: dict[str, list[Frame]]
    # The species drawn (cat/dog get the rigged hero, other the photo's pose) and whether the
    # detector guessed it (True) or the person chose it (False).
    species: Species = "other"
    species_guessed: bool = False
    timings_ms: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """The JSON-friendly description printed by `petpixel sprite --json`."""
        return {
            "style": self.style,
            "size": self.size,
            "species": self.species,
            "species_guessed": self.species_guessed,
            "palette": self.palette,
            "cutout": {"backend": self.cutout_backend, "confidence": round(self.confidence, 3)},
            "frames": {name: len(frames) for name, frames in self.animations.items()},
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }


class _Timer:
    """Collects per-step wall times in milliseconds."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.ms[name] = (time.perf_counter() - start) * 1000


def make_sprite(
    photo: bytes,
    *,
    settings: Settings,
    style: str,
    size: int | None = None,
    seed: int = 0,
    user_crop: UserCrop | None = None,
    progress: ProgressFn | None = None,
    stylizer: Stylizer | None = None,
    species: SpeciesChoice = "auto",
) -> SpriteResult:
    """Run every sprite step on one photo; raises PetPixelError subclasses for bad input.

    Long-lived callers (workers) pass a stylizer built once at start-up; otherwise settings pick
    one.
    """
    report = progress or no_progress
    style_def = get_style(style)  # fail fast on a bad style, before any heavy work
    timer = _Timer()
    start = time.perf_counter()

    report(2, "Checking your photo")
    with timer.step("intake"):
        intake = load_image(photo, IntakeLimits.from_settings(settings))
    report(10, "Finding your pet")
    with timer.step("cutout"):
        cut = new_cutter(settings).cut(intake.image)
    report(45, "Framing")
    with timer.step("crop"):
        subject = crop_subject(cut.rgba, cut.mask, user_crop=user_crop)
    with timer.step("stylize"):
        styled = (stylizer or new_stylizer(settings)).stylize(
            subject, style=style_def.name, seed=seed, progress=scaled(report, 45, 50)
        )
    report(50, "Drawing pixel art")
    with timer.step("pixelize"):
        sprite = pixelize(styled, style=style_def.name, size=size, seed=seed)
    report(75, "Animating")
    sheet_parts = _animate_and_pack(sprite, seed=seed, timer=timer.step)
    with timer.step("mask"):
        mask = _full_size_mask(cut.mask, intake.original_size)
    timer.ms["total"] = (time.perf_counter() - start) * 1000
    report(100, "Sprite ready")
    return SpriteResult(
        sprite=sprite.image,
        palette=sprite.palette,
        style=style_def.name,
        size=max(sprite.image.size),
        mask=mask,
        cutout_backend=cut.backend,
        confidence=cut.confidence,
        timings_ms=timer.ms,
        **sheet_parts,
    )


def _animate_and_pack(
    sprite: PixelSprite, *, seed: int, timer: Callable[[str], Any]
) -> dict[str, Any]:
    with timer("animate"):
        animations = animate(sprite, seed=seed)
    with timer("sheet"):
        sheet, atlas = build_sheet(animations, sprite.palette)
    with timer("gif"):
        # Keep big sprites' previews small enough for a chat message.
        gif = preview_gif(animations, scale=4 if max(sprite.image.size) <= 64 else 2)
    return {"sheet": sheet, "atlas": atlas, "preview_gif": gif, "animations": animations}


def _full_size_mask(mask: np.ndarray, size: tuple[int, int]) -> Image.Image:
    """The cutout alpha at the photo's oriented resolution, strictly 0/255."""
    image = Image.fromarray(np.where(mask > 127, 255, 0).astype(np.uint8))
    if image.size == size:
        return image
    # Bilinear then threshold: smooth edges at full size instead of blocky nearest-neighbour steps.
    smooth = np.asarray(image.resize(size, Image.Resampling.BILINEAR))
    return Image.fromarray(np.where(smooth >= 128, 255, 0).astype(np.uint8))
