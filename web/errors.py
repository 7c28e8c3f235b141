"""One error shape: JSON `{"error": {"code", "message"}}` for the API, a kind page for people."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from core.errors import ImageRejected, InvalidRequest, NoSubjectFound, PetPixelError
from core.observability import current
from core.transient import CONNECTION_TROUBLE

log = logging.getLogger("petpixel.web")

# Stable codes that deserve a more precise status than their class gives.
CODE_STATUS = {
    "too_big": 413,
    "too_large": 413,
    "file_too_large": 413,
    "unsupported_type": 415,
    "unsupported_format": 415,
    "not_found": 404,
    "illegal_transition": 409,
    "invalid_transition": 409,
    "conflict": 409,
    "payment_required": 402,
    "file_missing": 404,
    "storage_error": 503,
    "payments_unavailable": 503,
}
CLASS_STATUS: list[tuple[type[PetPixelError], int]] = [
    (ImageRejected, 422),
    (NoSubjectFound, 422),
    (InvalidRequest, 400),
]
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "rate_limited",
    503: "unavailable",
}
HTTP_MESSAGES = {
    404: "We couldn't find that page. Check the link, or start a new pet game from the home page.",
    405: "That action isn't available here.",
    413: "That file is too big. Please pick a smaller photo.",
}
INTERNAL_MESSAGE = "Something went wrong on our side. Please try again in a minute."


def status_for(exc: PetPixelError) -> int:
    explicit = getattr(exc, "status_code", None)
    if isinstance(explicit, int) and 400 <= explicit < 600:
        return explicit
    if exc.code in CODE_STATUS:
        return CODE_STATUS[exc.code]
    if exc.code.endswith("_not_found"):
        return 404
    return next((status for cls, status in CLASS_STATUS if isinstance(exc, cls)), 400)


def json_error_response(
    status: int, code: str, message: str, *, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body = {"error": {"code": code, "message": message}}
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith(("/api/", "/health", "/metrics", "/files/")):
        return False
    return "text/html" in request.headers.get("accept", "")


def error_response(
    request: Request, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    if not wants_html(request):
        return json_error_response(status, code, message, headers=headers)
    from web.templating import templates

    context = {"status": status, "code": code, "message": message, "title": "Oops"}
    return templates.TemplateResponse(
        request, "error.html", context, status_code=status, headers=dict(headers or {})
    )


async def on_petpixel_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PetPixelError)
    return error_response(request, status_for(exc), exc.code, exc.message)


async def on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = HTTP_CODES.get(exc.status_code, "error")
    # Starlette's default detail is the bare status phrase; ours is a sentence worth showing.
    detail = exc.detail if isinstance(exc.detail, str) else ""
    if detail == HTTPStatus(exc.status_code).phrase:
        detail = ""
    fallback = HTTP_MESSAGES.get(exc.status_code, "That request didn't work.")
    message = detail or fallback
    return error_response(request, exc.status_code, code, message, headers=exc.headers)


async def on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [_describe(err) for err in exc.errors()[:3]]
    message = "Please check your request: " + "; ".join(problems)
    return error_response(request, 422, "invalid_request", message)


def _describe(err: Mapping[str, object]) -> str:
    loc = err.get("loc", ())
    parts = (
        [str(p) for p in loc if p not in ("body", "query", "path")]
        if isinstance(loc, tuple)
        else []
    )
    field = ".".join(parts) or "request"
    return f"{field}: {err.get('msg', 'invalid')}"


BUSY_BACKEND = (
    "We could not reach part of PetPixel just now (a brief outage on our side). Nothing you sent "
    "was lost; please try again in a moment."
)


async def on_connection_trouble(request: Request, exc: Exception) -> Response:
    # The database, storage or queue was unreachable or cut the connection: it passes, so the
    # caller may retry (503 + Retry-After), and no traceback reaches the person.
    log.warning("connection trouble on %s %s: %r", request.method, request.url.path, exc)
    return error_response(request, 503, "unavailable", BUSY_BACKEND, {"Retry-After": "5"})


async def on_unexpected_error(request: Request, exc: Exception) -> Response:
    # Logged with the traceback for us; the person sees a calm message, never the traceback.
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    # This runs outside the middleware stack; the request id is still bound (web.requestid).
    request_id = current().get("request_id")
    headers = {"X-Request-ID": request_id} if request_id else None
    return error_response(request, 500, "internal", INTERNAL_MESSAGE, headers)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(PetPixelError, on_petpixel_error)
    app.add_exception_handler(HTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    for trouble in CONNECTION_TROUBLE:
        app.add_exception_handler(trouble, on_connection_trouble)
    app.add_exception_handler(Exception, on_unexpected_error)
