"""Content-hashed file names: new content, new name, so every name but index.html caches forever."""

from __future__ import annotations

import hashlib


def content_hash(data: bytes) -> str:
    """Ten hex digits of SHA-256: unique enough for one bundle, short enough for URLs."""
    return hashlib.sha256(data).hexdigest()[:10]


def hashed_name(path: str, data: bytes) -> str:
    """`js/main.js` -> `js/main.3f2a9c1b7d.js`."""
    stem, dot, ext = path.rpartition(".")
    if not dot:
        return f"{path}.{content_hash(data)}"
    return f"{stem}.{content_hash(data)}.{ext}"
