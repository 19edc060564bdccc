"""Column classification: headings, values, neighbours, subjects; then column-wise reading."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from breachscope.detect import detect_table
from breachscope.detect.columns import plan_table, profile_values, value_shape
from breachscope.detect.headers import classify_header
from breachscope.detect.validators import npi_valid, ssn_valid

T = dt.date(2025, 3, 1)


@pytest.mark.parametrize(
    ("header", "kind", "field"),
    [
        ("Soc Sec #", "ssn", None),
        ("SSN", "ssn", None),
        ("SOC_SEC_NO", "ssn", None),
        ("Member SSN", "ssn", None),
        ("SSN Last 4", "ssn_last4", None),
        ("DOB", "dob", None),
        ("BIRTH_DT", "dob", None),
        ("PatientDateOfBirth", "dob", None),
        ("Pt Name", "name", "full"),
        ("Subscriber Last", "name", "last"),
        ("PatientFirstName", "name", "first"),
        ("MI", "name", "middle"),
        ("MBR_ID", "member_id", "member"),
        ("Policy #", "member_id", "policy"),
        ("Group #", "member_id", "group"),
        ("MBI", "member_id", "mbi"),
        ("MRN", "mrn", None),
        ("Med Rec No", "mrn", None),
        ("Patient ID", "mrn", None),
        ("Acct #", "mrn", "account"),
        ("Dx1", "diagnosis", None),
        ("ICD10", "diagnosis", None),
        ("CPT", "procedure", None),
        ("HCPCS", "procedure", None),
        ("NDC", "medication", "ndc"),
        ("Drug", "medication", None),
        ("Rendering NPI", "provider", "npi"),
        ("Attending Physician", "provider", "name"),
        ("Payer", "health_plan", None),
        ("Plan Name", "health_plan", None),
        ("Result", "test_result", "result"),
        ("LOINC", "test_result", "loinc"),
        ("Modality", "imaging", None),
        ("DL#", "drivers_license", None),
        ("Card Number", "payment_card", None),
        ("Routing", "bank_account", "routing"),
        ("Date of Death", "date_of_death", None),
        ("Expired", "deceased", None),
        ("Gender", "gender", None),
        ("Zip Code", "address", "zip"),
        ("Service Date", "date", "service"),
        ("Facility", "organization", "name"),
        # negatives: headings that must not read as personal data
        ("Claim Number", "skip", None),
        ("Amount Paid", "skip", None),
        ("Employee Name", "skip", None),
        ("Coder", "skip", None),
        ("Specialty", "skip", None),
        ("Units", "skip", None),
        ("Drug Name", "medication", None),
        ("Exp Date", "skip", None),
    ],
)
def test_header_vocabulary(header: str, kind: str, field: str | None) -> None:
    g = classify_header(header)
    assert (g.kind, g.field) == (kind, field)


@pytest.mark.parametrize("header", ["ID", "Num", "col_3", "", "Value"])
def test_generic_headers(header: str) -> None:
    g = classify_header(header)
    assert g.kind is None and g.generic


def _npis(n: int) -> list[str]:
    out, x = [], 1000000000
    while len(out) < n:
        x += 7
        if npi_valid(str(x)):
            out.append(str(x))
    return out


def _ssns(n: int, rng: random.Random) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        s = f"{rng.randint(1, 899):03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
        if ssn_valid(s):
            out.append(s)
    return out


def _cats(columns: list[str], rows: list[list[str | None]]) -> dict[str, tuple[str, str | None]]:
    plan = plan_table(columns, [(i + 2, r) for i, r in enumerate(rows)], T)
    return {c.header: (c.category, c.field) for c in plan.columns}


def test_npi_column_headed_id_is_provider_not_ssn() -> None:
    cats = _cats(["ID", "Name", "Specialty"], [[n, "Dr Who", "Cardiology"] for n in _npis(30)])
    assert cats["ID"] == ("provider", "npi")


def test_random_nine_digit_ids_headed_id_are_not_ssn() -> None:
    rng = random.Random(3)
    rows = [[f"{rng.randint(100000000, 999999999)}", "x"] for _ in range(40)]
    assert "ID" not in _cats(["ID", "Note"], rows)


def test_valid_ssns_headed_num_are_ssn() -> None:
    rows = [[s, "A"] for s in _ssns(30, random.Random(5))]
    assert _cats(["Num", "Code"], rows)["Num"] == ("ssn", None)


def test_ssn_heading_with_last_four_only() -> None:
    rows = [[f"XXX-XX-{i:04d}"] for i in range(1000, 1020)]
    assert _cats(["SSN"], rows)["SSN"] == ("ssn_last4", None)


def test_dob_versus_service_date_and_unlabelled_birth_dates() -> None:
    rng = random.Random(7)
    rows = [
        [
            rng.choice(["Ann", "Bob", "Carl"]),
            rng.choice(["Lee", "Diaz"]),
            f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/{rng.randint(1935, 2012)}",
            f"01/{rng.randint(1, 28):02d}/2025",
            f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/{rng.randint(1935, 2012)}",
        ]
        for _ in range(40)
    ]
    cats = _cats(["First Name", "Last Name", "DOB", "Service Date", "col_5"], rows)
    assert cats["DOB"] == ("dob", None)
    assert cats["Service Date"] == ("service_date", None)
    # the second birth-date-like column is not promoted: the table already has a DOB
    assert cats["col_5"] == ("other_date", None)
    cats2 = _cats(["First Name", "Last Name", "col_3", "Service Date"], [r[:4] for r in rows])
    assert cats2["col_3"] == ("dob", None)


def test_headerless_table_from_values_alone() -> None:
    rng = random.Random(1)
    first = ["JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "LINDA", "MICHAEL", "BARBARA"]
    last = ["SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS"]
    rows: list[list[str | None]] = []
    for s in _ssns(40, rng):
        rows.append(
            [
                rng.choice(last),
                rng.choice(first),
                f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/{rng.randint(1940, 2015)}",
                f"{s[:3]}-{s[3:5]}-{s[5:]}",
                "TX",
                f"7{rng.randint(5000, 9999):04d}",
                f"{rng.randint(1000, 9999)} Oak St",
                f"p{rng.randint(1, 9)}@example.com",
            ]
        )
    cats = _cats([f"col_{i + 1}" for i in range(8)], rows)
    assert cats["col_1"] == ("name", "last")
    assert cats["col_2"] == ("name", "first")
    assert cats["col_3"] == ("dob", None)
    assert cats["col_4"] == ("ssn", None)
    assert cats["col_5"] == ("address", "state")
    assert cats["col_6"] == ("address", "zip")
    assert cats["col_7"] == ("address", "street")
    assert cats["col_8"] == ("email", None)


def test_header_row_under_a_title_block() -> None:
    title: list[list[str | None]] = [
        ["Mercy Valley Health - Member Roster", None, None],
        ["Run date 2025-01-31", None, None],
        [None, None, None],
        [None, None, None],
    ]
    body: list[list[str | None]] = [["Member ID", "Member Name", "DOB"]] + [
        [f"M{1000 + i}", "SMITH, JOHN", "03/14/1956"] for i in range(10)
    ]
    plan = plan_table(
        ["col_1", "col_2", "col_3"], [(i + 1, r) for i, r in enumerate(title + body)], T
    )
    assert plan.header_row_no == 5
    assert {c.header: c.category for c in plan.columns} == {
        "Member ID": "member_id",
        "Member Name": "name",
        "DOB": "dob",
    }


def test_subscriber_and_patient_groups_get_subjects() -> None:
    cols = [
        "Subscriber Last",
        "Subscriber First",
        "Subscriber ID",
        "Patient Last",
        "Patient First",
        "Patient DOB",
        "Relationship",
    ]
    rows: list[list[str | None]] = [
        ["SMITH", "JOHN", "XYZ1", "SMITH", "TOMMY", "01/02/2015", "Child"]
    ] * 5
    plan, found = detect_table(cols, [(i + 2, r) for i, r in enumerate(rows)], T)
    subj = {c.header: c.subject for c in plan.columns}
    assert subj["Subscriber Last"] == "subscriber" and subj["Subscriber First"] == "subscriber"
    assert subj["Patient Last"] is None and subj["Patient DOB"] is None
    # an ID of the subscriber group without... names stays tagged with its group
    assert subj["Subscriber ID"] == "subscriber"
    names = {(f.field, f.value, f.subject) for f in found if f.category == "name" and f.row_no == 2}
    assert names == {
        ("last", "SMITH", "subscriber"),
        ("first", "JOHN", "subscriber"),
        ("last", "SMITH", None),
        ("first", "TOMMY", None),
    }


def test_single_person_group_is_the_main_subject() -> None:
    rows: list[list[str | None]] = [["SMITH", "JOHN", "XYZ1"]] * 3
    plan = plan_table(
        ["Subscriber Last", "Subscriber First", "Subscriber ID"],
        [(i + 2, r) for i, r in enumerate(rows)],
        T,
    )
    assert all(c.subject is None for c in plan.columns)


def test_provider_directory_names_are_providers() -> None:
    rows: list[list[str | None]] = [[n, "Jane", "Doe", "Cardiology"] for n in _npis(10)]
    plan = plan_table(
        ["NPI", "First Name", "Last Name", "Specialty"], [(i + 2, r) for i, r in enumerate(rows)], T
    )
    assert {c.category for c in plan.columns} == {"provider"}


def test_staff_directory_names_are_not_subjects() -> None:
    rows: list[list[str | None]] = [
        ["Jane", "Doe", "Coding", "Coder II", "x1234", "jdoe@vendor.example"]
    ] * 5
    plan = plan_table(
        ["First Name", "Last Name", "Department", "Title", "Extension", "Email"],
        [(i + 2, r) for i, r in enumerate(rows)],
        T,
    )
    assert not [c for c in plan.columns if c.category in ("name", "email")]


def test_full_name_and_address_columns_are_split() -> None:
    rows: list[list[str | None]] = [
        ["SMITH, JOHN A", "123 Main St, Springfield, IL 62701", "XXX-XX-1234"],
        ["Mary Jones", "9 Elm Ave Apt 2, Boston, MA 02110", "XXX-XX-9876"],
    ]
    _plan, found = detect_table(
        ["Patient Name", "Address", "SSN Last 4"], [(i + 2, r) for i, r in enumerate(rows)], T
    )
    got = {(f.row_no, f.category, f.field, f.value) for f in found}
    assert (
        (2, "name", "last", "SMITH") in got
        and (2, "name", "first", "JOHN") in got
        and (2, "name", "middle", "A") in got
    )
    assert (3, "name", "first", "Mary") in got and (3, "name", "last", "Jones") in got
    assert (2, "address", "zip", "62701") in got and (3, "address", "state", "MA") in got
    assert (2, "ssn_last4", None, "1234") in got
    assert not [f for f in found if f.category == "ssn"]


def test_values_are_normalised_and_explained() -> None:
    rows: list[list[str | None]] = [
        [
            "123-45-6780",
            "03/14/1956",
            "(617) 555-2368",
            "John.Doe@Example.COM",
            "xyz 123",
            "e119",
            "Aetna",
        ]
    ]
    _plan, found = detect_table(
        ["SSN", "DOB", "Phone", "Email", "Member ID", "Dx", "Payer"], [(2, r) for r in rows], T
    )
    vals = {f.category: f.value for f in found}
    assert vals["ssn"] == "123456780"
    assert vals["dob"] == "1956-03-14"
    assert vals["phone"] == "+16175552368"
    assert vals["email"] == "john.doe@example.com"
    assert vals["member_id"] == "XYZ123"
    assert vals["diagnosis"] == "E11.9"
    assert vals["health_plan"] == "Aetna" and vals["organization"] == "Aetna"
    for f in found:
        assert f.explanation and f.detector == "table.column"
        assert f.value not in f.explanation


def test_invalid_values_in_labelled_columns_are_dropped() -> None:
    rows: list[list[str | None]] = [
        ["912-70-1234", "02/30/1990", "N/A"],
        ["000-12-3456", "13/45/1990", "unknown"],
        ["219-45-6780", "1/2/1990", ""],
    ]
    _plan, found = detect_table(
        ["SSN", "DOB", "Phone"], [(i + 2, r) for i, r in enumerate(rows)], T
    )
    assert [(f.category, f.row_no) for f in found if f.category == "ssn"] == [("ssn", 4)]
    assert [(f.category, f.row_no) for f in found if f.category == "dob"] == [("dob", 4)]
    assert not [f for f in found if f.category == "phone"]


def test_cached_value_shapes_keep_each_columns_date_order() -> None:
    # Shapes are cached per value across columns and tables; a date's reading is not: the
    # same "03/04/2001" is 4 March in a US column and 3 April beside "25/12/1990".
    today = dt.date(2025, 1, 15)
    us = profile_values(["03/04/2001", "12/25/1990", "03/04/2001"], today)
    eu = profile_values(["03/04/2001", "25/12/1990", "03/04/2001"], today)
    assert (us.date_order, eu.date_order) == ("MDY", "DMY")
    assert us["date"] == eu["date"] == 1.0
    again = profile_values(["03/04/2001", "12/25/1990", "03/04/2001"], today)
    assert (again.f, again.years, again.date_order) == (us.f, us.years, us.date_order)


def test_value_shape_is_the_same_cold_or_cached() -> None:
    values = ["123-45-6789", "078-05-1120", "(555) 234-5678", "E11.9", "J45.909 asthma",
              "1EG4-TE5-MK73", "Aetna PPO", "SMITH", "1 Main St, Springfield, IL 62701",
              "99213", "jane@example.org", "F", "Y", "", "02139", "MA", "2025-01-31"]  # fmt: skip
    warm = [value_shape(v) for v in values]
    value_shape.cache_clear()
    assert [value_shape(v) for v in values] == warm
