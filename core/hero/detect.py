"""Which animal is in the photo and where: cats and dogs found by a small SSD detector.

The model is MediaPipe's SSD-MobileNetV2 trained on Open Images v4 (24 classes, Apache-2.0),
installed by `petpixel models install pets` as `<models_dir>/pets-ssd.tflite`. It sees the whole
photo stretched to 300x300 and scores 1917 fixed anchor boxes; we rebuild those anchors the way
MediaPipe's SsdAnchorsCalculator does for this model, decode the box offsets, keep anchors whose
best class is Cat or Dog, and suppress overlaps. Without the weights the hero step still works:
`guess_species` then answers "other" and the caller falls back to the photo-pose sprite.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image

from core.config import Settings
from core.hero.traits import Box, Detection, SpeciesGuess
from core.images.models import MODELS, is_installed

BACKEND = "ssd-oidv4"
INPUT_SIDE = 300
CLASS_IDS: dict[int, Literal["cat", "dog"]] = {8: "cat", 20: "dog"}  # Open Images v4 label map
# Boxes kept at all: low, so the quality gate can see a second, weaker pet.
FLOOR = 0.2
# The species is trusted from here. Dev photos: every pet scored >= 0.55 (the corgi head),
# non-pet photos (astronaut, coffee, rocket) <= 0.11 for cat or dog.
SPECIES_THRESHOLD = 0.4
NMS_IOU = 0.4
MAX_DETECTIONS = 5
# The box coder of the TF Object Detection API model: offsets are scaled by these.
CENTER_SCALE, SIZE_SCALE = 10.0, 5.0


def ssd_anchors() -> np.ndarray:
    """The model's 1917 anchors as (x_center, y_center, width, height), normalised to 0..1.

    Six feature maps (strides 16..512 over 300 px: 19, 10, 5, 3, 2, 1 cells); scales spread
    linearly from 0.2 to 0.95; the lowest layer has three fixed boxes per cell, the others one
    per aspect ratio (1, 2, 1/2, 3, 1/3) plus a square between this scale and the next.
    """
    strides, ratios, low, high = (
        (16, 32, 64, 128, 256, 512),
        (1.0, 2.0, 0.5, 3.0, 0.3333),
        0.2,
        0.95,
    )
    scales = [low + (high - low) * i / (len(strides) - 1) for i in range(len(strides))] + [1.0]
    rows = []
    for layer, stride in enumerate(strides):
        if layer == 0:
            shapes = [(1.0, 0.1), (2.0, scales[0]), (0.5, scales[0])]
        else:
            shapes = [(r, scales[layer]) for r in ratios]
            shapes.append((1.0, float(np.sqrt(scales[layer] * scales[layer + 1]))))
        cells = int(np.ceil(INPUT_SIDE / stride))
        for y in range(cells):
            for x in range(cells):
                for ratio, scale in shapes:
                    root = np.sqrt(ratio)
                    rows.append(((x + 0.5) / cells, (y + 0.5) / cells, scale * root, scale / root))
    return np.asarray(rows, dtype=np.float32)


def decode_boxes(codes: np.ndarray, anchors: np.ndarray) -> np.ndarray:
    """Box codes (y, x, h, w offsets per anchor) -> normalised corners (x0, y0, x1, y1)."""
    cx = codes[:, 1] / CENTER_SCALE * anchors[:, 2] + anchors[:, 0]
    cy = codes[:, 0] / CENTER_SCALE * anchors[:, 3] + anchors[:, 1]
    w = np.exp(codes[:, 3] / SIZE_SCALE) * anchors[:, 2]
    h = np.exp(codes[:, 2] / SIZE_SCALE) * anchors[:, 3]
    return np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=1)


def non_max_suppression(boxes: np.ndarray, scores: np.ndarray, iou: float) -> list[int]:
    """Indices of the boxes kept, best first; a box overlapping a better one by > iou goes."""
    keep: list[int] = []
    for i in np.argsort(-scores):
        if all(box_iou(boxes[i], boxes[j]) <= iou for j in keep):
            keep.append(int(i))
        if len(keep) == MAX_DETECTIONS:
            break
    return keep


def box_iou(a: np.ndarray, b: np.ndarray) -> float:
    inter_w = max(0.0, float(min(a[2], b[2]) - max(a[0], b[0])))
    inter_h = max(0.0, float(min(a[3], b[3]) - max(a[1], b[1])))
    inter = inter_w * inter_h
    union = float((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1])) - inter
    return inter / union if union > 0 else 0.0


class PetDetector:
    """One loaded detector; `detect` is safe to call from several threads (one at a time)."""

    def __init__(self, path: Path, *, threads: int = 2) -> None:
        from ai_edge_litert.interpreter import Interpreter

        self.path = path
        self._net = Interpreter(model_path=str(path), num_threads=threads)
        self._net.allocate_tensors()
        self._input = self._net.get_input_details()[0]["index"]
        outputs = {d["name"]: d["index"] for d in self._net.get_output_details()}
        self._codes = outputs["raw_outputs/box_encodings"]
        self._logits = outputs["raw_outputs/class_predictions"]
        self._anchors = ssd_anchors()
        self._lock = threading.Lock()

    def detect(self, image: Image.Image) -> SpeciesGuess:
        """Every cat/dog box above FLOOR after NMS, best first, in the image's pixels."""
        codes, logits = self._run(image)
        scores = 1.0 / (1.0 + np.exp(-logits[:, 1:]))  # column 0 is the background class
        best = scores.argmax(axis=1) + 1
        score = scores.max(axis=1)
        pets = np.flatnonzero(np.isin(best, list(CLASS_IDS)) & (score >= FLOOR))
        boxes = decode_boxes(codes[pets], self._anchors[pets])
        keep = non_max_suppression(boxes, score[pets], NMS_IOU)
        found = tuple(
            Detection(
                CLASS_IDS[int(best[pets[i]])],
                round(float(score[pets[i]]), 4),
                to_pixels(boxes[i], image.size),
            )
            for i in keep
        )
        return verdict(found)

    def _run(self, image: Image.Image) -> tuple[np.ndarray, np.ndarray]:
        small = image.convert("RGB").resize((INPUT_SIDE, INPUT_SIDE), Image.Resampling.BILINEAR)
        tensor = np.asarray(small, dtype=np.float32)[None] / 127.5 - 1.0
        with self._lock:
            self._net.set_tensor(self._input, tensor)
            self._net.invoke()
            return self._net.get_tensor(self._codes)[0], self._net.get_tensor(self._logits)[0]


def to_pixels(box: np.ndarray, size: tuple[int, int]) -> Box:
    """Normalised corners -> integer pixel box clipped to the image (x1, y1 exclusive)."""
    w, h = size
    x0, x1 = (round(float(np.clip(v, 0, 1)) * w) for v in (box[0], box[2]))
    y0, y1 = (round(float(np.clip(v, 0, 1)) * h) for v in (box[1], box[3]))
    return (x0, y0, max(x1, x0 + 1), max(y1, y0 + 1))


def verdict(found: tuple[Detection, ...]) -> SpeciesGuess:
    """The species of the best box when it is sure enough, else "other"."""
    if not found or found[0].score < SPECIES_THRESHOLD:
        return SpeciesGuess("other", found[0].score if found else 0.0, found, BACKEND)
    return SpeciesGuess(found[0].species, found[0].score, found, BACKEND)


def new_detector(settings: Settings) -> PetDetector | None:
    """The process-wide detector for settings' models dir, or None when it is not installed."""
    models_dir = settings.resolved_models_dir
    if not is_installed("pets", models_dir):
        return None
    return _load((models_dir / MODELS["pets"].filename).resolve())


@functools.lru_cache(maxsize=4)
def _load(path: Path) -> PetDetector:
    return PetDetector(path)


def guess_species(image: Image.Image, detector: PetDetector | None) -> SpeciesGuess:
    """The detector's guess, or "other" with score 0 when no detector is installed."""
    if detector is None:
        return SpeciesGuess("other", 0.0, (), "none")
    return detector.detect(image)
