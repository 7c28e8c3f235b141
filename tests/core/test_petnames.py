"""The one pet-name rule: what it accepts, how it tidies, and the same answer on every path."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from core.errors import InvalidRequest
from core.petnames import BAD_NAME_CHARS, BAD_NAME_LENGTH, MAX_NAME, PetName, check_name, clean_name


class Named(BaseModel):
    name: PetName


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Mochi", "Mochi"),
        ("  Sir   Fluff  ", "Sir Fluff"),
        ("Sir\tFluff\nthe 2nd", "Sir Fluff the 2nd"),
        ("🐶 Rex", "🐶 Rex"),
        ("👩\u200d🚀 Astro", "👩\u200d🚀 Astro"),  # a zero-width joiner inside an emoji is fine
        ("<b>Tom</b>", "<b>Tom</b>"),  # escaping is the renderer's job, not the rule's
        ("Ñandú", "Ñandú"),
        ("x" * MAX_NAME, "x" * MAX_NAME),
    ],
)
def test_good_names_come_back_tidy(raw: str, clean: str) -> None:
    assert check_name(raw) == (clean, None)
    assert clean_name(raw) == clean
    assert Named(name=raw).name == clean


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", BAD_NAME_LENGTH),
        ("   \t ", BAD_NAME_LENGTH),
        ("x" * (MAX_NAME + 1), BAD_NAME_LENGTH),
        ("Bad\x00name", BAD_NAME_CHARS),
        ("Be\x07ll", BAD_NAME_CHARS),
        ("Del\x7f", BAD_NAME_CHARS),
        ("Private\ue000", BAD_NAME_CHARS),
        ("Nowhere\U000e0080", BAD_NAME_CHARS),  # unassigned
    ],
)
def test_bad_names_are_refused_with_the_same_reason_everywhere(raw: str, reason: str) -> None:
    assert check_name(raw) == (None, reason)
    with pytest.raises(InvalidRequest) as refused:
        clean_name(raw)
    assert (refused.value.code, refused.value.message) == ("bad_name", reason)
    with pytest.raises(ValueError, match=reason.split(".")[0]):
        Named(name=raw)


def test_the_limit_counts_the_tidy_name() -> None:
    assert check_name(" " * 10 + "x" * MAX_NAME + " " * 10)[0] == "x" * MAX_NAME
    assert str(MAX_NAME) in BAD_NAME_LENGTH
