"""GIF preview: decodes back to the exact frames, durations and loop, without ghosting; small."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageSequence

from core.sprites.animate import ANIMATIONS, Frame, animate
from core.sprites.preview import CHECKER, preview_gif, preview_sequence
from tests.sprites.conftest import DOG, PALETTE, Sprite, drawn_pet, from_ascii, rgb


@pytest.fixture(scope="module")
def dog_frames() -> dict[str, list[Frame]]:
    return animate(Sprite(from_ascii(DOG)[0], PALETTE))


def decode(data: bytes) -> tuple[list[np.ndarray], list[int], Image.Image]:
    gif = Image.open(io.BytesIO(data))
    frames, durations = [], []
    for frame in ImageSequence.Iterator(gif):
        frames.append(np.asarray(frame.convert("RGBA")))
        durations.append(int(frame.info["duration"]))
    return frames, durations, gif


def expected(animations: dict[str, list[Frame]], scale: int) -> tuple[list[np.ndarray], list[int]]:
    """The preview's frames upscaled by hand, with consecutive repeats merged as the GIF does."""
    frames: list[np.ndarray] = []
    durations: list[int] = []
    for frame in preview_sequence(animations):
        rgba = np.asarray(frame.image).repeat(scale, axis=0).repeat(scale, axis=1)
        if frames and np.array_equal(frames[-1], rgba):
            durations[-1] += frame.duration_ms
        else:
            frames.append(rgba)
            durations.append(frame.duration_ms)
    return frames, durations


def graphic_controls(data: bytes) -> list[tuple[int, bool]]:
    """(disposal method, has transparency) of every frame, read from the GIF blocks themselves."""
    pos = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
    controls = []
    while data[pos] != 0x3B:
        if data[pos] == 0x21:
            if data[pos + 1] == 0xF9:
                packed = data[pos + 3]
                controls.append(((packed >> 2) & 7, bool(packed & 1)))
            pos += 2
        else:  # image descriptor, optional local colour table, LZW code size
            flags = data[pos + 9]
            pos += 10 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0) + 1
        while data[pos]:  # data sub-blocks
            pos += data[pos] + 1
        pos += 1
    return controls


def test_transparent_preview_decodes_to_the_exact_frames(
    dog_frames: dict[str, list[Frame]],
) -> None:
    data = preview_gif(dog_frames)
    frames, durations, gif = decode(data)
    want, want_ms = expected(dog_frames, 4)
    assert gif.info["loop"] == 0
    assert gif.size == (want[0].shape[1], want[0].shape[0])
    assert len(frames) == len(want) >= 30
    assert durations == want_ms
    for got, source in zip(frames, want, strict=True):
        # No ghosting: wherever the source frame is see-through, the decoded frame is too.
        np.testing.assert_array_equal(got[..., 3], source[..., 3])
        solid = source[..., 3] > 0
        np.testing.assert_array_equal(got[solid, :3], source[solid, :3])
    assert graphic_controls(data) == [(2, True)] * len(want)


def test_preview_shows_every_animation_in_order(dog_frames: dict[str, list[Frame]]) -> None:
    sequence = preview_sequence(dog_frames)
    names = [next(n for n, fs in dog_frames.items() if any(f is g for g in fs)) for f in sequence]
    runs = [n for i, n in enumerate(names) if i == 0 or names[i - 1] != n]
    assert runs == list(ANIMATIONS)
    assert names.count("walk") == 2 * len(dog_frames["walk"])  # the short walk cycle plays twice
    assert len(sequence) == sum(len(f) for f in dog_frames.values()) + len(dog_frames["walk"])


@pytest.mark.parametrize("background", ["checker", "#5b6ee1", (40, 40, 60)])
def test_backgrounds_fill_the_see_through_pixels(
    dog_frames: dict[str, list[Frame]], background: str | tuple[int, int, int]
) -> None:
    data = preview_gif(dog_frames, scale=2, background=background)
    frames, durations, _ = decode(data)
    want, want_ms = expected(dog_frames, 2)
    assert durations == want_ms
    for got, source in zip(frames, want, strict=True):
        assert (got[..., 3] == 255).all()
        solid = source[..., 3] > 0
        np.testing.assert_array_equal(got[solid, :3], source[solid, :3])
        ground = {tuple(int(v) for v in px) for px in got[~solid, :3]}
        if background == "checker":
            assert ground == set(CHECKER)
        else:
            colour = rgb(background) if isinstance(background, str) else background
            assert ground == {colour}
    assert {t for _, t in graphic_controls(data)} == {False}


def test_identical_neighbours_merge_into_one_longer_frame() -> None:
    pet = Image.new("RGBA", (8, 8), (*rgb("#ef7d57"), 255))
    animations = {name: [Frame(pet, 100), Frame(pet, 100)] for name in
                  ("idle", "walk", "jump", "special", "hurt")}  # fmt: skip
    frames, durations, _ = decode(preview_gif(animations, scale=1))
    assert len(frames) == 1
    assert durations == [1200]


@pytest.mark.parametrize(("size", "limit_kb"), [(16, 25), (32, 50), (64, 100)])
def test_preview_stays_small_for_chat(size: int, limit_kb: int) -> None:
    animations = animate(Sprite(drawn_pet(size)[0], PALETTE))
    assert len(preview_gif(animations)) < limit_kb * 1024


def test_bad_arguments_are_explained(dog_frames: dict[str, list[Frame]]) -> None:
    with pytest.raises(ValueError, match="scale"):
        preview_gif(dog_frames, scale=0)
    with pytest.raises(ValueError, match="checker"):
        preview_gif(dog_frames, background="blue")
