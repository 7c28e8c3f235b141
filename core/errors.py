"""User-facing errors: a stable machine code plus a short message a person can act on."""

from __future__ import annotations


class PetPixelError(Exception):
    """Base for every error we show to a user instead of a traceback."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class ImageRejected(PetPixelError):
    """The uploaded file cannot become a sprite (wrong type, too big, corrupt, too small...)."""

    code = "image_rejected"


class NoSubjectFound(PetPixelError):
    """Background removal found nothing that looks like a pet."""

    code = "no_subject"


class InvalidRequest(PetPixelError):
    """A choice (style, size, theme...) outside what we offer."""

    code = "invalid_request"


class PhotoNeedsRetake(ImageRejected):
    """The photo is readable but unfit for a hero (no pet, two pets, too small, cut off...)."""

    code = "photo_needs_retake"
