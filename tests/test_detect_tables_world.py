"""Columns classified for the world, not for our generator: heading variants from real
exports, Spanish headings, a heading row under a title block, and look-alike values
(NPIs under ``ID``, service dates, 5-digit record numbers, phone-shaped IDs).

Table-driven: each case is a small table and the (category, field) expected for one of
its columns, or ``None`` when the column must not be read as personal data. There are at
least as many negative cases as positive ones.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

import pytest

from breachscope.detect import detect_table
from breachscope.detect.columns import plan_table
from breachscope.detect.headers import classify_header
from breachscope.detect.validators import npi_valid, ssn_valid

T = dt.date(2025, 3, 1)
N = 40
Gen = Callable[[random.Random, int], str]


def _ssn(r: random.Random, _k: int) -> str:
    while True:
        s = f"{r.randint(1, 665):03d}{r.randint(1, 99):02d}{r.randint(1, 9999):04d}"
        if ssn_valid(s):
            return f"{s[:3]}-{s[3:5]}-{s[5:]}"


def _npi(r: random.Random, _k: int) -> str:
    while True:
        s = f"1{r.randint(10**8, 10**9 - 1)}"
        if npi_valid(s):
            return s


def _dob(r: random.Random, _k: int) -> str:
    return f"{r.randint(1, 12):02d}/{r.randint(1, 28):02d}/{r.randint(1935, 2015)}"


def _recent(r: random.Random, _k: int) -> str:
    return f"{r.randint(1, 12):02d}/{r.randint(1, 28):02d}/2024"


def _phone(r: random.Random, _k: int) -> str:
    return f"({r.randint(201, 989)}) {r.randint(200, 999)}-{r.randint(0, 9999):04d}"


def _last(r: random.Random, _k: int) -> str:
    return r.choice(["Smith", "Garcia", "Nguyen", "Johnson", "Lopez", "Brown"])


def _first(r: random.Random, _k: int) -> str:
    return r.choice(["Maria", "James", "Linda", "Jose", "Wei", "Ann"])


def _zip(r: random.Random, _k: int) -> str:
    return f"{r.randint(1001, 99950):05d}"


VALUES: dict[str, Gen] = {
    "ssn": _ssn, "ssn9": lambda r, k: _ssn(r, k).replace("-", ""), "npi": _npi, "dob": _dob,
    "recent": _recent, "phone": _phone, "last": _last, "first": _first, "zip": _zip,
    "member": lambda r, k: f"M{r.randint(10**7, 10**8 - 1)}",
    "full": lambda r, k: f"{_last(r, k)}, {_first(r, k)}",
    "state": lambda r, k: r.choice(["TX", "CA", "NY", "OH"]),
    "seq5": lambda r, k: str(40100 + k),
    "seq10": lambda r, k: str(2345678900 + k),
    "rand10": lambda r, k: str(r.randint(10**9, 10**10 - 1)),
    "amount": lambda r, k: f"{r.randint(10, 900)}.{r.randint(0, 99):02d}",
    "email": lambda r, k: f"user{k}@example.org",
    "city": lambda r, k: r.choice(["Austin", "Dallas", "Houston"]),
    "junk": lambda r, k: r.choice(["N/A", "pending", "see chart", "unknown"]),
    "yn": lambda r, k: r.choice(["Y", "N", "N", "N"]),
}  # fmt: skip


def _table(cols: list[tuple[str, str]]) -> tuple[list[str], list[tuple[int, list[str | None]]]]:
    r = random.Random(11)
    rows = [(k + 2, [VALUES[v](r, k) for _h, v in cols]) for k in range(N)]
    return [h for h, _v in cols], rows  # type: ignore[misc]


NAMES = [("Pt Last", "last"), ("Pt First", "first"), ("DOB", "dob")]

# (id, columns (heading, values), column checked, expected (category, field) or None)
CASES: list[tuple[str, list[tuple[str, str]], str, tuple[str, str | None] | None]] = [
    # --- positives: heading variants seen in real exports -----------------------------
    ("pt-last", NAMES, "Pt Last", ("name", "last")),
    ("member-nbr", [*NAMES, ("MEMBER_NBR", "member")], "MEMBER_NBR", ("member_id", "member")),
    ("subscriber-hash", [*NAMES, ("Subscriber #", "member")], "Subscriber #",
     ("member_id", "subscriber")),
    ("dob-format", [("Pt Last", "last"), ("DOB (mm/dd/yyyy)", "dob")], "DOB (mm/dd/yyyy)",
     ("dob", None)),
    ("date-of-birth", [("Pt Last", "last"), ("Date Of Birth", "dob")], "Date Of Birth",
     ("dob", None)),
    ("social", [*NAMES, ("Social", "ssn")], "Social", ("ssn", None)),
    ("last-first", [("Last, First", "full"), ("DOB", "dob")], "Last, First", ("name", "full")),
    ("es-apellido", [("Apellido", "last"), ("Nombres", "first")], "Apellido", ("name", "last")),
    ("es-nacimiento", [("Apellido", "last"), ("Fecha de Nacimiento", "dob")],
     "Fecha de Nacimiento", ("dob", None)),
    ("es-telefono", [("Apellido", "last"), ("Teléfono", "phone")], "Teléfono", ("phone", None)),
    ("es-ssn", [("Apellido", "last"), ("Número de Seguro Social", "ssn")],
     "Número de Seguro Social", ("ssn", None)),
    ("es-zip", [("Apellido", "last"), ("Ciudad", "city"), ("Código Postal", "zip")],
     "Código Postal", ("address", "zip")),
    # A whole-name heading beside a surname column holds the given names.
    ("es-nombre-beside-apellido", [("Apellido", "last"), ("Nombre", "first")], "Nombre",
     ("name", "first")),
    ("name-beside-last-name", [("Last Name", "last"), ("Name", "first")], "Name",
     ("name", "first")),
    ("es-estado", [("Apellido", "last"), ("Ciudad", "city"), ("Estado", "state")], "Estado",
     ("address", "state")),
    ("npi-under-id", [("ID", "npi"), ("Last Name", "last")], "ID", ("provider", "npi")),
    ("zip-beside-state", [*NAMES, ("col_4", "state"), ("col_5", "zip")], "col_5",
     ("address", "zip")),
    ("phones-unlabelled", [*NAMES, ("col_4", "phone")], "col_4", ("phone", None)),
    # --- negatives: look-alike values and headings that are not personal data ---------
    ("npi-under-id-not-ssn", [("ID", "npi"), ("Last Name", "last")], "ID", ("provider", "npi")),
    ("service-date-not-dob", [*NAMES, ("Service Date", "dob")], "Service Date",
     ("service_date", None)),
    ("es-service-date-not-dob", [*NAMES, ("Fecha de Servicio", "dob")], "Fecha de Servicio",
     ("service_date", None)),
    ("admit-date-not-dob", [("Pt Last", "last"), ("Admit Date", "dob")], "Admit Date",
     ("service_date", None)),
    ("five-digit-ids-beside-state", [*NAMES, ("ST", "state"), ("ID", "seq5")], "ID", None),
    ("five-digit-unlabelled-alone", [*NAMES, ("col_4", "zip")], "col_4", None),
    # 10-digit numbers counting up (or under an "ID" heading) are record numbers, not phones
    ("sequential-ten-digit-account", [*NAMES, ("col_4", "seq10")], "col_4", ("mrn", None)),
    ("ten-digit-ids-under-id", [*NAMES, ("Record No", "rand10")], "Record No", None),
    ("phone-shaped-ids-under-id", [*NAMES, ("ID", "seq10")], "ID", ("mrn", None)),
    ("facility-phone", [*NAMES, ("Facility Phone", "phone")], "Facility Phone", None),
    ("ref-number", [*NAMES, ("Ref #", "npi")], "Ref #", None),
    ("claim-number-ssn-shaped", [*NAMES, ("Claim #", "ssn9")], "Claim #", None),
    ("employee-id", [*NAMES, ("Employee ID", "member")], "Employee ID", None),
    ("facility-zip", [*NAMES, ("Zip Code of Facility", "zip")], "Zip Code of Facility", None),
    ("amount", [*NAMES, ("Amount Billed", "amount")], "Amount Billed", None),
    ("ssn-heading-junk", [*NAMES, ("SSN", "junk")], "SSN", None),
    ("social-worker", [*NAMES, ("Social Worker", "full")], "Social Worker", None),
    ("staff-email", [("First Name", "first"), ("Department", "city"), ("Email", "email")],
     "Email", None),
    ("random-ten-under-id", [("ID", "rand10"), ("Note", "junk")], "ID", ("mrn", None)),
    # "Estado" is also a status; "Estado civil" a marital status.
    ("es-estado-status", [("Apellido", "last"), ("Estado", "junk")], "Estado", None),
    ("es-estado-civil", [("Apellido", "last"), ("Estado civil", "junk")], "Estado civil", None),
]  # fmt: skip


def test_a_whole_name_column_holding_the_surname_stays_whole() -> None:
    headers = ["Name", "Apellido", "DOB"]
    rows: list[tuple[int, list[str | None]]] = [
        (k + 2, [f"{first} {last}", last, "01/02/1960"])
        for k, (first, last) in enumerate([("José", "Ramírez"), ("Ana", "Ortega")] * 10)
    ]
    got = {c.header: (c.category, c.field) for c in plan_table(headers, rows, T).columns}
    assert got["Name"] == ("name", "full")


@pytest.mark.parametrize(("columns", "check", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_column_is_classified(
    columns: list[tuple[str, str]], check: str, expected: tuple[str, str | None] | None
) -> None:
    headers, rows = _table(columns)
    got = {c.header: (c.category, c.field) for c in plan_table(headers, rows, T).columns}
    assert got.get(check) == expected


def test_there_are_at_least_as_many_negatives_as_positives() -> None:
    ids = [c[0] for c in CASES]
    negatives = ids[ids.index("npi-under-id-not-ssn") :]
    assert len(negatives) >= len(ids) - len(negatives)


def test_service_dates_are_never_reported_as_birth_dates() -> None:
    headers, rows = _table([*NAMES, ("Service Date", "dob"), ("Visit Date", "recent")])
    _plan, found = detect_table(headers, rows, T)
    dobs = {f.column_name for f in found if f.category == "dob"}
    assert dobs == {"DOB"}


def test_heading_row_under_a_title_taken_as_the_heading() -> None:
    # Ingest took the report title for the heading; the real heading is row 5.
    title: list[list[str | None]] = [
        ["Run date: 2025-01-31", None, None],
        ["Confidential", None, None],
        [None, None, None],
        ["Member ID", "Member Name", "Date of Birth"],
    ]
    body: list[list[str | None]] = [[f"M{1000 + i}", "SMITH, JOHN", "03/14/1956"] for i in range(8)]
    sample = [(k + 2, r) for k, r in enumerate(title + body)]
    plan = plan_table(["Mercy Valley Health - Member Roster", "col_2", "col_3"], sample, T)
    assert plan.header_row_no == 5
    assert {c.header: c.category for c in plan.columns} == {
        "Member ID": "member_id", "Member Name": "name", "Date of Birth": "dob",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Pt Last", "name"), ("MEMBER_NBR", "member_id"), ("Subscriber #", "member_id"),
        ("DOB (mm/dd/yyyy)", "dob"), ("Date Of Birth", "dob"), ("Apellidos", "name"),
        ("Dirección", "address"), ("Correo electrónico", "email"), ("Sexo", "gender"),
        ("Num. Afiliado", "member_id"), ("Fecha de Defunción", "date_of_death"),
        # negatives
        ("Ref #", "skip"), ("Facility Address", "skip"), ("Clinic Zip", "skip"),
        ("Social Worker", "skip"), ("Employer Phone", "skip"), ("Claim #", "skip"),
        ("Batch Date", "date"), ("Member Since", None), ("Place of Birth", None),
        ("Birth Weight", "skip"), ("Phone Type", "skip"),
    ],
)  # fmt: skip
def test_heading_variants(heading: str, kind: str | None) -> None:
    assert classify_header(heading).kind == kind
