"""The Content-Type of a stored or served file, from its name: one answer for storage and web.

Common web types come from a fixed table because `mimetypes` reads the host's tables, which
differ by OS (.js and .mjs above all). Text types say they are UTF-8.
"""

from __future__ import annotations

import mimetypes

OCTET_STREAM = "application/octet-stream"
_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".heic": "image/heic",
    ".txt": "text/plain",
}


def content_type(name: str) -> str:
    """ "js/main.89abcdef.js" -> "text/javascript; charset=utf-8"; unknown -> octet-stream."""
    base = name.rsplit("/", 1)[-1]
    suffix = "." + base.rsplit(".", 1)[-1].lower() if "." in base else ""
    found = _TYPES.get(suffix) or mimetypes.guess_type(base)[0] or OCTET_STREAM
    return f"{found}; charset=utf-8" if found.startswith("text/") else found
