"""Addresses whose street, town or state reads like a name, and names that read like places.

Found on the generated demo case (session 4): a street named by a suffix word ("W Lake Ct")
ended the street match at the first suffix, so the city/state/ZIP after it was left to the
name rules, which read "Lansing, MI" as LAST, FIRST and "Ave, Zoe" likewise. Each positive
has look-alike negatives beside it."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect import detect_text

TODAY = dt.date(2026, 1, 15)


def _fields(text: str, category: str) -> dict[str, str]:
    return {
        f.field or "": f.value for f in detect_text(text, today=TODAY) if f.category == category
    }


def _names(text: str) -> set[str]:
    return {f.value for f in detect_text(text, today=TODAY) if f.category == "name"}


@pytest.mark.parametrize(
    ("text", "street", "city", "state", "zip_"),
    [
        ("Address: 475 W Lake Ct, Lansing, MI 48820", "475 W Lake Ct", "Lansing", "MI", "48820"),
        ("Address: 11046 N Meadow St Ste 7B, Betsy Layne, KY 41605", "11046 N Meadow St",
         "Betsy Layne", "KY", "41605"),
        ("Address: 15905 E Summit Ave, Zoe, KY 41397", "15905 E Summit Ave", "Zoe", "KY", "41397"),
        ("Lives at 12 Spring Hill Rd, Lake Forest, IL 60045.", "12 Spring Hill Rd",
         "Lake Forest", "IL", "60045"),
        ("9868 Harbor Cir\nSheridan, IL 60551", "9868 Harbor Cir", "Sheridan", "IL", "60551"),
        ("22890 Deer Path Ln, Wanatah, IN 46390", "22890 Deer Path Ln", "Wanatah", "IN", "46390"),
        # One space before the town (no comma): the city/state/ZIP is still the address's.
        ("12 Oak St Springfield IL 62704", "12 Oak St", "Springfield", "IL", "62704"),
        ("475 W Lake Ct Lansing MI 48820", "475 W Lake Ct", "Lansing", "MI", "48820"),
        ("Mail to 12 Oak St Lake Forest, IL 60045 today.", "12 Oak St", "Lake Forest", "IL",
         "60045"),
        ("Floral Park: 9 Tulip Ave Floral Park NY 11001", "9 Tulip Ave", "Floral Park", "NY",
         "11001"),
        # Streets without a suffix word in the name are read as before.
        ("Address: 12 Oak St, Dayton, OH 45402", "12 Oak St", "Dayton", "OH", "45402"),
        ("9 Park Ave\nNew York, NY 10016", "9 Park Ave", "New York", "NY", "10016"),
    ],
)  # fmt: skip
def test_street_named_by_a_suffix_word_keeps_its_city_state_zip(
    text: str, street: str, city: str, state: str, zip_: str
) -> None:
    got = _fields(text, "address")
    assert (got.get("street"), got.get("city"), got.get("state"), got.get("zip")) == (
        street, city, state, zip_,
    )  # fmt: skip
    assert not _names(text)  # the town and state are not a name


@pytest.mark.parametrize(
    ("text", "street"),
    [
        ("475 W Lake Ct Apt 4", "475 W Lake Ct"),
        # No unit and no city/state/ZIP after it: the longer street is not taken, so a town
        # written after a street on one line is not swallowed into the street.
        ("Mail to 12 Oak St Lake Forest, IL 60045 today.", "12 Oak St"),
        ("Mail to 12 Oak St Lake Forest today.", "12 Oak St"),
    ],
)
def test_longer_street_only_with_a_unit_or_a_town_after_it(text: str, street: str) -> None:
    assert _fields(text, "address").get("street") == street


@pytest.mark.parametrize(
    "text",
    [
        "She moved to Lansing, MI last year.",
        "Lives in Winfield, PA with her son.",
        "Transferred from Dayton, OH on arrival.",
    ],
)
def test_town_and_state_are_not_last_first(text: str) -> None:
    assert not _names(text)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # A given name that is also a state code is still read where the case says so.
        ("SMITH, AL 01/02/1950", {"SMITH", "AL"}),
        ("Garcia, Maria (DOB 03/04/1961)", {"Garcia", "Maria"}),
    ],
)
def test_last_first_still_read(text: str, names: set[str]) -> None:
    assert _names(text) == names
