"""A CPT code with its modifier ("99213-25", "99214 25", "27447-RT") was read as a grouped
phone-like number, found to be no phone, and lost. A grouped-digits match that is no
phone now has its leading digit run read as any run of digits is (context decides)."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect.text import detect_text

TODAY = dt.date(2026, 1, 15)


def _found(text: str) -> set[tuple[str, str]]:
    return {(f.category, f.value) for f in detect_text(text, today=TODAY)}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("CPT 99213-25", "99213"),
        ("CPT: 99214 25 (significant, separately identifiable E/M)", "99214"),
        ("Procedure code 27447-RT, right knee.", "27447"),
        ("CPT codes billed: 93000-59 and 36415.", "93000"),
        ("Px: 45380-PT", "45380"),
    ],
)
def test_a_code_with_its_modifier_is_the_code(text: str, code: str) -> None:
    assert ("procedure", code) in _found(text)


@pytest.mark.parametrize(
    ("text", "kept", "not_procedure"),
    [
        # Look-alikes: real phones stay phones, other grouped numbers stay what they were.
        ("Call 555 201 3344 about CPT questions.", ("phone", "+15552013344"), None),
        ("Callback (312) 427-8810 re: CPT 99213", ("phone", "+13124278810"), None),
        ("Mailing ZIP 49440-1234 for the CPT book.", None, "49440"),
        ("Claim 99213-25 was paid on 2024 12 01.", None, "99213"),  # no procedure word
        ("CPT manual page 99213 12", None, None),
        ("SSN 212-67-4432, CPT 99213", ("ssn", "212674432"), None),
    ],
)
def test_phones_and_other_numbers_are_unchanged(
    text: str, kept: tuple[str, str] | None, not_procedure: str | None
) -> None:
    found = _found(text)
    if kept:
        assert kept in found
    if not_procedure:
        assert ("procedure", not_procedure) not in found
