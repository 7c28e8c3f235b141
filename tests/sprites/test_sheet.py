"""Sheet + atlas: version 2 of docs/CONTRACTS.md, and every rect crops back to its frame."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from core.sprites.animate import ANIMATIONS, Frame, animate
from core.sprites.sheet import build_sheet, shelf_rows
from tests.sprites.conftest import DOG, PALETTE, Sprite, drawn_pet, from_ascii


@pytest.fixture(params=["dog", "pet128"])
def animations(request: pytest.FixtureRequest) -> dict[str, list[Frame]]:
    image = from_ascii(DOG)[0] if request.param == "dog" else drawn_pet(128, frontal=True)[0]
    return animate(Sprite(image, PALETTE), seed=3)


def test_atlas_follows_the_contract(animations: dict[str, list[Frame]]) -> None:
    sheet, atlas = build_sheet(animations, PALETTE)
    assert json.loads(json.dumps(atlas)) == atlas  # plain JSON, nothing numpy-typed inside
    assert set(atlas) == {
        "version",
        "image",
        "frame_w",
        "frame_h",
        "anchor",
        "species",
        "visible_height",
        "hitbox",
        "palette",
        "animations",
    }
    assert atlas["version"] == 2
    assert atlas["species"] == "other"
    # Without a rig's hitbox, the first idle frame's box down to the feet stands in.
    alpha = np.asarray(animations["idle"][0].image.getchannel("A"))
    ys, xs = np.nonzero(alpha)
    box = atlas["hitbox"]
    assert (box["x"], box["y"], box["w"]) == (xs.min(), ys.min(), xs.max() + 1 - xs.min())
    assert box["y"] + box["h"] == atlas["anchor"]["y"]
    assert atlas["visible_height"] == atlas["anchor"]["y"] - ys.min()
    assert atlas["image"] == "sheet.png"
    assert (atlas["frame_w"], atlas["frame_h"]) == animations["idle"][0].image.size
    first = animations["idle"][0].anchor
    assert first is not None
    assert (atlas["anchor"]["x"], atlas["anchor"]["y"]) == first
    assert atlas["palette"] == PALETTE
    assert list(atlas["animations"]) == list(ANIMATIONS)
    loops = {name: entry["loop"] for name, entry in atlas["animations"].items()}
    assert loops == {"idle": True, "walk": True, "jump": False, "special": False, "hurt": False}
    for entry in atlas["animations"].values():
        for rect in entry["frames"]:
            assert set(rect) == {"x", "y", "w", "h", "duration_ms"}
            assert all(isinstance(v, int) for v in rect.values())
    assert sheet.mode == "RGBA"


def test_each_rect_crops_back_to_its_frame(animations: dict[str, list[Frame]]) -> None:
    sheet, atlas = build_sheet(animations, PALETTE)
    seen = set()
    for name, frames in animations.items():
        rects = atlas["animations"][name]["frames"]
        assert len(rects) == len(frames)
        for rect, frame in zip(rects, frames, strict=True):
            box = (rect["x"], rect["y"], rect["x"] + rect["w"], rect["y"] + rect["h"])
            assert box[2] <= sheet.width
            assert box[3] <= sheet.height
            np.testing.assert_array_equal(np.asarray(sheet.crop(box)), np.asarray(frame.image))
            assert rect["duration_ms"] == frame.duration_ms
            seen.add(box[:2])
    assert len(seen) == sum(len(f) for f in animations.values())  # no two frames share a slot


def test_sheet_is_compact(animations: dict[str, list[Frame]]) -> None:
    sheet, atlas = build_sheet(animations, PALETTE)
    cells = (sheet.width // atlas["frame_w"]) * (sheet.height // atlas["frame_h"])
    frames = sum(len(f) for f in animations.values())
    assert sheet.height // atlas["frame_h"] < len(ANIMATIONS)  # short animations share rows
    assert cells < frames * 1.5


def test_shelves_put_short_animations_side_by_side() -> None:
    counts = {"idle": 6, "walk": 4, "jump": 4, "special": 10, "hurt": 4}
    assert shelf_rows(counts) == [["idle", "walk"], ["jump", "hurt"], ["special"]]
    assert shelf_rows({"a": 3, "b": 3, "c": 3}) == [["a"], ["b"], ["c"]]


def test_mismatched_or_missing_frames_are_rejected(animations: dict[str, list[Frame]]) -> None:
    odd = dict(animations)
    odd["hurt"] = [replace(animations["hurt"][0], image=Image.new("RGBA", (3, 3)))]
    with pytest.raises(ValueError, match="one cell size"):
        build_sheet(odd, PALETTE)
    with pytest.raises(ValueError, match="walk"):
        build_sheet({k: v for k, v in animations.items() if k != "walk"}, PALETTE)


def test_anchor_without_frame_anchor_is_the_feet_bottom_centre(
    animations: dict[str, list[Frame]],
) -> None:
    bare = {name: [replace(f, anchor=None) for f in frames] for name, frames in animations.items()}
    _, atlas = build_sheet(bare, PALETTE)
    ys, xs = np.nonzero(np.asarray(animations["idle"][0].image)[..., 3])
    assert atlas["anchor"] == {"x": (xs.min() + xs.max() + 1) // 2, "y": ys.max() + 1}
    assert atlas["anchor"]["y"] == animations["idle"][0].anchor[1]  # type: ignore[index]
