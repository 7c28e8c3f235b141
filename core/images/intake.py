"""Photo intake: bytes in, a checked, upright, working-size RGB(A) image out.

We sniff the file's first bytes (never its name), accept JPEG, PNG, WebP and HEIC, and refuse
everything else with an `ImageRejected` whose code and message a person can act on. Size limits are
checked on the header before any pixel is decoded, so a decompression bomb costs nothing; the image
is then fully decoded so that a truncated file fails here and not halfway through the pipeline.

Animated files (animated WebP, APNG): we take the first frame and report the frame count in
`IntakeResult.frames`, so callers may tell the user that only the first frame was used.

Big JPEGs are decoded with `Image.draft` straight at about `max_working_side` (libjpeg's DCT
scaling): a 12 MP photo decodes at a fraction of the cost, and nothing downstream needs more pixels.

Memory is bounded three ways: the decode's peak is estimated from the header and a file over
`max_decode_bytes` is refused before decoding (core/images/budget.py); the decoded image is
converted and reduced in strips, never copied whole (core/images/working.py); and at most
`max_concurrent_decodes` photos decode at once in a process, uploads waiting `decode_wait_s` for a
turn. The working image carries none of the file's metadata (its EXIF, GPS included).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image
from pillow_heif import register_heif_opener

from core.config import MB, Settings
from core.errors import ImageRejected
from core.images.budget import DECODES, WORKING_SIDE, decode_cost, draft_request
from core.images.working import Shrink

register_heif_opener()

ACCEPTED = "JPEG, PNG, WebP or HEIC photos"
ORIENTATION_TAG = 0x0112
# EXIF orientations 5-8 rotate by 90 degrees, so width and height swap on display.
SWAPPING_ORIENTATIONS = {5, 6, 7, 8}
# Pillow raises these for truncated or malformed data during a full decode; pillow_heif raises
# RuntimeError when libheif cannot decode.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, RuntimeError)


@dataclass(frozen=True)
class IntakeLimits:
    """What we accept; built from Settings so every entry point applies the same rules."""

    max_upload_bytes: int = 10 * MB
    min_image_side: int = 256
    max_image_pixels: int = 50_000_000
    # Estimated peak memory of one decode (core/images/budget.py), and decodes at once per process.
    max_decode_bytes: int = 400 * MB
    max_concurrent_decodes: int = 2
    # How long a decode waits for a slot before DecodeBusy; None waits on (builds must not fail).
    decode_wait_s: float | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> IntakeLimits:
        return cls(
            max_upload_bytes=settings.max_upload_bytes,
            min_image_side=settings.min_image_side,
            max_image_pixels=settings.max_image_pixels,
            max_decode_bytes=settings.max_decode_mb * MB,
            max_concurrent_decodes=settings.max_concurrent_decodes,
        )


@dataclass(frozen=True)
class IntakeResult:
    """The decoded photo at working size, plus facts about the original file."""

    image: Image.Image
    source_format: str
    original_size: tuple[int, int]
    frames: int = 1
    orientation: int = 1  # the EXIF orientation that was applied


def load_image(
    data: bytes, limits: IntakeLimits, *, max_working_side: int = WORKING_SIDE
) -> IntakeResult:
    """Check and decode an uploaded photo; raises ImageRejected with a stable code."""
    _check_bytes(data, limits)
    fmt = sniff_format(data)
    image = _open(data, fmt)
    stored_size = image.size
    _check_dimensions(stored_size, limits)
    if fmt == "JPEG":
        image.draft(None, draft_request(image.size, max_working_side))
    _check_cost(image, fmt, stored_size, limits, max_working_side)
    with _guard_decode(fmt), DECODES.slot(limits.max_concurrent_decodes, limits.decode_wait_s):
        # Decode before reading EXIF or frames: a PNG's eXIf chunk may sit after the pixel data,
        # so even reading the orientation decodes (and a damaged file fails there).
        image.load()
        frames = int(getattr(image, "n_frames", 1))
        orientation = int(image.getexif().get(ORIENTATION_TAG, 1) or 1)
        shrink = Shrink.plan(image.size, orientation, max_working_side)
        compact = shrink.compact(image)
        del image  # the full-size pixels go before the resampling
        working = shrink.finish(compact)
    return IntakeResult(working, fmt, _oriented(stored_size, orientation), frames, orientation)


def _check_bytes(data: bytes, limits: IntakeLimits) -> None:
    if not data:
        raise ImageRejected(
            "The file is empty. Please send a photo of your pet.", code="empty_file"
        )
    if len(data) > limits.max_upload_bytes:
        size, limit = len(data) / MB, limits.max_upload_bytes / MB
        raise ImageRejected(
            f"This file is {size:.1f} MB; the limit is {limit:.0f} MB."
            " Please send a smaller photo (a phone's normal photo is fine).",
            code="file_too_large",
        )


def _open(data: bytes, fmt: str) -> Image.Image:
    try:
        with _quiet_bombs():
            return Image.open(io.BytesIO(data), formats=[fmt])
    except Image.DecompressionBombError:
        raise _too_large() from None
    except DECODE_ERRORS:
        raise _corrupt(fmt) from None


def _check_dimensions(size: tuple[int, int], limits: IntakeLimits) -> None:
    width, height = size
    if width * height > limits.max_image_pixels:
        raise _too_large()
    # Rotation swaps the sides but not the short one, so the header's size is enough.
    if min(width, height) < limits.min_image_side:
        raise ImageRejected(
            f"This photo is only {width}x{height} pixels. Please send one at least"
            f" {limits.min_image_side} pixels on its short side.",
            code="image_too_small",
        )


def _check_cost(
    image: Image.Image, fmt: str, stored_size: tuple[int, int], limits: IntakeLimits, max_side: int
) -> None:
    """Refuse, before decoding, a file whose decode would take more memory than we allow."""
    cost = decode_cost(image, fmt, full_size=stored_size, max_side=max_side)
    if cost > limits.max_decode_bytes:
        megapixels = stored_size[0] * stored_size[1] / 1e6
        raise ImageRejected(
            f"This {_name(fmt)} image ({megapixels:.0f} megapixels, {image.mode}) would take"
            f" about {cost // MB} MB to open, over our {limits.max_decode_bytes // MB} MB limit."
            " Please send a smaller photo: a camera or phone JPEG of up to 50 megapixels is fine.",
            code="image_too_large",
        )


@contextmanager
def _guard_decode(fmt: str) -> Iterator[None]:
    """Turn Pillow's decode failures inside the block into ImageRejected."""
    try:
        with _quiet_bombs():
            yield
    except Image.DecompressionBombError:
        raise _too_large() from None
    except DECODE_ERRORS:
        raise _corrupt(fmt) from None


def _oriented(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    return (size[1], size[0]) if orientation in SWAPPING_ORIENTATIONS else size


@contextmanager
def _quiet_bombs() -> Iterator[None]:
    """Silence Pillow's bomb warning: our own, stricter pixel limit is checked instead."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        yield


def _too_large() -> ImageRejected:
    return ImageRejected(
        "This image has too many pixels for us to process safely. Please send a normal photo"
        " (up to about 50 megapixels).",
        code="image_too_large",
    )


def _corrupt(fmt: str) -> ImageRejected:
    return ImageRejected(
        f"We couldn't read this {_name(fmt)} file: it looks damaged or incomplete. Please send"
        f" the photo again, or try another one. We take {ACCEPTED}.",
        code="corrupt_image",
    )


def _name(fmt: str) -> str:
    return {"WEBP": "WebP", "HEIF": "HEIC"}.get(fmt, fmt)


# HEIF brands: HEVC-coded stills (iPhones write heic, with mif1), AV1-coded AVIF, and the generic
# image brands both share. An AVIF may name only mif1 first, so all brands are read.
HEVC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
AVIF_BRANDS = {b"avif", b"avis"}
GENERIC_HEIF_BRANDS = {b"mif1", b"msf1", b"miaf"}
VIDEO_BRANDS = {b"isom", b"iso2", b"mp41", b"mp42", b"qt  ", b"M4V ", b"3gp4", b"3gp5", b"avc1"}
# First bytes of files people send by mistake, to name them in the refusal.
KNOWN_OTHERS = [
    (b"GIF87a", "a GIF"),
    (b"GIF89a", "a GIF"),
    (b"BM", "a BMP image"),
    (b"%PDF", "a PDF document"),
    (b"II*\0", "a TIFF image"),
    (b"MM\0*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1aE\xdf\xa3", "a video"),
    (b"<svg", "an SVG drawing"),
]


def sniff_format(data: bytes) -> str:
    """The Pillow format name of an accepted photo, judged by its magic bytes alone."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if _is_heic(data):
        return "HEIF"
    raise ImageRejected(
        f"This file is {_describe(data)}, not a photo we can use. Please send {ACCEPTED}.",
        code="unsupported_type",
    )


def ftyp_brands(data: bytes) -> set[bytes]:
    """The major and compatible brands of an ISO-BMFF file's leading ftyp box (empty if none)."""
    if data[4:8] != b"ftyp":
        return set()
    size = min(int.from_bytes(data[:4], "big"), len(data))
    compatible = data[16:size]
    return {data[8:12]} | {compatible[i : i + 4] for i in range(0, len(compatible) - 3, 4)}


def _is_heic(data: bytes) -> bool:
    """HEVC-coded HEIF: a HEVC brand, or only the generic image brands (never AVIF's)."""
    brands = ftyp_brands(data)
    if brands & HEVC_BRANDS:
        return True
    return bool(brands & GENERIC_HEIF_BRANDS) and not brands & AVIF_BRANDS


def _describe(data: bytes) -> str:
    for magic, name in KNOWN_OTHERS:
        if data.startswith(magic):
            return name
    brands = ftyp_brands(data)
    if brands & AVIF_BRANDS:
        return "an AVIF image"
    if brands:
        return "a video" if brands & VIDEO_BRANDS else "an unsupported HEIF kind"
    if data[:4] == b"RIFF":
        return "a RIFF file (video or audio)"
    return "text" if _looks_like_text(data[:512]) else "of a type we don't recognise"


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
