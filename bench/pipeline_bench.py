"""Pipeline benchmark: step timings on real photos, and sprite quality against two baselines.

Times the real pipeline (`core.pipeline.make_sprite`, end to end) and each step on its own: intake,
cutout (classical, and rembg U^2-Net-p when its weights are installed), crop, pixelize per style,
animate, sheet, GIF. Photos: scikit-image's Chelsea (a real cat, 451x300) resized to 1 MP and to
12 MP as JPEGs, and the synthetic test pet. Medians of N runs.

Quality, per style, on Chelsea and the synthetic pet (the cut-outs the tests use): ours against
a naive box-resize + quantize (the style's hardware palette when it has one, else median cut to
our colour count) and, when `pixeloe` is importable (`pip install .[bench]`), PixelOE's numpy
pixelizer with the same colour count. Metrics from core/pixelart/metrics.py; colour error,
contrast and IoU are taken on our sprite's body (outline stripped) against baselines drawn at that
body size, so the outline is neither a penalty nor a bonus. Writes bench/results/pipeline.json
and bench/results/contact_sheet.png (photo, naive, PixelOE, ours per style; nearest upscaling).

    .venv/bin/python bench/pipeline_bench.py [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.config import Settings  # noqa: E402
from core.images.crop import crop_subject  # noqa: E402
from core.images.cutout_classical import ClassicalCutter  # noqa: E402
from core.images.intake import IntakeLimits, load_image  # noqa: E402
from core.pipeline import make_sprite  # noqa: E402
from core.pixelart import metrics  # noqa: E402
from core.pixelart.baseline import naive_pixelize  # noqa: E402
from core.pixelart.downscale import subject_box  # noqa: E402
from core.pixelart.palettes import FIXED  # noqa: E402
from core.pixelart.pixelize import PixelSprite, pixelize  # noqa: E402
from core.pixelart.styles import STYLES  # noqa: E402
from core.sprites.animate import animate  # noqa: E402
from core.sprites.preview import preview_gif  # noqa: E402
from core.sprites.sheet import build_sheet  # noqa: E402
from tests.conftest import make_synthetic_pet  # noqa: E402
from tests.pixelart.conftest import (  # noqa: E402
    CAT_ELLIPSE,
    CAT_EYES,
    SYNTH_EYES,
    ellipse_cutout,
    synthetic_cutout,
)
from tests.pixelart.faces import eye_contrast  # noqa: E402

RESULTS = ROOT / "bench" / "results"
QUALITY_SIZES = (16, 32)
CELL = 160  # contact-sheet cell height in pixels


def chelsea() -> Image.Image:
    from skimage import data

    return Image.fromarray(np.asarray(data.chelsea()))


def jpeg(image: Image.Image, megapixels: float) -> bytes:
    scale = (megapixels * 1e6 / (image.width * image.height)) ** 0.5
    size = (round(image.width * scale), round(image.height * scale))
    out = io.BytesIO()
    image.resize(size, Image.Resampling.LANCZOS).save(out, "JPEG", quality=90)
    return out.getvalue()


def median_ms(fn: Callable[[], Any], runs: int, *, warm_up: bool = False) -> tuple[float, Any]:
    """Median ms over `runs` calls (after an untimed call if `warm_up`), and the last result."""
    result = fn() if warm_up else None
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1), result


def rembg_settings() -> Settings | None:
    """Settings using the installed u2netp model (`petpixel models install`), or None."""
    from core.images.cutout_rembg import rembg_available

    settings = Settings(
        data_dir=ROOT / "petpixel-data", cutout_backend="rembg", rembg_model="u2netp"
    )
    return settings if rembg_available(settings) else None


def time_steps(name: str, photo: bytes, runs: int, data_dir: Path) -> dict[str, Any]:
    """Median ms per step for one photo, each step fed the previous step's real output."""
    limits = IntakeLimits.from_settings(Settings(data_dir=data_dir))
    steps: dict[str, float] = {}
    steps["intake"], intake = median_ms(lambda: load_image(photo, limits), runs)
    steps["cutout_classical"], cut = median_ms(lambda: ClassicalCutter().cut(intake.image), runs)
    rembg = rembg_settings()
    if rembg is not None:
        from core.images.cutout_rembg import RembgCutter

        cutter = RembgCutter.from_settings(rembg)
        steps["cutout_rembg_u2netp"], cut = median_ms(
            lambda: cutter.cut(intake.image), runs, warm_up=True
        )
    steps["crop"], subject = median_ms(lambda: crop_subject(cut.rgba, cut.mask), runs)
    sprites: dict[str, PixelSprite] = {}
    for style in STYLES:
        steps[f"pixelize_{style}"], sprites[style] = median_ms(
            lambda style=style: pixelize(subject, style=style), runs
        )
    sprite = sprites["16bit"]
    steps["animate"], animations = median_ms(lambda: animate(sprite), runs)
    steps["sheet"], _ = median_ms(lambda: build_sheet(animations, sprite.palette), runs)
    steps["gif"], _ = median_ms(lambda: preview_gif(animations), runs)
    end_to_end = {}
    backends = ["classical"] + (["rembg"] if rembg is not None else [])
    for backend in backends:
        settings = (rembg or Settings(data_dir=data_dir)).model_copy(
            update={"cutout_backend": backend}
        )
        end_to_end[backend], result = median_ms(
            partial(make_sprite, photo, settings=settings, style="16bit"), runs
        )
    width, height = Image.open(io.BytesIO(photo)).size
    return {
        "photo": name,
        "pixels": width * height,
        "bytes": len(photo),
        "steps_ms": steps,
        "end_to_end_ms": end_to_end,
        "cutout_backend_used": result.cutout_backend,
        "cutout_confidence": round(result.confidence, 3),
    }


def pixeloe_pixelize() -> Callable[[Image.Image, int, int], Image.Image] | None:
    """PixelOE's numpy pixelizer (subject RGBA, body size, colours) -> RGBA, or None if absent."""
    try:
        from pixeloe.legacy.pixelize import pixelize as oe
    except ImportError:
        return None

    def run(subject: Image.Image, size: int, colours: int) -> Image.Image:
        # Same framing and size as the naive baseline: the subject box, longest side `size`.
        naive = naive_pixelize(subject, size=size, colours=colours)
        alpha = np.asarray(naive.image)[..., 3]
        box = subject_box(np.asarray(subject)[..., 3])
        rgb = np.asarray(subject.convert("RGB").crop(box))[..., ::-1].copy()  # PixelOE wants BGR
        patch = max(1, round(max(rgb.shape[:2]) / size))
        small = oe(rgb, target_size=size, patch_size=patch, colors=colours, no_upscale=True)
        small = np.asarray(small)[..., ::-1]
        grid = Image.fromarray(np.ascontiguousarray(small)).resize(
            (alpha.shape[1], alpha.shape[0]), Image.Resampling.NEAREST
        )
        out = np.dstack([np.asarray(grid), alpha])
        out[alpha == 0] = 0
        return Image.fromarray(out, "RGBA")

    return run


def score(
    image: Image.Image | np.ndarray,
    subject: Image.Image,
    eyes: tuple[tuple[float, float, float, float], ...],
    *,
    outlined: bool,
    hardware: tuple[str, ...] | None,
) -> dict[str, Any]:
    """All metrics for one sprite; `outlined` sprites are measured on their body for fidelity."""
    rgba = metrics.as_rgba(image)
    opaque = rgba[..., 3] > 0
    colours = np.unique(rgba[..., :3][opaque].reshape(-1, 3), axis=0)
    own = [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in colours]
    body = metrics.body(rgba) if outlined else rgba
    mask = np.asarray(subject)[..., 3]
    orphans = metrics.orphan_stats(rgba)
    return {
        "colours": len(own),
        "palette_adherence": (
            round(metrics.palette_adherence(rgba, hardware), 4) if hardware else None
        ),
        "grid_exactness": round(metrics.grid_exactness(rgba, own), 4),
        "orphans": orphans["count"],
        "orphans_on_edge": orphans["edge"],
        "silhouette_iou": round(metrics.silhouette_iou(body, mask), 3),
        "lab_error": round(metrics.colour_error(body, subject), 2),
        "contrast_kept": round(metrics.contrast_kept(body, subject), 3),
        "outline_coverage": round(metrics.outline_coverage(rgba), 3),
        "eye_contrast": round(eye_contrast(Image.fromarray(rgba), eyes, 1 if outlined else 0), 1),
    }


def quality(
    subjects: dict[str, tuple[Image.Image, Any]],
) -> tuple[dict[str, Any], dict[str, list[tuple[str, Image.Image]]]]:
    """Metrics and timings per subject, size and style for ours, naive and PixelOE."""
    oe = pixeloe_pixelize()
    results: dict[str, Any] = {}
    panels: dict[str, list[tuple[str, Image.Image]]] = {}
    for name, (subject, eyes) in subjects.items():
        results[name] = {}
        for size in QUALITY_SIZES:
            row: list[tuple[str, Image.Image]] = []
            naive_panel: list[tuple[str, Image.Image]] = []
            per_style = {}
            for style, spec in STYLES.items():
                hardware = FIXED.get(spec.palette)
                outlined = spec.outline != "none"
                body_size = size - 2 if outlined else size
                ours_ms, ours = median_ms(partial(pixelize, subject, style=style, size=size), 1)
                naive_ms, naive = median_ms(
                    partial(
                        naive_pixelize,
                        subject,
                        size=body_size,
                        colours=len(ours.palette),
                        palette=hardware,
                    ),
                    1,
                )
                entry = {
                    "ours": {
                        "ms": ours_ms,
                        **score(ours.image, subject, eyes, outlined=outlined, hardware=hardware),
                    },
                    "naive": {
                        "ms": naive_ms,
                        **score(naive.image, subject, eyes, outlined=False, hardware=hardware),
                    },
                }
                if oe is not None and style == "16bit":  # PixelOE keeps no palette: adaptive only
                    oe_ms, oe_image = median_ms(
                        partial(oe, subject, body_size, len(ours.palette)), 1
                    )
                    entry["pixeloe"] = {
                        "ms": oe_ms,
                        **score(oe_image, subject, eyes, outlined=False, hardware=None),
                    }
                    naive_panel.append(("PixelOE", oe_image))
                if style == "16bit":
                    naive_panel.insert(0, ("naive", naive.image))
                per_style[style] = entry
                row.append((style, ours.image))
            results[name][str(size)] = per_style
            panels[f"{name} {size}px"] = naive_panel + row
    return results, panels


def contact_sheet(photos: dict[str, Image.Image], panels: dict[str, list]) -> Image.Image:
    """One row per subject and size: the photo, the baselines, then ours per style."""
    rows = []
    for key, cells in panels.items():
        photo = photos[key.split()[0]]
        tiles = [("photo", photo.resize((round(photo.width * CELL / photo.height), CELL)))]
        for label, image in cells:
            scale = max(1, CELL // image.height)
            tiles.append((label, image.resize((image.width * scale, image.height * scale), 0)))
        width = sum(t.width for _, t in tiles) + 8 * (len(tiles) + 1)
        row = Image.new("RGB", (width, CELL + 30), (138, 146, 166))
        draw = ImageDraw.Draw(row)
        x = 8
        for label, tile in tiles:
            row.paste(tile, (x, 22), tile if tile.mode == "RGBA" else None)
            draw.text((x, 4), f"{key.split()[1] if label == 'photo' else ''} {label}", fill=0)
            x += tile.width + 8
        rows.append(row)
    sheet = Image.new("RGB", (max(r.width for r in rows), sum(r.height for r in rows)), "white")
    y = 0
    for row in rows:
        sheet.paste(row, (0, y))
        y += row.height
    return sheet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per measurement")
    args = parser.parse_args()
    started = time.perf_counter()
    cat = chelsea()
    synth = make_synthetic_pet()
    timings = []
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        for name, photo in (
            ("chelsea_1mp", jpeg(cat, 1.0)),
            ("chelsea_12mp", jpeg(cat, 12.0)),
            ("synthetic_pet_0.3mp", jpeg(synth, 0.307)),
        ):
            timings.append(time_steps(name, photo, args.runs, data_dir))
            print(name, json.dumps(timings[-1]["end_to_end_ms"]), flush=True)
    subjects = {
        "chelsea": (ellipse_cutout(cat, CAT_ELLIPSE), CAT_EYES),
        "synthetic": (synthetic_cutout(), SYNTH_EYES),
    }
    scores, panels = quality(subjects)
    RESULTS.mkdir(parents=True, exist_ok=True)
    photos = {k: s.crop(subject_box(np.asarray(s)[..., 3])) for k, (s, _) in subjects.items()}
    contact_sheet(photos, panels).save(RESULTS / "contact_sheet.png")
    report = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "runs": args.runs,
        "pixeloe": pixeloe_pixelize() is not None,
        "timings": timings,
        "quality": scores,
        "bench_seconds": round(time.perf_counter() - started, 1),
    }
    (RESULTS / "pipeline.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {RESULTS / 'pipeline.json'} in {report['bench_seconds']} s")


if __name__ == "__main__":
    main()
