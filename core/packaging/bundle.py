"""Build the static game bundle (path -> bytes) from game_template/ and one pet's assets."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath
from typing import Any

from core.errors import InvalidRequest, PetPixelError
from core.levels import get_theme
from core.levels.game import boss_design
from core.levels.physics import with_player
from core.package_data import game_template
from core.packaging.bundler import bundle as bundle_modules
from core.packaging.cards import icon, idle_frame, share_card
from core.packaging.hashing import hashed_name
from core.packaging.hero import hero_fit, species_of
from core.packaging.page import Inline, PageInfo, render_page
from core.packaging.png import smallest_png
from core.packaging.rules import template_rules_version
from core.petnames import clean_name

ENTRY = "js/main.js"
LATE = "js/late.js"  # the late chunk, hashed like every file but index.html
FIRST_FRAME = (
    "petpixel:first-frame"  # main.js sends it after the first frame; the late chunk follows
)
# Registries of modules a game may use, one each (path -> the name it exports): every theme (its
# colours, enemy skins and scenery painter, js/themes/<name>.js), every boss design
# (js/bosses/<design>.js) and every fixed-palette style (js/styles/<style>.js, with the palette
# machinery of js/styles/ink.js). A game's bundle gets registries of its own that import only the
# themes its levels play in, the bosses they fight and its style.
REGISTRIES = {
    "js/themes/all.js": "WORLDS",
    "js/bosses/all.js": "BOSSES",
    "js/styles/all.js": "STYLES",
}
# Registries where a name may have no module: a full-colour style (16bit, modern) has none.
_OPTIONAL = frozenset({"js/styles/all.js"})
# Only what a player's browser needs: tools/, tests/ and modules main.js never imports stay out.
_CODE = (("js", ".js"), ("css", ".css"))  # (folder, suffix); js/ with its sub-folders
# CSS strings (kept as written), comments (dropped), and runs of blanks (one, or none next to
# `{ } ; ,`; kept around `+ - : >` which calc() and selectors need).
_CSS_TOKEN = re.compile(
    r"""(?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(?P<comment>/\*.*?\*/)"""
    r"""|(?P<blank>\s+)|(?P<text>[^"'/\s]+|/)""",
    re.DOTALL,
)
_CSS_TIGHT = frozenset("{};,")
_CSS_URL = re.compile(r"""url\(\s*(?P<q>['"]?)(?P<path>[^'")\s]+)(?P=q)\s*\)""")


def build_bundle(
    *,
    sheet_png: bytes,
    atlas: dict[str, Any],
    levels: list[dict[str, Any]],
    pet_name: str,
    style: str,
    theme: str,
    seed: int,
    palette: list[str],
    preview_png: bytes | None = None,
    preview_gif: bytes | None = None,
    physics: dict[str, Any] | None = None,
    template_dir: Traversable | None = None,
) -> dict[str, bytes]:
    """Every file of one playable game; only index.html keeps its name, the rest are hashed.

    The code comes from `template_dir`, by default the shipped game template (package data): its
    ES modules bundled (core.packaging.bundler) into the script index.html carries inline with the
    stylesheet, so a slow link pays one round trip for the page and one for the game's data, and a
    hashed late chunk (js/late.<hash>.js: what main.js reaches only through import()) that the
    page fetches after its first frame. Of the themes' data and art it carries only the themes
    the game plays in (`theme` and each level's), and only the boss designs its levels fight.

    The hero's physics box comes from the atlas hitbox (core.packaging.hero): `levels` must have
    been generated with `player=player_box(atlas)` to be proven for the box the game plays with.
    """
    name = _check_inputs(pet_name, theme, levels)
    source = game_template() if template_dir is None else template_dir
    bundle: dict[str, bytes] = {}
    sheet = _add(bundle, "sheet.png", smallest_png(sheet_png))  # the first frame waits for it
    atlas_name = _add(bundle, "sheet.json", _json({**atlas, "image": sheet}))
    sprite = idle_frame(sheet_png, atlas)
    fit = hero_fit(atlas, sprite.height)
    image = _add(bundle, "card.png", preview_png or share_card(sprite, theme, name))
    animated = _add(bundle, "preview.gif", preview_gif) if preview_gif else ""
    played = with_player(physics or _physics(source), fit.player)
    game = {
        "version": 1,
        "rules": template_rules_version(source),  # the sim.js it plays: runs are checked against it
        "pet_name": name,
        "style": style,
        "theme": theme,
        "seed": seed,
        "palette": palette,
        "species": species_of(atlas),
        "hero": fit.game_json(),
        "physics": played,
        "levels": levels,
        "atlas": atlas_name,
        "sheet": sheet,
    }
    game_name = _add(bundle, "game.json", _json(game))
    info = PageInfo(
        pet_name=name,
        theme=get_theme(theme).title,
        level_count=len(levels),
        game_json=game_name,
        image=image,
        animated=animated,
        icon=_add(bundle, "icon.png", icon(sprite)),
        data=(game_name, atlas_name),
        sheet=sheet,
    )
    template = source.joinpath("index.html").read_text(encoding="utf-8")
    uses = _uses(theme, style, levels, played)
    inline = _inline_code(source, bundle, uses)
    bundle["index.html"] = render_page(template, info, {}, inline).encode()
    return bundle


def write_bundle(bundle: dict[str, bytes], out_dir: Path) -> list[Path]:
    """Write every file under out_dir; refuses paths that would escape it."""
    written = []
    for rel, data in sorted(bundle.items()):
        pure = PurePosixPath(rel)
        if pure.is_absolute() or ".." in pure.parts:
            raise InvalidRequest(f"Refusing to write {rel!r} outside the bundle folder")
        path = out_dir.joinpath(*pure.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def _check_inputs(pet_name: str, theme: str, levels: list[dict[str, Any]]) -> str:
    name = clean_name(pet_name)  # raises InvalidRequest (code "bad_name") saying why
    get_theme(theme)  # raises InvalidRequest naming the choices
    if not levels:
        raise InvalidRequest("A game needs at least one level.")
    for level in levels:
        get_theme(level["theme"])  # the bundle carries the art of exactly these themes
    return name


def _uses(
    theme: str, style: str, levels: list[dict[str, Any]], physics: dict[str, Any]
) -> dict[str, list[str]]:
    """Registry path -> the modules this game uses from it: its themes (the game's, then each
    level's), the boss designs its levels fight (as sim.js picks them: core.levels.game) and its
    style."""
    themes = [theme, *(level["theme"] for level in levels)]
    bosses = [
        boss_design(physics, entity, level["theme"])
        for level in levels
        for entity in level.get("entities", [])
        if entity.get("type") == "boss"
    ]
    found = {
        "WORLDS": list(dict.fromkeys(themes)),
        "BOSSES": list(dict.fromkeys(bosses)),
        "STYLES": [style],
    }
    return {path: found[export] for path, export in REGISTRIES.items()}


def _inline_code(
    template_dir: Traversable, bundle: dict[str, bytes], uses: dict[str, list[str]]
) -> Inline:
    """The modules main.js imports as one script, and every stylesheet, for the page to carry;
    the late chunk, when there is one, goes into `bundle` under its hashed name. Each registry
    (REGISTRIES) lists only the modules in `uses`."""
    files = {
        path: text
        for folder, suffix in _CODE
        for path, text in _files(template_dir.joinpath(folder), folder, suffix, folder == "js")
    }

    def late_url(code: str) -> str:
        return "./" + _add(bundle, LATE, code.encode())

    sources = {p: text for p, text in files.items() if p.endswith(".js")}
    registries = {path: _registry(path, names, sources) for path, names in uses.items()}
    scripts = bundle_modules(ENTRY, sources, late_url, late_after=FIRST_FRAME, virtual=registries)
    styles = {
        p: _compact_css(_rebase_css(p, text)) for p, text in files.items() if p.endswith(".css")
    }
    return Inline(scripts={ENTRY: scripts.main}, styles=styles)


def _files(folder: Traversable, prefix: str, suffix: str, deep: bool) -> Iterator[tuple[str, str]]:
    """(path, text) of the folder's files ending in `suffix`, by name; with `deep`, its
    sub-folders' too."""
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        path = f"{prefix}/{entry.name}"
        if entry.is_file() and entry.name.endswith(suffix):
            yield path, entry.read_text(encoding="utf-8")
        elif deep and entry.is_dir():
            yield from _files(entry, path, suffix, deep)


def _registry(path: str, names: list[str], sources: dict[str, str]) -> str:
    """A registry (REGISTRIES) for one game: only the modules `names` of its folder, each under
    its own name (a key in quotes where the name is no identifier, `'8bit': m8bit`), as the
    template's registry lists them. An optional registry skips a name without a module."""
    folder = posixpath.dirname(path)
    lines, keys = ["// What this game uses (generated by core/packaging/bundle.py)."], []
    for name in names:
        there = re.fullmatch(r"[a-z0-9]+", name) and f"{folder}/{name}.js" in sources
        if not there and path in _OPTIONAL:
            continue
        if not there:
            raise PetPixelError(f"The game template has no {folder}/{name}.js for {name!r}")
        alias = name if name[0].isalpha() else f"m{name}"
        lines.append(f"import * as {alias} from './{name}.js';")
        keys.append(name if alias == name else f"'{name}': {alias}")
    lines.append(f"export const {REGISTRIES[path]} = {{ {', '.join(keys)} }};")
    return "\n".join(lines) + "\n"


def _rebase_css(path: str, css: str) -> str:
    """A stylesheet's relative url()s, made relative to the page that now carries it."""
    if "@import" in css:
        raise PetPixelError(f"{path} uses @import, which cannot be put inline")
    folder = posixpath.dirname(path)

    def rebase(match: re.Match[str]) -> str:
        url = match.group("path")
        if url.startswith(("data:", "#", "/")) or ":" in url.split("/", 1)[0]:
            return match.group(0)
        return f'url("{posixpath.normpath(posixpath.join(folder, url))}")'

    return _CSS_URL.sub(rebase, css)


def _compact_css(css: str) -> str:
    """The stylesheet without comments or spare blanks; strings copied as written. A comment with
    no blank beside it becomes `/**/`: it still separates tokens (`1px/**/2px`, `.a/**/.b`)."""
    out: list[str] = []
    for match in _CSS_TOKEN.finditer(css):
        kind, text = match.lastgroup, match.group()
        if kind == "comment":
            spaced = (
                css[match.start() - 1 : match.start()].isspace()
                or css[match.end() : match.end() + 1].isspace()
            )
            if not spaced and out and match.end() < len(css):
                out.append("/**/")
        elif kind == "blank":
            if out and out[-1] != " ":
                out.append(" ")
        elif out and out[-1] == " " and (text[0] in _CSS_TIGHT or out[-2][-1] in _CSS_TIGHT):
            out[-1] = text
        else:
            out.append(text)
    if out and out[-1] == " ":
        out.pop()
    return "".join(out)


def _add(bundle: dict[str, bytes], path: str, data: bytes) -> str:
    name = hashed_name(path, data)
    bundle[name] = data
    return name


def _physics(template_dir: Traversable) -> dict[str, Any]:
    text = template_dir.joinpath("physics.json").read_text(encoding="utf-8")
    result: dict[str, Any] = json.loads(text)
    return result


def _json(value: Any) -> bytes:
    # ensure_ascii: every non-ASCII or special character in user text becomes a \u escape.
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).encode()
