"""The Coat from the coat's clusters and families: colours, pattern and where the markings sit.

core.hero.families says which clusters are the base, the markings and a third colour;
core.hero.markings names the pattern and finds the body parts a marking covers. Here the two meet:
a merle's or colourpoint's base is not its largest family, white that sits on no chest, paw or
face is lit fur rather than a marking, tan on a black dog's muzzle and legs is its points, and
black on a tan dog's back is its saddle.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from core.hero import coat as coatmod
from core.hero import markings
from core.hero.coat import Palette
from core.hero.colour import LINEAR, to_lab
from core.hero.families import Families
from core.hero.traits import RGB, Box, Coat, Pattern, Region

DRAWN_PATTERNS = ("tabby", "spots", "merle", "colourpoint", "calico")
# Black on a tan dog is a saddle when it is neutral black (channels within this ratio), at least
# this share of it lies on the body (not the head, whose eyes, nose and lips are black, nor the
# paws) and it covers this much of the body; else it is shade.
SADDLE_RATIO, SADDLE_SHARE, SADDLE_COVER = 1.5, 0.3, 0.06


@dataclass(frozen=True)
class CoatView:
    """What reading the coat needs: the light-corrected working image and its clusters."""

    image: np.ndarray
    palette: Palette
    families: Families
    outline: np.ndarray  # cluster labels over the whole outline, thin legs included
    head: Box  # in working-image pixels
    species: Literal["cat", "dog"]

    def colour(self, family: tuple[int, ...]) -> RGB | None:
        vivid = bool(family) and self.families.kinds[family[0]] == "warm"
        return coatmod.family_colour(self.image, self.palette.labels, family, vivid=vivid)

    def regions(self, family: tuple[int, ...]) -> tuple[Region, ...]:
        return markings.regions(self.outline, family, self.head)


def read_coat(view: CoatView) -> tuple[Coat, dict[str, float]]:
    """The Coat and the confidences of its parts."""
    coat_px = view.palette.labels >= 0
    texture = markings.fine_texture(to_lab(view.image)[..., 0].astype(np.float32), coat_px)
    pattern, pattern_conf = markings.pattern(
        view.palette, view.families, species=view.species, texture=texture, head=view.head
    )
    fam = _for_pattern(view, pattern)
    base_px = markings.light_body(view.palette) if pattern == "colourpoint" else fam.base
    tones = coatmod.tones(view.image, np.isin(view.palette.labels, base_px) & coat_px)
    secondary_regions = view.regions(fam.secondary)
    tertiary_regions = _tertiary_regions(view, fam, pattern)
    white_base = _is(fam, fam.base, "white")
    if pattern == "bicolour" and not (secondary_regions or tertiary_regions or white_base):
        pattern = "solid"  # white that sits on no chest, paw or face is lit fur, not a marking
    if _is(fam, fam.secondary, "warm") and len(secondary_regions) >= 2:
        secondary_regions += ("points",)  # tan on a black-grey dog's muzzle, chest, legs
    drawn = pattern in DRAWN_PATTERNS or (pattern == "bicolour" and white_base)
    length, length_conf = markings.coat_length(coat_px)
    coat = Coat(
        base=tones[0],
        shade=tones[1],
        highlight=tones[2],
        pattern=pattern,
        pattern_colour=view.colour(markings.dark_layer(view.palette, fam)) if drawn else None,
        secondary=view.colour(fam.secondary),
        secondary_regions=secondary_regions,
        length=length,
        tertiary=view.colour(fam.third) if tertiary_regions else None,
        tertiary_regions=tertiary_regions,
    )
    return coat, {
        "coat.base": round(min(0.95, 0.4 + fam.share(view.palette, fam.base)), 2),
        "pattern": pattern_conf,
        "secondary": 0.6 if fam.secondary else 0.5,
        "length": length_conf,
    }


def _is(fam: Families, family: tuple[int, ...], kind: str) -> bool:
    return bool(family) and fam.kinds[family[0]] == kind


def _for_pattern(view: CoatView, pattern: Pattern) -> Families:
    """A merle's coat is its marbled grey, however much white trim it has."""
    fam = view.families
    grey = markings.pigmented(view.palette, fam)
    if pattern == "merle" and grey and _is(fam, fam.base, "white"):
        return replace(fam, base=grey, secondary=fam.base, third=())
    return fam


def _tertiary_regions(view: CoatView, fam: Families, pattern: Pattern) -> tuple[Region, ...]:
    """Where a dog's third colour sits when it is no pattern: tan points on a black-and-white
    dog, or black on a tan dog's back (outside the head, above the paws): its saddle."""
    if not fam.third or pattern not in ("solid", "bicolour") or view.species != "dog":
        return ()
    if _is(fam, fam.third, "warm"):
        return ("points",) if view.regions(fam.third) else ()
    layer = np.isin(view.outline, fam.third)
    x0, y0, x1, y1 = view.head
    rows = np.nonzero(view.outline >= 0)[0]
    body = view.outline >= 0
    body[y0:y1, x0:x1] = False  # the eyes, nose and lips are black too
    body[rows.max() - (rows.max() - rows.min()) // 6 :] = False
    black = layer & body
    spread = black.sum() >= SADDLE_SHARE * layer.sum() and black.sum() >= SADDLE_COVER * body.sum()
    return ("saddle",) if spread and _neutral(view.colour(fam.third)) else ()


def _neutral(rgb: RGB | None) -> bool:
    """Black fur, not a red coat's deep shade: shade scales light, so it keeps the coat's
    chromaticity (channel ratios in linear light) however dark it gets."""
    if rgb is None:
        return False
    lin = LINEAR[np.array(rgb, dtype=np.uint8)]
    return bool(lin.max() <= SADDLE_RATIO * max(float(lin.min()), 1e-4))
