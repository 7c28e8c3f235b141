"""The shape of the house: which folders may import which, and no import circles between folders.

Every import counts, also those inside functions (a lazy import is still a dependency). A node is
a folder one level down (core/orders, bots/telegram, workers/tasks; bots/discord/cogs belongs to
bots/discord); a module directly in a top-level folder (core/config.py, runtime/open.py) is its
own node, so shared root modules do not glue folders together.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOP = ("core", "workers", "runtime", "web", "bots", "cli")
# What each top-level folder may import besides itself (cli is the entry point: anything).
ALLOWED = {
    "core": set(),
    "workers": {"core"},
    "runtime": {"core", "workers"},
    "web": {"core", "runtime"},
    "bots": {"core", "runtime"},
    "cli": {"core", "workers", "runtime", "web", "bots"},
}


def modules() -> dict[str, Path]:
    found = {}
    for top in TOP:
        for path in (ROOT / top).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Our modules that `name` imports (the longest known prefix of each imported name)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
    found = set()
    for target in targets:
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)
    return found


def node_of(name: str, path: Path) -> str:
    parts = name.split(".")
    folder = parts if path.name == "__init__.py" else parts[:-1]
    return name if len(folder) == 1 else ".".join(folder[:2])


def graph() -> dict[str, set[str]]:
    mods = modules()
    edges: dict[str, set[str]] = defaultdict(set)
    for name, path in mods.items():
        here = node_of(name, path)
        for target in imports_of(name, path, set(mods)):
            there = node_of(target, mods[target])
            if there != here:
                edges[here].add(there)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in list(edges):
        if node not in index:
            visit(node)
    return found


def test_folders_import_only_what_they_may() -> None:
    wrong = []
    for name, path in modules().items():
        top = name.split(".")[0]
        for target in imports_of(name, path, set(modules())):
            other = target.split(".")[0]
            if other != top and other not in ALLOWED[top]:
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_no_import_circles_between_folders() -> None:
    assert cycles(graph()) == []


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_the_circle_finder_finds_circles(
    edges: dict[str, set[str]], expected: list[list[str]]
) -> None:
    assert cycles(edges) == expected


def test_the_import_reader_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    source = tmp_path / "mod.py"
    source.write_text("def f():\n    from core.config import Settings\nfrom . import sibling\n")
    known = {"core.config", "core.x.sibling", "core.x.mod"}
    assert imports_of("core.x.mod", source, known) == {"core.config", "core.x.sibling"}
