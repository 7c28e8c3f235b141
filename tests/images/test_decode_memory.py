"""Intake's memory, measured: crafted files decode within a bound, the budget's estimate holds, and
the process-wide cap keeps parallel uploads from multiplying it.

Decoders allocate in C, where tracemalloc sees nothing, so each measurement runs intake in a fresh
Python process and reads its peak resident size (VmHWM) against its size just before. Not
ru_maxrss: Linux carries that over from the parent across fork and exec, so a child of a large
pytest process reports the parent's peak.
Before the bounded decode, the 49 MP 16-bit grey PNG below took ~750 MB at either working side.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.config import MB, Settings
from core.errors import ImageRejected
from core.images.budget import DECODES, DecodeBusy, decode_cost
from core.images.intake import IntakeLimits, load_image, sniff_format
from core.orders.budget import Busy
from core.orders.validation import intake_photo
from tests.conftest import encode, need

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import json, sys, threading
from core.errors import ImageRejected
from core.images.intake import IntakeLimits, load_image

def status_mb(field):
    with open("/proc/self/status") as f:
        line = next(line for line in f if line.startswith(field + ":"))
    return int(line.split()[1]) / 1024

args = json.loads(sys.argv[1])
data = open(args["path"], "rb").read()
limits = IntakeLimits(max_decode_bytes=args["budget"], max_concurrent_decodes=args["cap"])
results = []

def intake():
    try:
        results.append(list(load_image(data, limits, max_working_side=args["side"]).image.size))
    except ImageRejected as exc:
        results.append(exc.code)

base = status_mb("VmRSS")
threads = [threading.Thread(target=intake) for _ in range(args["threads"])]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"peak_mb": max(0.0, status_mb("VmHWM") - base),
                  "held_mb": status_mb("VmRSS") - base, "results": results}))
"""


def intake_in_child(
    path: Path, *, side: int, threads: int = 1, cap: int = 2, budget: int = 400 * MB
) -> dict[str, object]:
    """Run load_image on the file in a fresh process; its peak and kept memory above baseline."""
    need(Path("/proc/self/status").is_file(), "Linux /proc (peak memory of a process)")
    args = {"path": str(path), "side": side, "threads": threads, "cap": cap, "budget": budget}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(args)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return dict(json.loads(done.stdout))


def estimate_mb(data: bytes, side: int) -> float:
    fmt = sniff_format(data)
    with Image.open(io.BytesIO(data)) as image:
        return decode_cost(image, fmt, full_size=image.size, max_side=side) / MB


def written(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def grey_bomb(folder: Path, side: int) -> Path:
    """16-bit grey, two flat halves: a few bytes a row however many pixels."""
    values = np.zeros((side, side), np.uint16)
    values[:, : side // 2] = 40_000
    return written(folder, f"grey16-{side}.png", encode(Image.fromarray(values), "PNG"))


@pytest.fixture(scope="module")
def grey_49mp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The attack file: 7000 x 7000 16-bit grey (49 MP, under the 50 MP limit) in ~110 KB."""
    path = grey_bomb(tmp_path_factory.mktemp("bomb"), 7000)
    assert path.stat().st_size < 150_000
    return path


@pytest.mark.parametrize("side", [512, 2048], ids=["upload", "build"])
def test_a_49_mp_16_bit_grey_png_decodes_in_bounded_memory(grey_49mp: Path, side: int) -> None:
    measured = intake_in_child(grey_49mp, side=side)
    assert measured["results"] == [[side, side]]
    peak = float(measured["peak_mb"])  # type: ignore[arg-type]
    assert peak < 200, f"intake took {peak:.0f} MB (it took ~750 MB before)"
    assert peak <= estimate_mb(grey_49mp.read_bytes(), side)


def test_a_file_over_the_budget_is_refused_without_decoding(tmp_path: Path) -> None:
    """49 MP of lossless WebP in 2 KB: ~800 MB to decode, refused from its header."""
    data = encode(Image.new("RGB", (7000, 7000), (200, 30, 30)), "WEBP", lossless=True)
    assert estimate_mb(data, 2048) > 400
    measured = intake_in_child(written(tmp_path, "wide.webp", data), side=512)
    assert measured["results"] == ["image_too_large"]
    assert float(measured["peak_mb"]) < 24  # type: ignore[arg-type]


def _rgba_with_a_hole(size: tuple[int, int]) -> Image.Image:
    image = Image.new("RGBA", size, (30, 120, 60, 255))
    image.putpixel((3, 3), (0, 0, 0, 0))
    return image


def _turned(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


CRAFTED = {
    "progressive 4:4:4 JPEG": lambda: encode(Image.new("RGB", (6000, 4000), (9, 99, 199)), "JPEG",
                                             progressive=True, subsampling=0),
    "RGBA PNG with real alpha": lambda: encode(_rgba_with_a_hole((5000, 3000)), "PNG"),
    "palette PNG with tRNS": lambda: encode(Image.new("P", (5000, 3000), 3), "PNG",
                                            transparency=3),
    "turned 12 MP PNG": lambda: encode(Image.new("RGB", (4000, 3000), (9, 99, 9)), "PNG",
                                       exif=_turned(6)),
    "lossless WebP": lambda: encode(Image.new("RGB", (4000, 3000), (9, 99, 9)), "WEBP",
                                    lossless=True),
    "HEIC": lambda: encode(Image.new("RGB", (3000, 2000), (9, 99, 9)), "HEIF", quality=30),
}  # fmt: skip


@pytest.mark.slow  # two fresh processes each, decoding 6-24 MP
@pytest.mark.parametrize("kind", list(CRAFTED))
def test_the_estimate_bounds_the_real_peak(tmp_path: Path, kind: str) -> None:
    data = CRAFTED[kind]()
    path = written(tmp_path, "photo", data)
    for side in (512, 2048):
        peak = float(intake_in_child(path, side=side)["peak_mb"])  # type: ignore[arg-type]
        assert peak <= estimate_mb(data, side), f"{kind} at {side}: {peak:.0f} MB"


@pytest.mark.slow  # five 25 MP decodes
def test_parallel_uploads_hold_at_most_the_cap_in_memory_and_give_it_back(tmp_path: Path) -> None:
    bomb = grey_bomb(tmp_path, 5000)
    one = float(intake_in_child(bomb, side=512)["peak_mb"])  # type: ignore[arg-type]
    measured = intake_in_child(bomb, side=512, threads=4, cap=2)
    assert measured["results"] == [[512, 512]] * 4
    peak, held = float(measured["peak_mb"]), float(measured["held_mb"])  # type: ignore[arg-type]
    assert peak < 2.5 * one, f"4 uploads, 2 at a time: {peak:.0f} MB (one: {one:.0f} MB)"
    assert held < 64, f"{held:.0f} MB still held after the uploads"


def _decoding_in_thread(
    photo: bytes, limits: IntakeLimits
) -> tuple[threading.Thread, list[object]]:
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(load_image(photo, limits).image.size)
        except ImageRejected as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_a_decode_waits_while_the_cap_is_taken_then_runs(cat_jpeg: bytes) -> None:
    limits = IntakeLimits(max_concurrent_decodes=2)
    with DECODES.slot(2, None), DECODES.slot(2, None):  # two decodes in progress elsewhere
        thread, outcome = _decoding_in_thread(cat_jpeg, limits)
        time.sleep(0.3)
        assert thread.is_alive()
        assert outcome == []
    thread.join(timeout=10)
    assert outcome == [(451, 300)]
    with DECODES.slot(3, None), DECODES.slot(3, None):  # a bigger cap lets it through at once
        thread, outcome = _decoding_in_thread(cat_jpeg, IntakeLimits(max_concurrent_decodes=3))
        thread.join(timeout=10)
        assert outcome == [(451, 300)]


def test_an_upload_that_cannot_get_a_slot_is_told_to_come_back(cat_jpeg: bytes) -> None:
    limits = IntakeLimits(max_concurrent_decodes=1, decode_wait_s=0.05)
    settings = Settings(max_concurrent_decodes=1, decode_wait_s=0.05)
    with DECODES.slot(1, None):
        with pytest.raises(DecodeBusy):
            load_image(cat_jpeg, limits)
        with pytest.raises(Busy) as caught:  # what web and bots show: 503, try again shortly
            intake_photo(cat_jpeg, settings)
    assert caught.value.code == "busy"
    assert caught.value.retry_after_s == 60
    assert intake_photo(cat_jpeg, settings)[1:] == (".jpg", "image/jpeg")
