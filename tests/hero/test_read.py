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
from core.hero.families import kind
from core.hero.gate import grabcut_in_box
from core.hero.read import read_pet
from core.hero.traits import PetLook
from core.images.cutout import CutoutResult

PETS = Path(__file__).resolve().parents[1] / "data" / "pets"
LABELS = {k: v for k, v in json.loads((PETS / "labels.json").read_text()).items() if k[0] != "_"}
# Stated tolerances, measured on the labelled photos (the per-photo table: `report` below). Before
# the coat families (issue 10 follow-up) the reader measured base 19/33, pattern 19/31 (patterned
# 10/18), marking regions 9/35; the thresholds leave one photo of slack.
BASE_DELTA_E = 12.0  # CIEDE2000 between the labelled and the read base colour
BASE_WITHIN_SHARE = 0.75  # of labelled photos must be within BASE_DELTA_E (measured 26/33)
BASE_DELTA_E_MAX = 30.0  # ... and none further off (measured 26.4: merle dog-16's lit grey)
EYES_RIGHT_SHARE = 0.75  # measured 17/20
PATTERN_RIGHT_SHARE = 0.77  # measured 25/31
PATTERNED_RIGHT_SHARE = 0.72  # patterned coats alone, measured 14/18 (spots read as tabby: 2)
EARS_RIGHT_SHARE = 0.78  # measured 25/31
REGIONS_FOUND_SHARE = 0.55  # labelled marking regions found, measured 20/35
REGIONS_EXTRA_MAX = 4  # regions read that the label does not list (measured 3)
SECONDARY_KIND_SHARE = 0.7  # white or tan read right where labelled, measured 9/12

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
def test_patterned_coats_keep_their_pattern(looks: dict[str, PetLook]) -> None:
    hits = {
        name: looks[name].coat.pattern == label["pattern"]
        for name, label in LABELS.items()
        if label.get("pattern", "solid") != "solid"
    }
    assert share(list(hits.values())) >= PATTERNED_RIGHT_SHARE, hits


@pytest.mark.models
@pytest.mark.slow
def test_markings_sit_where_labelled(looks: dict[str, PetLook]) -> None:
    """White chest, paws, muzzle, blaze (or tan points) found where the label lists them, and
    few found where it does not (on photos whose label lists the markings or says solid)."""
    found, extra = [], {}
    for name, label in LABELS.items():
        if "secondary" not in label and label.get("pattern") != "solid":
            continue
        read = set(looks[name].coat.secondary_regions) - {"points"}
        want = set(label.get("secondary_regions", []))
        found += [region in read for region in want]
        if read - want:
            extra[name] = sorted(read - want)
    assert share(found) >= REGIONS_FOUND_SHARE, found
    assert sum(len(v) for v in extra.values()) <= REGIONS_EXTRA_MAX, extra


@pytest.mark.models
@pytest.mark.slow
def test_marking_colour_kind_where_labelled(looks: dict[str, PetLook]) -> None:
    want = {"white": "white", "tan": "warm"}
    hits = {
        name: kind_of_colour(looks[name].coat.secondary) == want[label["secondary"]]
        for name, label in LABELS.items()
        if "secondary" in label
    }
    assert share(list(hits.values())) >= SECONDARY_KIND_SHARE, hits


@pytest.mark.models
@pytest.mark.slow
def test_named_coats_read_as_their_kind(looks: dict[str, PetLook]) -> None:
    """The coats the contact sheet got wrong before: each reads as its kind of coat now."""
    rottweiler = looks["dog-07-standing-rottweiler-black-big.jpg"].coat
    assert lightness(rottweiler.base) < 40, rottweiler
    assert kind_of_colour(rottweiler.secondary) == "warm", rottweiler
    assert "points" in rottweiler.secondary_regions, rottweiler
    beagle = looks["dog-02-sitting-beagle-puppy-busy-bg.jpg"].coat
    assert kind_of_colour(beagle.base) == "warm", beagle
    assert kind_of_colour(beagle.secondary) == "white", beagle
    assert beagle.tertiary_regions == ("saddle",), beagle
    assert lightness(beagle.tertiary) < 30, beagle
    golden = looks["dog-01-lying-golden-puppy-head.jpg"].coat
    assert 40 < hue(golden.base) < 100, golden
    assert chroma(golden.base) >= 8, golden
    assert lightness(golden.base) > 50, golden
    white_cat = looks["cat-10-head-bicolour-white-black.jpg"].coat
    assert lightness(white_cat.base) > 85, white_cat
    assert white_cat.pattern == "bicolour", white_cat
    assert lightness(white_cat.pattern_colour) < 40, white_cat
    pointed = looks["cat-11-head-colourpoint.jpg"].coat
    assert pointed.pattern == "colourpoint", pointed
    assert lightness(pointed.base) > 65, pointed
    assert lightness(pointed.pattern_colour) < 25, pointed


def lightness(rgb: tuple[int, int, int] | None) -> float:
    assert rgb is not None
    return float(to_lab(np.array([[rgb]], np.uint8))[0, 0, 0])


def hue(rgb: tuple[int, int, int]) -> float:
    lab = to_lab(np.array([[rgb]], np.uint8))[0, 0]
    return float(np.degrees(np.arctan2(lab[2], lab[1])) % 360)


def kind_of_colour(rgb: tuple[int, int, int] | None) -> str:
    return "-" if rgb is None else kind(to_lab(np.array([[rgb]], np.uint8))[0, 0])


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


@pytest.mark.parametrize("coat", [(225, 200, 160), (215, 175, 120)], ids=["cream", "golden"])
def test_a_pale_warm_coat_in_daylight_keeps_its_colour(coat: tuple[int, int, int]) -> None:
    """A cream or golden dog on a neutral background is not a warm cast: it must not go grey."""
    image, mask = scene(coat, (190, 190, 190))
    look = read_pet(photo=image, mask=mask, species="dog")
    assert chroma(look.coat.base) >= 0.9 * chroma(coat), look.coat.base
    assert delta_e(look.coat.base, coat) < 4, look.coat.base


def test_a_grass_background_is_no_colour_cast() -> None:
    """Pale grass is the ground's colour, not the light's: a grey dog on it stays grey."""
    image, mask = scene((150, 150, 150), (150, 185, 130))
    look = read_pet(photo=image, mask=mask, species="dog")
    assert chroma(look.coat.base) < 4, look.coat.base


def painted(
    base: tuple[int, int, int], background: tuple[int, int, int],
    marks: list[tuple[tuple[int, int, int], np.ndarray]],
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """The synthetic pet in `base` with each (colour, region) painted over it."""
    image, mask = scene(base, background)
    image = image.copy()
    rng = np.random.default_rng(3)
    for colour, region in marks:
        fur = np.clip(np.array(colour) + rng.normal(0, 5, image.shape), 0, 255)
        inside = region & (mask > 0)
        image[inside] = fur[inside].astype(np.uint8)
    return image, mask


def test_a_tricolour_dog_reads_tan_with_white_trim_and_a_black_saddle() -> None:
    ys, xs = np.mgrid[0:480, 0:640]
    white = (ys > 400) | ((ys > 250) & (xs > 380))  # paws and chest
    saddle = (ys > 245) & (ys < 330) & (xs < 330)  # the back, behind the head
    image, mask = painted((175, 125, 75), (200, 200, 195),
                          [((240, 238, 232), white), ((34, 32, 30), saddle)])  # fmt: skip
    coat = read_pet(photo=image, mask=mask, species="dog").coat
    assert delta_e(coat.base, (175, 125, 75)) < 5, coat
    assert coat.secondary is not None, coat
    assert delta_e(coat.secondary, (240, 238, 232)) < 5, coat
    assert "paws" in coat.secondary_regions, coat
    assert coat.tertiary_regions == ("saddle",), coat
    assert coat.tertiary is not None, coat
    assert delta_e(coat.tertiary, (34, 32, 30)) < 5, coat


def test_a_black_and_tan_dog_reads_black_with_tan_points() -> None:
    ys, xs = np.mgrid[0:480, 0:640]
    legs = ys > 405
    muzzle = (ys > 185) & (ys < 250) & (xs > 300) & (xs < 370)
    chest = (ys > 250) & (ys < 300) & (xs > 330) & (xs < 400)
    image, mask = painted((34, 32, 36), (120, 170, 90), [((160, 90, 45), legs | muzzle | chest)])
    coat = read_pet(photo=image, mask=mask, species="dog").coat
    assert delta_e(coat.base, (34, 32, 36)) < 5, coat
    assert coat.secondary is not None, coat
    assert delta_e(coat.secondary, (160, 90, 45)) < 6, coat
    assert "points" in coat.secondary_regions, coat


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
    """The per-photo table for the report: label | read for base, eyes, pattern, ears, markings."""
    rows = []
    for name, label in LABELS.items():
        look, sp = looks[name], label["species"]
        coat = look.coat
        de = f"{delta_e(hex_rgb(label['base']), coat.base):.1f}" if "base" in label else "-"
        got = "#{:02x}{:02x}{:02x}".format(*coat.base)
        marks = ",".join(coat.secondary_regions + coat.tertiary_regions) or "-"
        rows.append(
            f"| {name[:6]} | {label.get('base', '-')} | {got} | {de} | "
            f"{'/'.join(label.get('eye', ['-']))} | {eye_family(look.eye_colour, sp)} | "
            f"{label.get('pattern', '-')} | {coat.pattern} | "
            f"{label.get('ear', '-')} | {look.ear} | "
            f"{','.join(label.get('secondary_regions', [])) or '-'} | {marks} |"
        )
    return "\n".join(rows)
