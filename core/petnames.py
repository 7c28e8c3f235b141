"""The pet-name rule, the same on the web, in both bots, in the CLI and in the game bundle.

A name is 1 to `MAX_NAME` characters once runs of whitespace become one space, with no control,
surrogate, private-use or unassigned code points (they never show in a game title). Emoji and
every script are welcome.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator

from core.errors import InvalidRequest

MAX_NAME = 40
BAD_NAME_LENGTH = f"Names need 1 to {MAX_NAME} characters. Try again?"
BAD_NAME_CHARS = "That name has characters I can't use. Letters, numbers and emoji are fine!"
_REFUSED_CATEGORIES = ("Cc", "Cs", "Co", "Cn")


def check_name(raw: str) -> tuple[str | None, str | None]:
    """(clean name, None) or (None, the reason to show). Runs of whitespace become one space."""
    name = " ".join(raw.split())
    if not 1 <= len(name) <= MAX_NAME:
        return None, BAD_NAME_LENGTH
    if any(unicodedata.category(ch) in _REFUSED_CATEGORIES for ch in name):
        return None, BAD_NAME_CHARS
    return name, None


def clean_name(raw: str) -> str:
    """The clean name, or InvalidRequest (code "bad_name") saying what to change."""
    name, problem = check_name(raw)
    if name is None:
        raise InvalidRequest(problem or BAD_NAME_LENGTH, code="bad_name")
    return name


def _validated(raw: str) -> str:
    name, problem = check_name(raw)
    if name is None:
        raise ValueError(problem)  # pydantic turns a ValueError into a validation error
    return name


# A pydantic field type that applies the rule (and stores the clean name).
PetName = Annotated[str, AfterValidator(_validated)]
