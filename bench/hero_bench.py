"""Hero benchmark: every development photo -> hero (or a refusal), with metrics and a contact sheet.

Per photo: the species used, the quality gate's verdict, and for heroes the eye pixels and their
contrast, the dominant coat colour's CIEDE2000 error against the photo's pet pixels (after the
same colour-cast correction the reader applies), leg motion between walk frames, orphan pixels and
colour count; where the photos have labels (labels.json), the reading against them: base colour
CIEDE2000, pattern, marking regions, printed per photo and counted in the summary. End-to-end
times at 12 MP and 1 MP (median of a few photos, wall and process CPU, also per pipeline stage).
Writes bench/results/hero.json and bench/results/hero_contact_sheet.png (photo | hero idle | walk
frames | jump | today's photo-pose sprite | PixelOE when importable).

    .venv/bin/python bench/hero_bench.py [--style 16bit] [--photos DIR] [--timing-photos 3]
        [--timing-runs 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import statistics
import sys
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw
from skimage.color import deltaE_ciede2000, rgb2lab

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pipeline_bench import pixeloe_pixelize  # noqa: E402
from core.config import Settings  # noqa: E402
from core.errors import PetPixelError  # noqa: E402
from core.hero.colour import apply_gains, delta_e, estimate_gains, hex_rgb  # noqa: E402
from core.hero.paint import Role  # noqa: E402
from core.hero.rolecolours import fit_style, role_colours  # noqa: E402
from core.images.crop import crop_subject  # noqa: E402
from core.images.intake import IntakeLimits, load_image  # noqa: E402
from core.pipeline import SpriteResult, make_sprite  # noqa: E402
from core.pixelart import metrics  # noqa: E402
from core.pixelart.styles import get_style  # noqa: E402

RESULTS = ROOT / "bench" / "results"
THUMB = 96


def lab(rgb: np.ndarray) -> np.ndarray:
    return np.asarray(rgb2lab(np.asarray(rgb, dtype=np.uint8).reshape(-1, 1, 3))).reshape(-1, 3)


def coat_error(photo: bytes, result: SpriteResult, settings: Settings) -> float:
    """CIEDE2000 between the hero's base colour and the median of the photo's pet pixels.

    The median mixes every colour of the coat, so it is lowest for a hero that averages a beagle's
    tan, white and black into one brown: for marked coats, trust `base_de2000` (against the label).
    """
    image = np.asarray(load_image(photo, IntakeLimits.from_settings(settings)).image.convert("RGB"))
    mask = np.asarray(result.mask.resize(image.shape[1::-1], Image.Resampling.NEAREST)) > 0
    corrected = apply_gains(image, estimate_gains(image, np.where(mask, 255, 0).astype(np.uint8)))
    pet = lab(corrected[mask])
    reference = np.median(pet, axis=0)
    assert result.look is not None
    base = fit_style(role_colours(result.look), get_style(result.style))[Role.BASE]
    return float(deltaE_ciede2000(reference, lab(np.array([base]))[0]))


def hexes(rgb: tuple[int, int, int] | None) -> str | None:
    return None if rgb is None else "#{:02x}{:02x}{:02x}".format(*rgb)


def against_label(result: SpriteResult, label: dict[str, Any]) -> dict[str, Any]:
    """The reading of the coat and how it compares with the photo's label."""
    assert result.look is not None
    coat = result.look.coat
    read = {
        "base": hexes(coat.base),
        "pattern": coat.pattern,
        "secondary": hexes(coat.secondary),
        "secondary_regions": list(coat.secondary_regions),
        "tertiary": hexes(coat.tertiary),
        "tertiary_regions": list(coat.tertiary_regions),
    }
    out: dict[str, Any] = {"read": read}
    if "base" in label:
        out["label_base"] = label["base"]
        out["base_de2000"] = round(delta_e(hex_rgb(label["base"]), coat.base), 1)
    if "pattern" in label:
        out["label_pattern"] = label["pattern"]
    if "secondary_regions" in label:
        want = set(label["secondary_regions"])
        out["regions_found"] = f"{len(want & set(coat.secondary_regions))}/{len(want)}"
    return out


def label_summary(entries: list[dict[str, Any]]) -> dict[str, str]:
    """Counts over the labelled heroes: base within CIEDE2000 12, pattern, marking regions."""
    based = [e for e in entries if "base_de2000" in e]
    patterned = [e for e in entries if "label_pattern" in e]
    regions = [
        tuple(map(int, e["regions_found"].split("/"))) for e in entries if "regions_found" in e
    ]
    return {
        "base_within_de12": f"{sum(e['base_de2000'] <= 12 for e in based)}/{len(based)}",
        "pattern_right": f"{sum(e['label_pattern'] == e['read']['pattern'] for e in patterned)}"
        f"/{len(patterned)}",
        "regions_found": f"{sum(r[0] for r in regions)}/{sum(r[1] for r in regions)}",
    }


def hero_metrics(result: SpriteResult) -> dict[str, Any]:
    idle = np.asarray(result.animations["idle"][0].image)
    assert result.look is not None
    fitted = fit_style(role_colours(result.look), get_style(result.style))
    eye = np.all(idle[..., :3] == fitted[Role.EYE], axis=-1) & (idle[..., 3] > 0)
    eye_contrast = float(
        np.linalg.norm(lab(np.array([fitted[Role.EYE]])) - lab(np.array([fitted[Role.BASE]])))
    )
    walk = [np.asarray(f.image)[..., 3] > 0 for f in result.animations["walk"]]
    rows = max(3, result.visible_height // 4)
    legs = [w[-rows:] for w in walk]
    motion = statistics.mean(float((a ^ b).sum() / max(1, (a | b).sum()))
                             for a, b in zip(legs, legs[1:] + legs[:1], strict=True))  # fmt: skip
    orphans = metrics.orphan_stats(idle)
    return {
        "eye_pixels": int(eye.sum()),
        "eye_contrast_lab": round(eye_contrast, 1),
        "leg_motion": round(motion, 3),
        "orphans": orphans["count"],
        "orphans_inside": orphans["inside"],
        "colours": len(result.palette),
    }


def scaled_jpeg(path: Path, megapixels: float) -> bytes:
    """The photo resized to `megapixels` (aspect kept) and saved as a JPEG, as a phone would."""
    image = Image.open(path).convert("RGB")
    scale = (megapixels * 1e6 / (image.width * image.height)) ** 0.5
    big = image.resize((round(image.width * scale), round(image.height * scale)))
    buf = io.BytesIO()
    big.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def timing(photos: list[Path], settings: Settings, style: str, runs: int) -> dict[str, Any]:
    """Median end-to-end wall and process-CPU ms at 12 MP and 1 MP, and per pipeline stage.

    Each photo runs once to warm the caches (models, sessions), then `runs` times. CPU time counts
    every thread of the process (the model's two included): on a shared machine it is the steadier
    number, while wall time also measures the neighbours.
    """
    out: dict[str, Any] = {}
    for label, megapixels in (("12mp", 12.0), ("1mp", 1.0)):
        results = []
        for path in photos:
            data = scaled_jpeg(path, megapixels)
            make_sprite(data, settings=settings, style=style)  # warm caches
            results += [make_sprite(data, settings=settings, style=style) for _ in range(runs)]
        out[f"end_to_end_{label}_median_ms"] = median_of(results, "timings_ms", "total")
        out[f"end_to_end_{label}_cpu_median_ms"] = median_of(results, "cpu_ms", "total")
        out[f"stages_{label}_median_ms"] = {
            stage: {"wall": median_of(results, "timings_ms", stage),
                    "cpu": median_of(results, "cpu_ms", stage)}
            for stage in results[0].timings_ms
        }  # fmt: skip
    return out


def median_of(results: list[SpriteResult], kind: str, stage: str) -> float:
    return round(statistics.median(getattr(r, kind)[stage] for r in results), 1)


def strip(images: list[Image.Image | None], height: int) -> Image.Image:
    """Images side by side, each scaled by a whole factor to about `height` px tall."""
    tiles = []
    for im in images:
        if im is None:
            tiles.append(Image.new("RGBA", (height // 2, height), (0, 0, 0, 0)))
            continue
        k = max(1, height // max(im.height, 1))
        tiles.append(im.resize((im.width * k, im.height * k), Image.Resampling.NEAREST))
    out = Image.new("RGBA", (sum(t.width + 4 for t in tiles), height), (0, 0, 0, 0))
    x = 0
    for t in tiles:
        out.alpha_composite(t.convert("RGBA"), (x, height - t.height))
        x += t.width + 4
    return out


def row(path: Path, result: SpriteResult | None, error: str | None, old: SpriteResult | None,
        oe: Image.Image | None) -> Image.Image:  # fmt: skip
    photo = Image.open(path).convert("RGBA")
    photo.thumbnail((THUMB * 2, THUMB))
    canvas = Image.new("RGBA", (1500, THUMB + 8), (205, 225, 240, 255))
    canvas.alpha_composite(photo, (4, 4))
    draw = ImageDraw.Draw(canvas)
    draw.text((4 + THUMB * 2 + 8, 4), path.stem[:28], fill=(0, 0, 0, 255))
    x = 4 + THUMB * 2 + 8
    if result is None:
        draw.text((x, 30), f"refused: {error}", fill=(160, 0, 0, 255))
    else:
        a = result.animations
        frames = [a["idle"][0].image] + [a["walk"][i].image for i in range(0, 8, 2)]
        frames += [a["jump"][2].image, a["special"][2].image]
        draw.text(
            (x, 16), f"{result.species}{'?' if result.species_guessed else ''}", fill=(0, 0, 0, 255)
        )
        canvas.alpha_composite(strip(frames, THUMB - 16), (x, 20))
    x = 1500 - 260
    extra = [old.sprite if old else None, oe]
    canvas.alpha_composite(strip(extra, THUMB - 16), (x, 20))
    draw.text((x, 4), "today | PixelOE", fill=(0, 0, 0, 255))
    return canvas


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--style", default="16bit")
    parser.add_argument("--photos", type=Path, default=ROOT / "tests" / "data" / "pets")
    parser.add_argument("--timing-photos", type=int, default=3)
    parser.add_argument("--timing-runs", type=int, default=5)
    args = parser.parse_args()
    settings = Settings()
    oe = pixeloe_pixelize()
    photos = sorted(args.photos.glob("*.jpg"))
    labels_file = args.photos / "labels.json"
    labels = json.loads(labels_file.read_text()) if labels_file.is_file() else {}
    entries, rows = [], []
    for path in photos:
        data = path.read_bytes()
        entry: dict[str, Any] = {"photo": path.name}
        result, error = None, None
        try:
            result = make_sprite(data, settings=settings, style=args.style)
            entry.update(
                species=result.species,
                guessed=result.species_guessed,
                visible_height=result.visible_height,
                ms=round(result.timings_ms["total"], 1),
                coat_de2000=round(coat_error(data, result, settings), 1),
                **hero_metrics(result),
                **against_label(result, labels.get(path.name, {})),
            )
        except PetPixelError as exc:
            error = exc.code
            entry["refused"] = exc.code
        old = None
        with contextlib.suppress(PetPixelError):
            old = make_sprite(data, settings=settings, style=args.style, species="other")
        oe_image = None
        if oe is not None and old is not None:
            subject = crop_subject(old.mask.convert("RGBA"), np.asarray(old.mask))
            rgb = Image.open(path).convert("RGBA").resize(old.mask.size)
            rgb.putalpha(old.mask)
            subject = crop_subject(rgb, np.asarray(old.mask))
            oe_image = oe(subject, 32, 16)
        entries.append(entry)
        rows.append(row(path, result, error, old, oe_image))
        print(json.dumps(entry))
    sheet = Image.new("RGBA", (1500, sum(r.height for r in rows)), (255, 255, 255, 255))
    y = 0
    for r in rows:
        sheet.alpha_composite(r, (0, y))
        y += r.height
    RESULTS.mkdir(parents=True, exist_ok=True)
    sheet.convert("RGB").save(RESULTS / "hero_contact_sheet.png", optimize=True)
    heroes = [e for e in entries if "refused" not in e]
    summary = {
        "photos": len(entries),
        "heroes": len(heroes),
        "refused": {e["photo"]: e["refused"] for e in entries if "refused" in e},
        "coat_de2000_median": statistics.median(e["coat_de2000"] for e in heroes)
        if heroes
        else None,
        "eyes_visible": sum(e["eye_pixels"] >= 2 for e in heroes),
        "leg_motion_median": statistics.median(e["leg_motion"] for e in heroes) if heroes else None,
        "against_labels": label_summary(heroes),
        **timing(photos[: args.timing_photos], settings, args.style, args.timing_runs),
    }
    machine = {"cpu_count": os.cpu_count(), "python": platform.python_version()}
    report = {"machine": machine, "style": args.style, "summary": summary, "photos": entries}
    (RESULTS / "hero.json").write_text(json.dumps(report, indent=1))
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
