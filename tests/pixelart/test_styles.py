"""Styles and palettes: the catalogue callers rely on, and its error messages."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core.errors import InvalidRequest
from core.pixelart.colour import hex_array, hex_to_rgb, rgb_to_hex
from core.pixelart.palettes import FIXED, GAMEBOY, NES, PICO8, SWEETIE16, on_15bit_grid, snap_15bit
from core.pixelart.styles import MAX_SIZE, MIN_SIZE, STYLES, Style, get_style


def test_the_five_styles_are_on_offer() -> None:
    assert {"8bit", "16bit", "modern", "gameboy", "pico8"} <= set(STYLES)
    for name, style in STYLES.items():
        assert style.name == name
        assert style.title
        assert style.description.endswith(".")
        assert MIN_SIZE <= style.min_size <= style.default_size <= style.max_size <= MAX_SIZE


def test_unknown_style_names_the_valid_ones() -> None:
    with pytest.raises(InvalidRequest) as err:
        get_style("oil-painting")
    assert err.value.code == "bad_style"
    for name in STYLES:
        assert name in err.value.message


def test_get_style_accepts_a_style() -> None:
    assert get_style(STYLES["pico8"]) is STYLES["pico8"]
    assert get_style("pico8") is STYLES["pico8"]


@pytest.mark.parametrize("size", [0, 15, 129, 512])
def test_sizes_outside_the_range_are_refused(size: int) -> None:
    with pytest.raises(InvalidRequest, match="16 to 128") as err:
        STYLES["16bit"].check_size(size)
    assert err.value.code == "bad_size"


def test_styles_are_frozen_and_checked() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        STYLES["8bit"].max_colours = 99  # type: ignore[misc]
    with pytest.raises(ValueError, match="palette"):
        Style(name="x", title="X", description="X.", default_size=32, palette="c64", max_colours=4)


def test_style_character() -> None:
    assert STYLES["8bit"].palette == "nes"
    assert STYLES["8bit"].outline == "hard"
    assert STYLES["16bit"].palette == "snes15"
    assert 16 <= STYLES["16bit"].max_colours <= 32
    assert STYLES["modern"].outline == "selective"
    assert STYLES["modern"].default_size >= 48
    assert STYLES["gameboy"].palette == "gameboy"
    assert STYLES["pico8"].palette == "pico8"


def test_palettes_have_their_hardware_sizes() -> None:
    assert len(set(NES)) == len(NES) == 55
    assert len(set(PICO8)) == 16
    assert len(set(SWEETIE16)) == 16
    assert GAMEBOY == ("#0f380f", "#306230", "#8bac0f", "#9bbc0f")
    assert set(FIXED) == {"nes", "pico8", "gameboy", "sweetie16"}


def test_15bit_snap_lands_on_the_grid() -> None:
    rng = np.random.default_rng(1)
    rgb = rng.integers(0, 256, size=(500, 3), dtype=np.uint8)
    snapped = snap_15bit(rgb)
    assert on_15bit_grid(snapped)
    assert not on_15bit_grid(rgb)
    assert np.array_equal(snap_15bit(snapped), snapped)
    assert np.abs(snapped.astype(int) - rgb.astype(int)).max() <= 4
    assert len(np.unique(snapped[:, 0])) <= 32
    assert snap_15bit(np.array([[0, 255, 128]])).tolist() == [[0, 255, 132]]


def test_hex_round_trip() -> None:
    assert hex_to_rgb("#1a1c2c") == (26, 28, 44)
    assert rgb_to_hex((26, 28, 44)) == "#1a1c2c"
    assert hex_array(["#000000", "ffffff"]).tolist() == [[0, 0, 0], [255, 255, 255]]


def test_palettes_match_the_published_values() -> None:
    # lospec.com's PICO-8 and Sweetie 16, in their published order.
    assert " ".join(c[1:] for c in PICO8) == (
        "000000 1d2b53 7e2553 008751 ab5236 5f574f c2c3c7 fff1e8 "
        "ff004d ffa300 ffec27 00e436 29adff 83769c ff77a8 ffccaa"
    )
    assert " ".join(c[1:] for c in SWEETIE16) == (
        "1a1c2c 5d275d b13e53 ef7d57 ffcd75 a7f070 38b764 257179 "
        "29366f 3b5dc9 41a6f6 73eff7 f4f4f4 94b0c2 566c86 333c57"
    )
    # NES (2C02 as FCEUX renders it): spot checks of its greys and the famous sky blue.
    for colour in ("#7c7c7c", "#bcbcbc", "#f8f8f8", "#fcfcfc", "#000000", "#3cbcfc"):
        assert colour in NES
