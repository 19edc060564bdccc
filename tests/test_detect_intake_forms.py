"""Intake-form layouts: a bare part label after a labelled part on its line ("Last Name: X
First: Y MI: Z"), a labelled city/state/ZIP line under a street ("City/State/Zip: …"), and
a store's number before a street ("Walgreens #4471 Milwaukee Ave") that is no house
number."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect.text import detect_text

TODAY = dt.date(2026, 1, 15)


def _found(text: str) -> set[tuple[str, str | None, str]]:
    return {(f.category, f.field, f.value) for f in detect_text(text, today=TODAY)}


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Last Name: Wojciechowski    First: Stanislaw    MI: J", ("first", "Stanislaw")),
        ("Last Name: Kim   First: Soo   Middle: J", ("middle", "J")),
        ("Patient Last Name: Oyelaran  First: Adebayo", ("first", "Adebayo")),
        ("First Name: Rosa   Last: Quintanilla", ("last", "Quintanilla")),
    ],
)
def test_a_bare_part_label_after_a_labelled_part(text: str, part: tuple[str, str]) -> None:
    assert ("name", *part) in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        # Look-alikes: the same words heading other fields, or alone.
        "First: visit on 12/01/2024",
        "Last: 01/02/2020",
        "Name: Ana Lopez\nFirst: Ana",  # another line: not read as a part, nor as a speaker
        "First: Call Back",
        "Last: Reviewed",
    ],
)
def test_bare_part_words_alone_name_nobody_new(text: str) -> None:
    names = {v for c, _, v in _found(text) if c == "name"}
    assert names <= {"Ana", "Lopez"}
    assert not {"First", "Last", "Call", "Back", "Reviewed"} & names


@pytest.mark.parametrize(
    ("text", "city", "zip_"),
    [
        ("Street: 2215 N. Kedzie Ave, Unit 3F\nCity/State/Zip: Chicago, IL 60647", "Chicago", "60647"),
        ("1420 SW 8TH ST\nCity, State Zip: MIAMI, FL 33135", "MIAMI", "33135"),
        ("12 Oak St\nCity/State/ZIP Code: Dayton, OH 45402", "Dayton", "45402"),
    ],
)  # fmt: skip
def test_a_labelled_city_line_under_a_street(text: str, city: str, zip_: str) -> None:
    found = _found(text)
    assert ("address", "city", city) in found
    assert ("address", "zip", zip_) in found


@pytest.mark.parametrize(
    ("text", "street"),
    [
        ("Pharmacy: Walgreens #4471 Milwaukee Ave", "4471 Milwaukee Ave"),
        ("Preferred pharmacy CVS #2231 Main St, Dayton", "2231 Main St"),
        ("Store #88 Oak Rd", "88 Oak Rd"),
    ],
)
def test_a_store_number_is_no_house_number(text: str, street: str) -> None:
    assert ("address", "street", street) not in _found(text)


def test_a_house_number_after_other_signs_is_still_one() -> None:
    for text in ("Address: 4471 Milwaukee Ave, Chicago, IL 60646", "(4471 Milwaukee Ave)"):
        assert ("address", "street", "4471 Milwaukee Ave") in _found(text)
