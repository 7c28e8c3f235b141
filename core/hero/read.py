"""Read a pet's look (`PetLook`) from its photo and cutout mask: colours, markings, face, build.

Pure and deterministic. Colour and pattern are read on a small copy (WORK_SIDE), after the room's
light is taken out; eyes and nose on a head crop scaled to FACE_WIDTH from the full photo, so small
eyes in full-body shots keep enough pixels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from core.errors import NoSubjectFound
from core.hero import coat as coatmod
from core.hero import eyes, face, markings, physique
from core.hero.coatread import CoatView, read_coat
from core.hero.colour import apply_gains, estimate_gains, to_lab
from core.hero.families import Families, families
from core.hero.traits import Box, PetLook

WORK_SIDE = 256
FACE_WIDTH = 160
MIN_COAT_PIXELS = 60


@dataclass(frozen=True)
class _Scene:
    """What the steps share: the photo, its light correction, the coat clusters, the head."""

    photo: np.ndarray
    mask: np.ndarray
    species: Literal["cat", "dog"]
    gains: np.ndarray
    corrected: np.ndarray
    palette: coatmod.Palette
    families: Families
    outline: np.ndarray  # cluster labels over the whole (barely eroded) outline
    head: Box
    head_small: Box
    head_conf: float


def read_pet(
    *,
    photo: np.ndarray,
    mask: np.ndarray,
    species: Literal["cat", "dog"],
    box: Box | None = None,
) -> PetLook:
    """The look of the pet in `photo` (HxWx3 uint8 RGB) under `mask` (HxW, 0/255), optionally
    restricted to the detector's `box` (photo pixels); head_box comes back in photo pixels."""
    mask = _restrict(mask, box)
    if int((mask > 0).sum()) < MIN_COAT_PIXELS:
        raise NoSubjectFound("The pet's outline is too small to read its look.", code="no_subject")
    scale = min(1.0, WORK_SIDE / max(photo.shape[:2]))
    small = _resize(photo, scale, cv2.INTER_AREA)
    small_mask = (_resize(mask, scale, cv2.INTER_AREA) > 127).astype(np.uint8) * 255
    if int((small_mask > 0).sum()) < MIN_COAT_PIXELS:
        small_mask = (_resize(mask, scale, cv2.INTER_AREA) > 0).astype(np.uint8) * 255
    gains = estimate_gains(small, small_mask)
    corrected = apply_gains(small, gains)
    head_small, head_conf = face.head_from_mask(small_mask)
    head = _scale_box(head_small, 1 / scale, photo.shape)
    if species == "cat" and (found := face.cat_face(photo, mask)) is not None:
        head, head_conf = _clip_box(found, photo.shape), 0.8
        head_small = _scale_box(head, scale, small.shape)
    palette = coatmod.read_palette(corrected, coatmod.inner_mask(small_mask))
    edge = cv2.erode(small_mask, np.ones((3, 3), np.uint8)) > 0
    outline = coatmod.label_map(corrected, palette, edge | (palette.labels >= 0))
    fam = families(palette, species, lambda js: len(markings.regions(outline, js, head_small)))
    scene = _Scene(
        photo, mask, species, gains, corrected, palette, fam, outline, head, head_small, head_conf,
    )  # fmt: skip
    return _assemble(scene)


def _assemble(s: _Scene) -> PetLook:
    """Gather every trait and its confidence into a PetLook."""
    coat, confidence = read_coat(
        CoatView(s.corrected, s.palette, s.families, s.outline, s.head_small, s.species)
    )
    face_img, inside = _face_crop(s.photo, s.mask, s.head, s.gains)
    eye, eye_conf = eyes.find_eyes(face_img, inside, s.palette.centres, s.species)
    lightness = float(to_lab(np.array([[coat.base]], dtype=np.uint8))[0, 0, 0])
    nose, nose_conf = eyes.nose_colour(face_img, inside, lightness)
    ear, ear_conf = face.ear_type(s.mask, s.head, s.species)
    build, build_conf = physique.build(s.mask)
    size, size_conf = physique.body_size(s.mask, s.head, s.species)
    tail, tail_conf = physique.tail(s.species, coat.length, ear, size)
    confidence |= {
        "head_box": s.head_conf,
        "eye_colour": eye_conf,
        "nose_colour": nose_conf,
        "ear": ear_conf,
        "build": build_conf,
        "body_size": size_conf,
        "tail": tail_conf,
    }
    return PetLook(
        species=s.species,
        coat=coat,
        eye_colour=eye,
        nose_colour=nose,
        ear=ear,
        tail=tail,
        build=build,
        body_size=size,
        head_box=s.head,
        confidence=confidence,
    )


def _restrict(mask: np.ndarray, box: Box | None) -> np.ndarray:
    out = np.zeros(mask.shape[:2], dtype=np.uint8)
    x0, y0, x1, y1 = (0, 0, mask.shape[1], mask.shape[0]) if box is None else box
    region = (slice(max(0, y0), y1), slice(max(0, x0), x1))
    out[region] = (np.asarray(mask)[region] > 127) * np.uint8(255)
    return out


def _resize(image: np.ndarray, scale: float, interpolation: int) -> np.ndarray:
    if scale >= 1.0:
        return image
    h, w = image.shape[:2]
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(image, size, interpolation=interpolation)


def _scale_box(box: Box, factor: float, shape: tuple[int, ...]) -> Box:
    x0, y0, x1, y1 = (round(v * factor) for v in box)
    return _clip_box((x0, y0, x1, y1), shape)


def _clip_box(box: Box, shape: tuple[int, ...]) -> Box:
    h, w = shape[:2]
    return (
        max(0, box[0]),
        max(0, box[1]),
        min(w, max(box[2], box[0] + 1)),
        min(h, max(box[3], box[1] + 1)),
    )


def _face_crop(
    photo: np.ndarray, mask: np.ndarray, head: Box, gains: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The head region at FACE_WIDTH pixels wide, light-corrected, with its mask."""
    x0, y0, x1, y1 = head
    crop, inside = photo[y0:y1, x0:x1], mask[y0:y1, x0:x1]
    scale = FACE_WIDTH / max(x1 - x0, 1)
    size = (FACE_WIDTH, max(8, round((y1 - y0) * scale)))
    crop = cv2.resize(crop, size, interpolation=cv2.INTER_AREA)
    inside = cv2.resize(inside, size, interpolation=cv2.INTER_NEAREST) > 0
    return apply_gains(crop, gains), inside
