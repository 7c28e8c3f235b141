"""The pixel-art styles on offer: palette, size, outline, dithering and colour tweaks for each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.errors import InvalidRequest
from core.pixelart.palettes import ADAPTIVE, FIXED

OutlineKind = Literal["none", "hard", "selective"]
MIN_SIZE, MAX_SIZE = 16, 128


@dataclass(frozen=True)
class Style:
    """How one style turns a cut-out pet into a sprite."""

    name: str
    title: str
    description: str
    default_size: int
    palette: str  # a key of palettes.FIXED, or "snes15" / "free" (adaptive, chosen by k-means)
    max_colours: int  # colours inside the silhouette, outline not counted
    outline: OutlineKind = "none"
    outline_colour: str | None = None  # hard outline; None = a near-black tinted from the pet
    dither: bool = False  # 2x2 checker dithering where a colour falls between two palette entries
    contrast: float = 1.0  # multiplies the spread of L* around its median
    saturation: float = 1.0  # multiplies a*/b* chroma
    luma_only: bool = False  # match on lightness alone (4-shade palettes)
    despeckle: bool = True  # clear two-pixel specks too, not just single orphans
    tones: int = 4  # fixed palettes: shades of the pet's tone ramp (eye ink not counted)
    min_size: int = MIN_SIZE
    max_size: int = MAX_SIZE

    def __post_init__(self) -> None:
        if self.palette not in FIXED and self.palette not in ADAPTIVE:
            raise ValueError(f"unknown palette source {self.palette!r}")
        if not self.min_size <= self.default_size <= self.max_size:
            raise ValueError(f"default size {self.default_size} outside the style's range")

    def check_size(self, size: int | None) -> int:
        """The size to draw at; raises InvalidRequest outside the style's range."""
        if size is None:
            return self.default_size
        if not self.min_size <= size <= self.max_size:
            raise InvalidRequest(
                f"A {self.title} sprite can be {self.min_size} to {self.max_size} pixels tall "
                f"or wide; {size} is outside that. Pick a size in that range.",
                code="bad_size",
            )
        return size


STYLES: dict[str, Style] = {
    s.name: s
    for s in (
        Style(
            name="8bit",
            title="8-bit",
            description="NES-era look: chunky pixels, a few bold colours and a black outline.",
            default_size=24,
            palette="nes",
            max_colours=8,
            outline="hard",
            outline_colour="#000000",
            contrast=1.15,
            saturation=1.2,  # NES greys are harsh on fur: lean towards its browns and oranges
        ),
        Style(
            name="16bit",
            title="16-bit",
            description="SNES-era look: 15-bit colour, soft shading and a dark outline.",
            default_size=32,
            palette="snes15",
            max_colours=20,
            outline="hard",
            contrast=1.1,
            saturation=1.1,
        ),
        Style(
            name="modern",
            title="Modern indie",
            description="Bigger, richer sprite with shaded outlines, like today's indie games.",
            default_size=56,
            palette="free",
            max_colours=28,
            outline="selective",
            despeckle=False,  # at 48-64 px small marks are detail, not noise
            contrast=1.05,
            saturation=1.1,
        ),
        Style(
            name="gameboy",
            title="Game Boy",
            description="Four shades of green, like the original 1989 handheld.",
            default_size=32,
            palette="gameboy",
            max_colours=4,
            outline="hard",
            outline_colour="#0f380f",
            luma_only=True,
            tones=3,
        ),
        Style(
            name="pico8",
            title="PICO-8",
            description="The PICO-8 fantasy console's cheerful 16 colours.",
            default_size=32,
            palette="pico8",
            max_colours=10,
            outline="hard",
            outline_colour="#000000",
            contrast=1.1,
            saturation=1.2,
        ),
    )
}


def get_style(name: str | Style) -> Style:
    """The style called `name`; InvalidRequest names the ones on offer when it is unknown."""
    if isinstance(name, Style):
        return name
    style = STYLES.get(name)
    if style is None:
        raise InvalidRequest(
            f"There is no {name!r} style. Choose one of: {', '.join(STYLES)}.", code="bad_style"
        )
    return style
