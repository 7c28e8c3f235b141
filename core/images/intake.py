"""Photo intake: bytes in, a checked, upright, working-size RGB(A) image out.

We sniff the file's first bytes (never its name), accept JPEG, PNG, WebP and HEIC, and refuse
everything else with an `ImageRejected` whose code and message a person can act on. Size limits are
checked on the header before any pixel is decoded, so a decompression bomb costs nothing; the image
is then fully decoded so that a truncated file fails here and not halfway through the pipeline.

Animated files (animated WebP, APNG): we take the first frame and report the frame count in
`IntakeResult.frames`, so callers may tell the user that only the first frame was used.

Big JPEGs are decoded with `Image.draft` straight at about `max_working_side` (libjpeg's DCT
scaling): a 12 MP photo decodes at a fraction of the cost, and nothing downstream needs more pixels.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps
from pillow_heif import register_heif_opener

from core.config import MB, Settings
from core.errors import ImageRejected

register_heif_opener()

ACCEPTED = "JPEG, PNG, WebP or HEIC photos"
ORIENTATION_TAG = 0x0112
# EXIF orientations 5-8 rotate by 90 degrees, so width and height swap on display.
SWAPPING_ORIENTATIONS = {5, 6, 7, 8}
# Pillow raises these for truncated or malformed data during a full decode.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError)


@dataclass(frozen=True)
class IntakeLimits:
    """What we accept; built from Settings so every entry point applies the same rules."""

    max_upload_bytes: int = 10 * MB
    min_image_side: int = 256
    max_image_pixels: int = 50_000_000

    @classmethod
    def from_settings(cls, settings: Settings) -> IntakeLimits:
        return cls(
            max_upload_bytes=settings.max_upload_bytes,
            min_image_side=settings.min_image_side,
            max_image_pixels=settings.max_image_pixels,
        )


@dataclass(frozen=True)
class IntakeResult:
    """The decoded photo at working size, plus facts about the original file."""

    image: Image.Image
    source_format: str
    original_size: tuple[int, int]
    frames: int = 1


def load_image(data: bytes, limits: IntakeLimits, *, max_working_side: int = 2048) -> IntakeResult:
    """Check and decode an uploaded photo; raises ImageRejected with a stable code."""
    _check_bytes(data, limits)
    fmt = sniff_format(data)
    image = _open(data, fmt)
    stored_size = image.size
    _check_dimensions(stored_size, limits)
    if fmt == "JPEG":
        image.draft(None, _draft_request(image.size, max_working_side))
    # Decode before reading EXIF or frames: a PNG's eXIf chunk may sit after the pixel data,
    # so even reading the orientation decodes (and a damaged file fails there).
    _decode(image)
    with _guard_decode(fmt):
        frames = int(getattr(image, "n_frames", 1))
        orientation = int(image.getexif().get(ORIENTATION_TAG, 1) or 1)
        upright = ImageOps.exif_transpose(image) or image
        working = _shrink(_normalise_mode(upright), max_working_side)
    return IntakeResult(working, fmt, _oriented(stored_size, orientation), frames)


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


def _draft_request(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """The size to ask libjpeg for: draft picks the smallest DCT scale still at least this big.

    Asking for half the working side lets a 4000 px photo decode at 1/2 (2000 px) instead of at full
    size then resized to 2048: the long side lands between max_side/2 and max_side.
    """
    scale = min(1.0, max_side / 2 / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _decode(image: Image.Image) -> None:
    """Force a full decode so that truncated or corrupt files fail here, with a kind message."""
    with _guard_decode(str(image.format)):
        image.load()


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


def _normalise_mode(image: Image.Image) -> Image.Image:
    """Palette, grey, CMYK and 16-bit images become RGB; RGBA only when the alpha is real."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        image = _sixteen_bit_to_grey(image)
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        opaque = bool(np.asarray(rgba.getchannel("A")).min() == 255)
        return rgba.convert("RGB") if opaque else rgba
    return image if image.mode == "RGB" else image.convert("RGB")


def _sixteen_bit_to_grey(image: Image.Image) -> Image.Image:
    """Scale 16-bit samples to 8 bits (Pillow's convert clips all above 255 to white)."""
    values = np.asarray(image, dtype=np.uint32)
    shift = 8 if int(values.max(initial=0)) > 255 else 0
    return Image.fromarray((values >> shift).clip(0, 255).astype(np.uint8))


def _shrink(image: Image.Image, max_side: int) -> Image.Image:
    if max(image.size) <= max_side:
        return image
    scale = max_side / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    # reducing_gap: a fast box pre-shrink, then Lanczos on the last factor of two.
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


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
    name = {"WEBP": "WebP", "HEIF": "HEIC"}.get(fmt, fmt)
    return ImageRejected(
        f"We couldn't read this {name} file: it looks damaged or incomplete. Please send the photo"
        f" again, or try another one. We take {ACCEPTED}.",
        code="corrupt_image",
    )


# HEIF brands of still photos (iPhones write heic/mif1); AVIF shares the box but not the codec.
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
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
    if data[4:8] == b"ftyp" and data[8:12] in HEIC_BRANDS:
        return "HEIF"
    raise ImageRejected(
        f"This file is {_describe(data)}, not a photo we can use. Please send {ACCEPTED}.",
        code="unsupported_type",
    )


def _describe(data: bytes) -> str:
    for magic, name in KNOWN_OTHERS:
        if data.startswith(magic):
            return name
    if data[4:8] == b"ftyp":
        return "a video" if data[8:12] in VIDEO_BRANDS else "an unsupported HEIF/AVIF kind"
    if data[:4] == b"RIFF":
        return "a RIFF file (video or audio)"
    return "text" if _looks_like_text(data[:512]) else "of a type we don't recognise"


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
