"""Every runtime skip goes through tests/conftest.py's need(): none passes silently under CI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import tests.conftest as suite
from tests.conftest import need, need_module

TESTS = Path(__file__).resolve().parents[1]
# Ways to skip that bypass need(): pytest.skip, importorskip, skip/skipif marks.
BYPASSES = re.compile(r"pytest\.skip\(|importorskip\(|mark\.skip(if)?\b|\bskipif\(")


def test_no_test_skips_around_need() -> None:
    found = [
        f"{path.relative_to(TESTS)}:{number}: {line.strip()}"
        for path in sorted(TESTS.rglob("*.py"))
        if path != TESTS / "conftest.py" and path != Path(__file__)
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if BYPASSES.search(line)
    ]
    assert found == [], "use tests.conftest.need() / need_module() instead:\n" + "\n".join(found)


def test_need_skips_on_a_laptop_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    need(True, "anything present")  # no-op
    monkeypatch.setattr(suite, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="a missing tool not available"):
        need(False, "a missing tool")
    with pytest.raises(pytest.skip.Exception, match="no_such_module_petpixel"):
        need_module("no_such_module_petpixel")
    monkeypatch.setattr(suite, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="required under CI=true"):
        need(False, "a missing tool")
    with pytest.raises(pytest.fail.Exception, match="no_such_module_petpixel"):
        need_module("no_such_module_petpixel")
    assert need_module("json").dumps([]) == "[]"
