"""Request body limits enforced while the body streams in: a huge upload is refused early."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.config import Settings
from web.errors import json_error_response

# Multipart framing (boundaries, part headers, form fields) on top of the photo itself.
MULTIPART_OVERHEAD = 64 * 1024
UPLOAD_PREFIX = "/api/images/upload"


class BodyTooLarge(HTTPException):
    """Raised from inside receive(); FastAPI re-raises HTTPExceptions from body parsing as-is."""

    def __init__(self) -> None:
        super().__init__(status_code=413)


class BodyLimitMiddleware:
    """413 from the Content-Length header when it is honest, else as soon as the count passes."""

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.upload_limit = settings.max_upload_bytes + MULTIPART_OVERHEAD
        self.json_limit = settings.max_json_bytes
        # What a person is told: the photo limit they chose a file against, or the JSON limit.
        self.upload_refusal = _too_large(f"That photo is too big. Please send one under "
                                         f"{size_label(settings.max_upload_bytes)}.")  # fmt: skip
        self.json_refusal = _too_large(f"That request is too big. Please send less than "
                                       f"{size_label(settings.max_json_bytes)}.")  # fmt: skip

    def limit_for(self, scope: Scope) -> tuple[int, ASGIApp]:
        if scope["path"].startswith(UPLOAD_PREFIX):
            return self.upload_limit, self.upload_refusal
        return self.json_limit, self.json_refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit, refusal = self.limit_for(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await refusal(scope, receive, send)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await refusal(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def size_label(size: int) -> str:
    """A byte count as people say it: "64 KB", "10 MB", "1.5 MB" (1024-based, as the limits are)."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def _too_large(message: str) -> ASGIApp:
    return json_error_response(413, "too_large", message)
