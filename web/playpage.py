"""Turns a stored game bundle's index.html into the page served at /g/{code}."""

from __future__ import annotations

import html as htmllib
import re
import threading
from collections import OrderedDict
from urllib.parse import urljoin

_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'(\w[\w:-]*)\s*=\s*"([^"]*)"')
# Absolute-URL Open Graph / Twitter fields: crawlers do not resolve relative ones.
_URL_PROPS = {"og:image", "og:url", "twitter:image", "og:image:url", "og:image:secure_url"}
# Content-hashed names (main.3f2a9c1b.js) never change, so caches may keep them forever.
_HASHED = re.compile(r"\.[0-9a-f]{8,}\.[a-z0-9]+$")


def is_hashed(path: str) -> bool:
    return bool(_HASHED.search(path))


def play_html(page: str, *, short_url: str, base_path: str) -> str:
    """Base the bundle's relative paths on the game's folder and make OG URLs absolute.

    The page is served at the short link `/g/{code}`; its files live under `/g/{code}/`, hence
    the <base>, which keeps the shared link short without a redirect round trip.
    """
    folder = short_url.rstrip("/") + "/"
    page = _META.sub(lambda m: _absolute_meta(m.group(0), folder, short_url), page)
    if "og:url" not in page:
        page = _insert_head(page, f'<meta property="og:url" content="{htmllib.escape(short_url)}">')
    # A path-only base: assets load from whatever host served the page, public URL or not.
    return _insert_head(page, f'<base href="{htmllib.escape(base_path)}">')


def _insert_head(page: str, tag: str) -> str:
    match = _HEAD.search(page)
    if match is None:
        return tag + page
    return page[: match.end()] + tag + page[match.end() :]


def _absolute_meta(tag: str, folder: str, short_url: str) -> str:
    attrs = dict(_ATTR.findall(tag))
    prop = attrs.get("property") or attrs.get("name") or ""
    content = attrs.get("content")
    if prop not in _URL_PROPS or content is None:
        return tag
    absolute = short_url if prop == "og:url" else urljoin(folder, htmllib.unescape(content))
    return tag.replace(f'"{content}"', f'"{htmllib.escape(absolute)}"', 1)


class PageCache:
    """Rendered play pages by (code, link): a published bundle never changes, so skip the rework."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._pages: OrderedDict[tuple[str, str], tuple[str, str]] = OrderedDict()
        self._lock = threading.Lock()  # routes run in a thread pool

    def get(self, key: tuple[str, str]) -> tuple[str, str] | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple[str, str], page: tuple[str, str]) -> None:
        with self._lock:
            self._pages[key] = page
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
