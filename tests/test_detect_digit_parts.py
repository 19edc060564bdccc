"""A run of digits inside a longer hyphenated or dotted number is not read alone: an
employer's "Tax ID: 12-3456789" after a member's name gave the member ID "3456789"."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect.text import detect_text

TODAY = dt.date(2026, 1, 15)


def _found(text: str) -> set[tuple[str, str | None, str]]:
    return {(f.category, f.field, f.value) for f in detect_text(text, today=TODAY)}


@pytest.mark.parametrize(
    "text",
    [
        "member Jane Roe, Tax ID: 12-3456789",
        "member services line 4471-023-88 ext 2",
        "the member paid 123456.78 last year",
        "chart 2024-000123 reviewed",
    ],
)
def test_part_of_a_longer_number_is_no_id(text: str) -> None:
    assert not {f for f in _found(text) if f[0] in ("member_id", "mrn")}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("member number 44710238", ("member_id", "member", "44710238")),
        ("MRN 4471023.", ("mrn", None, "4471023")),
        ("chart 4471023, seen today", ("mrn", None, "4471023")),
    ],
)
def test_a_whole_number_is_still_read(text: str, want: tuple[str, str | None, str]) -> None:
    assert want in _found(text)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # A linking word between an ID's label and its value.
        ("member number is 44710238", ("member_id", "member", "44710238")),
        ("Her member ID is W882231945.", ("member_id", "member", "W882231945")),
        ("Policy number was XKJ 448812", ("member_id", "policy", "XKJ448812")),
        ("MRN is 4471023", ("mrn", None, "4471023")),
        (
            "My IBAN is GB64WBNZ79652661103229",
            ("bank_account", "account", "GB64WBNZ79652661103229"),
        ),
        ("My driver's license number is K896323536849", ("drivers_license", None, "K896323536849")),
    ],
)
def test_an_id_after_is_or_was(text: str, want: tuple[str, str | None, str]) -> None:
    assert want in _found(text)


@pytest.mark.parametrize(
    ("text", "not_wanted"),
    [
        # "is" was joined to the number as the first group of a spaced ID.
        ("member number is 44710238", ("member_id", "member", "IS44710238")),
        ("member 2 of 3", ("member_id", "member", "3")),
        ("policy of 12 months", ("member_id", "policy", "12")),
        ("Member ID of the spouse 12", ("member_id", "member", "THE")),
    ],
)
def test_linking_words_are_not_ids(text: str, not_wanted: tuple[str, str | None, str]) -> None:
    found = _found(text)
    assert not_wanted not in found
    if "of" in text:
        assert not {f for f in found if f[0] == "member_id"}
