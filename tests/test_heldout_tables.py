"""Table-side fixes found with the held-out evidence set, checked without the pipeline:
misspelt and run-together headings, relationship codes, hospital units, SAS dates.
Each positive case has negatives beside it."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect.columns import parse_date, plan_table
from breachscope.detect.findings import findings_from_batch
from breachscope.detect.headers import classify_header
from breachscope.detect.table import read_columns

TODAY = dt.date(2025, 2, 6)


@pytest.mark.parametrize(
    ("heading", "kind", "field", "group"),
    [
        ("Pateint Frist", "name", "first", "patient"),
        ("Pateint Last", "name", "last", "patient"),
        ("Fisrt Name", "name", "first", None),
        ("Birht Date", "dob", None, None),
        ("Adress", "address", "street", None),
        ("Subscirber SSN", "ssn", None, "subscriber"),
        ("D.O.B.", "dob", None, None),
        ("PATNAME", "name", "full", "patient"),
        ("MBRDOB", "dob", None, "member"),
        ("SUBSCRSSN", "ssn", None, "subscriber"),
        ("Resp Party", "name", "full", "guarantor"),
        ("Mbr Sfx", "name", "suffix", "member"),
        ("Referred By", "provider", "name", None),
        ("Referred To", "provider", "name", None),
        # negatives: a wrong letter is not a slip, and words that only look alike
        ("Sender", None, None, None),
        ("Form", None, None, None),
        ("Subtotal", None, None, None),
        ("Pathology", None, None, None),
        ("Rel to Subscr", "skip", None, "subscriber"),
        ("Referral Dx", "diagnosis", None, None),
    ],
)
def test_headings_read_through_slips(
    heading: str, kind: str | None, field: str | None, group: str | None
) -> None:
    g = classify_header(heading)
    assert (g.kind, g.field, g.group) == (kind, field, group)


ELIG_HEAD = ["MBR_LNAME", "MBR_FNAME", "BIRTH_DT(YYYYMMDD)", "SUBSCR_SSN", "REL_CD", "MBR_ID"]


def _ssn_subjects(headers: list[str], rows: list[list[str | None]]) -> dict[int, str | None]:
    numbered = [(k + 2, r) for k, r in enumerate(rows)]
    plan = plan_table(headers, numbered, TODAY)
    found = findings_from_batch(read_columns(plan, numbered, TODAY))
    return {f.row_no or 0: f.subject for f in found if f.category == "ssn"}


def test_x12_relationship_codes_give_the_subscribers_ssn_to_the_subscriber() -> None:
    rows: list[list[str | None]] = [
        ["OKAFOR", "DANIEL", "19581123", "318629045", "18", "QHP4418820"],
        ["OKAFOR", "GRACE", "19600214", "318629045", "01", "QHP4418821"],
        ["OKAFOR", "SAMUEL", "20120709", "318629045", "19", "QHP4418822"],
        ["ALVAREZ", "MARISOL", "19610405", "412583317", "18", "QHP5530017"],
    ]
    assert _ssn_subjects(ELIG_HEAD, rows) == {2: None, 3: "subscriber", 4: "subscriber", 5: None}


def test_relationship_words_and_a_blank_code() -> None:
    head = ["Member Last", "Member First", "Subscriber SSN", "Relationship"]
    rows: list[list[str | None]] = [
        ["Okafor", "Daniel", "318-62-9045", "Self"],
        ["Okafor", "Grace", "318-62-9045", "Spouse"],
        ["Okafor", "Samuel", "318-62-9045", ""],  # unknown: left with the row
    ]
    assert _ssn_subjects(head, rows) == {2: None, 3: "subscriber", 4: None}


@pytest.mark.parametrize(
    ("head", "codes"),
    [
        # not a relationship code set: nothing moves
        (["MBR_LNAME", "MBR_FNAME", "SUBSCR_SSN", "REL_CD"], ["A", "B", "C"]),
        # no relationship column at all
        (["MBR_LNAME", "MBR_FNAME", "SUBSCR_SSN", "PLAN_CD"], ["18", "01", "19"]),
        # the SSN is the member's own
        (["MBR_LNAME", "MBR_FNAME", "MBR_SSN", "REL_CD"], ["18", "01", "19"]),
    ],
)
def test_ssn_stays_with_the_row_without_a_relationship_code(
    head: list[str], codes: list[str]
) -> None:
    ssns = ["318629045", "412583317", "509224187"]
    rows: list[list[str | None]] = [
        ["OKAFOR", first, ssn, code]
        for first, ssn, code in zip(("DANIEL", "GRACE", "SAMUEL"), ssns, codes, strict=True)
    ]
    assert set(_ssn_subjects(head, rows).values()) == {None}


def test_subscriber_with_own_name_columns_is_tagged_as_before() -> None:
    head = ["Subscr Last", "Subscr First", "Subscriber SSN", "Patient Last", "Patient First",
            "Rel"]  # fmt: skip
    rows: list[list[str | None]] = [
        ["OKAFOR", "DANIEL", "318-62-9045", "OKAFOR", "SAMUEL", "Child"],
        ["ALVAREZ", "MARISOL", "412-58-3317", "ALVAREZ", "MARISOL", "Self"],
    ]
    assert _ssn_subjects(head, rows) == {2: "subscriber", 3: "subscriber"}


def _categories(headers: list[str], rows: list[list[str | None]]) -> dict[str, str]:
    plan = plan_table(headers, [(k + 2, r) for k, r in enumerate(rows)], TODAY)
    return {c.header: f"{c.category}.{c.field}" for c in plan.columns}


def test_a_hospital_unit_is_not_an_address() -> None:
    got = _categories(
        ["Patient Name", "DOB", "Unit", "Bed"],
        [["Alvarez, Marisol", "04/05/1961", "4W", "12"], ["Brennan, Thomas", "12/31/1947",
                                                          "ICU", "3"]],
    )  # fmt: skip
    assert "Unit" not in got


def test_an_apartment_beside_a_street_is_address_line_2() -> None:
    got = _categories(
        ["Patient Name", "Street", "Apt/Unit", "City", "State", "Zip"],
        [["Alvarez, Marisol", "1420 Birchwood Ave", "4W", "Dayton", "OH", "45402"],
         ["Brennan, Thomas", "18 Cherry Bottom Rd", "", "Gahanna", "OH", "43230"]],
    )  # fmt: skip
    assert got["Apt/Unit"] == "address.line2"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("09JUL2012", "2012-07-09"),
        ("18jun1972", "1972-06-18"),
        ("5JAN1960", "1960-01-05"),
        ("09JUL12", "2012-07-09"),
        ("31/12/1960", "1960-12-31"),
        ("19610405", "1961-04-05"),
        # negatives
        ("12ABC2012", None),
        ("09JUL2012X", None),
        ("31FEB2012", None),
        ("JUL2012", None),
    ],
)
def test_sas_dates(text: str, want: str | None) -> None:
    d = parse_date(text, past=True, today=TODAY)
    assert (d.isoformat() if d else None) == want


def test_sas_dates_make_a_birth_date_column() -> None:
    got = _categories(
        ["PAT_LAST", "PAT_FIRST", "BIRTH_DATE"],
        [["OKAFOR", "SAMUEL", "09JUL2012"], ["NGUYEN", "LINH", "13JAN1985"]],
    )
    assert got["BIRTH_DATE"] == "dob.None"


def test_day_first_dates_are_read_over_the_whole_column() -> None:
    """02/03/1939 is 2 March: other rows of the column put the day first."""
    head = ["Surname", "Forename", "Date of Birth"]
    rows: list[list[str | None]] = [
        ["Brennan", "Thomas", "31/12/1947"],
        ["Desrosiers", "Jean-Paul", "02/03/1939"],
    ]
    numbered = [(k + 2, r) for k, r in enumerate(rows)]
    plan = plan_table(head, numbered, TODAY)
    found = findings_from_batch(read_columns(plan, numbered, TODAY))
    assert {f.row_no: f.value for f in found if f.category == "dob"} == {
        2: "1947-12-31",
        3: "1939-03-02",
    }


@pytest.mark.parametrize(
    ("heading", "dates", "want"),
    [
        # every day is 12 or less: the heading decides
        ("DOB (DD/MM/YYYY)", ["05/04/1961", "02/03/1939"], ["1961-04-05", "1939-03-02"]),
        ("Fecha Nac (dd/mm/aaaa)", ["05/04/1961", "02/03/1939"], ["1961-04-05", "1939-03-02"]),
        ("DOB (MM/DD/YYYY)", ["05/04/1961", "02/03/1939"], ["1961-05-04", "1939-02-03"]),
        ("DOB", ["05/04/1961", "02/03/1939"], ["1961-05-04", "1939-02-03"]),
        # the values prove month first: a wrong heading does not override them
        ("DOB (DD/MM/YYYY)", ["05/14/1961", "02/03/1939"], ["1961-05-14", "1939-02-03"]),
    ],
)
def test_a_heading_that_spells_the_date_order(
    heading: str, dates: list[str], want: list[str]
) -> None:
    rows: list[list[str | None]] = [["Alvarez, Marisol", dates[0]], ["Brennan, Thomas", dates[1]]]
    numbered = [(k + 2, r) for k, r in enumerate(rows)]
    plan = plan_table(["Patient Name", heading], numbered, TODAY)
    found = findings_from_batch(read_columns(plan, numbered, TODAY))
    assert [f.value for f in sorted(found, key=lambda f: f.row_no or 0) if f.category == "dob"] == (
        want
    )
