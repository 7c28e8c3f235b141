"""Group the coat's colour clusters into families: the base coat, its markings, a third colour.

A cat's or dog's coat is made of at most three pigments: none (white), the red-yellow one (tan,
gold, cream, orange, red, brown) and the black one (black, grey, blue). Light and shade change a
pixel's lightness, never its family, so clusters are grouped by kind before anything is counted:
the lit and the shaded side of a golden dog are one base, and a beagle's tan, white and black are
three. Which family is the base follows the coat's genetics:

- a red-yellow coat of real extent is the base (its pale cream side counted with it); white is its
  marking and black its third colour (a stripe, a saddle);
- otherwise the coat is black-grey: white fur that continues its lightness steps is its lit side
  (a silver or white pet), white set off by a step is a marking, and the base when it covers at
  least as much as the pigment; a little tan on a black-grey dog is its points (on a cat, the
  ground of a brown tabby).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from core.hero.coat import Palette

Kind = Literal["white", "warm", "dark"]

WARM_CHROMA = 11.0  # Lab chroma from which a red-yellow hue is pigment rather than a tint
WARM_HUES = (20.0, 110.0)  # Lab hue of tan, gold, orange, red-brown (pink skin is below)
WHITE_L, WHITE_CHROMA = 70.0, 14.0
CREAM_L, CREAM_CHROMA = 45.0, 5.0
WARM_BASE_SHARE = 0.25  # red-yellow covering this much of the coat (and about as much as the
WARM_OVER_DARK = 0.8  # black-grey) is its base colour
WHITE_STEP = 20.0  # lightness gap that sets white markings off from grey fur (clusters of
STEP_SHARE = 0.08  # at least this share count)
WHITE_PLACES = 3  # ... or the marking regions white covers
MIN_MARK_SHARE = 0.03
MIN_THIRD_SHARE = 0.05
THIRD_L = 40.0  # a red-yellow coat's third colour is black: darker than this


@dataclass(frozen=True)
class Families:
    """Cluster indices of each family (largest cluster first) and every cluster's kind."""

    base: tuple[int, ...]
    secondary: tuple[int, ...]  # white, or tan points on a black-grey coat
    third: tuple[int, ...]  # black on a red-yellow coat (stripes, saddle), black on white
    kinds: tuple[Kind, ...]

    def share(self, palette: Palette, family: tuple[int, ...]) -> float:
        return float(sum(palette.shares[j] for j in family))


def kind(lab: np.ndarray) -> Kind:
    """Which pigment a cluster's colour is (Lab in)."""
    chroma = float(np.hypot(lab[1], lab[2]))
    hue = float(np.degrees(np.arctan2(lab[2], lab[1])) % 360)
    if lab[0] >= WHITE_L and chroma < WHITE_CHROMA:
        return "white"  # white fur, faintly tinted by a warm room or a coloured wall
    if chroma >= WARM_CHROMA and WARM_HUES[0] <= hue <= WARM_HUES[1]:
        return "warm"
    return "dark"


def _cream(lab: np.ndarray) -> bool:
    """A pale, faintly red-yellow cluster: the lit side of a cream or golden coat when the coat
    is red-yellow (and a lit grey-brown tabby's otherwise)."""
    chroma = float(np.hypot(lab[1], lab[2]))
    hue = float(np.degrees(np.arctan2(lab[2], lab[1])) % 360)
    warm_hue = WARM_HUES[0] <= hue <= WARM_HUES[1]
    return bool(lab[0] >= CREAM_L and chroma >= CREAM_CHROMA and warm_hue)


def families(palette: Palette, species: str, placed: Callable[[tuple[int, ...]], int]) -> Families:
    """The coat's base, marking and third-colour clusters; `placed(clusters)` counts the marking
    regions (chest, paws, muzzle, blaze) those clusters cover."""
    kinds = tuple(kind(c) for c in palette.centres)
    of = {k: tuple(j for j, kj in enumerate(kinds) if kj == k) for k in ("white", "warm", "dark")}
    share = {k: float(sum(palette.shares[j] for j in js)) for k, js in of.items()}
    creams = tuple(j for j in of["dark"] if _cream(palette.centres[j]))
    cream = float(sum(palette.shares[j] for j in creams))
    red, black = share["warm"] + cream, share["dark"] - cream
    if red >= WARM_BASE_SHARE and red >= WARM_OVER_DARK * black:
        rest = tuple(j for j in of["dark"] if j not in creams)
        return Families(_largest(palette, of["warm"] + creams), _marks(palette, of["white"]),
                        _marks(palette, rest, MIN_THIRD_SHARE, dark_only=True), kinds)  # fmt: skip
    tan = _marks(palette, of["warm"])
    if species == "cat":  # no black-and-tan cats: a little red-yellow is a brown tabby's ground
        of["dark"], tan = of["dark"] + of["warm"], ()
    white = _marks(palette, of["white"])
    if not white or not of["dark"] or not _set_off(palette, of["white"], of["dark"], placed):
        return Families(_largest(palette, of["white"] + of["dark"]), tan, (), kinds)
    if share["white"] >= share["dark"]:
        return Families(white, tan, _marks(palette, of["dark"]), kinds)
    return Families(_largest(palette, of["dark"]), white, tan, kinds)


def _set_off(
    palette: Palette, white: tuple[int, ...], dark: tuple[int, ...],
    placed: Callable[[tuple[int, ...]], int],
) -> bool:  # fmt: skip
    """White markings rather than the lit side of a grey coat: white lies where markings do
    (most of chest, paws, muzzle, blaze), or a lightness step sets it off from the grey."""
    big = [j for j in dark if palette.shares[j] >= STEP_SHARE]
    lightest = max((palette.centres[j][0] for j in big), default=0.0)
    step = min(palette.centres[j][0] for j in white) - lightest
    return step >= WHITE_STEP or placed(white) >= WHITE_PLACES


def _marks(
    palette: Palette, family: tuple[int, ...], least: float = MIN_MARK_SHARE, *,
    dark_only: bool = False,
) -> tuple[int, ...]:  # fmt: skip
    """The family as a marking: empty when it covers too little of the coat to be one."""
    if dark_only:
        family = tuple(j for j in family if palette.centres[j][0] < THIRD_L)
    if sum(palette.shares[j] for j in family) < least:
        return ()
    return _largest(palette, family)


def _largest(palette: Palette, family: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(sorted(family, key=lambda j: -palette.shares[j]))
