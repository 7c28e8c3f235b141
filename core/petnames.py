"""The pet-name rule, the same on the web, in both bots, in the CLI and in the game bundle.

A name is 1 to `MAX_NAME` characters once runs of whitespace become one space, with no control,
surrogate, private-use or unassigned code points (they never show in a game title) and no bidi
embedding, override or isolate controls (U+202A-U+202E, U+2066-U+2069: they reorder the text around
the name, so a title could read differently than it was typed). Tab, newline and carriage return
count as whitespace; every other control character is refused before whitespace is joined (so
U+001C-U+001F and U+0085, which Python's `str.split` treats as spaces, are refused too). Emoji
(with their zero-width joiners) and every script are welcome.
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
_ALLOWED_CONTROLS = frozenset("\t\n\r")  # whitespace a pasted or chat name may carry
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def _refused(ch: str) -> bool:
    if ch in _ALLOWED_CONTROLS:
        return False
    return ch in BIDI_CONTROLS or unicodedata.category(ch) in _REFUSED_CATEGORIES


def check_name(raw: str) -> tuple[str | None, str | None]:
    """(clean name, None) or (None, the reason to show). Runs of whitespace become one space."""
    name = " ".join(raw.split())
    if not 1 <= len(name) <= MAX_NAME:
        return None, BAD_NAME_LENGTH
    if any(_refused(ch) for ch in raw):  # the raw text: split() would hide some controls
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
