"""Classical cutout (no weights): IoU against known silhouettes, confidence, clean-up, selection."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.config import Settings
from core.errors import NoSubjectFound
from core.images.cutout import AutoCutter, keep_subject_components, new_cutter, refine
from core.images.cutout_classical import ClassicalCutter, two_class_threshold
from core.images.cutout_rembg import RembgCutter
from core.images.models import ModelError
from tests.conftest import make_synthetic_pet
from tests.images.conftest import chelsea_rough_truth, iou, synthetic_pet_truth


def on_grey(seed: int = 5) -> tuple[Image.Image, np.ndarray]:
    """The synthetic pet pasted on a plain, slightly noisy grey floor (GrabCut's known failure)."""
    rng = np.random.default_rng(seed)
    arr, truth = np.asarray(make_synthetic_pet()).copy(), synthetic_pet_truth()
    grey = np.clip(128 + rng.normal(0, 6, arr.shape), 0, 255).astype(np.uint8)
    arr[~truth] = grey[~truth]
    return Image.fromarray(arr), truth


def touching_left_and_bottom() -> tuple[Image.Image, np.ndarray]:
    box = (200, 60, 640, 420)
    return make_synthetic_pet().crop(box), synthetic_pet_truth()[box[1] : box[3], box[0] : box[2]]


def check_result_shape(result: object, image: Image.Image) -> None:
    mask = result.mask  # type: ignore[attr-defined]
    assert mask.dtype == np.uint8
    assert mask.shape == (image.height, image.width)
    assert set(np.unique(mask)) <= {0, 255}
    assert result.rgba.size == image.size  # type: ignore[attr-defined]
    assert np.array_equal(np.asarray(result.rgba)[..., 3], mask)  # type: ignore[attr-defined]
    assert 0.0 <= result.confidence <= 1.0  # type: ignore[attr-defined]


def test_chelsea_who_touches_three_edges(cat_image: Image.Image) -> None:
    result = ClassicalCutter().cut(cat_image)
    check_result_shape(result, cat_image)
    assert result.backend == "classical"
    # Plain border-seeded GrabCut scores ~0.58 here; the touching-segment split lifts it.
    assert iou(result.mask, chelsea_rough_truth()) >= 0.72


@pytest.mark.parametrize(
    ("make", "floor"),
    [
        (lambda: (make_synthetic_pet(), synthetic_pet_truth()), 0.95),
        (on_grey, 0.95),
        (touching_left_and_bottom, 0.85),
    ],
    ids=["lawn", "plain-grey", "touching-edges"],
)
def test_synthetic_pet_iou(make: object, floor: float) -> None:
    image, truth = make()  # type: ignore[operator]
    result = ClassicalCutter().cut(image)
    check_result_shape(result, image)
    assert iou(result.mask, truth) >= floor
    assert result.confidence > 0.2


def test_cutout_is_deterministic(synthetic_pet: Image.Image) -> None:
    a, b = ClassicalCutter().cut(synthetic_pet), ClassicalCutter().cut(synthetic_pet)
    assert np.array_equal(a.mask, b.mask)
    assert a.confidence == b.confidence


def test_no_pet_means_no_subject_or_no_confidence() -> None:
    noise = np.random.default_rng(0).integers(0, 255, (300, 400, 3), dtype=np.uint8)
    with pytest.raises(NoSubjectFound) as caught:
        ClassicalCutter().cut(Image.new("RGB", (400, 300), (128, 128, 128)))
    assert caught.value.code == "no_subject"
    try:
        result = ClassicalCutter().cut(Image.fromarray(noise))
    except NoSubjectFound:
        return
    assert result.confidence < 0.2


def test_refine_keeps_the_pet_fills_holes_and_drops_specks() -> None:
    matte = np.zeros((200, 200), np.float32)
    matte[40:160, 40:120] = 0.9  # body
    matte[80:100, 70:90] = 0.1  # a hole (dark eye the model doubted)
    matte[60:110, 135:175] = 0.8  # a big second part (a tail behind a toy): kept
    matte[5:8, 190:193] = 1.0  # a speck of background
    mask = refine(matte)
    assert mask[90, 80]  # hole filled
    assert mask[85, 155]  # the big second component stays
    assert not mask[6, 191]  # the speck goes
    assert mask.dtype == bool


def test_keep_subject_components_drops_small_blobs() -> None:
    mask = np.zeros((100, 100), bool)
    mask[10:60, 10:60] = True
    mask[80:84, 80:84] = True
    kept = keep_subject_components(mask)
    assert kept[30, 30]
    assert not kept[82, 82]


def test_two_class_threshold_splits_the_border_scores() -> None:
    values = np.array([12.0, 14.0, 13.0, 30.0, 33.0, 15.0, 31.0])
    assert 15.0 < two_class_threshold(values) < 30.0


def test_backend_order_without_a_model_is_classical(settings: Settings) -> None:
    assert isinstance(new_cutter(settings), ClassicalCutter)  # auto, nothing installed
    classical = settings.model_copy(update={"cutout_backend": "classical"})
    assert isinstance(new_cutter(classical), ClassicalCutter)
    forced = settings.model_copy(update={"cutout_backend": "rembg"})
    with pytest.raises(ModelError) as caught:
        new_cutter(forced)
    assert caught.value.code == "model_missing"
    assert "petpixel models install" in caught.value.message


def test_auto_falls_back_to_classical_when_the_model_fails(
    settings: Settings, synthetic_pet: Image.Image
) -> None:
    """A broken weights file of the right size: auto picks rembg, which fails, then classical."""
    models: Path = settings.resolved_models_dir
    models.mkdir(parents=True)
    (models / "u2netp.onnx").write_bytes(b"\0" * 4_574_861)
    cutter = new_cutter(settings)
    assert isinstance(cutter, AutoCutter)
    assert isinstance(cutter.primary, RembgCutter)
    result = cutter.cut(synthetic_pet)
    assert result.backend == "classical"
    assert iou(result.mask, synthetic_pet_truth()) >= 0.95
