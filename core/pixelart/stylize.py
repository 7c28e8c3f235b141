"""Stylizers: an optional pre-pass that redraws the cut-out pet before the classical pixelizer.

`ClassicalStylizer` changes nothing (the pixelizer does all the work); `DiffusionStylizer` runs a
local diffusers img2img pipeline (GPU workers) and keeps the pet's own silhouette. The pipeline
calls `new_stylizer(settings).stylize(subject, ...)` and then `pixelize(...)` on the result.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import math
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from PIL import Image

from core.config import Settings
from core.errors import PetPixelError
from core.progress import ProgressFn, no_progress

log = logging.getLogger(__name__)

Device = Literal["auto", "cuda", "cpu"]
DType = Literal["auto", "float16", "bfloat16", "float32"]

# The composite background: mid grey has no colour cast to bleed into the fur at the edges,
# and the real alpha is put back afterwards, so none of it survives inside the sprite.
NEUTRAL_BACKGROUND = (128, 128, 128)
GUIDANCE_SCALE = 7.5
_SPRITE = "pixel art sprite of a pet, full body, side view, game character, crisp clean outlines"
STYLE_PROMPTS: dict[str, str] = {
    "8bit": f"{_SPRITE}, 8-bit NES style, very limited palette, flat colours, bold shapes",
    "16bit": f"{_SPRITE}, 16-bit SNES style, limited palette, soft shading, detailed fur",
    "modern": f"{_SPRITE}, modern indie game pixel art, rich shading, vibrant colours",
    "gameboy": f"{_SPRITE}, Game Boy style, four shades of green, high contrast",
    "pico8": f"{_SPRITE}, PICO-8 fantasy console style, 16 colour palette, chunky pixels, cute",
}
DEFAULT_PROMPT = f"{_SPRITE}, retro video game style, limited palette"
NEGATIVE_PROMPT = (
    "photo, photorealistic, blurry, noisy, gradient, jpeg artifacts, text, watermark, signature, "
    "background clutter, extra limbs, extra heads, deformed, cropped"
)


class Stylizer(Protocol):
    """Redraws an RGBA subject; the result has the subject's size and exactly its alpha."""

    name: str

    def stylize(
        self,
        subject_rgba: Image.Image,
        *,
        style: str,
        seed: int = 0,
        steps: int | None = None,
        strength: float | None = None,
        progress: ProgressFn | None = None,
    ) -> Image.Image: ...


class ClassicalStylizer:
    """The default: no redraw; the classical pixelizer does all the styling."""

    name = "classical"

    def stylize(
        self,
        subject_rgba: Image.Image,
        *,
        style: str,  # noqa: ARG002 - the protocol's; nothing to choose here
        seed: int = 0,  # noqa: ARG002
        steps: int | None = None,  # noqa: ARG002
        strength: float | None = None,  # noqa: ARG002
        progress: ProgressFn | None = None,
    ) -> Image.Image:
        (progress or no_progress)(100, "Styling")
        return subject_rgba.convert("RGBA")  # always a copy: callers may draw on it


def new_stylizer(settings: Settings) -> Stylizer:
    """Pick the stylizer the settings ask for; a bad model_path fails here, at start-up."""
    choice = settings.stylizer
    if choice == "auto":
        choice = _auto_choice(settings)
    if choice == "classical":
        return ClassicalStylizer()
    if settings.model_path is None:
        raise PetPixelError(
            "PETPIXEL_STYLIZER=diffusion needs PETPIXEL_MODEL_PATH: the folder of a diffusers "
            "img2img pipeline. Set it, or use PETPIXEL_STYLIZER=classical.",
            code="stylizer_unavailable",
        )
    return DiffusionStylizer(
        settings.model_path,
        resolution=settings.diffusion_resolution,
        steps=settings.diffusion_steps,
        strength=settings.diffusion_strength,
    )


def _auto_choice(settings: Settings) -> Literal["classical", "diffusion"]:
    """Diffusion only with weights AND a CUDA GPU: on CPU one 512 px photo takes minutes."""
    if settings.model_path is None:
        return "classical"
    if not ml_installed():
        log.warning("model_path is set but torch/diffusers are missing: using the classical path")
        return "classical"
    import torch

    if not torch.cuda.is_available():
        log.info("No CUDA GPU: classical stylizer (set PETPIXEL_STYLIZER=diffusion to force)")
        return "classical"
    return "diffusion"


def ml_installed() -> bool:
    """Whether the optional `ml` extra (torch + diffusers + transformers) is importable."""
    return all(importlib.util.find_spec(m) for m in ("torch", "diffusers", "transformers"))


def check_pipeline_dir(model_path: Path) -> dict[str, Any]:
    """Read model_index.json and check each listed component folder exists; else PetPixelError."""
    index_file = model_path / "model_index.json"
    hint = (
        "Point PETPIXEL_MODEL_PATH at a folder written by a diffusers pipeline's "
        "save_pretrained(), or unset it to use the classical pixelizer."
    )
    try:
        index = json.loads(index_file.read_text())
        if not isinstance(index, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as exc:
        raise PetPixelError(
            f"{model_path} does not hold a diffusers pipeline ({index_file.name}: {exc}). {hint}",
            code="stylizer_unavailable",
        ) from exc
    missing = [
        name
        for name, spec in index.items()
        if not name.startswith("_") and _is_component(spec) and not (model_path / name).is_dir()
    ]
    if "_class_name" not in index or missing:
        raise PetPixelError(
            f"{model_path} holds an incomplete diffusers pipeline "
            f"(missing: {', '.join(missing) or '_class_name'}). {hint}",
            code="stylizer_unavailable",
        )
    return dict(index)


def _is_component(spec: object) -> bool:
    """model_index.json lists components as [library, class]; [null, null] means 'not used'."""
    return isinstance(spec, list) and len(spec) == 2 and spec[0] is not None


def snap_size(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    """Scale so the long side is long_side, both sides multiples of 8 (what SD's VAE needs)."""
    scale = long_side / max(size)

    def snap(side: int) -> int:
        return max(8, round(side * scale / 8) * 8)

    return snap(size[0]), snap(size[1])


def on_neutral(subject_rgba: Image.Image) -> Image.Image:
    """Flatten the cut-out onto the neutral background: img2img needs an RGB photo."""
    rgba = subject_rgba.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (*NEUTRAL_BACKGROUND, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")


@dataclass
class _Loaded:
    """A pipeline cached per (path, device, dtype); its lock because calls are not thread-safe."""

    pipe: Any
    device: str
    lock: threading.Lock


_CACHE: dict[tuple[str, str, str], _Loaded] = {}
_CACHE_LOCK = threading.Lock()


class DiffusionStylizer:
    """diffusers img2img from a local folder; loads lazily, once per process, never online."""

    def __init__(
        self,
        model_path: Path | str,
        *,
        device: Device = "auto",
        dtype: DType = "auto",
        resolution: int = 512,
        steps: int = 30,
        strength: float = 0.55,
    ) -> None:
        self.model_path = Path(model_path).expanduser().resolve()
        self.index = check_pipeline_dir(self.model_path)
        if not ml_installed():
            raise PetPixelError(
                "The diffusion stylizer needs torch, diffusers and transformers: install "
                "`petpixel[ml]` on GPU workers, or set PETPIXEL_STYLIZER=classical.",
                code="stylizer_unavailable",
            )
        self.device, self.dtype = device, dtype
        self.resolution, self.steps, self.strength = resolution, steps, strength
        self.name = f"diffusion:{self.model_path.name}"

    def load(self) -> _Loaded:
        """Load (or reuse) this process's pipeline; the first `stylize` call does, lazily."""
        device, dtype = _resolve_device(self.device, self.dtype)
        key = (str(self.model_path), device, dtype)
        with _CACHE_LOCK:
            if key not in _CACHE:
                _CACHE[key] = _load_pipeline(self.model_path, device, dtype)
            return _CACHE[key]

    def stylize(
        self,
        subject_rgba: Image.Image,
        *,
        style: str,
        seed: int = 0,
        steps: int | None = None,
        strength: float | None = None,
        progress: ProgressFn | None = None,
    ) -> Image.Image:
        """img2img the pet on a neutral background, then put the cut-out's own alpha back."""
        loaded = self.load()
        rgba = subject_rgba.convert("RGBA")
        work = on_neutral(rgba).resize(
            snap_size(rgba.size, self.resolution), Image.Resampling.LANCZOS
        )
        strength = self.strength if strength is None else strength
        with loaded.lock:
            drawn = _run(loaded, work, style, seed, steps or self.steps, strength, progress)
        out = drawn.convert("RGB").resize(rgba.size, Image.Resampling.LANCZOS).convert("RGBA")
        out.putalpha(rgba.getchannel("A"))
        return out


def _resolve_device(device: Device, dtype: DType) -> tuple[str, str]:
    """auto: CUDA in fp16 when present (half the memory, ~2x faster), else CPU in fp32."""
    import torch

    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if dtype == "auto":
        dtype = "float16" if device == "cuda" else "float32"
    return device, dtype


def _load_pipeline(model_path: Path, device: str, dtype: str) -> _Loaded:
    """from_pretrained with hubs off: weights come from model_path or not at all."""
    # Read by huggingface_hub at import time, so set before the first diffusers import; the
    # constant is patched too in case something imported it earlier in this process.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    import huggingface_hub.constants as hub_constants
    import torch
    from diffusers import AutoPipelineForImage2Image

    hub_constants.HF_HUB_OFFLINE = True
    log.info("Loading diffusion pipeline from %s on %s (%s)", model_path, device, dtype)
    try:
        pipe = AutoPipelineForImage2Image.from_pretrained(  # type: ignore[no-untyped-call,unused-ignore]
            model_path, dtype=getattr(torch, dtype), local_files_only=True
        )
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise PetPixelError(
            f"Could not load the diffusion pipeline in {model_path}: {str(exc).rstrip('. ')}. "
            "Check that the folder is complete, or set PETPIXEL_STYLIZER=classical.",
            code="stylizer_unavailable",
        ) from exc
    pipe = pipe.to(device)
    pipe.set_progress_bar_config(disable=True)  # worker logs get our progress instead
    return _Loaded(pipe=pipe, device=device, lock=threading.Lock())


def _run(
    loaded: _Loaded,
    image: Image.Image,
    style: str,
    seed: int,
    steps: int,
    strength: float,
    progress: ProgressFn | None,
) -> Image.Image:
    """One seeded img2img call; steps is diffusers' count, so about steps*strength run."""
    import torch

    report = progress or no_progress
    # img2img runs int(steps * strength) steps: keep at least one so a low strength still works.
    steps = max(steps, math.ceil(1 / strength))
    total = max(1, int(steps * strength))

    def on_step(_pipe: Any, step: int, _t: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        report(round(100 * (step + 1) / total), "Painting pixel art")
        return kwargs

    # A CPU generator gives the same noise on any device, so a seed reproduces across workers.
    generator = torch.Generator(device="cpu").manual_seed(seed)
    with torch.inference_mode():
        result = loaded.pipe(
            prompt=STYLE_PROMPTS.get(style, DEFAULT_PROMPT),
            negative_prompt=NEGATIVE_PROMPT,
            image=image,
            strength=strength,
            num_inference_steps=steps,
            guidance_scale=GUIDANCE_SCALE,
            generator=generator,
            callback_on_step_end=on_step,
        )
    image_out: Image.Image = result.images[0]
    return image_out
