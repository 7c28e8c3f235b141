"""The bundle's index.html: escaped title and description, share tags, CSP, hashed links, and the
game's code and style inline, each allowed by its own hash in the CSP."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from html import escape

from core.errors import PetPixelError

META_MARKER = "<!-- petpixel:meta -->"
# Inline code runs only when its exact bytes hash to a listed value: no 'unsafe-inline'. Images may
# be blobs (sprite flips) or data.
CSP = (
    "default-src 'self'; script-src 'self'{script}; style-src 'self'{style}; "
    "img-src 'self' data: blob:; connect-src 'self'; media-src 'self' data: blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'none'"
)
_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)
_LINK = re.compile(r'(?P<attr>\b(?:src|href))="(?P<path>[^"#?:]+)"')
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="(?P<path>[^"]+)">')
_SCRIPT = re.compile(r'<script type="module" src="(?P<path>[^"]+)"></script>')
# Text that would end an inline element early, or switch the HTML parser's script state.
_ENDS_INLINE = re.compile(r"</(?:script|style)|<!--", re.IGNORECASE)


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
    # Fetched from the page's first bytes, alongside the rest of the page.
    data: tuple[str, ...] = ()
    sheet: str = ""


@dataclass(frozen=True)
class Inline:
    """What the page carries inline instead of linking: the bundled script that stands in for the
    module the template loads, and the stylesheets it links, by template path."""

    scripts: dict[str, str] = field(default_factory=dict)
    styles: dict[str, str] = field(default_factory=dict)


def title(info: PageInfo) -> str:
    return f"{info.pet_name}'s PetPixel Adventure"


def description(info: PageInfo) -> str:
    levels = "level" if info.level_count == 1 else "levels"
    return (
        f"Play {info.pet_name} in a pixel-art platformer: {info.level_count} {levels} "
        f"in {info.theme}. Made with PetPixel from a pet photo."
    )


def render_page(
    template: str, info: PageInfo, names: dict[str, str], inline: Inline | None = None
) -> str:
    """Fill the template's title and meta marker, put the inline script and styles in place of
    the tags that load them, and point the remaining links at hashed files."""
    if META_MARKER not in template:
        raise PetPixelError(f"index.html must contain {META_MARKER} for the share tags")
    inline = inline or Inline()
    page = _TITLE.sub(lambda _m: f"<title>{escape(title(info))}</title>", template, count=1)
    page = _LINK.sub(lambda m: _swap_link(m, names), page)  # before any code is put inline
    page, hashes = _put_inline(page, inline)
    return page.replace(META_MARKER, _meta_tags(info, csp(**hashes)), 1)


def csp(*, script: tuple[str, ...] = (), style: tuple[str, ...] = ()) -> str:
    """The page's policy, allowing exactly the inline blocks with these hashes."""
    return CSP.format(
        script="".join(f" {h}" for h in script), style="".join(f" {h}" for h in style)
    )


def source_hash(text: str) -> str:
    """The CSP source expression that allows an inline block with exactly this text."""
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


def _put_inline(page: str, inline: Inline) -> tuple[str, dict[str, tuple[str, ...]]]:
    """The page with each inline block in place of its tag, and the blocks' CSP hashes."""
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    placed: set[str] = set()

    def swap(match: re.Match[str], kind: str, blocks: dict[str, str]) -> str:
        path = match.group("path")
        if path not in blocks:
            return match.group(0)
        text = blocks[path]
        if _ENDS_INLINE.search(text):
            raise PetPixelError(f"{path} holds '</{kind}' or '<!--' and cannot be put inline")
        hashes[kind].append(source_hash(text))
        placed.add(path)
        attrs = ' type="module"' if kind == "script" else ""
        return f"<{kind}{attrs}>{text}</{kind}>"

    page = _STYLESHEET.sub(lambda m: swap(m, "style", inline.styles), page)
    page = _SCRIPT.sub(lambda m: swap(m, "script", inline.scripts), page)
    missing = sorted((inline.scripts.keys() | inline.styles.keys()) - placed)
    if missing:
        raise PetPixelError(
            f'index.html must load {", ".join(missing)} with <script type="module" src=...> '
            '(scripts) or <link rel="stylesheet" href=...> (styles) to have it inline'
        )
    return page, {kind: tuple(found) for kind, found in hashes.items()}


def _meta_tags(info: PageInfo, policy: str) -> str:
    text = {"title": title(info), "description": description(info)}
    tags = [
        ("http-equiv", "Content-Security-Policy", policy),
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
    # crossorigin matches fetch()'s default same-origin credentials, so the preload is reused.
    links = [f'<link rel="preload" as="fetch" crossorigin href="{escape(d)}">' for d in info.data]
    if info.sheet:
        links.append(f'<link rel="preload" as="image" href="{escape(info.sheet)}">')
    return links


def _swap_link(match: re.Match[str], names: dict[str, str]) -> str:
    path = match.group("path").removeprefix("./")
    if path not in names:
        return match.group(0)
    return f'{match.group("attr")}="{escape(names[path])}"'
