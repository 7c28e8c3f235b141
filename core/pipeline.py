"""The sprite pipeline end to end.

photo bytes -> cutout -> crop -> pixel sprite -> animated sheet + GIF.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from PIL import Image

from core.config import Settings
from core.hero.detect import guess_species, new_detector
from core.hero.gate import Subject, check_subject
from core.hero.hero import draw_hero
from core.hero.read import read_pet
from core.hero.traits import PetLook, Species, SpeciesChoice
from core.images.crop import crop_subject, user_box
from core.images.cutout import new_cutter
from core.images.intake import IntakeLimits, IntakeResult, load_image
from core.pixelart.pixelize import pixelize
from core.pixelart.styles import Style, get_style
from core.pixelart.stylize import new_stylizer
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
    visible_height: int = 0
    hitbox: tuple[int, ...] = ()
    look: PetLook | None = None  # what was read from the photo (cats and dogs)
    timings_ms: dict[str, float] = field(default_factory=dict)
    # CPU time of the whole process (model threads included) during each step: the cost on a
    # shared machine, where wall times mostly measure the neighbours.
    cpu_ms: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """The JSON-friendly description printed by `petpixel sprite --json`."""
        return {
            "style": self.style,
            "size": self.size,
            "species": self.species,
            "species_guessed": self.species_guessed,
            "visible_height": self.visible_height,
            "hitbox": dict(zip(("x", "y", "w", "h"), self.hitbox, strict=True)),
            "palette": self.palette,
            "cutout": {"backend": self.cutout_backend, "confidence": round(self.confidence, 3)},
            "frames": {name: len(frames) for name, frames in self.animations.items()},
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "cpu_ms": {k: round(v, 1) for k, v in self.cpu_ms.items()},
        }


class _Timer:
    """Collects per-step wall and process CPU times in milliseconds."""

    def __init__(self) -> None:
        self.ms: dict[str, float] = {}
        self.cpu_ms: dict[str, float] = {}
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        start, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.ms[name] = (time.perf_counter() - start) * 1000
            self.cpu_ms[name] = (time.process_time() - cpu) * 1000

    def finish(self) -> None:
        """Record the totals since the timer was made."""
        self.ms["total"] = (time.perf_counter() - self._wall) * 1000
        self.cpu_ms["total"] = (time.process_time() - self._cpu) * 1000


def make_sprite(
    photo: bytes,
    *,
    settings: Settings,
    style: str,
    size: int | None = None,
    seed: int = 0,
    user_crop: UserCrop | None = None,
    progress: ProgressFn | None = None,
    species: SpeciesChoice = "auto",
) -> SpriteResult:
    """Run every sprite step on one photo; raises PetPixelError subclasses for bad input.
    The stylizer (other pets only) comes from the settings; diffusion weights load once per
    process (core.pixelart.stylize)."""
    report = progress or no_progress
    style_def = get_style(style)  # fail fast on a bad style, before any heavy work
    timer = _Timer()

    report(2, "Checking your photo")
    with timer.step("intake"):
        intake = load_image(photo, IntakeLimits.from_settings(settings))
    report(8, "Finding your pet")
    image = _user_cropped(intake.image, user_crop)
    with timer.step("detect"):
        guess = guess_species(image, new_detector(settings))
    with timer.step("cutout"):
        cut = new_cutter(settings).cut(image)
    with timer.step("gate"):
        subject = check_subject(image=image, mask=cut.mask, confidence=cut.confidence,
                                guess=guess, species_choice=species)  # fmt: skip
    drawn = subject.species
    report(40, "Drawing your hero" if drawn != "other" else "Drawing pixel art")
    if drawn == "other":
        frames = _photo_pose(cut.rgba, subject.mask, style_def.name, size, seed, settings,
                             report, timer)  # fmt: skip
    else:
        frames = _hero(image, subject, drawn, style_def, size, timer)
    report(80, "Packing the sprite sheet")
    sheet_parts = _pack(frames, species=drawn, timer=timer.step)
    with timer.step("mask"):
        mask = _full_size_mask(subject.mask, intake, user_crop)
    timer.finish()
    report(100, "Sprite ready")
    return SpriteResult(
        sprite=frames.still,
        palette=frames.palette,
        style=style_def.name,
        size=max(frames.still.size),
        mask=mask,
        cutout_backend=cut.backend,
        confidence=cut.confidence,
        timings_ms=timer.ms,
        cpu_ms=timer.cpu_ms,
        species=drawn,
        species_guessed=species == "auto",
        visible_height=sheet_parts["atlas"]["visible_height"],
        hitbox=tuple(sheet_parts["atlas"]["hitbox"].values()),
        look=frames.look,
        **sheet_parts,
    )


@dataclass
class _Frames:
    """What either drawing path hands to packing."""

    animations: dict[str, list[Frame]]
    palette: list[str]
    still: Image.Image
    hitbox: tuple[int, int, int, int] | None = None
    look: PetLook | None = None


def _hero(
    image: Image.Image, subject: Subject, species: Species, style: Style, size: int | None,
    timer: _Timer,
) -> _Frames:  # fmt: skip
    """Cats and dogs: read the pet's look from the photo and draw it on the rig."""
    box = subject.detection.box if subject.detection is not None else None
    with timer.step("read"):
        look = read_pet(photo=np.asarray(image.convert("RGB")), mask=subject.mask,
                        species="cat" if species == "cat" else "dog", box=box)  # fmt: skip
    with timer.step("draw"):
        hero = draw_hero(look, style=style, height=size)
    return _Frames(hero.animations, hero.palette, hero.still, hero.hitbox, look)


def _photo_pose(
    rgba: Image.Image, mask: np.ndarray, style: str, size: int | None, seed: int,
    settings: Settings, report: ProgressFn, timer: _Timer,
) -> _Frames:  # fmt: skip
    """Other pets: the "as photographed" look, the cutout pixelized and moved by whole pixels."""
    with timer.step("crop"):
        alpha = np.minimum(np.asarray(rgba.getchannel("A")), mask)
        clean = rgba.copy()
        clean.putalpha(Image.fromarray(alpha))
        subject = crop_subject(clean, mask)
    with timer.step("stylize"):
        styled = new_stylizer(settings).stylize(
            subject, style=style, seed=seed, progress=scaled(report, 40, 50)
        )
    with timer.step("pixelize"):
        sprite = pixelize(styled, style=style, size=size, seed=seed)
    with timer.step("animate"):
        animations = animate(sprite, seed=seed)
    return _Frames(animations, list(sprite.palette), sprite.image)


def _pack(frames: _Frames, *, species: str, timer: Callable[[str], Any]) -> dict[str, Any]:
    with timer("sheet"):
        sheet, atlas = build_sheet(frames.animations, frames.palette, species=species,
                                   hitbox=frames.hitbox)  # fmt: skip
    with timer("gif"):
        # Keep big sprites' previews small enough for a chat message.
        cell = max(frames.animations["idle"][0].image.size)
        gif = preview_gif(frames.animations, scale=4 if cell <= 64 else 2)
    return {"sheet": sheet, "atlas": atlas, "preview_gif": gif, "animations": frames.animations}


def _user_cropped(image: Image.Image, user_crop: UserCrop | None) -> Image.Image:
    """The part of the photo the person picked ("Fix the crop"), before anything looks at it."""
    if user_crop is None:
        return image
    return image.crop(user_box(user_crop, image.size))


def _full_size_mask(
    mask: np.ndarray, intake: IntakeResult, user_crop: UserCrop | None
) -> Image.Image:
    """The pet's mask at the photo's oriented resolution, strictly 0/255 (zero outside a crop)."""
    working = np.zeros(intake.image.size[::-1], dtype=np.uint8)
    x0, y0, x1, y1 = user_box(user_crop or (0.0, 0.0, 1.0, 1.0), intake.image.size)
    working[y0:y1, x0:x1] = (mask[: y1 - y0, : x1 - x0] > 127) * np.uint8(255)
    size = intake.original_size
    if working.shape[::-1] == size:
        return Image.fromarray(working)
    # Bilinear then threshold: smooth edges at full size instead of blocky nearest-neighbour steps.
    smooth = cv2.resize(working, size, interpolation=cv2.INTER_LINEAR)
    return Image.fromarray(cv2.threshold(smooth, 127, 255, cv2.THRESH_BINARY)[1])
