"""Choices as every channel shows them: species labels, crop presets, the next step after a
photo problem.

Web, Telegram and Discord all read these, so a cat is "🐱 Cat" everywhere and a photo with two
pets offers "Fix the crop" everywhere. The pipeline draws the species (core.hero.traits); this
module only names things for people.
"""

from __future__ import annotations

from typing import Literal

from core.hero.traits import SPECIES, Species, SpeciesChoice

# (emoji, title) per species the hero can be drawn as.
SPECIES_LABELS: dict[Species, tuple[str, str]] = {
    "cat": ("🐱", "Cat"),
    "dog": ("🐶", "Dog"),
    "other": ("🐾", "Other"),
}
AUTO_LABEL = "Auto-detect"
CHOICE_TITLES: dict[SpeciesChoice, str] = {
    "auto": AUTO_LABEL,
    **{s: SPECIES_LABELS[s][1] for s in SPECIES},
}
ASK_CROP = "Which part of the photo is your pet in?"
# "Fix the crop" presets: (button label, box as fractions of the photo: left, top, right, bottom).
CROPS: dict[str, tuple[str, tuple[float, float, float, float] | None]] = {
    "all": ("🖼 Whole photo", None),
    "centre": ("🎯 Centre", (0.2, 0.2, 0.8, 0.8)),
    "left": ("⬅️ Left half", (0.0, 0.0, 0.6, 1.0)),
    "right": ("➡️ Right half", (0.4, 0.0, 1.0, 1.0)),
    "top": ("⬆️ Top half", (0.0, 0.0, 1.0, 0.6)),
    "bottom": ("⬇️ Bottom half", (0.0, 0.4, 1.0, 1.0)),
}
GUESSED = "Looks like a {kind} to me — tap if I got it wrong."
GUESSED_OTHER = "I couldn't tell if this is a cat or a dog — tap one if it is."

NextStep = Literal["crop", "use_other", "photo"]
# What to offer when the preview's photo check fails with one of these codes; any other code
# asks for another photo.
NEXT_STEPS: dict[str, tuple[NextStep, ...]] = {
    "several_pets": ("crop", "photo"),
    "head_cut_off": ("crop", "photo"),
    "no_pet_found": ("use_other", "photo"),
    "pet_too_small": ("photo",),
    "cutout_unsure": ("photo",),
}
NEXT_STEP_LABELS: dict[NextStep, str] = {
    "crop": "✂️ Fix the crop",
    "use_other": "🐾 It's a pet, use Other",
    "photo": "📷 Send another photo",
}


def species_label(species: Species) -> str:
    """ "🐱 Cat" and so on."""
    emoji, title = SPECIES_LABELS[species]
    return f"{emoji} {title}"


def species_button(species: Species, current: Species | None) -> str:
    """A button's label, ticked when it is the species drawn now."""
    return species_label(species) + (" ✓" if species == current else "")


def guessed_line(species: Species | None, guessed: bool) -> str:
    """The line under a preview whose species the detector chose; "" when the person chose."""
    if not guessed or species is None:
        return ""
    if species == "other":
        return GUESSED_OTHER
    return GUESSED.format(kind=SPECIES_LABELS[species][1].lower())


def next_steps(code: str | None) -> tuple[NextStep, ...]:
    """The ways forward after a failed preview with this error code."""
    return NEXT_STEPS.get(code or "", ("photo",))
