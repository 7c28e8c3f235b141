"""Two scripts from the game's ES modules: each module runs in its own function scope, in the order
a browser would evaluate them, and hands its exports to the modules that import them.

The main script holds the entry and everything it imports statically. A module reached only
through `import('./x.js')` goes to a second script, the late chunk, with whatever it imports that
the main script lacks: the main script fetches the chunk (one request, whichever import() asks
first) once the page has drawn a frame, so code the first frame does not need never delays it.

A caller may put a module of its own in place of one of the template's (`virtual`): packaging
generates a registry that lists only what one game uses (the themes its levels play in), so the
bundle leaves the rest out while the template itself still imports everything natively. A stand-in
is read as strictly as any module, and must export exactly what the module it replaces exports.

It understands exactly the import/export forms listed in FORMS and refuses anything else by file,
line and text, so an edit it does not understand fails packaging instead of breaking the game."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NoReturn

from core.errors import PetPixelError
from core.packaging.jslex import compact, masked, spans

FORMS = (
    "import { a, b as c } from './x.js'; import * as x from './x.js'; import './x.js'; "
    "export const|function|async function|function*|class NAME ...; export { a, b as c }; "
    "import('./x.js') (a promise of x's exports; x, and what only x needs, loads after the "
    "first frame)"
)
RESERVED_PREFIX = "__petpixel"  # the names the bundle adds start with it; no module may use one
REGISTRY = "__petpixelModules"  # path -> a module's frozen exports
IMPORTER = "__petpixelImport"  # what import('./x.js') becomes: path -> promise of x's exports
LATE = "__petpixelLate"  # the late chunk's promise, once something asked for it
_ID = r"[A-Za-z_$][\w$]*"
_KEYWORD = re.compile(r"(?<![\w$.])(import|export)(?![\w$])")
_FROM = r"\s*from\s*(?P<q>['\"])(?P<spec>[^'\"\n]*)(?P=q)\s*;?"
_IMPORT_NAMED = re.compile(r"import\s*\{(?P<names>[^{}]*)\}" + _FROM)
_IMPORT_ALL = re.compile(rf"import\s*\*\s*as\s+(?P<ns>{_ID})" + _FROM)
_IMPORT_BARE = re.compile(r"import\s*(?P<q>['\"])(?P<spec>[^'\"\n]*)(?P=q)\s*;?")
_IMPORT_DYNAMIC = re.compile(r"import\s*\(\s*(?P<q>['\"])(?P<spec>[^'\"\n]*)(?P=q)\s*\)")
_EXPORT_DECL = re.compile(
    rf"(?P<keyword>export\s+)(?:(?:async\s+)?function(?:\s*\*\s*|\s+)|class\s+|const\s+)"
    rf"(?P<name>{_ID})(?![\w$])"
)
_EXPORT_MUTABLE = re.compile(r"export\s+(?:let|var)\b")
# Importers get the value an export has once its module has run: a later reassignment never reaches
# them, unlike an ES module's live binding.
_STALE = "export a const (importers see an export's value once its module has run)"
_EXPORT_LIST = re.compile(r"export\s*\{(?P<names>[^{}]*)\}\s*(?!\s*from\b);?")
_NAME = re.compile(rf"\s*(?P<name>{_ID})(?:\s+as\s+(?P<alias>{_ID}))?\s*")
_RESERVED = frozenset({"default", "as", "from", "import", "export"})


class BundleError(PetPixelError):
    """The modules use a form the bundler does not handle, or their imports do not fit together."""


@dataclass
class Module:
    """One ES module, read: what it imports (in order), what it exports, its body without them."""

    path: str
    imports: list[tuple[str, str]] = field(default_factory=list)  # (module, "{ a, b: c }" or name)
    wanted: dict[str, set[str]] = field(default_factory=dict)  # module -> names it must export
    exports: dict[str, str] = field(default_factory=dict)  # exported name -> local name
    dynamic: list[str] = field(default_factory=list)  # modules it asks for with import()
    body: str = ""


@dataclass(frozen=True)
class Scripts:
    """The bundle: `main` runs as the page's module script; `late` (empty when no module is
    reached only through import()) is a module whose default export installs the rest."""

    main: str
    late: str = ""
    main_modules: tuple[str, ...] = ()  # in evaluation order
    late_modules: tuple[str, ...] = ()


def bundle(
    entry: str,
    sources: dict[str, str],
    late_url: Callable[[str], str] = lambda _code: "./late.js",
    late_after: str = "",
    virtual: Mapping[str, str] | None = None,
) -> Scripts:
    """The entry module and every module it imports statically, as one module script, and the
    modules only import() reaches as a late chunk that the main script loads from
    `late_url(chunk)` (a URL relative to the page; the caller names and serves the file) once the
    page has dispatched the event `late_after` on its window, or without one once it has drawn
    its next frame.

    `virtual` maps template modules to the source to bundle in their place (see the module's
    docstring): each must stand for a module of `sources` that the game imports, and export the
    same names."""
    if entry not in sources:
        raise BundleError(f"The game template has no {entry}")
    stand_ins = dict(virtual or {})
    for path in stand_ins:
        if path not in sources:
            raise BundleError(f"The generated {path} stands for no module of the game template")
    modules: dict[str, Module] = {}
    state: dict[str, str] = {}
    read = {**sources, **stand_ins}
    order = _evaluation_order([(entry, entry)], read, modules, state, stand_ins)
    late_order: list[str] = []
    asked = [(target, path) for path in order for target in modules[path].dynamic]
    while asked:  # a late module may ask for more with import() in turn
        found = _evaluation_order(asked, read, modules, state, stand_ins)
        late_order += found
        asked = [(target, path) for path in found for target in modules[path].dynamic]
    _check_stand_ins(stand_ins, sources, modules)
    _check_imports(modules)
    late = ""
    if late_order:
        late = (
            "\n".join(
                [
                    f"// PetPixel game, after the first frame: {len(late_order)} modules "
                    f"that {entry} reaches through import(), one scope each.",
                    f"export default function ({REGISTRY}, {IMPORTER}) {{",
                    *[_wrap(modules[path]) for path in late_order],
                    "}",
                ]
            )
            + "\n"
        )
    lines = [
        f"// PetPixel game: {entry} and the {len(order) - 1} modules it imports, one scope each.",
        f"const {REGISTRY} = Object.create(null);",
    ]
    if any(module.dynamic for module in modules.values()):
        lines.append(_importer(late_url(late) if late else "", late_after))
    lines += [_wrap(modules[path]) for path in order]
    return Scripts(
        main="\n".join(lines) + "\n",
        late=late,
        main_modules=tuple(order),
        late_modules=tuple(late_order),
    )


def _importer(url: str, after: str) -> str:
    """import(path): a promise of the module's exports. A module of the main script is there
    once that script has run (a microtask later); any other fetches the late chunk, once, after
    the page dispatches the event `after` on its window (listened for from the start, so an
    import() made later still goes), or without one after the next frame; a failed fetch is
    tried again by the next import()."""
    if not url:
        return f"const {IMPORTER} = (path) => Promise.resolve().then(() => {REGISTRY}[path]);"
    if after:  # a task after the event, so after the frame that sent it too
        lines = [
            f"const {LATE}Ready = new Promise((go) => "
            f"addEventListener({after!r}, () => setTimeout(go), {{ once: true }}));"
        ]
        ready = f"{LATE}Ready"
    else:
        lines = []
        ready = (
            "new Promise((go) => (globalThis.requestAnimationFrame ? "
            "requestAnimationFrame(() => setTimeout(go)) : setTimeout(go)))"
        )
    return "\n".join(
        [
            *lines,
            f"let {LATE} = null;",
            f"const {IMPORTER} = (path) => Promise.resolve().then(() => {REGISTRY}[path] || "
            f"({LATE} ||= {ready}"
            f".then(() => import({url!r})).then((chunk) => chunk.default({REGISTRY}, {IMPORTER}))"
            f".catch((err) => {{ {LATE} = null; throw err; }}))"
            f".then(() => {REGISTRY}[path]));",
        ]
    )


def _check_stand_ins(
    stand_ins: dict[str, str], sources: Mapping[str, str], modules: dict[str, Module]
) -> None:
    """Each generated module replaces one the game imports, and exports what that one does: the
    bundle and the template's native modules link the same names."""
    for path in stand_ins:
        if path not in modules:
            raise BundleError(f"The generated {path} stands for a module the game never imports")
        theirs = set(read_module(path, sources[path]).exports)
        ours = set(modules[path].exports)
        if ours != theirs:
            missing, extra = sorted(theirs - ours), sorted(ours - theirs)
            raise BundleError(
                f"The generated {path} must export what the template's {path} exports: "
                + "; ".join(
                    f"{what} {', '.join(names)}"
                    for what, names in (("missing", missing), ("extra", extra))
                    if names
                )
            )


def _check_imports(modules: dict[str, Module]) -> None:
    """Every imported name is exported (a browser would refuse to link the modules otherwise)."""
    for module in modules.values():
        for target, names in module.wanted.items():
            missing = sorted(names - modules[target].exports.keys())
            if missing:
                them = "them" if len(missing) > 1 else "it"
                raise BundleError(
                    f"{module.path} imports {', '.join(missing)} from {target}, "
                    f"which does not export {them}"
                )


def read_module(path: str, source: str, generated: bool = False) -> Module:
    """Parse the import and export statements of one module and cut them out of its body.
    `generated`: the source stands in for the template's module (refusals say so)."""
    text = _Text(path, source, generated)
    if RESERVED_PREFIX in text.code:
        raise BundleError(
            f"{path} uses a name starting {RESERVED_PREFIX}, which the bundler keeps for itself"
        )
    module = Module(path)
    edits: list[tuple[int, int, str]] = []
    for match in _KEYWORD.finditer(text.code):
        start = match.start()
        if text.is_property(start, match.end()):
            continue
        after = text.code[match.end() :].lstrip()[:1]
        if match.group() == "import" and after == "(":
            edits.append(_dynamic(module, text, start))  # an expression: anywhere
            continue
        if match.group() == "import" and after == ".":
            text.refuse(start, "import.meta cannot be bundled")
        if text.depth(start) != 0:
            text.refuse(start, "import/export may only stand at the top of a module")
        end, replacement = _statement(module, text, start)
        edits.append((start, end, replacement))
    body = source
    for start, end, replacement in reversed(edits):
        body = body[:start] + replacement + body[end:]
    module.body = compact(body, path)
    return module


@dataclass
class _Text:
    """A module's source, its code alone (keywords count only there), and its code with strings
    (the statements are matched there, specifiers included)."""

    path: str
    source: str
    generated: bool = False
    code: str = ""
    bare: str = ""

    def __post_init__(self) -> None:
        found = spans(self.source, self.path)
        self.code = masked(self.source, found)
        self.bare = masked(self.source, found, keep=("string",))

    def is_property(self, start: int, end: int) -> bool:
        """`obj.import`, `{ export: 1 }`: the words as names, not as statements."""
        before = self.code[:start].rstrip()
        after = self.code[end:].lstrip()
        return before.endswith(".") or (after.startswith(":") and self.depth(start) > 0)

    def depth(self, pos: int) -> int:
        return self.code.count("{", 0, pos) - self.code.count("}", 0, pos)

    def refuse(self, start: int, why: str) -> NoReturn:
        line_no = self.source.count("\n", 0, start) + 1
        line = self.source[start:].split("\n", 1)[0].strip()
        where = f"{self.path} (generated)" if self.generated else self.path
        raise BundleError(
            f"{where}:{line_no}: `{line}`: {why}. The game bundler "
            f"(core/packaging/bundler.py) understands: {FORMS}"
        )


def _statement(module: Module, text: _Text, start: int) -> tuple[int, str]:
    """(end of the statement, what replaces it) for the import or export at `start`."""
    bare = text.bare
    if match := _IMPORT_NAMED.match(bare, start):
        pairs = _names(text, start, match.group("names"))
        target = _resolve(text, start, match.group("spec"))
        module.wanted.setdefault(target, set()).update(name for name, _ in pairs)
        fields = ", ".join(name if name == local else f"{name}: {local}" for name, local in pairs)
        module.imports.append((target, f"{{ {fields} }}"))
    elif match := _IMPORT_ALL.match(bare, start):
        module.imports.append((_resolve(text, start, match.group("spec")), match["ns"]))
    elif match := _IMPORT_BARE.match(bare, start):
        module.imports.append((_resolve(text, start, match.group("spec")), ""))
    elif match := _EXPORT_DECL.match(bare, start):
        _export(module, text, start, match["name"], match["name"])
        return start + len(match["keyword"]), ""  # the declaration itself stays
    elif match := _EXPORT_LIST.match(bare, start):
        for local, name in _names(text, start, match.group("names")):
            if re.search(rf"(?<![\w$.])(?:let|var)\s+{re.escape(local)}(?![\w$])", text.code):
                text.refuse(start, f"{local} is a let/var: {_STALE}")
            _export(module, text, start, name, local)
    elif _EXPORT_MUTABLE.match(bare, start):
        text.refuse(start, f"only const, function and class declarations: {_STALE}")
    else:
        text.refuse(start, "the bundler does not understand this form")
    return match.end(), "\n" * text.source.count("\n", start, match.end())


def _dynamic(module: Module, text: _Text, start: int) -> tuple[int, int, str]:
    """`import('./x.js')` -> `__petpixelImport('x.js')`: a literal path only, so the bundler
    knows every module the game may ask for."""
    match = _IMPORT_DYNAMIC.match(text.bare, start)
    if match is None:
        text.refuse(start, "import() takes one string literal, a relative path to a .js module")
    target = _resolve(text, start, match.group("spec"))
    if target not in module.dynamic:
        module.dynamic.append(target)
    return start, match.end(), f"{IMPORTER}({target!r})"


def _names(text: _Text, start: int, names: str) -> list[tuple[str, str]]:
    """`a, b as c` -> [(a, a), (b, c)]: (the name over there, the name here)."""
    items = names.split(",")
    if len(items) > 1 and not items[-1].strip():
        items.pop()  # a trailing comma
    pairs = []
    for item in items:
        match = _NAME.fullmatch(item)
        if match is None or {match["name"], match["alias"]} & _RESERVED:
            text.refuse(start, f"cannot read the name list {{{names.strip()}}}")
        pairs.append((match["name"], match["alias"] or match["name"]))
    return pairs


def _resolve(text: _Text, start: int, spec: str) -> str:
    if not (spec.startswith(("./", "../")) and spec.endswith(".js")):
        text.refuse(start, f"'{spec}' is not a relative path to a .js module")
    return posixpath.normpath(posixpath.join(posixpath.dirname(text.path), spec))


def _export(module: Module, text: _Text, start: int, name: str, local: str) -> None:
    if name in module.exports:
        text.refuse(start, f"{name} is exported twice")
    module.exports[name] = local


def _evaluation_order(
    roots: list[tuple[str, str]],
    sources: dict[str, str],
    modules: dict[str, Module],
    state: dict[str, str],
    generated: Mapping[str, str],
) -> list[str]:
    """Depth-first post-order over the static imports from each (root, its importer), in the
    order each module lists them (the order in which a browser evaluates an acyclic module graph),
    skipping the modules `state` marks done already."""
    order: list[str] = []

    def visit(path: str, importer: str) -> None:
        if state.get(path) == "done":
            return
        if state.get(path) == "open":
            raise BundleError(f"Import cycle through {path}: the game's modules must not import "
                              "each other in a circle")  # fmt: skip
        if path not in sources:
            raise BundleError(f"{importer} imports {path}, which is not in the game template")
        state[path] = "open"
        modules[path] = read_module(path, sources[path], path in generated)
        for target, _ in modules[path].imports:
            visit(target, path)
        state[path] = "done"
        order.append(path)

    for root, importer in roots:
        visit(root, importer)
    return order


def _wrap(module: Module) -> str:
    lines = [f"{REGISTRY}[{module.path!r}] = (() => {{"]
    # A bare `import './x.js'` needs nothing here: x.js already ran, earlier in the bundle.
    lines += [f"const {names} = {REGISTRY}[{to!r}];" for to, names in module.imports if names]
    lines.append(module.body.rstrip("\n"))
    exported = ", ".join(
        name if name == local else f"{name}: {local}" for name, local in module.exports.items()
    )
    lines.append(f"return Object.freeze({{ {exported} }});")
    lines.append("})();")
    return "\n".join(lines)
