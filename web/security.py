"""Security headers for every response, and CSP hashes for pages that carry inline code."""

from __future__ import annotations

import base64
import hashlib
import re
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.config import Settings

# Our own pages load only same-origin files: no inline script or style anywhere.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; media-src 'self' blob:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

STATIC_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "cross-origin-opener-policy": "same-origin",
}

_INLINE = re.compile(r"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)


def inline_hashes(html: str) -> dict[str, list[str]]:
    """CSP source expressions ('sha256-...') for each inline <script> and <style> block."""
    found: dict[str, list[str]] = {"script": [], "style": []}
    for tag, attrs, body in _INLINE.findall(html):
        if tag.lower() == "script" and "src=" in attrs.lower():
            continue
        if not body.strip():
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        found[tag.lower()].append(f"'sha256-{digest}'")
    return found


def csp_with_hashes(html: str, *, extra_script: str = "", extra_style: str = "") -> str:
    """The default policy, widened only by the exact inline blocks this page carries."""
    hashes = inline_hashes(html)
    script = " ".join(["'self'", *hashes["script"], extra_script]).strip()
    style = " ".join(["'self'", *hashes["style"], extra_style]).strip()
    policy = DEFAULT_CSP.replace("script-src 'self'", f"script-src {script}")
    return policy.replace("style-src 'self'", f"style-src {style}")


def storage_origins(settings: Settings) -> str:
    """Where stored images (previews, sprites) load from when storage hands out its own URLs."""
    if settings.storage_backend != "s3":
        return ""
    base = settings.s3_public_url or settings.s3_public_endpoint_url or settings.s3_endpoint_url
    if base:
        parts = urlsplit(base)
        return f"{parts.scheme}://{parts.netloc}"
    return "https://*.amazonaws.com"


def page_csp(settings: Settings) -> str:
    """The default policy plus the storage origin for images: still no inline or foreign script."""
    extra = storage_origins(settings)
    return (
        DEFAULT_CSP.replace("img-src 'self'", f"img-src 'self' {extra}") if extra else DEFAULT_CSP
    )


class SecurityHeadersMiddleware:
    """Adds the static headers everywhere and the default CSP where a route set none."""

    def __init__(self, app: ASGIApp, *, csp: str = DEFAULT_CSP) -> None:
        self.app = app
        self.csp = csp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in STATIC_HEADERS.items():
                    headers.setdefault(name, value)
                headers.setdefault("content-security-policy", self.csp)
            await send(message)

        await self.app(scope, receive, send_with_headers)
