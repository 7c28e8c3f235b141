"""The bundle's index.html: escaped title and description, share tags, CSP, hashed links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from core.errors import PetPixelError

META_MARKER = "<!-- petpixel:meta -->"
# No inline script anywhere, so the page can forbid it; images may be blobs (sprite flips) or data.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; media-src 'self' data: blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'none'"
)
_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)
_LINK = re.compile(r'(?P<attr>\b(?:src|href))="(?P<path>[^"#?:]+)"')


@dataclass(frozen=True)
class PageInfo:
    """What the page says about the game; every field is plain text, escaped here."""

    pet_name: str
    theme: str  # the theme's display title, e.g. "Sunny Park"
    level_count: int
    game_json: str
    image: str  # the 1200x630 share card (or the caller's PNG)
    icon: str
    animated: str = ""  # an optional animated GIF, offered as a second og:image
    # Fetched up front so slow links pay one round trip, not one per import level.
    modules: tuple[str, ...] = ()
    data: tuple[str, ...] = ()
    sheet: str = ""


def title(info: PageInfo) -> str:
    return f"{info.pet_name}'s PetPixel Adventure"


def description(info: PageInfo) -> str:
    levels = "level" if info.level_count == 1 else "levels"
    return (
        f"Play {info.pet_name} in a pixel-art platformer: {info.level_count} {levels} "
        f"in {info.theme}. Made with PetPixel from a pet photo."
    )


def render_page(template: str, info: PageInfo, names: dict[str, str]) -> str:
    """Fill the template's title and meta marker and point its links at hashed files."""
    if META_MARKER not in template:
        raise PetPixelError(f"index.html must contain {META_MARKER} for the share tags")
    page = _TITLE.sub(lambda _m: f"<title>{escape(title(info))}</title>", template, count=1)
    page = page.replace(META_MARKER, _meta_tags(info))
    return _LINK.sub(lambda m: _swap_link(m, names), page)


def _meta_tags(info: PageInfo) -> str:
    text = {"title": title(info), "description": description(info)}
    tags = [
        ("http-equiv", "Content-Security-Policy", CSP),
        ("name", "description", text["description"]),
        ("name", "petpixel-game", info.game_json),
        ("property", "og:type", "website"),
        ("property", "og:site_name", "PetPixel"),
        ("property", "og:title", text["title"]),
        ("property", "og:description", text["description"]),
        ("property", "og:image", info.image),
        ("property", "og:image:alt", f"{info.pet_name} as a pixel-art sprite"),
        *([("property", "og:image", info.animated)] if info.animated else []),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", text["title"]),
        ("name", "twitter:description", text["description"]),
        ("name", "twitter:image", info.image),
    ]
    lines = [f'<meta {kind}="{escape(k)}" content="{escape(v)}">' for kind, k, v in tags]
    lines.append(f'<link rel="icon" type="image/png" href="{escape(info.icon)}">')
    return "\n    ".join(lines + _preloads(info))


def _preloads(info: PageInfo) -> list[str]:
    links = [f'<link rel="modulepreload" href="{escape(m)}">' for m in info.modules]
    # crossorigin matches fetch()'s default same-origin credentials, so the preload is reused.
    links += [f'<link rel="preload" as="fetch" crossorigin href="{escape(d)}">' for d in info.data]
    if info.sheet:
        links.append(f'<link rel="preload" as="image" href="{escape(info.sheet)}">')
    return links


def _swap_link(match: re.Match[str], names: dict[str, str]) -> str:
    path = match.group("path").removeprefix("./")
    if path not in names:
        return match.group(0)
    return f'{match.group("attr")}="{escape(names[path])}"'
