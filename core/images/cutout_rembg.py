"""rembg backend: U^2-Net (or a custom .onnx) from the models dir, never a download.

U^2-Net's family (the default u2netp and custom nets with its input and output) runs straight on
onnxruntime with rembg's own normalisation: importing rembg costs ~0.7 s of CPU at every process
start, more than a whole prediction. Other rembg models go through rembg, which finds weights
through the U2NET_HOME environment variable, so we point it at the models dir before creating a
session, check the file is there first (a missing file would make rembg fetch it from the
internet), and always pass an explicit session. One session per model file and process: loading
takes ~0.05-1 s, a prediction ~0.25 s (u2netp at 320 px, 2 cores).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from core.config import Settings
from core.images.cutout import (
    CutoutResult,
    area_score,
    border_score,
    finish,
    refine,
    working_copy,
)
from core.images.models import MODELS, ModelError, model_file

# U^2-Net's input size; nothing is gained by handing rembg a bigger image.
NET_SIDE = 320
# Sessions whose first output is U^2-Net's sigmoid d1 map at 320 px with ImageNet normalisation: for
# these we read the raw probabilities instead of rembg's min-max-stretched mask, which would turn
# a photo with no pet into a confident full-range matte.
U2NET_FAMILY = {"u2net", "u2netp", "u2net_custom", "u2net_human_seg", "silueta"}
IMAGENET_MEAN, IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)

_sessions: dict[tuple[str, str], Any] = {}
_lock = threading.Lock()


def resolve_model(settings: Settings) -> tuple[str, Path]:
    """(rembg session name, weights path) for settings.rembg_model; raises ModelError if missing."""
    home = settings.resolved_models_dir.resolve()
    spec = settings.rembg_model
    if spec.endswith(".onnx") or os.sep in spec:
        path = Path(spec).expanduser().resolve()
        if not path.is_relative_to(home):
            raise ModelError(
                f"A custom model must live inside the models dir {home} (rembg refuses others)."
                f" Copy {path.name} there and set PETPIXEL_REMBG_MODEL to the new path.",
                code="model_outside_dir",
            )
        if not path.is_file():
            raise ModelError(f"No model file at {path}.", code="model_missing")
        return "u2net_custom", path
    if spec in MODELS:
        return spec, model_file(spec, home)
    path = home / f"{spec}.onnx"
    if not path.is_file():
        raise ModelError(
            f"The rembg model {spec!r} is not in {home}; put {spec}.onnx there first.",
            code="model_missing",
        )
    return spec, path


def rembg_available(settings: Settings) -> bool:
    """Whether the configured weights are installed (auto mode's test; never downloads)."""
    try:
        resolve_model(settings)
    except ModelError:
        return False
    return True


def get_session(name: str, path: Path) -> Any:
    """The process-wide session for one weights file, created on first use."""
    key = (name, str(path))
    with _lock:
        if key not in _sessions:
            _sessions[key] = _new_session(name, path)
        return _sessions[key]


def _new_session(name: str, path: Path) -> Any:
    if name in U2NET_FAMILY:
        import onnxruntime as ort

        options = ort.SessionOptions()
        # Idle pool threads sleep instead of spinning: on a busy machine a spinning thread takes a
        # core from the reader and drawer that run next (measured: ~80 ms CPU less per photo).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    from rembg import new_session  # slow first import: only for models outside U^2-Net's family

    os.environ["U2NET_HOME"] = str(path.parent)
    return new_session(name, providers=["CPUExecutionProvider"])


def u2net_input(image: Image.Image) -> np.ndarray:
    """A NET_SIDE square RGB image as U^2-Net's input tensor, normalised exactly as rembg does
    (scaled by the image's own brightest value, then ImageNet mean and deviation)."""
    pixels = np.asarray(image.convert("RGB"), dtype=np.float64)
    pixels = pixels / max(float(pixels.max()), 1e-6)
    normal = (pixels - np.array(IMAGENET_MEAN)) / np.array(IMAGENET_STD)
    return np.ascontiguousarray(normal.transpose(2, 0, 1)[None], dtype=np.float32)


class RembgCutter:
    """Background removal with a rembg session, cleaned up into a hard silhouette."""

    def __init__(self, session_name: str, path: Path) -> None:
        self.session_name, self.path = session_name, path
        self.name = f"rembg:{path.stem if session_name == 'u2net_custom' else session_name}"

    @classmethod
    def from_settings(cls, settings: Settings) -> RembgCutter:
        return cls(*resolve_model(settings))

    def cut(self, image: Image.Image) -> CutoutResult:
        session = get_session(self.session_name, self.path)
        small = working_copy(image, 512)
        matte = self._matte(session, small)
        mask = refine(matte)
        confidence = decisiveness(matte, mask) * area_score(mask) * border_score(mask)
        return finish(image, mask, confidence, self.name)

    def _matte(self, session: Any, small: Image.Image) -> np.ndarray:
        """Probabilities 0..1 at small's size."""
        net_in = small.resize((NET_SIDE, NET_SIDE), Image.Resampling.BILINEAR)
        if self.session_name in U2NET_FAMILY:
            inputs = {session.get_inputs()[0].name: u2net_input(net_in)}
            prob = np.asarray(session.run(None, inputs)[0][0, 0], dtype=np.float32)
        else:
            prob = np.asarray(session.predict(net_in)[0], dtype=np.float32) / 255.0
        resized = Image.fromarray(np.clip(prob, 0, 1)).resize(small.size, Image.Resampling.BILINEAR)
        return np.asarray(resized, dtype=np.float32)


def decisiveness(matte: np.ndarray, mask: np.ndarray) -> float:
    """How few pixels the model left undecided, relative to the subject's size."""
    unsure = float(((matte > 0.15) & (matte < 0.85)).sum())
    return float(np.clip(1.0 - unsure / max(float(mask.sum()), 1.0), 0.0, 1.0))
