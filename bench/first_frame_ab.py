"""First frame on emulated slow 3G, an older game template against the working tree's, alternated.

Packages the game bench's 3-level park game (bench/game_bench.py) in each `--style` twice: with
the template as it was at `--against` (a git revision, via `git archive`) and as it is now; serves
both as web does and loads them in turn (old, new, then new, old, ...) in Debian's Chromium under
SLOW_3G, `--loads` times each, after one warm-up load of each. Alternating keeps a busy machine's
drift out of the difference. Writes bench/results/first_frame_ab.json: per style, each side's page
size (brotli) and its loads and median.

    .venv/bin/python bench/first_frame_ab.py --against HEAD~1 [--style gameboy,pico8] [--loads 7]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from game_bench import SLOW_3G, bundle_size, first_frame_ms, serve  # noqa: E402

from core.levels import generate_levels  # noqa: E402
from core.packaging.bundle import build_bundle, write_bundle  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.game.conftest import PALETTE, make_sheet  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "first_frame_ab.json"


def old_template(revision: str, into: Path) -> Path:
    """game_template/ as it was at `revision`."""
    tar = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "game_template"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        archive.extractall(into, filter="data")
    return into / "game_template"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="git revision of the old template")
    parser.add_argument("--style", default="gameboy", help="comma-separated styles")
    parser.add_argument("--loads", type=int, default=7, help="loads of each side per style")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    report: dict[str, Any] = {
        "against": subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", args.against],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip(),
        "network": SLOW_3G,
        "styles": {},
    }
    with tempfile.TemporaryDirectory() as tmp:
        old = old_template(args.against, Path(tmp) / "old")
        sheet_png, atlas = make_sheet()
        levels = generate_levels(seed=7, theme="park", difficulty=2, count=3)
        servers = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for style in args.style.split(","):
                urls: dict[str, str] = {}
                sides: dict[str, dict[str, Any]] = {}
                for side, template in (("old", old), ("new", None)):
                    folder = Path(tmp) / f"{style}-{side}" / "game"
                    files = build_bundle(
                        sheet_png=sheet_png,
                        atlas=atlas,
                        levels=levels,
                        pet_name="Biscuit",
                        style=style,
                        theme="park",
                        seed=7,
                        palette=PALETTE,
                        template_dir=template,
                    )
                    write_bundle(files, folder)
                    server, urls[side] = serve(folder.parent)
                    servers.append(server)
                    sides[side] = {
                        "page_br_bytes": bundle_size(folder)["page_br_bytes"],
                        "runs": [],
                    }
                for side in ("old", "new"):
                    first_frame_ms(browser, urls[side], SLOW_3G)  # warm-up
                for i in range(args.loads):
                    for side in ("old", "new") if i % 2 == 0 else ("new", "old"):
                        sides[side]["runs"].append(first_frame_ms(browser, urls[side], SLOW_3G))
                for side in sides.values():
                    side["median_ms"] = statistics.median(side["runs"])
                report["styles"][style] = sides
            browser.close()
        for server in servers:
            server.shutdown()
    report["when"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
