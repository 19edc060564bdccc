"""The vectorised column read gives exactly the findings of the per-cell readers.

``read_columns`` reads the clean shapes of a column in bulk (``detect/vector.py``) and
everything else per distinct value; both must agree with reading every cell on its own.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breachscope.detect import normalize
from breachscope.detect.columns import ColumnPlan, TablePlan
from breachscope.detect.findings import findings_from_batch
from breachscope.detect.table import READERS, _resolve, _safe_header, read_columns

T = dt.date(2025, 3, 1)

# (mode, category, field): every mode that has a fast path, and a few that do not.
PLANS = [
    ("ssn", "ssn", None), ("last4", "ssn_last4", None), ("date", "service_date", None),
    ("dob", "dob", None), ("death_date", "date_of_death", None), ("phone", "phone", None),
    ("email", "email", None), ("ident", "member_id", "member"), ("ident", "mrn", None),
    ("ident", "member_id", "medicare"), ("npi", "provider", "npi"), ("zip", "address", "zip"),
    ("state", "address", "state"), ("street", "address", "street"), ("text", "diagnosis", None),
    ("payer", "health_plan", None), ("line2", "address", "line2"),
    ("name_part", "name", "first"), ("provider_part", "provider", "name"),
    ("city", "address", "city"), ("gender", "gender", None), ("icd", "diagnosis", "icd10"),
]  # fmt: skip

VALUES = [
    # SSNs: valid, invalid area/group/serial, placeholders, repdigits, odd spacing
    "123-45-6780", "219456780", "000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567",
    "123-45-0000", "078-05-1120", "111-11-1111", "123 45 6780", " 219-45-6780", "219-45-6780 ",
    "2194-5-6780", "١٢٣-٤٥-٦٧٨٠", "XXX-XX-1234", "***-**-9876", "#1234", "x1234", "12345678",
    # dates: US, day-first, ISO, impossible, future, two-digit years, times, words
    "03/14/1956", "3/4/1956", "14/03/1956", "02/30/1990", "13/45/1990", "1899-12-31",
    "1956-03-14", "1956/3/4", "2030-01-01", "01/01/2026", "12/31/1899", "03/14/56",
    "03-14-1956", "03.14.1956", "1956-03-14T10:00", "March 14, 1956", "19560314", "0/0/2000",
    "12/12/2024", "02/29/2024", "02/29/2023", "1/1/1800", "1/1/2201", "01/01/1900",
    # phones
    "(617) 555-2368", "617-555-2368", "617.555.2368", "6175552368", "1-617-555-2368",
    "+1 617 555 2368", "16175552368", "(117) 555-2368", "(617) 155-2368", "(611) 555-2368",
    "222-222-2222", "617-555-2368 x12", "+44 20 7946 0958", "(617)555-2368", "1175552368",
    "617 5552368", "+1-617-555-2368",
    # e-mails
    "John.Doe@Example.COM", "a@b.co", "<a@b.co>", "mailto:a@b.co", "a@b", "a b@c.com",
    "o'neil+x@mail-host.org", "ü@example.com",
    # identifiers, MBIs, NPIs
    "xyz 123", "M123456789", "1EG4-TE5-MK73", "1EG4TE5MK73", "000", "0000", "AB", "A-1",
    "TBD", "none", "NULL", "1234567893", "1234567890", "2234567890", "3234567893",
    "123456789A", "  M12 ", "Ä123",
    # ZIPs and states
    "02110", "2110", "210", "00000", "000", "62701-1234", "62701 1234", "627011234",
    "TX", "tx", "Tx", "XX", "NA", "Texas", "T.X.", " TX",
    # names, streets, text
    "Smith", "O'Brien", "Mary-Jane", "De La Cruz", "St. John", "SMITH, JOHN", "Smith2",
    "Smith  Jr", "A", "Jo", "unknown", "N/A", "n/a", "None Given", "Not Available",
    "123 Main St", "123 Main St, Springfield, IL 62701", "9 Elm Ave Apt 2", "Line1\nLine2",
    "Aetna", "Blue Cross PPO", "12345", "E11.9", "e119", "I10", "Z99.99", "M", "F", "male",
    "x" * 70, "A" * 61, "word " * 50, "café", "tab\there", "-", "", "   ", "?", "0", "00",
    "\u00a0TX", "TX\u00a0", "Smith\u3000", "\x1cSmith",
]  # fmt: skip


def _reference(c: ColumnPlan, values: list[str | None]) -> set[tuple[object, ...]]:
    """Every cell read on its own, as the per-cell readers do."""
    label = f"column '{_safe_header(c.header)}'" if c.why.startswith("heading:") else "column 1"
    out = set()
    for k, v in enumerate(values):
        if not v:
            continue
        for cat, fld, value, conf, why in _resolve(
            READERS[c.mode], v, c, T, f"{label}: {c.why}", normalize.EMPTY
        ):
            out.add((k + 2, cat, fld, value, conf, why, c.header, c.subject))
    return out


def _vectorised(c: ColumnPlan, values: list[str | None]) -> set[tuple[object, ...]]:
    plan = TablePlan((c,), (c.header,))
    batch = read_columns(plan, [(k + 2, [v]) for k, v in enumerate(values)], T, "d", "f")
    return {
        (f.row_no, f.category, f.field, f.value, f.confidence, f.explanation, f.column_name,
         f.subject)
        for f in findings_from_batch(batch)
    }  # fmt: skip


def _plan(mode: str, cat: str, fld: str | None, order: str = "MDY") -> ColumnPlan:
    return ColumnPlan(0, "Col", cat, fld, mode, 0.9, "heading: test", date_order=order)


@pytest.mark.parametrize(("mode", "cat", "fld"), PLANS)
def test_vectorised_read_equals_per_cell_read(mode: str, cat: str, fld: str | None) -> None:
    values: list[str | None] = [*VALUES, None, *VALUES[:20]]  # repeats and a null
    c = _plan(mode, cat, fld)
    assert _vectorised(c, values) == _reference(c, values)


def test_day_first_columns_and_subjects() -> None:
    values: list[str | None] = ["14/03/1956", "03/04/1956", "3/4/2020", "31/12/1999"]
    c = _plan("dob", "dob", None, order="DMY")
    assert _vectorised(c, values) == _reference(c, values)
    c2 = ColumnPlan(0, "Sub Last", "name", "last", "name_part", 0.9, "x", subject="subscriber")
    assert _vectorised(c2, ["Smith", "Lee"]) == _reference(c2, ["Smith", "Lee"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet="0123456789-/ ().+xX#@aAzZ,é\u00a0", max_size=16), min_size=1, max_size=30
    ),
    st.sampled_from(PLANS),
)
def test_vectorised_read_equals_per_cell_read_on_random_cells(
    values: list[str], plan: tuple[str, str, str | None]
) -> None:
    c = _plan(*plan)
    cells: list[str | None] = list(values)
    assert _vectorised(c, cells) == _reference(c, cells)


def test_arrow_rows_read_like_python_rows() -> None:
    import pyarrow as pa

    from breachscope.detect.columns import plan_table

    rows: list[tuple[int, list[str | None]]] = [
        (1, ["Report", None]),
        (2, ["SSN", "DOB", "Phone"]),
        (3, ["123-45-6780", "03/14/1956", "(617) 555-2368"]),
        (4, ["219-45-6780", None]),  # a short row
        (5, []),
        (6, ["N/A", "1/2/1990", "617.555.2368", "extra cell"]),
    ]
    plan = plan_table(["col_1", "col_2", "col_3"], rows, T)
    table = pa.table(
        {"row_no": pa.array([r for r, _ in rows], pa.int32()),
         "cells": pa.array([c for _, c in rows], pa.list_(pa.string()))}
    )  # fmt: skip

    def key(batch: dict[str, list[object]]) -> set[tuple[object, ...]]:
        return {(f.row_no, f.category, f.value, f.explanation) for f in findings_from_batch(batch)}

    from_python = key(read_columns(plan, rows, T))
    assert from_python == key(read_columns(plan, table, T))
    assert from_python == key(read_columns(plan, table.slice(1).to_batches()[0], T))
    assert {(r, c) for r, c, _v, _w in from_python} >= {(3, "ssn"), (4, "ssn"), (6, "phone")}
