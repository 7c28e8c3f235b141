"""The play page `/g/{code}` (counts a view), its bundle files, and local storage under /files/."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from core.orders.games import BASE62
from core.storage import LocalStorage
from web.deps import ResourcesDep, StorageDep
from web.files import stored_file
from web.playpage import play_html
from web.routes.games import absolute
from web.security import csp_with_hashes

router = APIRouter(include_in_schema=False)
GAME_NOT_FOUND = "We couldn't find that game. It may have expired, or the link has a typo."


def valid_code(code: str) -> bool:
    return 0 < len(code) <= 16 and all(ch in BASE62 for ch in code)


@router.get("/g/{code}", response_class=HTMLResponse)
def play(code: str, request: Request, resources: ResourcesDep) -> HTMLResponse:
    svc = resources.service
    game = svc.game_by_code(code=code) if valid_code(code) else None
    if game is None:
        raise HTTPException(404, GAME_NOT_FOUND)
    key = (code, absolute(request, f"/g/{code}"))
    page = resources.pages.get(key)
    if page is None:
        index = resources.storage.get(game.assets.get("index.html") or f"games/{code}/index.html")
        html = play_html(index.decode(), short_url=key[1], base_path=f"/g/{code}/")
        page = (html, csp_with_hashes(html))
        resources.pages.put(key, page)
    resources.views.add(code)  # written in batches: no database write on the hot path
    # no-cache: browsers revalidate, so every visit reaches us and counts as a view.
    headers = {"Content-Security-Policy": page[1], "Cache-Control": "no-cache"}
    return HTMLResponse(page[0], headers=headers)


@router.get("/g/{code}/{path:path}")
async def game_file(code: str, path: str, storage: StorageDep) -> Response:
    # The bundle lives under games/<code>/; no database round trip for each of its files.
    if not valid_code(code):
        raise HTTPException(404, GAME_NOT_FOUND)
    if path in ("", "index.html"):  # the page itself lives at the short link, which counts views
        return RedirectResponse(f"/g/{code}", status_code=308)
    return await stored_file(storage, f"games/{code}/{path}")


@router.get("/files/{key:path}")
async def local_file(key: str, storage: StorageDep) -> Response:
    if not isinstance(storage, LocalStorage):  # S3 links point at the bucket or CDN instead
        raise HTTPException(404)
    return await stored_file(storage, key)
