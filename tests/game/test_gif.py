"""The game's GIF encoder (game_template/js/gif.js), checked by decoding its files with Pillow."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import need

pytestmark = pytest.mark.node

PROBE = Path(__file__).parent / "js" / "gif_probe.mjs"


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    need(shutil.which("node") is not None, "node")
    out = tmp_path_factory.mktemp("gif")
    subprocess.run(["node", str(PROBE), str(out)], check=True, timeout=60)
    return out, json.loads((out / "cases.json").read_text())


@pytest.mark.parametrize("name", ["two", "stripes16", "noise256", "noise5"])
def test_pillow_decodes_every_frame_exactly(
    written: tuple[Path, dict[str, object]], name: str
) -> None:
    """Tiny, long-run and noisy frames (the last fills the 4096-code table and clears)."""
    out, cases = written
    case = cases[name]
    assert isinstance(case, dict)
    with Image.open(out / f"{name}.gif") as im:
        assert im.format == "GIF"
        assert im.size == (case["w"], case["h"])
        assert im.n_frames == len(case["rgb"]) > 1
        assert im.info["comment"] == f"case {name}".encode()
        assert im.info["loop"] == 0
        assert im.info["duration"] == 70
        for i, want in enumerate(case["rgb"]):
            im.seek(i)
            got = im.convert("RGB").tobytes()
            assert got == bytes(v for rgb in want for v in rgb), f"frame {i}"


def test_many_colours_snap_to_a_cube_but_keep_reserved_ones(
    written: tuple[Path, dict[str, object]],
) -> None:
    _, cases = written
    assert cases["palettize"] == {"size": 253, "first": [255, 205, 117]}
