"""Game benchmark: gzipped bundle size, time to first frame in headless Chromium, frames per second.

Packages a 3-level park game (hand-drawn 40 px pet sheet from tests/game, real generated levels),
serves it as web does (the page brotli-compressed once, the other text gzipped) and loads it in
Debian's Chromium via Playwright: time to the game's first rendered frame (performance mark
`petpixel:first-frame`) on the local network and under emulated 3G (400 kbps, 400 ms RTT), median
of --load-runs loads each, then 5 s of play (level 1's bot trace, driven in real time)
counting requestAnimationFrame callbacks and simulation steps; the same play under 6x CPU throttle
(CDP) on the phone profile (390x844, DPR 3, touch) and the desktop one gives fps and the p95 frame
interval ("pacing"). Writes bench/results/game.json.

    .venv/bin/python bench/game_bench.py [--runs 3] [--load-runs 5] [--style 16bit]

A style other than 16bit (gameboy, pico8, 8bit carry the palette code) writes game.<style>.json.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.game.conftest import package  # noqa: E402
from tests.game.play import bot_trace  # noqa: E402
from web.playpage import PlayPage  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "game.json"
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
}
# Plays the bot's trace for level 1 in real time: before each display frame, synthetic key events
# match the run that covers the sim's current frame. Counts display frames and sim steps for 5 s and
# records every frame's interval (requestAnimationFrame timestamps) for the p95 frame time.
FPS_SCRIPT = """(runs) => new Promise((done) => {
  const KEY = {L: 'ArrowLeft', R: 'ArrowRight', J: 'Space', S: 'KeyX'};
  const send = (type, code) => window.dispatchEvent(new KeyboardEvent(type, {code}));
  let held = new Set(), frames = 0, last = null;
  const gaps = [];
  const keysAt = (f) => {
    for (const [n, keys] of runs) { if (f < n) return keys; f -= n; }
    return '';
  };
  const t0 = performance.now(), f0 = window.PETPIXEL.frame;
  const tick = (now) => {
    frames += 1;
    if (last !== null) gaps.push(now - last);
    last = now;
    const want = new Set([...keysAt(window.PETPIXEL.frame)].map((k) => KEY[k]));
    for (const k of held) if (!want.has(k)) send('keyup', k);
    for (const k of want) if (!held.has(k)) send('keydown', k);
    held = want;
    if (now - t0 < 5000) requestAnimationFrame(tick);
    else done({frames, seconds: (now - t0) / 1000, steps: window.PETPIXEL.frame - f0,
               status: window.PETPIXEL.status, gaps,
               canvas: [document.getElementById('screen').width,
                        document.getElementById('screen').height]});
  };
  requestAnimationFrame(tick);
})"""
# The phone profile of issue 13: a 390x844 CSS px portrait phone at DPR 3 with touch; and a desktop.
PROFILES: dict[str, dict[str, Any]] = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "has_touch": True,
        "is_mobile": True,
    },
    "desktop": {"viewport": {"width": 960, "height": 540}},
}
THROTTLE = 6  # CDP Emulation.setCPUThrottlingRate: a mid-range phone's CPU on this machine


class Quiet(http.server.SimpleHTTPRequestHandler):
    """A host that sends what web does (web/routes/play.py): keep-alive, the page compressed once
    (brotli 11 when the browser takes it, else gzip 9: web.playpage.PlayPage), and the other text
    files gzipped on the fly at level 6 (web's GZipMiddleware)."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accept = self.headers.get("Accept-Encoding", "")
        coding: str | None = None
        if path.is_file() and path.name == "index.html":
            body, coding = played(path).body(accept)
        elif "gzip" in accept and path.is_file() and path.suffix in {".js", ".css", ".json"}:
            body, coding = gzip.compress(path.read_bytes(), 6), "gzip"
        else:
            super().do_GET()
            return
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if coding:
            self.send_header("Content-Encoding", coding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """No request log."""


@functools.lru_cache(maxsize=8)
def played(path: Path) -> PlayPage:
    """The page as web keeps it: compressed once (brotli 11 takes ~0.2 s), not per request; a
    bench run packages its game once, so a path's page never changes."""
    return PlayPage.of(path.read_text(encoding="utf-8"), "")


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/game/"


def bundle_size(folder: Path) -> dict[str, Any]:
    """Sizes of the bundle. index.html carries the code the first frame needs and the style
    inline, so `page_br_bytes` (what web sends Chromium) is what the first round trip brings;
    the one code file is the late chunk, fetched after the first frame."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    raw = sum(p.stat().st_size for p in files)
    code = [p for p in files if p.suffix in {".js", ".css", ".html"}]
    page = (folder / "index.html").read_bytes()
    late = [p for p in files if p.suffix == ".js"]
    return {
        "files": len(files),
        "raw_bytes": raw,
        "gzip_bytes": sum(len(gzip.compress(p.read_bytes(), 9)) for p in files),
        "engine_gzip_bytes": sum(len(gzip.compress(p.read_bytes(), 9)) for p in code),
        "page_gzip_bytes": len(gzip.compress(page, 9)),
        "page_br_bytes": len(PlayPage.of(page.decode(), "").encoded["br"]),
        "late_gzip_bytes": sum(len(gzip.compress(p.read_bytes(), 6)) for p in late),
        "code_files": len([p for p in files if p.suffix in {".js", ".css"}]),
    }


def first_frame_ms(browser: Any, url: str, network: dict[str, Any] | None) -> float:
    context = browser.new_context(viewport={"width": 960, "height": 540})
    page = context.new_page()
    if network:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", network)
    page.goto(url, wait_until="commit")
    page.wait_for_function(
        "() => performance.getEntriesByName('petpixel:first-frame').length > 0", timeout=60_000
    )
    value = float(
        page.evaluate("performance.getEntriesByName('petpixel:first-frame')[0].startTime")
    )
    context.close()
    return round(value, 1)


def play_fps(
    browser: Any, url: str, runs: list[list[Any]], profile: str = "desktop", throttle: int = 1
) -> dict[str, Any]:
    """5 s of level 1 in real time on `profile`, the CPU slowed `throttle` times: frames per
    second, the 95th-percentile frame interval, sim steps per second and the canvas's backing
    store size."""
    context = browser.new_context(**PROFILES[profile])
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("() => window.PETPIXEL && window.PETPIXEL.status === 'title'")
    page.wait_for_timeout(500)
    page.keyboard.press("Enter")
    if throttle > 1:
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    result = dict(page.evaluate(FPS_SCRIPT, runs))
    context.close()
    gaps = sorted(result["gaps"])
    return {
        "fps": round(result["frames"] / result["seconds"], 1),
        "p95_frame_ms": round(gaps[min(len(gaps) - 1, int(len(gaps) * 0.95))], 1),
        "max_frame_ms": round(gaps[-1], 1),
        "sim_steps_per_s": round(result["steps"] / result["seconds"], 1),
        "status_after": result["status"],
        "canvas": result["canvas"],
    }


def pacing(browser: Any, url: str, runs: list[list[Any]], count: int) -> dict[str, Any]:
    """Frame pacing under THROTTLE x CPU throttle on each profile: the median run's fps and p95."""
    out: dict[str, Any] = {}
    for profile in PROFILES:
        results = [play_fps(browser, url, runs, profile, THROTTLE) for _ in range(count)]
        out[f"{profile}_{THROTTLE}x"] = {
            "fps_median": statistics.median(r["fps"] for r in results),
            "p95_frame_ms_median": statistics.median(r["p95_frame_ms"] for r in results),
            "runs": results,
            "profile": PROFILES[profile],
            "cpu_throttle": THROTTLE,
        }
    return out


def trace(folder: Path, workdir: Path) -> list[list[Any]]:
    game = json.loads(next(folder.glob("game.*.json")).read_text())
    return [list(run) for run in bot_trace(game["levels"][0], workdir)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--load-runs", type=int, default=5, help="first-frame loads per network")
    parser.add_argument("--style", default="16bit", help="the game's style (game.json `style`)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        folder = package(Path(tmp) / "game", name="Biscuit", count=3, style=args.style)
        server, url = serve(Path(tmp))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            local = [first_frame_ms(browser, url, None) for _ in range(args.load_runs)]
            slow = [first_frame_ms(browser, url, SLOW_3G) for _ in range(args.load_runs)]
            runs = trace(folder, Path(tmp))
            fps = [play_fps(browser, url, runs) for _ in range(args.runs)]
            paced = pacing(browser, url, runs, args.runs)
            version = browser.version
            browser.close()
        server.shutdown()
        report = {
            "style": args.style,
            "bundle": bundle_size(folder),
            "first_frame_ms": {"local_median": statistics.median(local), "local_runs": local},
            "first_frame_3g_ms": {
                "median": statistics.median(slow),
                "runs": slow,
                "network": SLOW_3G,
            },
            "play_5s": fps,
            "pacing": paced,
            "chromium": version,
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
            "note": "2-core machine, headless Chromium, no GPU",
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
    out = RESULTS if args.style == "16bit" else RESULTS.with_name(f"game.{args.style}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
