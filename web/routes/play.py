"""The play page `/g/{code}` (counts a view), its bundle files, and local storage's public files
(games, preview art) under /files/; photos and cutouts are never served."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from core.orders.games import BASE62
from core.orders.schemas import GameView
from core.storage import LocalStorage
from web.deps import ResourcesDep, StorageDep
from web.files import stored_file
from web.playpage import PlayPage, play_html
from web.routes.games import absolute
from web.security import csp_with_hashes

router = APIRouter(include_in_schema=False)
GAME_NOT_FOUND = "We couldn't find that game. It may have expired, or the link has a typo."


def valid_code(code: str) -> bool:
    return 0 < len(code) <= 16 and all(ch in BASE62 for ch in code)


def share_link(request: Request, path: str) -> str:
    """The game's own link for og:url / og:image: on PETPIXEL_PUBLIC_URL when it is set (the Host
    header is the client's to choose), else on the host that served the page."""
    public_url = request.app.state.settings.public_url
    return public_url.rstrip("/") + path if public_url else absolute(request, path)


class LiveCodes:
    """Which short codes have a live game, remembered for `fresh_s` and never past the game's
    expiry, so a bundle's files cost no database round trip each yet stop with the game."""

    def __init__(self, size: int = 4096, fresh_s: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        self.size, self.fresh_s, self._clock = size, fresh_s, clock
        self._seen: OrderedDict[str, tuple[float, datetime | None, bool]] = OrderedDict()
        self._lock = threading.Lock()  # the play page runs in the thread pool

    def remember(self, code: str, game: GameView | None) -> None:
        entry = (self._clock(), game.expires_at if game else None, game is not None)
        with self._lock:
            self._seen[code] = entry
            self._seen.move_to_end(code)
            while len(self._seen) > self.size:
                self._seen.popitem(last=False)

    def known(self, code: str) -> bool | None:
        """True/False while remembered, None when it must be looked up."""
        with self._lock:
            entry = self._seen.get(code)
        if entry is None or self._clock() - entry[0] >= self.fresh_s:
            return None
        _, expires_at, live = entry
        return live and (expires_at is None or expires_at > datetime.now(UTC))


@router.get("/g/{code}", response_class=HTMLResponse)
def play(code: str, request: Request, resources: ResourcesDep) -> HTMLResponse:
    if not valid_code(code):
        raise HTTPException(404, GAME_NOT_FOUND)
    game = resources.service.game_by_code(code=code)
    request.app.state.live_codes.remember(code, game)  # its files follow: no second lookup
    if game is None:
        raise HTTPException(404, GAME_NOT_FOUND)
    key = (code, share_link(request, f"/g/{code}"))
    page = resources.pages.get(key)
    if page is None:
        index = resources.storage.get(game.assets.get("index.html") or f"games/{code}/index.html")
        html = play_html(index.decode(), short_url=key[1], base_path=f"/g/{code}/")
        page = PlayPage.of(html, csp_with_hashes(html))
        resources.pages.put(key, page)
    resources.views.add(code)  # written in batches: no database write on the hot path
    # no-cache: browsers revalidate, so every visit reaches us and counts as a view.
    headers = {"Content-Security-Policy": page.csp, "Cache-Control": "no-cache"}
    body, coding = page.body(request.headers.get("accept-encoding", ""))
    headers["Vary"] = "Accept-Encoding"
    if coding:  # compressed once, in the cache (GZipMiddleware leaves an encoded body alone)
        headers["Content-Encoding"] = coding
    return HTMLResponse(body, headers=headers)


@router.get("/g/{code}/{path:path}")
async def game_file(code: str, path: str, request: Request, resources: ResourcesDep) -> Response:
    # The bundle lives under games/<code>/, served only while its game is live (not expired).
    if not valid_code(code) or not await _live(request, resources, code):
        raise HTTPException(404, GAME_NOT_FOUND)
    if path in ("", "index.html"):  # the page itself lives at the short link, which counts views
        return RedirectResponse(f"/g/{code}", status_code=308)
    return await stored_file(resources.storage, f"games/{code}/{path}")


async def _live(request: Request, resources: ResourcesDep, code: str) -> bool:
    live_codes: LiveCodes = request.app.state.live_codes
    known = live_codes.known(code)
    if known is None:
        game = await asyncio.to_thread(resources.service.game_by_code, code=code)
        live_codes.remember(code, game)
        known = live_codes.known(code)
    return bool(known)


@router.get("/files/{key:path}")
async def local_file(key: str, storage: StorageDep) -> Response:
    if not isinstance(storage, LocalStorage):  # S3 links point at the bucket or CDN instead
        raise HTTPException(404)
    return await stored_file(storage, key)  # public keys only
