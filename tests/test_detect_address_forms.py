"""Address forms the US mail delivers that the first patterns missed: a Washington
quadrant after the street type ("1600 Pennsylvania Avenue NW"), rural routes and highway
contracts ("RR 2 Box 145"), and Puerto Rico's urbanisation and condominium lines, which
are never an addressee's name ("URB LAS GLADIOLAS" was a person)."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect.text import detect_text

TODAY = dt.date(2026, 1, 15)


def _address(text: str) -> dict[str | None, str]:
    return {f.field: f.value for f in detect_text(text, today=TODAY) if f.category == "address"}


@pytest.mark.parametrize(
    ("text", "street", "city", "state"),
    [
        ("Address: 1600 Pennsylvania Avenue NW, Washington, DC 20500",
         "1600 Pennsylvania Avenue NW", "Washington", "DC"),
        ("lives at 55 K St. N.E. Washington DC 20002", "55 K St. N.E", "Washington", "DC"),
        ("Mail to: RR 2 Box 145, Hartsville, SC 29550", "RR 2 Box 145", "Hartsville", "SC"),
        ("HC 61 Box 12\nMarfa, TX 79843", "HC 61 Box 12", "Marfa", "TX"),
        ("Rural Route 3 Box 77, Ames, IA 50010", "Rural Route 3 Box 77", "Ames", "IA"),
        ("12 Oak St W Lafayette IN 47906", "12 Oak St", "W Lafayette", "IN"),  # a city's W
    ],
)  # fmt: skip
def test_an_address_form(text: str, street: str, city: str, state: str) -> None:
    got = _address(text)
    assert (got.get("street"), got.get("city"), got.get("state")) == (street, city, state)


@pytest.mark.parametrize(
    "text",
    [
        "Patient: Ana Soto\nURB LAS GLADIOLAS\n150 CALLE A\nSAN JUAN PR 00926",
        "Address: Cond. El Monte Norte Apt 12B, 165 Ave Hostos, San Juan PR 00918",
        "Residencial Luis Llorens Torres\nEdif 12 Apt 140\nSan Juan PR 00913",
    ],
)
def test_puerto_rico_address_lines_are_no_names(text: str) -> None:
    found = detect_text(text, today=TODAY)
    names = {f.value for f in found if f.category == "name"}
    assert not names & {"URB", "LAS", "GLADIOLAS", "Monte", "Norte", "Apt", "Residencial"}
    assert ("address", "state", "PR") in {(f.category, f.field, f.value) for f in found}


@pytest.mark.parametrize(
    "text",
    [
        "Box 3 of 5 was shipped to the warehouse.",  # no route before the box
        "The RR interval was 0.8 s; box plot attached.",  # an ECG's RR, no box number
        "see HC 61 for details",  # no box
    ],
)
def test_look_alikes_are_no_route_addresses(text: str) -> None:
    assert "street" not in _address(text)
