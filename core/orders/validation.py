"""Checks run before an order is created, so bad input fails fast with a clear message."""

from __future__ import annotations

from core.config import Settings
from core.errors import InvalidRequest
from core.orders.schemas import OrderChoices

# intake's source_format (Pillow format names) -> stored file extension and content type.
PHOTO_TYPES: dict[str, tuple[str, str]] = {
    "jpeg": (".jpg", "image/jpeg"),
    "png": (".png", "image/png"),
    "webp": (".webp", "image/webp"),
    "heif": (".heic", "image/heic"),
    "heic": (".heic", "image/heic"),
}


def intake_photo(photo: bytes, settings: Settings) -> tuple[str, str]:
    """Validate the photo with the pipeline's own intake; return (extension, content type).

    Raises ImageRejected (too big, not an image, too small...) before anything is stored.
    """
    from core.images.intake import IntakeLimits, load_image

    result = load_image(photo, IntakeLimits.from_settings(settings), max_working_side=512)
    return PHOTO_TYPES.get(str(result.source_format).lower(), (".bin", "application/octet-stream"))


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
