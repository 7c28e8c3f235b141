"""read_pet on the labelled development photos (real u2netp cutouts) and on synthetic scenes."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from core.hero.colour import delta_e, hex_rgb, to_lab
from core.hero.eyes import eye_family
from core.hero.gate import grabcut_in_box
from core.hero.read import read_pet
from core.hero.traits import PetLook
from core.images.cutout import CutoutResult

PETS = Path(__file__).resolve().parents[1] / "data" / "pets"
LABELS = {k: v for k, v in json.loads((PETS / "labels.json").read_text()).items() if k[0] != "_"}
# Stated tolerances (measured on the 35 photos; see the report for the per-photo table).
BASE_DELTA_E = 12.0  # CIEDE2000 between the labelled and the read base colour
BASE_WITHIN_SHARE = 0.55  # of labelled photos must be within BASE_DELTA_E (measured 19/33; aim 0.9)
BASE_DELTA_E_MAX = 60.0  # ... and none further off (colourpoint cat-11 reads its dark mask: 57)
EYES_RIGHT_SHARE = 0.75  # measured 16/20
PATTERN_RIGHT_SHARE = 0.6  # measured 19/30 (patterned coats alone 10/18; aim 0.75)
EARS_RIGHT_SHARE = 0.78  # measured 25/31

# Hand-given boxes (photo pixels) for photos whose cutout needs help before the reader sees it:
# a person in frame (restrict the mask to the dog; the gate does this with the detector's box) ...
PERSON_BOXES = {
    "dog-03-standing-big-dog-with-person.jpg": (400, 40, 610, 870),
    "dog-12-standing-white-small-person.jpg": (80, 300, 1024, 1024),
}
# ... and the black cat on a near-black background, where u2netp finds almost nothing: the gate's
# GrabCut rescue, seeded with this box, gives the mask (as it does in the pipeline).
BLACK_CAT = "cat-01-head-black.jpg"
BLACK_CAT_BOX = (20, 5, 620, 425)


@pytest.fixture(scope="module")
def looks(cut_photo: Callable[[str], tuple[Image.Image, CutoutResult]]) -> dict[str, PetLook]:
    """Every labelled photo read once, with the real cutout's mask (shared with the gate tests)."""
    out = {}
    for name, label in LABELS.items():
        image, cut = cut_photo(Path(name).stem)
        mask = cut.mask
        if name == BLACK_CAT:
            mask = grabcut_in_box(image, BLACK_CAT_BOX).astype(np.uint8) * 255
        out[name] = read_pet(
            photo=np.asarray(image), mask=mask, species=label["species"],
            box=PERSON_BOXES.get(name),
        )  # fmt: skip
    return out


def share(hits: list[bool]) -> float:
    return sum(hits) / max(len(hits), 1)


@pytest.mark.models
@pytest.mark.slow
def test_base_colour_near_the_label(looks: dict[str, PetLook]) -> None:
    errors = {
        name: delta_e(hex_rgb(label["base"]), looks[name].coat.base)
        for name, label in LABELS.items()
        if "base" in label
    }
    within = [e <= BASE_DELTA_E for e in errors.values()]
    assert share(within) >= BASE_WITHIN_SHARE, errors
    assert max(errors.values()) <= BASE_DELTA_E_MAX, errors


@pytest.mark.models
@pytest.mark.slow
def test_eye_family_where_labelled(looks: dict[str, PetLook]) -> None:
    hits = {
        name: eye_family(looks[name].eye_colour, label["species"]) in label["eye"]
        for name, label in LABELS.items()
        if "eye" in label
    }
    assert share(list(hits.values())) >= EYES_RIGHT_SHARE, hits


@pytest.mark.models
@pytest.mark.slow
def test_pattern_where_labelled(looks: dict[str, PetLook]) -> None:
    hits = {
        name: looks[name].coat.pattern == label["pattern"]
        for name, label in LABELS.items()
        if "pattern" in label
    }
    assert share(list(hits.values())) >= PATTERN_RIGHT_SHARE, hits


@pytest.mark.models
@pytest.mark.slow
def test_ears_where_labelled(looks: dict[str, PetLook]) -> None:
    hits = {
        name: looks[name].ear == label["ear"] for name, label in LABELS.items() if "ear" in label
    }
    assert share(list(hits.values())) >= EARS_RIGHT_SHARE, hits


@pytest.mark.models
@pytest.mark.slow
def test_black_cat_reads_black_with_green_eyes(looks: dict[str, PetLook]) -> None:
    look = looks[BLACK_CAT]
    lightness = to_lab(np.array([[look.coat.base]], np.uint8))[0, 0, 0]
    assert lightness < 22, look.coat.base
    assert eye_family(look.eye_colour, "cat") == "green", look.eye_colour


# --- synthetic scenes -------------------------------------------------------------------------


@cache
def scene(
    coat: tuple[int, int, int], background: tuple[int, int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """A cat-like blob (body, head, ears, two green eyes) on a noisy background, and its mask."""
    rng = np.random.default_rng(7)
    h, w = 480, 640
    image = np.clip(np.array(background) + rng.normal(0, 6, (h, w, 3)), 0, 255)
    mask = np.zeros((h, w), np.uint8)
    cv2.ellipse(mask, (300, 330), (170, 100), 0, 0, 360, 255, -1)
    cv2.circle(mask, (330, 170), 80, 255, -1)
    cv2.fillPoly(mask, [np.array([[265, 130], [285, 60], [315, 105]])], 255)
    cv2.fillPoly(mask, [np.array([[345, 105], [375, 60], [395, 130]])], 255)
    fur = np.clip(np.array(coat) + rng.normal(0, 5, (h, w, 3)), 0, 255)
    image[mask > 0] = fur[mask > 0]
    for x in (300, 360):
        cv2.circle(image, (x, 160), 11, (90, 170, 60), -1)
        cv2.circle(image, (x, 160), 4, (10, 10, 10), -1)
    return image.astype(np.uint8), mask


def warm(image: np.ndarray) -> np.ndarray:
    """A tungsten-like cast: red up, blue down (in linear light)."""
    lin = (image / 255.0) ** 2.2 * np.array([1.25, 1.0, 0.7])
    return (np.clip(lin, 0, 1) ** (1 / 2.2) * 255).round().astype(np.uint8)


def chroma(rgb: tuple[int, int, int]) -> float:
    lab = to_lab(np.array([[rgb]], np.uint8))[0, 0]
    return float(np.hypot(lab[1], lab[2]))


def test_grey_cat_under_warm_light_reads_grey() -> None:
    image, mask = scene((128, 128, 128), (200, 200, 195))
    cast = warm(image)
    assert chroma(tuple(int(v) for v in cast[330, 300])) > 12  # the cast is real
    look = read_pet(photo=cast, mask=mask, species="cat")
    assert chroma(look.coat.base) < 6, look.coat.base
    assert delta_e(look.coat.base, (128, 128, 128)) < 6


def test_orange_cat_stays_orange() -> None:
    image, mask = scene((205, 120, 50), (150, 150, 150))
    look = read_pet(photo=warm(image), mask=mask, species="cat")
    assert chroma(look.coat.base) > 35, look.coat.base
    plain = read_pet(photo=image, mask=mask, species="cat")
    assert delta_e(plain.coat.base, (205, 120, 50)) < 5, plain.coat.base


def test_background_never_becomes_a_coat_colour() -> None:
    image, mask = scene((235, 235, 235), (70, 150, 60))
    # The cutout overshoots by a few pixels all round, as real ones do on fur.
    loose = cv2.dilate(mask, np.ones((9, 9), np.uint8))
    look = read_pet(photo=image, mask=loose, species="dog")
    coat = look.coat
    for colour in (coat.base, coat.shade, coat.highlight, coat.secondary, coat.pattern_colour):
        if colour is not None:
            assert delta_e(colour, (70, 150, 60)) > 30, colour
    assert coat.pattern == "solid"


def test_eyes_found_in_the_synthetic_face() -> None:
    image, mask = scene((128, 128, 128), (200, 200, 195))
    look = read_pet(photo=image, mask=mask, species="cat")
    assert eye_family(look.eye_colour, "cat") == "green", look.eye_colour
    assert look.confidence["eye_colour"] >= 0.7


def test_deterministic() -> None:
    image, mask = scene((150, 110, 80), (90, 90, 120))
    first = read_pet(photo=image, mask=mask, species="dog")
    assert all(read_pet(photo=image, mask=mask, species="dog") == first for _ in range(3))


def test_box_restricts_the_mask_and_head_is_in_photo_pixels() -> None:
    image, mask = scene((128, 128, 128), (200, 200, 195))
    look = read_pet(photo=image, mask=mask, species="cat", box=(100, 0, 520, 480))
    x0, y0, x1, y1 = look.head_box or (0, 0, 0, 0)
    assert 200 <= x0 < x1 <= 520, look.head_box
    assert 30 <= y0 < y1 <= 330, look.head_box


def test_time_at_working_size() -> None:
    image, mask = scene((150, 110, 80), (90, 90, 120))
    big = cv2.resize(image, (2048, 1536), interpolation=cv2.INTER_LINEAR)
    big_mask = cv2.resize(mask, (2048, 1536), interpolation=cv2.INTER_NEAREST)
    read_pet(photo=big, mask=big_mask, species="cat")
    start = time.perf_counter()
    read_pet(photo=big, mask=big_mask, species="cat")
    assert time.perf_counter() - start < 0.6  # target 150 ms on 2 idle cores; slack for shared CI


def report(looks: dict[str, PetLook]) -> str:
    """The per-photo table for the report (run this module with `python -m`)."""
    rows = []
    for name, label in LABELS.items():
        look, sp = looks[name], label["species"]
        de = f"{delta_e(hex_rgb(label['base']), look.coat.base):.1f}" if "base" in label else "-"
        got = "#{:02x}{:02x}{:02x}".format(*look.coat.base)
        rows.append(
            f"| {name[:6]} | {label.get('base', '-')} | {got} | {de} | "
            f"{'/'.join(label.get('eye', ['-']))} | {eye_family(look.eye_colour, sp)} | "
            f"{label.get('pattern', '-')} | {look.coat.pattern} | "
            f"{label.get('ear', '-')} | {look.ear} |"
        )
    return "\n".join(rows)
