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

    def limit_for(self, scope: Scope) -> int:
        return self.upload_limit if scope["path"].startswith(UPLOAD_PREFIX) else self.json_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(limit)(scope, receive, send)
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
            await _too_large(limit)(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _too_large(limit: int) -> ASGIApp:
    mb = max(1, limit // (1024 * 1024))
    return json_error_response(
        413, "too_large", f"That file is too big. Please send one under {mb} MB."
    )
