"""Content-hashed file names and the ES module import rewrite that keeps hashed modules linked."""

from __future__ import annotations

import hashlib
import posixpath
import re

from core.errors import PetPixelError

# Static `import ... from './x.js'`, bare `import './x.js'`, `export ... from './x.js'` and dynamic
# `import('./x.js')`: the only ways one of our modules names another.
_SPECIFIER = re.compile(
    r"""(?P<head>\b(?:from|import)\s*\(?\s*)(?P<q>['"])(?P<spec>\.{1,2}/[^'"]+\.js)(?P=q)"""
)


def content_hash(data: bytes) -> str:
    """Ten hex digits of SHA-256: unique enough for one bundle, short enough for URLs."""
    return hashlib.sha256(data).hexdigest()[:10]


def hashed_name(path: str, data: bytes) -> str:
    """`js/main.js` -> `js/main.3f2a9c1b7d.js`."""
    stem, dot, ext = path.rpartition(".")
    if not dot:
        return f"{path}.{content_hash(data)}"
    return f"{stem}.{content_hash(data)}.{ext}"


def module_imports(source: str, path: str) -> set[str]:
    """Bundle-relative paths of the modules that `path` imports."""
    base = posixpath.dirname(path)
    return {
        posixpath.normpath(posixpath.join(base, m.group("spec")))
        for m in _SPECIFIER.finditer(source)
    }


def reachable(entry: str, modules: dict[str, bytes]) -> dict[str, bytes]:
    """The modules `entry` imports, directly or not, itself included."""
    if entry not in modules:
        raise PetPixelError(f"The game template has no {entry}")
    seen: dict[str, bytes] = {}
    todo = [entry]
    while todo:
        path = todo.pop()
        if path in seen or path not in modules:
            continue
        seen[path] = modules[path]
        todo.extend(module_imports(modules[path].decode(), path))
    return seen


def hash_modules(modules: dict[str, bytes]) -> dict[str, str]:
    """Give every module a hashed name, leaves first, so an importer's hash covers its imports.

    Returns original path -> hashed path; the rewritten sources come from `rewrite_imports`.
    """
    names: dict[str, str] = {}
    for path in _leaves_first(modules):
        source = rewrite_imports(modules[path].decode(), path, names)
        names[path] = hashed_name(path, source.encode())
    return names


def rewrite_imports(source: str, path: str, names: dict[str, str]) -> str:
    """Point every relative import specifier at the hashed name of its target."""
    base = posixpath.dirname(path)

    def swap(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(base, match.group("spec")))
        if target not in names:
            raise PetPixelError(f"{path} imports {target}, which is not in the game template")
        new = "./" + posixpath.relpath(names[target], base or ".")
        return f"{match.group('head')}{match.group('q')}{new}{match.group('q')}"

    return _SPECIFIER.sub(swap, source)


def _leaves_first(modules: dict[str, bytes]) -> list[str]:
    """Depth-first post-order over the import graph; a cycle cannot be content-hashed."""
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(path: str) -> None:
        if state.get(path) == "done":
            return
        if state.get(path) == "open":
            raise PetPixelError(f"Import cycle through {path}: hashed names need an acyclic graph")
        state[path] = "open"
        for dep in sorted(module_imports(modules[path].decode(), path) & modules.keys()):
            visit(dep)
        state[path] = "done"
        order.append(path)

    for path in sorted(modules):
        visit(path)
    return order
