"""Memory for decoding photos: what one decode may cost, and how many may run at once.

A photo's pixel count says little about its memory: Pillow keeps RGB at 4 bytes a pixel, a 16-bit
grey PNG of 95 KB holds 49 MP, a progressive JPEG keeps every DCT coefficient, and the WebP and
HEIC decoders hold their own full-size buffers beside Pillow's. `decode_cost` estimates the peak
from the header alone (measured per format in tests/images/test_decode_memory.py, which checks it
stays an upper bound), so intake refuses an expensive file before decoding any of it.

`DECODES` caps how many photos one process decodes at once (Settings.max_concurrent_decodes), so
ten parallel uploads cost two decodes' memory, not ten, and gives the freed memory back to the OS
when the last decode ends.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image

from core.config import MB
from core.errors import PetPixelError
from core.images.working import TURN_FIRST_MAX_PIXELS, Shrink

# The pipeline's working side: budget decisions plan for at least this, so a file accepted at
# upload (checked at a smaller side) is never refused when its build decodes it again.
WORKING_SIDE = 2048
# Bytes Pillow stores per pixel, by mode (RGB is padded to 4).
STORED_BYTES = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2, "I;16N": 2}
# What a decoder holds beside Pillow's image, per pixel (measured; see the module docstring).
DECODER_BYTES = {"WEBP": 12, "HEIF": 3}
# Inputs converted to one-byte grey; the others convert to 4-byte RGB(A).
GREY_INPUTS = ("1", "L", "I;16", "I;16B", "I;16L", "I;16N", "I")
# Codec tables, strip buffers and small copies on top of the per-pixel costs.
OVERHEAD_BYTES = 48 * MB


class DecodeBusy(PetPixelError):
    """Too many photos are being decoded at once; the person should try again shortly."""

    code = "busy"
    status_code = 503


def decode_cost(image: Image.Image, fmt: str, *, full_size: tuple[int, int], max_side: int) -> int:
    """Estimated peak bytes to decode `image` (opened, not loaded) and bring it to working size.

    Plans as core.images.working does, at max(max_side, WORKING_SIDE), and takes the largest of
    three moments: decoding (the decoder's own buffers beside Pillow's pixels, for JPEG at the DCT
    scale `draft` picks, plus 2 bytes per DCT coefficient of a progressive JPEG's full-size image,
    which libjpeg keeps whatever the scale), converting (the pixels and their converted, reduced
    copy), and resampling (what is left, a turned copy of a phone-sized photo, Lanczos buffers).
    """
    side = max(max_side, WORKING_SIDE)
    size = decoded_size(full_size, fmt, side)
    plan = Shrink.plan(size, 1, side)
    out = 1 if image.mode in GREY_INPUTS and "transparency" not in image.info else 4
    pixels = size[0] * size[1]
    stored = pixels * STORED_BYTES.get(image.mode, 4)
    decoding = stored + pixels * DECODER_BYTES.get(fmt, 0)
    if fmt == "JPEG" and image.info.get("progressive"):
        decoding += _coefficient_bytes(image, full_size)
    reduced = (-(-size[0] // plan.factor[0]), -(-size[1] // plan.factor[1]))
    converts = image.mode not in ("RGB", "L") or "transparency" in image.info
    copy = reduced[0] * reduced[1] * out if converts or plan.factor != (1, 1) else 0
    resampling = copy or stored
    if plan.factor == (1, 1) and pixels <= TURN_FIRST_MAX_PIXELS:
        resampling += pixels * out
    if plan.target != size:
        resampling += (plan.target[0] * reduced[1] + plan.target[0] * plan.target[1]) * out
    return max(decoding, stored + copy, resampling) + OVERHEAD_BYTES


def decoded_size(full_size: tuple[int, int], fmt: str, max_side: int) -> tuple[int, int]:
    """The size the decoder produces: JPEG decodes at the DCT scale `Image.draft` picks."""
    if fmt != "JPEG":
        return full_size
    request = draft_request(full_size, max_side)
    ratio = min(full_size[0] // request[0], full_size[1] // request[1])
    scale = next(s for s in (8, 4, 2, 1) if ratio >= s)  # as JpegImageFile.draft
    return -(-full_size[0] // scale), -(-full_size[1] // scale)


def draft_request(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """The size to ask libjpeg for: draft picks the smallest DCT scale still at least this big.

    Asking for half the working side lets a 4000 px photo decode at 1/2 (2000 px) instead of at full
    size then resized to 2048: the long side lands between max_side/2 and max_side.
    """
    scale = min(1.0, max_side / 2 / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _coefficient_bytes(image: Image.Image, full_size: tuple[int, int]) -> int:
    """libjpeg buffers a progressive file's coefficients for the whole image, whatever the scale."""
    layers = getattr(image, "layer", None) or [("", 1, 1, 0)] * len(image.getbands())
    h_max = max(int(layer[1]) for layer in layers)
    v_max = max(int(layer[2]) for layer in layers)
    share = sum(int(layer[1]) * int(layer[2]) for layer in layers) / (h_max * v_max)
    return int(2 * full_size[0] * full_size[1] * share)


class DecodeGate:
    """A process-wide count of decodes in progress, with the cap given at each entry."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.active = 0
        self.peak = 0

    @contextmanager
    def slot(self, limit: int, wait_s: float | None) -> Iterator[None]:
        """Hold one of `limit` decode slots; DecodeBusy after wait_s seconds (None: wait on)."""
        deadline = None if wait_s is None else time.monotonic() + wait_s
        with self._changed:
            while self.active >= max(1, limit):
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise DecodeBusy(
                        "We're processing a lot of photos right now. Please try again in a minute.",
                    )
                self._changed.wait(left)
            self.active += 1
            self.peak = max(self.peak, self.active)
        try:
            yield
        finally:
            with self._changed:
                self.active -= 1
                self._changed.notify()
                if self.active == 0:
                    release_free_memory()


def release_free_memory() -> None:
    """Hand freed heap pages back to the OS (glibc keeps them otherwise: after ten big decodes
    in threads a process held 250 MB it no longer used; trimmed, 50 MB). A no-op elsewhere."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


_LIBC = _glibc()
DECODES = DecodeGate()
