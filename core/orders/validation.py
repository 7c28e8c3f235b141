"""Checks run before an order is created, so bad input fails fast with a clear message."""

from __future__ import annotations

from dataclasses import replace

from core.config import Settings
from core.errors import InvalidRequest
from core.orders.budget import Busy
from core.orders.schemas import OrderChoices

# intake's source_format (Pillow format names) -> stored file extension and content type.
PHOTO_TYPES: dict[str, tuple[str, str]] = {
    "jpeg": (".jpg", "image/jpeg"),
    "png": (".png", "image/png"),
    "webp": (".webp", "image/webp"),
    "heif": (".heic", "image/heic"),
    "heic": (".heic", "image/heic"),
}
UNKNOWN_TYPE = (".bin", "application/octet-stream")
DECODE_RETRY_S = 60  # photos wait at most settings.decode_wait_s for a turn; a minute is plenty


def intake_photo(photo: bytes, settings: Settings) -> tuple[bytes, str, str]:
    """Validate the photo with the pipeline's own intake; return the bytes to store (the same
    photo, its metadata such as the GPS position removed), its extension and content type.

    Raises ImageRejected (too big, not an image, too small...) before anything is stored, and
    Busy when too many photos are being decoded to wait for a turn.
    """
    from core.images.budget import DecodeBusy
    from core.images.intake import IntakeLimits, load_image
    from core.images.scrub import strip_metadata

    limits = replace(IntakeLimits.from_settings(settings), decode_wait_s=settings.decode_wait_s)
    try:
        result = load_image(photo, limits, max_working_side=512)
    except DecodeBusy:
        raise Busy(DECODE_RETRY_S) from None
    clean = strip_metadata(photo, result.source_format, orientation=result.orientation)
    ext, content_type = PHOTO_TYPES.get(result.source_format.lower(), UNKNOWN_TYPE)
    return clean, ext, content_type


def check_choices(choices: OrderChoices) -> None:
    """Style and theme must be ones the pipeline offers (it owns the lists)."""
    from core.levels import THEMES
    from core.pixelart.styles import get_style

    get_style(choices.style)  # raises InvalidRequest naming the styles on offer
    if choices.theme not in THEMES:
        raise InvalidRequest(
            f"Unknown theme {choices.theme!r}. Choose one of: {', '.join(sorted(THEMES))}.",
            code="bad_theme",
        )
