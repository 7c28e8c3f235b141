"""core.packaging.bundler and jslex: one script that behaves as the ES modules do, and a clear
refusal for every import/export form it does not handle."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from core.packaging.bundler import BundleError, bundle
from core.packaging.jslex import compact, masked, spans
from tests.conftest import need
from tests.game.play import TEMPLATE

# A small graph with every form the bundler accepts, and the traps a lexer must not fall into:
# keywords inside strings, comments, templates and regexes, aliases, and evaluation order.
GRAPH = {
    "main.js": """// entry: logs what it sees
import { log, seen } from './log.js';
import { twice as double, Counter } from './lib/math.js';
import * as shapes from './lib/shapes.js';
import './side.js';
const words = 'import { x } from "./nope.js"; export default 1';
/* export const hidden = 1; import './gone.js'; */
const re = /["'`]import\\//g;
const tpl = `export ${ { a: `import ${double(2)}` }.a } done`;
const c = new Counter();
c.add(double(3));
log(`main ${c.total} ${shapes.area(2, 3)} ${shapes.NAME} ${words.length} ${re.source}`);
log(tpl);
try { shapes.NAME = 'x'; } catch (err) { log(typeof shapes, err.name); }
const obj = { import: 1, export: 2 };
log(obj.import + obj.export, a / 2 / 1);
function a() { return 8; }
log(seen().join(','));
""",
    "log.js": """const lines = [];
export function log(...parts) { lines.push(parts.join(' ')); console.log(parts.join(' ')); }
export const seen = () => lines.slice();
""",
    "lib/math.js": """import { log } from '../log.js';
log('math runs');
function twice(x) { return x * 2; }
class Counter {
  constructor() { this.total = 0; }
  add(n) { this.total += n; return this; }
}
export { twice, Counter as Counter };
export async function later() { return 1; }
export function* count() { yield 1; }
""",
    "lib/shapes.js": """import { log } from '../log.js';
import { twice } from './math.js';
log('shapes runs', twice(1));
export const NAME = 'rect';
export const area = (w, h) => w * h;
""",
    "side.js": """import { log } from './log.js';
log('side runs');
""",
}


def write(graph: dict[str, str], folder: Path) -> None:
    for path, text in graph.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text)


def node(*args: str) -> str:
    need(shutil.which("node") is not None, "node")
    done = subprocess.run(["node", *args], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.node
def test_the_bundle_prints_what_the_modules_print(tmp_path: Path) -> None:
    """Node runs the modules as ES modules and the bundle as one module: same output, same order."""
    write(GRAPH, tmp_path / "src")
    (tmp_path / "src" / "package.json").write_text('{"type": "module"}')
    native = node(str(tmp_path / "src" / "main.js"))
    script = bundle("main.js", GRAPH).main
    (tmp_path / "bundle.mjs").write_text(script)
    assert node(str(tmp_path / "bundle.mjs")) == native
    assert native.splitlines()[:3] == ["math runs", "shapes runs 2", "side runs"]
    assert "// entry" not in script  # comments dropped
    code = masked(script, spans(script))  # strings, templates, regexes blanked
    assert not re.search(r"(^|;)\s*(import|export)\b", code, re.MULTILINE)


# import(): a late module with a late dependency, one that asks for a main module with import() in
# turn, and a main module asked for with import() (already there: it stays in the main script).
LATE_GRAPH = {
    "main.js": """import { log } from './log.js';
log('main runs');
const late = import('./later.js');
import('./log.js').then((ns) => log('log again', typeof ns.log));
late.then((m) => m.run()).then((text) => log('done', text));
log('main ends');
""",
    "log.js": GRAPH["log.js"],
    "later.js": """import { log } from './log.js';
import { twice } from './lib/math.js';
log('later runs', twice(4));
export const run = () => import('./lib/shapes.js').then((s) => `${s.NAME} ${s.area(2, 2)}`);
""",
    "lib/math.js": GRAPH["lib/math.js"],
    "lib/shapes.js": GRAPH["lib/shapes.js"],
}


@pytest.mark.node
def test_import_splits_a_late_chunk_that_prints_what_the_modules_print(tmp_path: Path) -> None:
    """What import() reaches alone goes to the late chunk (its static imports too, unless the main
    script has them); node runs the pair as it runs the native modules: same output."""
    write(LATE_GRAPH, tmp_path / "src")
    (tmp_path / "src" / "package.json").write_text('{"type": "module"}')
    native = node(str(tmp_path / "src" / "main.js"))
    scripts = bundle("main.js", LATE_GRAPH, lambda code: "./chunk.mjs")
    assert scripts.main_modules == ("log.js", "main.js")
    assert scripts.late_modules == ("lib/math.js", "later.js", "lib/shapes.js")
    (tmp_path / "main.mjs").write_text(scripts.main)
    (tmp_path / "chunk.mjs").write_text(scripts.late)
    assert node(str(tmp_path / "main.mjs")) == native
    assert native.splitlines()[:2] == ["main runs", "main ends"]
    assert "import('./chunk.mjs')" in scripts.main
    assert "'lib/math.js'] = " in scripts.late
    assert "'lib/math.js'] = " not in scripts.main


# A window's addEventListener/dispatchEvent for node, before the bundle's first line.
WINDOW = """const events = new EventTarget();
globalThis.addEventListener = events.addEventListener.bind(events);
globalThis.dispatchEvent = events.dispatchEvent.bind(events);
"""


@pytest.mark.node
def test_the_late_chunk_waits_for_the_event(tmp_path: Path) -> None:
    """With `late_after`, nothing is fetched until the page dispatches that event, and an import()
    made after it goes at once."""
    graph = {
        "main.js": """import('./later.js').then(() => console.log('loaded'));
setTimeout(() => { console.log('sending'); dispatchEvent(new Event('first-frame')); }, 50);
setTimeout(() => import('./more.js').then(() => console.log('more loaded')), 100);
""",
        "later.js": "console.log('later runs');\n",
        "more.js": "console.log('more runs');\n",
    }
    scripts = bundle("main.js", graph, lambda code: "./chunk.mjs", late_after="first-frame")
    (tmp_path / "main.mjs").write_text(WINDOW + scripts.main)
    (tmp_path / "chunk.mjs").write_text(scripts.late)
    out = node(str(tmp_path / "main.mjs")).splitlines()
    assert out == ["sending", "later runs", "more runs", "loaded", "more loaded"]


@pytest.mark.node
def test_the_game_template_bundles_into_valid_javascript(tmp_path: Path) -> None:
    sources = {
        p.relative_to(TEMPLATE).as_posix(): p.read_text() for p in (TEMPLATE / "js").rglob("*.js")
    }
    scripts = bundle("js/main.js", sources)
    script = scripts.main
    (tmp_path / "game.mjs").write_text(script)
    node("--check", str(tmp_path / "game.mjs"))
    (tmp_path / "late.mjs").write_text(scripts.late)
    node("--check", str(tmp_path / "late.mjs"))
    assert {"js/share.js", "js/gif.js", "js/music.js", "js/fontface.js", "js/board.js"} <= set(
        scripts.late_modules
    )
    assert "'js/levelschema.js'" not in script  # main.js never imports it: left out
    assert script.count("= (() => {") >= 10
    assert "'js/themes/snow.js'" in script  # the template's registry: every theme


# A registry that imports every theme, as the template's does, and a generated one in its place.
THEMED = {
    "main.js": """import { THEMES } from './themes/all.js';
for (const [name, t] of Object.entries(THEMES)) console.log(name, t.colour);
""",
    "themes/all.js": """// every theme
import * as park from './park.js';
import * as snow from './snow.js';
export const THEMES = { park, snow };
""",
    "themes/park.js": "export const colour = 'green';\n",
    "themes/snow.js": "export const colour = 'white';\n",
}
ONLY_SNOW = """import * as snow from './snow.js';
export const THEMES = { snow };
"""


@pytest.mark.node
def test_a_generated_module_stands_in_for_a_template_module(tmp_path: Path) -> None:
    """virtual: the bundle runs the caller's module in place of the template's, and what only the
    template's imported stays out; the native modules still import everything."""
    write(THEMED, tmp_path / "src")
    (tmp_path / "src" / "package.json").write_text('{"type": "module"}')
    assert node(str(tmp_path / "src" / "main.js")).splitlines() == ["park green", "snow white"]
    scripts = bundle("main.js", THEMED, virtual={"themes/all.js": ONLY_SNOW})
    (tmp_path / "bundle.mjs").write_text(scripts.main)
    assert node(str(tmp_path / "bundle.mjs")).splitlines() == ["snow white"]
    assert scripts.main_modules == ("themes/snow.js", "themes/all.js", "main.js")
    assert "green" not in scripts.main


@pytest.mark.parametrize(
    ("virtual", "says"),
    [
        ({"themes/gone.js": ONLY_SNOW}, "generated themes/gone.js stands for no module"),
        (
            {"themes/all.js": ONLY_SNOW, "themes/park.js": "export const colour = 'red';\n"},
            "generated themes/park.js stands for a module the game never imports",
        ),
        ({"themes/all.js": "export const THEMES = {};\nexport const MORE = 1;\n"}, "extra MORE"),
        ({"themes/all.js": "export const WORLDS = {};\n"}, "missing THEMES; extra WORLDS"),
        (
            {"themes/all.js": "// one\nexport default {};\n"},
            "themes/all.js (generated):2: `export default {};`: the bundler does not understand",
        ),
        ({"themes/all.js": "import { x } from './gone.js';\n"}, "not in the game template"),
    ],
)
def test_a_generated_module_is_read_as_strictly_as_the_template(
    virtual: dict[str, str], says: str
) -> None:
    with pytest.raises(BundleError) as caught:
        bundle("main.js", THEMED, virtual=virtual)
    assert says in str(caught.value)


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("export default function main() {}", "does not understand"),
        ("import main from './lib.js';", "does not understand"),
        ("export * from './lib.js';", "does not understand"),
        ("export { a } from './lib.js';", "does not understand"),
        ("const lib = import(name);", "import() takes one string literal"),
        ("const lib = import(`./lib.js`);", "import() takes one string literal"),
        ("const lib = import('./lib.json');", "not a relative path"),
        ("const url = import.meta.url;", "import.meta"),
        ("import { a } from 'lib';", "not a relative path"),
        ("import { a } from './lib.json';", "not a relative path"),
        ("export let total = 0;", "export a const"),
        ("let n = 1;\nexport { n };", "let/var"),
        ("function f() {\n  export const x = 1;\n}", "top of a module"),
        ("import { default as a } from './lib.js';", "cannot read the name list"),
        ("export const a = 1;\nexport { a };", "exported twice"),
    ],
)
def test_unknown_forms_are_refused_with_file_line_and_the_known_forms(
    source: str, says: str
) -> None:
    with pytest.raises(BundleError) as caught:
        bundle("main.js", {"main.js": "// header\n" + source, "lib.js": "export const a = 1;\n"})
    message = str(caught.value)
    assert says in message
    assert "main.js:2" in message or "main.js:3" in message
    assert "understands: import { a, b as c } from './x.js'" in message


def test_graph_problems_are_reported() -> None:
    with pytest.raises(BundleError, match="cycle"):
        bundle("a.js", {"a.js": "import './b.js';", "b.js": "import { x } from './a.js';"})
    with pytest.raises(BundleError, match="not in the game template"):
        bundle("a.js", {"a.js": "import './gone.js';"})
    lib = {"lib.js": "export const a = 1;"}
    with pytest.raises(BundleError, match=r"imports b, c from lib\.js, which does not export them"):
        bundle("a.js", {"a.js": "import { b, c } from './lib.js';", **lib})
    with pytest.raises(BundleError, match="keeps for itself"):
        bundle("a.js", {"a.js": "const __petpixelModules = 1;"})
    with pytest.raises(BundleError, match="keeps for itself"):
        bundle("a.js", {"a.js": "let __petpixelLate;"})
    with pytest.raises(BundleError, match=r"a\.js imports late\.js, which is not in the game"):
        bundle("a.js", {"a.js": "const later = () => import('./late.js');"})


def test_compact_keeps_literals_and_the_line_breaks_statements_need() -> None:
    source = (
        "const a = 'x  //  y' + `  ${ 1 +  2 }  /* z */ `; // gone\n"
        "let b = a\n"
        "/* gone */ ++b\n"
        "const c = 1 - -b + +a / /  re  /.source.length;\n"
        "return 1 .toFixed(2)\n"
    )
    out = compact(source)
    assert "'x  //  y'" in out
    assert "`  ${" in out
    assert "  /* z */ `" in out
    assert "gone" not in out
    assert "let b=a\n ++b" in out or "let b=a\n++b" in out  # ASI: a stays its own statement
    assert "=1 - -b + +a / /  re  /.source" in out
    assert "1 .toFixed(2)" in out
