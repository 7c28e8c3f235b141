"""Real build steps that record the species each sprite was asked for (orders, bots and web tests).

Until the detector is wired into core.pipeline, make_sprite draws every pet as "other", not
guessed; these steps report what the pipeline will: the species asked for, or `guess` (marked as
the detector's) when asked for "auto". `errors` are raised by the first sprite calls, one each,
as the photo quality gate raises them from the preview step.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from core.errors import PetPixelError
from core.orders.builds import Steps, default_steps


class SpeciesSteps:
    def __init__(self, *, guess: str = "cat", errors: list[PetPixelError] | None = None) -> None:
        self.guess = guess
        self.errors = list(errors or [])
        self.asked: list[str] = []  # the species= of every make_sprite call, in order

    def make_sprite(self, *args: Any, **kwargs: Any) -> Any:
        species = kwargs.get("species", "auto")
        self.asked.append(species)
        if self.errors:
            raise self.errors.pop(0)
        result = default_steps().make_sprite(*args, **kwargs)
        drawn = self.guess if species == "auto" else species
        return dataclasses.replace(result, species=drawn, species_guessed=species == "auto")

    def steps(self) -> Steps:
        real = default_steps()
        return Steps(self.make_sprite, real.generate_levels, real.build_bundle)


def photo_problem(code: str) -> PetPixelError:
    """A quality-gate refusal as the preview step raises it: a code and a message to show."""
    messages = {
        "no_pet_found": "I couldn't find a pet in this photo.",
        "several_pets": "I can see more than one pet here. Which one is the hero?",
        "pet_too_small": "Your pet is very small in this photo. Try one taken closer.",
        "cutout_unsure": "I couldn't cut your pet out cleanly. Try a plainer background.",
        "head_cut_off": "Your pet's head is cut off at the edge of the photo.",
    }
    return PetPixelError(messages[code], code=code)


# PETPIXEL_BUILD_STEPS entries for apps built from settings (web tests); each keeps its steps in
# MADE so the test can read what make_sprite was asked.
MADE: list[SpeciesSteps] = []


def guessing_steps() -> Steps:
    """The detector "sees" a cat whenever the choice is auto."""
    MADE.append(SpeciesSteps(guess="cat"))
    return MADE[-1].steps()


def no_pet_then_fine_steps() -> Steps:
    """The first preview fails with no_pet_found, the next with several_pets; then all is well."""
    MADE.append(SpeciesSteps(errors=[photo_problem("no_pet_found"), photo_problem("several_pets")]))
    return MADE[-1].steps()
