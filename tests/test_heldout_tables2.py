"""Table-side fixes found with the second held-out set (``tests/heldout_cases2.py``),
checked without the pipeline: mainframe and HL7 segment-field headings, Spanish headings
with two surnames, MMDDYYYY dates, accented and ``LAST^FIRST`` names, CPT codes with no
heading, headings repeated on every page and tables stacked in one sheet. Each positive
case has look-alike negatives beside it."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect import detect_table
from breachscope.detect.columns import parse_date, plan_table, table_segments, value_shape
from breachscope.detect.findings import Finding
from breachscope.detect.headers import classify_header

TODAY = dt.date(2025, 2, 6)
Rows = list[tuple[int, list[str | None]]]


def _rows(rows: list[list[str | None]], first: int = 2) -> Rows:
    return [(first + k, r) for k, r in enumerate(rows)]


def _by_row(found: list[Finding], category: str, fld: str | None = None) -> dict[int, str]:
    return {
        f.row_no or 0: f.value
        for f in found
        if f.category == category and (fld is None or f.field == fld)
    }


@pytest.mark.parametrize(
    ("heading", "kind", "field", "group", "role"),
    [
        # mainframe names with the vowels dropped, and address lines written LN
        ("BRTH_DT", "dob", None, None, "person"),
        ("ST_CD", "address", "state", None, "person"),
        ("ADDR_LN_1", "address", "street", None, "person"),
        ("ADDR_LN_2", "address", "line2", None, "person"),
        ("Street Address Ln 1", "address", "street", None, "person"),
        ("MBR_LN", "name", "last", "member", "person"),  # LN alone is still a last name
        ("LN", "name", "last", None, "person"),
        ("CD", None, None, None, "person"),
        ("REL_CD", "skip", None, None, "person"),
        ("Status Cd", "skip", None, None, "person"),
        # a slip read before the phrases
        ("Medcial Rec #", "mrn", None, None, "person"),
        ("Medical Rec No", "mrn", None, None, "person"),
        # a schedule's resource is the provider; a FHIR key with "resource" is not
        ("Resource", "provider", "name", None, "provider"),
        ("Appt Resource", "provider", "name", None, "provider"),
        ("Resource Type", "skip", None, None, "person"),
        ("resource.name.family", "name", "last", None, "person"),
        # the actor of an audit log is staff, not the member viewed
        ("actor.email", "skip", None, None, "staff"),
        ("actor.name", "skip", None, None, "staff"),
        ("member.demographics.dob", "dob", None, "member", "person"),
        # HL7 v2 segment-field headings
        ("PID_3_MRN", "mrn", None, "patient", "person"),
        ("PID_5_NAME", "name", "full", "patient", "person"),
        ("PID.7", "dob", None, "patient", "person"),
        ("PID-5.1", "name", "full", "patient", "person"),
        ("PV1_7_ATTENDING", "provider", "name", None, "provider"),
        ("PV1.7", "provider", "name", None, "provider"),
        ("GT1_3_NAME", "name", "full", "guarantor", "person"),
        ("IN1_36", "member_id", "policy", None, "person"),
        ("PID", "mrn", None, None, "person"),  # a patient ID, as before
        ("PIDX_5", None, None, None, "person"),
        ("OBX_5_VALUE", None, None, None, "person"),
        # Spanish: given names, the abbreviated birth date, two surnames
        ("Nombre(s)", "name", "first", None, "person"),
        ("Fecha de Nac.", "dob", None, None, "person"),
        ("Fecha de Servicio", "date", "service", None, "person"),
        ("Apellido Paterno", "name", "last", None, "person"),
        ("Apellido Materno", "name", "last2", None, "person"),
        ("Segundo Apellido", "name", "last2", None, "person"),
        ("Maiden Name", "skip", None, None, "person"),
        # a name heading that spells out the order of its parts
        ("Insured's Name (Last, First, MI)", "name", "full", "subscriber", "person"),
        ("Name (Last, First, Middle Initial)", "name", "full", None, "person"),
        ("Middle Initial", "name", "middle", None, "person"),
        # where the phone rings
        ("Home #", "phone", None, None, "person"),
        ("Work #", "phone", None, None, "person"),
        ("Home", None, None, None, "person"),
        ("Home Address", "address", "street", None, "person"),
        ("Home Health #", None, None, None, "person"),
        # a licence's state or class is not the licence number
        ("DL St", "skip", None, None, "person"),
        ("Drivers License State", "skip", None, None, "person"),
        ("Drivers Lic Class", "skip", None, None, "person"),
        ("DL #", "drivers_license", None, None, "person"),
        ("License Number", "drivers_license", None, None, "person"),
    ],
)
def test_headings(
    heading: str, kind: str | None, field: str | None, group: str | None, role: str
) -> None:
    g = classify_header(heading)
    assert (g.kind, g.field, g.group, g.role) == (kind, field, group, role)


@pytest.mark.parametrize(
    ("value", "order", "want"),
    [
        ("12011995", "MDY", "1995-12-01"),
        ("05061937", "MDY", "1937-05-06"),
        ("01031958", "DMY", "1958-03-01"),
        ("30101958", "MDY", "1958-10-30"),  # a day above 12 first: day first
        ("19640830", "MDY", "1964-08-30"),  # YYYYMMDD is read first
        ("20091002", "MDY", "2009-10-02"),
        ("12345678", "MDY", None),
        ("99991231", "MDY", None),
        ("00000000", "MDY", None),
        ("13131999", "MDY", None),
        ("02301990", "MDY", None),  # no 30 February
        ("01032150", "MDY", None),  # year outside 1800-2099
        ("03JAN1958:00:00:00", "MDY", "1958-01-03"),  # SAS DATETIME20
        ("03JAN58:12:30:00.5", "MDY", "1958-01-03"),
        ("03JAN1958:00:00", "MDY", None),
    ],
)
def test_dates_with_the_year_last_and_no_separators(
    value: str, order: str, want: str | None
) -> None:
    d = parse_date(value, order=order, today=TODAY)
    assert (d.isoformat() if d else None) == want


def test_eight_digit_record_numbers_are_not_dates() -> None:
    head = ["Acct No", "Pt DOB"]
    rows = _rows([["40817723", "12011995"], ["51092288", "04191988"], ["63310457", "01031958"]])
    _plan, found = detect_table(head, rows, TODAY)
    assert _by_row(found, "dob") == {2: "1995-12-01", 3: "1988-04-19", 4: "1958-01-03"}
    assert not _by_row(found, "other_date")
    assert all(f.value != "1977-08-40" for f in found)


def test_a_day_first_compact_column_reads_every_row_day_first() -> None:
    rows = _rows([["30101958"], ["05061937"]])
    _plan, found = detect_table(["DOB"], rows, TODAY)
    assert _by_row(found, "dob") == {2: "1958-10-30", 3: "1937-06-05"}


@pytest.mark.parametrize(
    ("heading", "values", "want"),
    [
        ("DOB", ["21188", "35186", "27021"], ["1958-01-03", "1996-05-01", "1973-12-23"]),
        ("DOB", ["1958", "1972", "1990"], []),  # birth years, not day numbers
        ("Zip", ["21188", "35186", "27021"], []),
        ("Acct #", ["21188", "35186", "27021"], []),
        ("DOB", ["21188", "03/04/1972", "01/01/1990"], ["1972-03-04", "1990-01-01"]),
        ("DOB", ["21188", "35186", "99999"], ["1958-01-03", "1996-05-01"]),  # 2173: future
    ],
)
def test_excel_day_numbers_under_a_birth_date_heading(
    heading: str, values: list[str], want: list[str]
) -> None:
    rows = _rows([[v, "Okafor, Grace"] for v in values])
    _plan, found = detect_table([heading, "Name"], rows, TODAY)
    assert sorted(_by_row(found, "dob").values()) == sorted(want)


@pytest.mark.parametrize(
    ("value", "person"),
    [
        ("Ramírez, José", True),
        ("Muñoz, Sofía", True),
        ("Peña, María José", True),
        ("Nguyễn, Thị Lan", True),
        ("NGUYEN-TRAN^THAO^^^", True),
        ("MENSAH^KWAME", True),
        ("2951-2^Sodium^LN", False),  # a coded observation, not a name
        ("1920045816^BELTRAN^ANA^^^CNM", False),  # an XCN: read as a provider's NPI
        ("Mayagüez", False),
        ("Café con leche", False),
    ],
)
def test_accented_and_hl7_names_have_the_shape_of_names(value: str, person: bool) -> None:
    assert ("person" in value_shape(value).hits) is person


@pytest.mark.parametrize(
    ("value", "alpha"),
    [("Østergaard, Søren", True), ("يوسف المصري", True), ("O'Neil", True), ("A1C", False),
     ("snake_case", False), ("12-B", False)],
)  # fmt: skip
def test_letters_of_any_script_are_words(value: str, alpha: bool) -> None:
    assert ("alpha" in value_shape(value).hits) is alpha


def test_an_accented_name_column_is_read() -> None:
    head = ["Pt Name", "Pt DOB"]
    rows = _rows([["Ramírez, José", "17-JUN-52"], ["Muñoz, Sofía", "30-MAY-01"]])
    _plan, found = detect_table(head, rows, TODAY)
    assert _by_row(found, "name", "last") == {2: "Ramírez", 3: "Muñoz"}
    assert _by_row(found, "name", "first") == {2: "José", 3: "Sofía"}
    assert _by_row(found, "dob") == {2: "1952-06-17", 3: "2001-05-30"}


def test_unlabelled_accented_place_names_are_not_people() -> None:
    head = ["col_1", "col_2"]
    rows = _rows([["San Germán", "PR"], ["Mayagüez", "PR"], ["Bayamón", "PR"]])
    _plan, found = detect_table(head, rows, TODAY)
    assert not _by_row(found, "name")


def test_an_interface_extract_with_segment_field_headings() -> None:
    head = ["PID_3_MRN", "PID_5_NAME", "PID_7_DOB", "PV1_7_ATTENDING"]
    rows = _rows(
        [
            ["M0431233", "NGUYEN-TRAN^THAO^^^", "19830722", "1920045816^BELTRAN^ANA^^^CNM"],
            ["M0431260", "MENSAH^KWAME^^^", "19880419", "1342987769^OSEI^VICTOR^^^DO"],
        ]
    )
    _plan, found = detect_table(head, rows, TODAY)
    assert _by_row(found, "name", "last") == {2: "NGUYEN-TRAN", 3: "MENSAH"}
    assert _by_row(found, "name", "first") == {2: "THAO", 3: "KWAME"}
    assert _by_row(found, "mrn") == {2: "M0431233", 3: "M0431260"}
    assert _by_row(found, "provider", "npi") == {2: "1920045816", 3: "1342987769"}


def test_two_surnames_are_one_last_name() -> None:
    head = ["Apellido Paterno", "Apellido Materno", "Nombre(s)", "Fecha de Nac."]
    rows = _rows(
        [
            ["Ortiz", "Vega", "Guadalupe", "12/12/1979"],
            ["Medina", "", "Rosario", "04/07/1961"],  # no second surname
            ["Fuentes", "Ibarra", "Héctor", "27/03/1990"],
        ]
    )
    _plan, found = detect_table(head, rows, TODAY)
    assert _by_row(found, "name", "last") == {2: "Ortiz Vega", 3: "Medina", 4: "Fuentes Ibarra"}
    assert _by_row(found, "name", "first") == {2: "Guadalupe", 3: "Rosario", 4: "Héctor"}
    assert _by_row(found, "dob") == {2: "1979-12-12", 3: "1961-07-04", 4: "1990-03-27"}
    assert not [f for f in found if f.field == "last2"]


def test_a_second_surname_alone_is_the_surname_and_a_maiden_name_is_not_one() -> None:
    rows = _rows([["Vega", "Guadalupe", "Ortiz"], ["Soto", "Rosario", "Medina"]])
    _plan, found = detect_table(["Apellido Materno", "Nombre(s)", "Maiden Name"], rows, TODAY)
    assert _by_row(found, "name", "last") == {2: "Vega", 3: "Soto"}


_CLAIM_LINES: list[list[str | None]] = [
    ["RAMIREZ", "JOSE", "E11.65", "99214", "185.00"],
    ["RAMIREZ", "JOSE", "E11.65", "83036", "42.00"],
    ["AL-MASRI", "YOUSEF", "M54.50", "97110", "220.00"],
    ["WHITFIELD-BURKE", "ELEANOR", "I48.91", "93000", "65.00"],
    ["D'ANGELO", "ANTHONY", "F41.1", "90837", "160.00"],
]


def test_unlabelled_five_digit_codes_on_claim_lines_are_procedures() -> None:
    head = [f"col_{j + 1}" for j in range(5)]
    plan = plan_table(head, _rows(_CLAIM_LINES), TODAY)
    got = {c.index: (c.category, c.field) for c in plan.columns}
    assert got[3] == ("procedure", "cpt")
    assert got[2] == ("diagnosis", "icd10")


def test_unlabelled_five_digit_codes_without_diagnoses_or_beside_a_state_are_not() -> None:
    no_dx = [r[:2] + r[3:] for r in _CLAIM_LINES]
    plan = plan_table([f"col_{j + 1}" for j in range(4)], _rows(no_dx), TODAY)
    assert not [c for c in plan.columns if c.category == "procedure"]
    with_state = [[*r[:3], "TX", r[3]] for r in _CLAIM_LINES]
    plan = plan_table([f"col_{j + 1}" for j in range(5)], _rows(with_state), TODAY)
    got = {c.index: (c.category, c.field) for c in plan.columns}
    assert got.get(4) == ("address", "zip")
    assert not [c for c in plan.columns if c.category == "procedure"]


REPORT_HEAD = ["Guarantor Name", "Patient Name", "Acct #", "DOB", "Balance"]


def test_a_heading_repeated_on_each_page_is_not_a_person() -> None:
    head = ["St. Brigid Medical Center - Aged Balances", "", "", "", ""]
    rows = _rows(
        [
            REPORT_HEAD,
            ["DE LA CRUZ, RICARDO", "DE LA CRUZ, MATEO", "A20011873", "10/02/2009", "245.00"],
            ["Page 1 of 2", "", "", "", ""],
            REPORT_HEAD,
            ["D'ANGELO, ANTHONY", "D'ANGELO, ANTHONY", "A20012055", "10/11/1976", "1310.55"],
        ]
    )
    assert len(table_segments(head, rows)) == 1
    _plan, found = detect_table(head, rows, TODAY)
    names = {f.value for f in found if f.category == "name"}
    assert not names & {"Patient", "Name", "Guarantor"}
    assert _by_row(found, "dob") == {3: "2009-10-02", 6: "1976-10-11"}


def test_tables_stacked_in_one_sheet_are_read_each_under_its_heading() -> None:
    head = ["INPATIENT", "", "", ""]
    rows = _rows(
        [
            ["Name", "MRN", "Adm Dt", "DOB"],
            ["Al-Masri, Yousef", "M0431215", "01/02/2025", "02/09/1971"],
            ["McAllister, Douglas", "M0431187", "01/03/2025", "09/28/1944"],
            [None, None, None, None],
            ["OUTPATIENT", None, None, None],
            ["Patient", "DOB", "Visit Dt", "CPT"],
            ["O'Neil, Siobhan", "01/03/1958", "01/06/2025", "99214"],
            ["Abdullah, Fatima", "12/01/1995", "01/07/2025", "99203"],
        ]
    )
    assert [h for h, _r in table_segments(head, rows)][1] == ["Patient", "DOB", "Visit Dt", "CPT"]
    _plan, found = detect_table(head, rows, TODAY)
    assert _by_row(found, "mrn") == {3: "M0431215", 4: "M0431187"}
    assert _by_row(found, "dob") == {
        3: "1971-02-09",
        4: "1944-09-28",
        8: "1958-01-03",
        9: "1995-12-01",
    }
    assert _by_row(found, "procedure") == {8: "99214", 9: "99203"}
    assert 7 not in _by_row(found, "name", "last")


def test_data_rows_with_heading_words_do_not_start_a_table() -> None:
    head = ["Name", "Relationship", "Phone"]
    rows = _rows(
        [
            ["Okafor, Daniel", "Self", "614-275-0938"],
            ["Okafor, Grace", "Spouse", "614-275-0939"],
            ["Patient", "Guardian", None],  # two words the vocabulary knows, in a data row
            ["Okafor, Samuel", "Child", "614-275-0940"],
        ]
    )
    assert table_segments(head, rows) == [(head, rows)]
    _plan, found = detect_table(head, rows, TODAY)
    assert _by_row(found, "name", "first")[5] == "Samuel"
    # A title block above the first heading is the plan's to read: one table.
    title = _rows([["Roster", None], ["Last Name", "DOB"], ["Okafor", "11/23/1958"]])
    assert len(table_segments(["col_1", "col_2"], title)) == 1
