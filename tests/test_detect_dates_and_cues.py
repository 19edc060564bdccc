"""Date styles and identifier cues found missing while probing unseen evidence styles
(session 4), each with look-alikes beside it."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect import detect_text
from breachscope.detect.normalize import parse_date

TODAY = dt.date(2026, 1, 15)


def _cats(text: str) -> dict[str, str]:
    return {f.category: f.value for f in detect_text(text, today=TODAY)}


@pytest.mark.parametrize(
    ("text", "dob"),
    [
        ("DOB: 1958.01.03", "1958-01-03"),
        ("DOB: 1958/01/03", "1958-01-03"),
        ("DOB: 03JAN1958", "1958-01-03"),  # SAS / mainframe
        ("DOB 3Jan58", "1958-01-03"),
        ("born on the 3rd of January 1958", "1958-01-03"),
        ("DOB: 3-Jan-1958", "1958-01-03"),
    ],
)
def test_dob_styles(text: str, dob: str) -> None:
    assert _cats(text).get("dob") == dob


@pytest.mark.parametrize(
    "text",
    [
        "Lot 12JAN2024X expired",  # a lot code, not a date
        "Take 2 tablets 3 times a day",
        "ref 2024.5.1 of the policy",  # a date, but not a birth date
    ],
)
def test_not_a_dob(text: str) -> None:
    assert "dob" not in _cats(text)


@pytest.mark.parametrize(
    ("raw", "date"),
    [
        ("03JAN1958", dt.date(1958, 1, 3)),
        ("3 of January 1958", dt.date(1958, 1, 3)),
        ("1958.01.03", dt.date(1958, 1, 3)),
        ("3-Jan-1958", dt.date(1958, 1, 3)),
    ],
)
def test_parse_date_styles(raw: str, date: dt.date) -> None:
    assert parse_date(raw, past=True, today=TODAY) == date


@pytest.mark.parametrize("raw", ["03XYZ1958", "3 of Smith 1958", "JAN1958"])
def test_parse_date_look_alikes(raw: str) -> None:
    assert parse_date(raw, past=True, today=TODAY) is None


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # "Number" alone is a phone cue; after an identifier's name it is part of it.
        ("Social Security Number: 212674432", "ssn"),
        ("Social Security Number 212-67-4432", "ssn"),
        ("Member Number: 212674432", "member_id"),
        ("Contact number 312 555 0100", "phone"),
        ("Phone number: 3125550100", "phone"),
    ],
)
def test_number_word_after_an_identifier_name(text: str, category: str) -> None:
    cats = _cats(text)
    assert category in cats
    assert len({"ssn", "phone", "member_id"} & set(cats)) == 1


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Driver's license: WI D123-4567-8901-23", "D1234567890123"),  # state, then number
        ("DL: D1234567 State: CA", "D1234567"),
        ("Drivers Lic No. 123456789 (TX)", "123456789"),
        ("CDL: F25592150094", "F25592150094"),
        ("Driver license 12345678", "12345678"),
    ],
)
def test_drivers_licence_forms(text: str, value: str) -> None:
    assert _cats(text).get("drivers_license") == value


@pytest.mark.parametrize(
    "text",
    [
        "Driver's license: WI",  # a state and no number
        "Glucose 120 mg/dL: 5 units",  # deciliters, not a DL label
        "Provider license: MD 12345",  # a clinician's licence
        "Nurse license 1234567",
    ],
)
def test_not_a_drivers_licence(text: str) -> None:
    assert "drivers_license" not in _cats(text)


@pytest.mark.parametrize(
    ("text", "dob"),
    [
        ("Patient: Siobhan O'Neil  DOB: 01031958  SSN: 531448207", "1958-01-03"),  # MMDDYYYY
        ("Birthdate 19580103", "1958-01-03"),  # YYYYMMDD
    ],
)
def test_eight_digit_dob_after_a_birth_cue(text: str, dob: str) -> None:
    assert _cats(text).get("dob") == dob


@pytest.mark.parametrize(
    "text",
    [
        "MRN 01031958",  # a record number
        "DOB: 99999999",  # no date
        "DOB: 20301231",  # in the future
        "Member ID 12345678 DOB 01/02/1960",  # the member ID keeps its own cue
    ],
)
def test_eight_digits_that_are_not_a_dob(text: str) -> None:
    cats = {f.category: f.value for f in detect_text(text, today=TODAY)}
    assert cats.get("dob") in (None, "1960-01-02")
