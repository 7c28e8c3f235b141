"""Request ids: each request runs with one bound (core.observability.ids) and answers it in
`X-Request-ID`. A valid id from the client or proxy is kept (so a trace spans the ingress too);
anything else is replaced by a new one. An unhandled error leaves the ids bound in the request's
task, so the error handler outside this middleware (web.errors) and Sentry report them too."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.observability import accept_request_id, bound, new_request_id

HEADER = "X-Request-ID"


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = dict(scope.get("headers", [])).get(HEADER.lower().encode(), b"")
        request_id = accept_request_id(sent.decode("latin-1")) or new_request_id()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        with bound(request_id=request_id, channel="web", error_keeps=True):
            await self.app(scope, receive, send_with_id)
