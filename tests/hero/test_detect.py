"""Cat/dog detector: anchor and box maths offline; species and boxes on real photos (weights)."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pytest
from PIL import Image

from core.config import Settings
from core.hero import detect
from core.hero.detect import (
    PetDetector,
    decode_boxes,
    guess_species,
    new_detector,
    non_max_suppression,
    ssd_anchors,
    to_pixels,
    verdict,
)
from core.hero.traits import Detection
from tests.hero.conftest import DEV_PHOTOS, NON_PETS, PhotoRead, dev_photo, skimage_photo

# --- offline: the maths the detector's output goes through --------------------------------


def test_anchors_match_the_models_1917_outputs() -> None:
    anchors = ssd_anchors()
    assert anchors.shape == (1917, 4)
    # Lowest layer: 19x19 cells of 3 boxes, the first a small square 0.1 across.
    assert np.allclose(anchors[0], [0.5 / 19, 0.5 / 19, 0.1, 0.1])
    assert np.allclose(anchors[1, 2:], [0.2 * np.sqrt(2), 0.2 / np.sqrt(2)], atol=1e-6)
    # Last layer: one cell (the whole image) whose interpolated square is sqrt(0.95 * 1.0).
    assert np.allclose(anchors[-1], [0.5, 0.5, np.sqrt(0.95), np.sqrt(0.95)], atol=1e-6)
    assert ((anchors[:, :2] > 0) & (anchors[:, :2] < 1)).all()


def test_zero_codes_decode_to_the_anchors_themselves() -> None:
    anchors = np.array([[0.5, 0.25, 0.2, 0.4]], np.float32)
    assert np.allclose(
        decode_boxes(np.zeros((1, 4), np.float32), anchors), [[0.4, 0.05, 0.6, 0.45]]
    )
    # Codes are (y, x, h, w): a y offset of 10 moves the centre down by one anchor height.
    moved = decode_boxes(np.array([[10.0, 0.0, 0.0, 0.0]], np.float32), anchors)
    assert np.allclose(moved, [[0.4, 0.45, 0.6, 0.85]])


def test_nms_keeps_the_best_of_overlapping_boxes() -> None:
    boxes = np.array([[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30]], np.float32)
    assert non_max_suppression(boxes, np.array([0.5, 0.9, 0.6]), 0.4) == [1, 2]


def test_boxes_are_clipped_to_the_image() -> None:
    assert to_pixels(np.array([-0.1, 0.5, 1.2, 0.75]), (200, 100)) == (0, 50, 200, 75)


def test_species_needs_the_threshold() -> None:
    weak = (Detection("dog", 0.3, (0, 0, 5, 5)),)
    assert verdict(weak).species == "other"
    assert verdict(weak).detections == weak
    sure = (Detection("cat", 0.7, (0, 0, 5, 5)), *weak)
    assert (verdict(sure).species, verdict(sure).score, verdict(sure).backend) == (
        "cat",
        0.7,
        "ssd-oidv4",
    )
    assert verdict(()).species == "other"


def test_without_weights_there_is_no_detector_and_the_guess_is_other(settings: Settings) -> None:
    assert new_detector(settings) is None
    guess = guess_species(Image.new("RGB", (64, 64)), None)
    assert (guess.species, guess.score, guess.detections, guess.backend) == (
        "other",
        0.0,
        (),
        "none",
    )


# --- with the installed weights ----------------------------------------------------------


@pytest.mark.models
@pytest.mark.parametrize("name", DEV_PHOTOS)
def test_species_is_right_on_every_dev_photo(pet_detector: PetDetector, name: str) -> None:
    guess = pet_detector.detect(dev_photo(name))
    assert guess.species == name.split("-")[0]
    assert guess.backend == "ssd-oidv4"
    assert guess.score >= detect.SPECIES_THRESHOLD
    assert guess.detections[0].species == guess.species
    scores = [d.score for d in guess.detections]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.models
@pytest.mark.parametrize("name", NON_PETS)
def test_photos_without_pets_are_other(pet_detector: PetDetector, name: str) -> None:
    guess = pet_detector.detect(skimage_photo(name))
    assert guess.species == "other"
    assert guess.score < detect.SPECIES_THRESHOLD


@pytest.mark.models
def test_chelsea_is_a_cat_with_a_box_over_most_of_the_photo(pet_detector: PetDetector) -> None:
    guess = pet_detector.detect(skimage_photo("chelsea"))
    assert guess.species == "cat"
    x0, y0, x1, y1 = guess.detections[0].box
    assert (x1 - x0) * (y1 - y0) >= 0.7 * 451 * 300


@pytest.mark.models
@pytest.mark.parametrize("name", DEV_PHOTOS)
def test_boxes_lie_inside_the_photo(pet_detector: PetDetector, name: str) -> None:
    image = dev_photo(name)
    for found in pet_detector.detect(image).detections:
        x0, y0, x1, y1 = found.box
        assert 0 <= x0 < x1 <= image.width
        assert 0 <= y0 < y1 <= image.height
        assert found.score >= detect.FLOOR


@pytest.mark.models
def test_boxes_sit_on_the_pets(pet_detector: PetDetector) -> None:
    """Hand-checked: the Great Dane stands right of the girl; the two playing dogs are apart."""
    dane = pet_detector.detect(dev_photo("dog-03-standing-big-dog-with-person")).detections
    assert len(dane) == 1
    x0, _, x1, _ = dane[0].box
    assert x0 > 0.3 * 640  # the girl fills the left third
    assert (x0 + x1) / 2 > 0.5 * 640
    pair = pet_detector.detect(dev_photo("dog-04-two-dogs-playing-grass-black")).detections
    strong = sorted((d.box for d in pair if d.score >= 0.5), key=lambda b: b[0])
    assert len(strong) == 2
    assert strong[0][2] <= strong[1][0] + 0.05 * 1024  # side by side, barely overlapping


@pytest.mark.models
def test_boxes_cover_the_cutout_of_single_pets(read_photo: Callable[[str], PhotoRead]) -> None:
    from core.hero.gate import grow

    for name in (
        "cat-04-lying-silver-tabby",
        "dog-07-standing-rottweiler-black-big",
        "dog-09-standing-bicolour-spaniel-grass",
        "dog-15-standing-toller-beach",
    ):
        seen = read_photo(name)
        x0, y0, x1, y1 = grow(seen.guess.detections[0].box, seen.image.size)
        inside = int((seen.mask[y0:y1, x0:x1] > 0).sum())
        assert inside >= 0.95 * int((seen.mask > 0).sum()), name
        assert (seen.mask[y0:y1, x0:x1] > 0).mean() >= 0.3, name  # and not a box round nothing


@pytest.mark.models
def test_detector_is_loaded_once_and_fast(models_settings: Settings) -> None:
    first = new_detector(models_settings)
    assert first is not None
    assert new_detector(models_settings) is first
    photo = dev_photo("dog-15-standing-toller-beach")
    first.detect(photo)
    start = time.perf_counter()
    first.detect(photo)
    assert time.perf_counter() - start < 1.0  # ~5-35 ms on 2 cores; generous for busy CI
