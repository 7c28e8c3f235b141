"""What the hero step knows about a pet: the plain data passed from reading the photo to drawing.

`core.hero.detect` finds cats and dogs (species, boxes); `core.hero.read` reads the look of the pet
from the photo and its cutout (`PetLook`); `core.hero.rig` draws a side-view character from it.
Colours are sRGB tuples 0..255, already corrected for the room's light.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

RGB = tuple[int, int, int]
Box = tuple[
    int, int, int, int
]  # x0, y0, x1, y1 in pixels of the image they came from (x1, y1 excl.)

Species = Literal["cat", "dog", "other"]
SpeciesChoice = Literal["auto", "cat", "dog", "other"]
SPECIES: tuple[Species, ...] = ("cat", "dog", "other")
SPECIES_CHOICES: tuple[SpeciesChoice, ...] = ("auto", "cat", "dog", "other")

EarType = Literal["pointed", "folded", "floppy"]
TailType = Literal["long", "fluffy", "curled", "short"]
Build = Literal["slim", "medium", "stocky"]
BodySize = Literal["small", "large"]
CoatLength = Literal["short", "long"]
Pattern = Literal["solid", "tabby", "spots", "bicolour", "calico", "merle", "colourpoint"]
# Where a marking colour sits on the body; the rig paints these regions. "points": the tan of a
# black-and-tan dog (brows, cheeks and muzzle, chest, lower legs); "saddle": a beagle's black back.
Region = Literal[
    "chest",
    "belly",
    "paws",
    "muzzle",
    "blaze",
    "tail_tip",
    "mask",
    "ears",
    "back",
    "points",
    "saddle",
]


@dataclass(frozen=True)
class Detection:
    """One animal the detector saw: its kind, score 0..1 and box in the photo's pixels."""

    species: Literal["cat", "dog"]
    score: float
    box: Box


@dataclass(frozen=True)
class SpeciesGuess:
    """The detector's verdict on a photo: the species to use and how sure it is.

    `species` is "other" when no cat or dog scored above the detector's threshold; `detections`
    holds every cat/dog kept after non-maximum suppression, best first. `backend` names the model
    ("ssd-oidv4", or "none" when no weights are installed; then species is "other", score 0).
    """

    species: Species
    score: float
    detections: tuple[Detection, ...] = ()
    backend: str = "none"


@dataclass(frozen=True)
class Coat:
    """The coat's own colours (not the room's light) and where its markings sit."""

    base: RGB  # the dominant body colour
    shade: RGB  # a darker tone of base for the far legs, belly shadow and underside
    highlight: RGB  # a lighter tone of base for the back and head top
    pattern: Pattern = "solid"
    pattern_colour: RGB | None = None  # stripes / spots / patches / merle blotches / points
    secondary: RGB | None = None  # e.g. the white of a tuxedo chest, paws or muzzle
    secondary_regions: tuple[Region, ...] = ()
    length: CoatLength = "short"
    # A third colour and where it sits: a tricolour beagle's black saddle, a Bernese's tan points.
    tertiary: RGB | None = None
    tertiary_regions: tuple[Region, ...] = ()


@dataclass(frozen=True)
class PetLook:
    """Everything the rig needs to draw one pet as a side-view character."""

    species: Species
    coat: Coat
    eye_colour: RGB
    nose_colour: RGB
    ear: EarType
    tail: TailType
    build: Build = "medium"
    body_size: BodySize = "small"  # dogs: small (terrier, corgi) or large (retriever, rottweiler)
    # Where the head is, in pixels of the cropped subject the look was read from (None if unknown).
    head_box: Box | None = None
    # How sure the reader is of each guess, 0..1, keyed by field name ("ear", "pattern", ...).
    confidence: dict[str, float] = field(default_factory=dict)


def check_species(value: str) -> SpeciesChoice:
    """A species choice from user input; InvalidRequest names the choices otherwise."""
    from core.errors import InvalidRequest

    for choice in SPECIES_CHOICES:
        if value == choice:
            return choice
    raise InvalidRequest(
        f"There is no species {value!r}. Choose one of: {', '.join(SPECIES_CHOICES)}.",
        code="bad_species",
    )
