"""Static files with Cache-Control: versioned URLs are immutable, anything else is cached briefly.

Templates link static files through `static_url`, which appends `?v=<content hash>`; a request
carrying the current hash may be cached for a year, since a changed file gets a new URL. Files
reached without it (ES modules imported by relative path, old links) get a short max-age."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"


@lru_cache(maxsize=256)
def _version(path: Path, mtime_ns: int, size: int) -> str:  # noqa: ARG001
    # mtime and size are part of the key so an edited file (in development) gets a new hash.
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def file_version(folder: Path, name: str) -> str:
    """The content hash of folder/name, as used in `?v=`."""
    path = folder / name
    stat = path.stat()
    return _version(path, stat.st_mtime_ns, stat.st_size)


class CachedStaticFiles(StaticFiles):
    """StaticFiles that says how long each answer may be cached."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        asked = QueryParams(scope.get("query_string", b"")).get("v")
        path = Path(full_path)
        current = _version(path, stat_result.st_mtime_ns, stat_result.st_size)
        response.headers["Cache-Control"] = IMMUTABLE if asked == current else SHORT
        return response
