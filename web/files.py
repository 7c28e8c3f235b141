"""Serving stored files (local disk or S3) with the right type and cache headers.

Only public keys are ever served (games, preview art; `core.storage.is_public`): a photo or a
cutout is 404 to everyone, whoever knows its key."""

from __future__ import annotations

from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from core.filetypes import content_type
from core.storage import LocalStorage, MissingFile, Storage, check_key, is_public
from web.playpage import is_hashed

IMMUTABLE = "public, max-age=31536000, immutable"
# Unhashed files (game.json of a rebuilt game, previews) may change: short cache, then revalidate.
SHORT = "public, max-age=60, must-revalidate"


def cache_control(key: str) -> str:
    return IMMUTABLE if is_hashed(key) else SHORT


def public_key(key: str) -> str:
    """`key` when it is safe and public; 404 otherwise (private files look like missing ones)."""
    try:
        checked = check_key(key)
    except ValueError:
        raise HTTPException(404) from None
    if not is_public(checked):
        raise HTTPException(404)
    return checked


async def stored_file(storage: Storage, key: str) -> Response:
    """The public stored object at `key` as a response; 404 when it is missing, unsafe or
    private."""
    key = public_key(key)
    headers = {"Cache-Control": cache_control(key)}
    if isinstance(storage, LocalStorage):
        path = storage.path(key)
        if not path.is_file():
            raise HTTPException(404)
        # FileResponse streams from disk and answers ETag / If-None-Match / Range itself.
        return FileResponse(path, media_type=content_type(key), headers=headers)
    try:
        data = await run_in_threadpool(storage.get, key)
    except MissingFile:
        raise HTTPException(404) from None
    return Response(data, media_type=content_type(key), headers=headers)
