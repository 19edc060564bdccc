"""Linking findings into mentions: table rows, subject groups, text streams."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import duckdb
import pytest

import breachscope.link.stage as stage
from breachscope.case import Case, Client, Incident, ReportingEntity
from breachscope.link import run_link
from breachscope.store import connect, fetch_dicts

_ids = itertools.count(1)


def make_case(tmp_path: Path) -> Case:
    return Case(
        path=tmp_path / "case.toml",
        evidence=tmp_path / "evidence",
        incident=Incident("x", dt.date(2025, 2, 6), dt.date(2025, 1, 27), dt.date(2025, 2, 6)),
        reporting_entity=ReportingEntity("Vendor", "business_associate"),
        clients=(
            Client("mercy", "Mercy Valley Health System", "provider", True, ("mercy/**",)),
            Client(
                "acme-plan",
                "Acme Health Plan",
                "health_plan",
                True,
                ("acme/**",),
                org_names=("Acme Health",),
                org_ids=("H1234",),
            ),
        ),
    )


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    return connect(tmp_path / "case.duckdb")


def add_file(con: duckdb.DuckDBPyConnection, file_id: str, path: str, clients: list[str]) -> None:
    con.execute(
        "INSERT INTO files (file_id, path, depth, status, reason, client_ids) VALUES (?, ?, 0, 'processed', '', ?)",
        [file_id, path, clients],
    )


def add_doc(
    con: duckdb.DuckDBPyConnection,
    doc_id: str,
    file_id: str,
    seq: int,
    kind: str,
    locator: str,
    page: int | None = None,
) -> None:
    con.execute(
        "INSERT INTO documents (doc_id, file_id, seq, kind, locator, page) VALUES (?, ?, ?, ?, ?, ?)",
        [doc_id, file_id, seq, kind, locator, page],
    )


def cell(
    con: duckdb.DuckDBPyConnection,
    doc_id: str,
    row_no: int,
    category: str,
    value: str,
    field: str | None = None,
    subject: str | None = None,
) -> None:
    file_id = doc_id.split(":")[0]
    con.execute(
        "INSERT INTO findings (finding_id, doc_id, file_id, row_no, column_name, category, field, value, subject, confidence, detector, explanation) "
        "VALUES (?, ?, ?, ?, 'c', ?, ?, ?, ?, 0.9, 'table.column', 'test')",
        [f"f{next(_ids)}", doc_id, file_id, row_no, category, field, value, subject],
    )


def span(
    con: duckdb.DuckDBPyConnection,
    doc_id: str,
    start: int,
    category: str,
    value: str,
    field: str | None = None,
    detector: str = "text.pattern",
    subject: str | None = None,
    length: int | None = None,
) -> None:
    file_id = doc_id.split(":")[0]
    end = start + (length if length is not None else len(value))
    con.execute(
        "INSERT INTO findings (finding_id, doc_id, file_id, start_char, end_char, category, field, value, subject, confidence, detector, explanation) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0.9, ?, 'test')",
        [f"f{next(_ids)}", doc_id, file_id, start, end, category, field, value, subject, detector],
    )


def mentions(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return fetch_dicts(con, "SELECT * FROM mentions ORDER BY row_no, last_name, first_name")


def test_table_rows_one_mention_each(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    add_file(con, "F1", "mercy/roster.csv", ["mercy"])
    add_doc(con, "F1:1", "F1", 1, "table", "sheet 1")
    for r, (first, last, dob, ssn) in enumerate(
        [
            ("John", "Smith", "1960-01-02", "123456789"),
            ("Mary", "Jones", "1970-03-04", "987654321"),
        ],
        start=2,
    ):
        cell(con, "F1:1", r, "name", first, "first")
        cell(con, "F1:1", r, "name", last, "last")
        cell(con, "F1:1", r, "dob", dob)
        cell(con, "F1:1", r, "ssn", ssn)
        cell(con, "F1:1", r, "diagnosis", "E11.9")
        cell(con, "F1:1", r, "address", "12 Oak St", "street")
        cell(con, "F1:1", r, "address", "62704", "zip")
    # a row of only codes is not a person
    cell(con, "F1:1", 4, "diagnosis", "I10")
    cell(con, "F1:1", 4, "procedure", "99213")
    stats = run_link(make_case(tmp_path), con)
    ms = mentions(con)
    assert stats["mentions"] == 2 and len(ms) == 2
    john = next(m for m in ms if m["first_name"] == "John")
    assert john["last_name"] == "Smith"
    assert john["dob"] == dt.date(1960, 1, 2)
    assert john["ssn"] == "123456789"
    assert john["zip"] == "62704" and john["street"] == "12 Oak St"
    assert john["client_ids"] == ["mercy"]
    assert john["row_no"] == 2 and john["path"] == "mercy/roster.csv"
    assert john["locator"] == "sheet 1"
    assert set(john["elements"]) == {"name", "dob", "ssn", "diagnosis", "address"}
    links = con.execute(
        "SELECT count(*) FROM finding_mentions WHERE mention_id = ?", [john["mention_id"]]
    ).fetchone()
    assert links is not None and links[0] == 7
    # stable across re-runs, and the stage replaces its output
    run_link(make_case(tmp_path), con)
    again = mentions(con)
    assert [m["mention_id"] for m in again] == [m["mention_id"] for m in ms]


def test_subscriber_and_dependent_are_two_mentions(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    add_file(con, "F2", "acme/claims.csv", ["acme-plan"])
    add_doc(con, "F2:1", "F2", 1, "table", "sheet 1")
    cell(con, "F2:1", 2, "name", "Robert", "first", "subscriber")
    cell(con, "F2:1", 2, "name", "Brown", "last", "subscriber")
    cell(con, "F2:1", 2, "dob", "1965-05-05", subject="subscriber")
    cell(con, "F2:1", 2, "member_id", "ACM100", subject="subscriber")
    cell(con, "F2:1", 2, "name", "Lily", "first", "dependent")
    cell(con, "F2:1", 2, "name", "Brown", "last", "dependent")
    cell(con, "F2:1", 2, "dob", "2012-06-07", subject="dependent")
    cell(con, "F2:1", 2, "diagnosis", "J45.909")  # row-level: the patient's
    cell(con, "F2:1", 2, "health_plan", "Acme Gold PPO")  # shared
    cell(con, "F2:1", 2, "organization", "H1234")
    run_link(make_case(tmp_path), con)
    ms = {m["first_name"]: m for m in mentions(con)}
    assert set(ms) == {"Robert", "Lily"}
    assert ms["Lily"]["dob"] == dt.date(2012, 6, 7)
    assert ms["Robert"]["dob"] == dt.date(1965, 5, 5)
    assert "diagnosis" in ms["Lily"]["elements"]
    assert "diagnosis" not in ms["Robert"]["elements"]
    assert "health_plan" in ms["Robert"]["elements"] and "health_plan" in ms["Lily"]["elements"]
    assert ms["Robert"]["member_id"] == "ACM100" and ms["Lily"]["member_id"] is None
    assert ms["Lily"]["client_ids"] == ["acme-plan"]


def test_self_insured_subscriber_is_the_patient(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    add_file(con, "F9", "acme/claims.csv", ["acme-plan"])
    add_doc(con, "F9:1", "F9", 1, "table", "sheet 1")
    cell(con, "F9:1", 2, "name", "ALBERT", "first", "subscriber")
    cell(con, "F9:1", 2, "name", "SMITH", "last", "subscriber")
    cell(con, "F9:1", 2, "member_id", "ACM200", subject="subscriber")
    cell(con, "F9:1", 2, "name", "Albert", "first", "patient")
    cell(con, "F9:1", 2, "name", "Smith", "last", "patient")
    cell(con, "F9:1", 2, "dob", "1939-12-24", subject="patient")
    cell(con, "F9:1", 2, "diagnosis", "I10")
    # Same surname, different first name: the dependant stays a person of their own.
    cell(con, "F9:1", 3, "name", "Albert", "first", "subscriber")
    cell(con, "F9:1", 3, "name", "Smith", "last", "subscriber")
    cell(con, "F9:1", 3, "name", "Rose", "first", "patient")
    cell(con, "F9:1", 3, "name", "Smith", "last", "patient")
    run_link(make_case(tmp_path), con)
    rows = {(m["row_no"], m["first_name"].upper()): m for m in mentions(con)}
    assert set(rows) == {(2, "ALBERT"), (3, "ALBERT"), (3, "ROSE")}
    one = rows[(2, "ALBERT")]
    assert one["member_id"] == "ACM200" and one["dob"] == dt.date(1939, 12, 24)
    assert {"diagnosis", "member_id", "dob", "name"} <= set(one["elements"])


def test_organization_attributes_client(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    add_file(con, "F3", "shared/export.csv", [])
    add_doc(con, "F3:1", "F3", 1, "table", "sheet 1")
    cell(con, "F3:1", 2, "name", "Ann Lee", "full")
    cell(con, "F3:1", 2, "dob", "1980-01-01")
    cell(con, "F3:1", 2, "organization", "ACME HEALTH")
    cell(con, "F3:1", 3, "name", "Bo Diaz", "full")
    cell(con, "F3:1", 3, "dob", "1981-01-01")
    cell(con, "F3:1", 3, "organization", "Mercy Valley Health System")
    run_link(make_case(tmp_path), con)
    ms = {m["last_name"]: m for m in mentions(con)}
    assert ms["Lee"]["client_ids"] == ["acme-plan"]
    assert ms["Diaz"]["client_ids"] == ["mercy"]
    assert ms["Lee"]["first_name"] == "Ann"


def test_two_patients_in_one_note(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    add_file(con, "T1", "mercy/note.txt", ["mercy"])
    add_doc(con, "T1:1", "T1", 1, "text", "body")
    d = "T1:1"
    span(con, d, 0, "name", "John Smith", "full", "text.label")
    span(con, d, 30, "dob", "1960-01-02")
    span(con, d, 50, "diagnosis", "E11.9")
    span(con, d, 60, "provider", "Dr. Adams")
    span(con, d, 100, "name", "Mary Jones", "full", "text.label")
    span(con, d, 130, "dob", "1970-03-04")
    span(con, d, 150, "medication", "metformin")
    run_link(make_case(tmp_path), con)
    ms = {m["last_name"]: m for m in mentions(con)}
    assert set(ms) == {"Smith", "Jones"}
    assert ms["Smith"]["dob"] == dt.date(1960, 1, 2)
    assert set(ms["Smith"]["elements"]) == {"name", "dob", "diagnosis", "provider"}
    assert set(ms["Jones"]["elements"]) == {"name", "dob", "medication"}


def test_chart_across_pages(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    add_file(con, "T2", "mercy/chart.pdf", ["mercy"])
    for p in (1, 2, 3):
        add_doc(con, f"T2:{p}", "T2", p, "text", f"page {p}", page=p)
    span(con, "T2:1", 0, "mrn", "MRN0001")  # header field before the name
    span(con, "T2:1", 20, "name", "Smith", "last", "text.label")
    span(con, "T2:1", 27, "name", "John", "first", "text.label")
    span(con, "T2:1", 50, "dob", "1960-01-02")
    span(con, "T2:2", 10, "test_result", "A1c 7.2")
    span(con, "T2:3", 0, "name", "John Smith", "full", "text.label")  # repeated header
    span(con, "T2:3", 40, "imaging", "CT chest")
    run_link(make_case(tmp_path), con)
    ms = mentions(con)
    assert len(ms) == 1
    m = ms[0]
    assert (m["first_name"], m["last_name"], m["mrn"]) == ("John", "Smith", "MRN0001")
    assert {"test_result", "imaging", "mrn", "dob", "name"} <= set(m["elements"])
    assert m["page"] == 1 and m["locator"] == "page 1"


def test_letter_addressee_and_salutation(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    add_file(con, "T3", "acme/letters.docx", ["acme-plan"])
    add_doc(con, "T3:1", "T3", 1, "text", "body")
    d = "T3:1"
    span(con, d, 0, "name", "Jane Q. Doe", "full", "text.addressee")
    span(con, d, 12, "address", "5 Elm St, Springfield, IL 62704", "full")
    span(con, d, 60, "name", "Ms. Doe", "full", "text.salutation")
    span(con, d, 90, "member_id", "XZ998877")
    run_link(make_case(tmp_path), con)
    ms = mentions(con)
    assert len(ms) == 1
    m = ms[0]
    assert (m["first_name"], m["middle_name"], m["last_name"]) == ("Jane", "Q", "Doe")
    assert (m["city"], m["state"], m["zip"]) == ("Springfield", "IL", "62704")
    assert m["member_id"] == "XZ998877"


def test_provider_names_are_not_subjects(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    add_file(con, "T4", "mercy/memo.txt", ["mercy"])
    add_doc(con, "T4:1", "T4", 1, "text", "body")
    span(con, "T4:1", 0, "provider", "Dr. Gregory House")
    span(con, "T4:1", 30, "provider", "1234567893", field="npi")
    span(con, "T4:1", 60, "other_date", "2025-01-01")
    run_link(make_case(tmp_path), con)
    assert mentions(con) == []


def test_namesake_in_text_roster_is_forked(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    add_file(con, "T5", "mercy/list.pdf", ["mercy"])
    add_doc(con, "T5:1", "T5", 1, "text", "page 1", page=1)
    span(con, "T5:1", 0, "name", "John Smith", "full", "text.label")
    span(con, "T5:1", 20, "dob", "1960-01-02")
    span(con, "T5:1", 40, "name", "John Smith", "full", "text.label")
    span(con, "T5:1", 60, "dob", "1999-09-09")
    run_link(make_case(tmp_path), con)
    dobs = sorted(m["dob"] for m in mentions(con))
    assert dobs == [dt.date(1960, 1, 2), dt.date(1999, 9, 9)]


def test_empty_store(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    assert run_link(make_case(tmp_path), con)["mentions"] == 0


# --- streaming: tiny batches (file ranges, reads, writes) give the same tables


def _build(con: duckdb.DuckDBPyConnection) -> None:
    """Several files of both kinds, a file without findings, and a sheet title."""
    for i in range(6):
        fid = f"T{i}"
        add_file(con, fid, f"mercy/roster{i}.csv", ["mercy"])
        add_doc(con, f"{fid}:1", fid, 1, "table", "sheet 1")
        for r in range(2, 5):
            cell(con, f"{fid}:1", r, "name", f"Ann{i}{r}", "first")
            cell(con, f"{fid}:1", r, "name", f"Lee{i}", "last")
            cell(con, f"{fid}:1", r, "dob", f"19{60 + r}-01-0{i + 1}")
            cell(con, f"{fid}:1", r, "diagnosis", "E11.9")
    add_file(con, "E0", "mercy/empty.csv", ["mercy"])
    add_doc(con, "E0:1", "E0", 1, "table", "sheet 1")
    for i in range(4):
        fid = f"X{i}"
        add_file(con, fid, f"acme/note{i}.txt", [])
        add_doc(con, f"{fid}:1", fid, 1, "text", "page 1", page=1)
        add_doc(con, f"{fid}:2", fid, 2, "text", "page 2", page=2)
        span(con, f"{fid}:1", 0, "name", f"John Smith{i}", "full", "text.name")
        span(con, f"{fid}:1", 30, "ssn", f"12345678{i}")
        span(con, f"{fid}:2", 5, "dob", "1970-02-03")
        span(con, f"{fid}:2", 40, "name", f"Mary Jones{i}", "full", "text.name")
        span(con, f"{fid}:2", 70, "mrn", f"MRN{i}")
    # A row-less cell of a sheet: context for every row of it.
    add_file(con, "S0", "acme/plan.xlsx", [])
    add_doc(con, "S0:1", "S0", 1, "table", "sheet Members")
    cell(con, "S0:1", 2, "name", "Zed", "first")
    cell(con, "S0:1", 2, "name", "Ray", "last")
    cell(con, "S0:1", 2, "member_id", "H1")
    cell(con, "S0:1", 1, "organization", "Acme Health")
    con.execute(
        "UPDATE findings SET row_no = NULL WHERE doc_id = 'S0:1' AND category = 'organization'"
    )


def _tables(con: duckdb.DuckDBPyConnection) -> tuple[list[Any], list[Any]]:
    ms = con.execute("SELECT * FROM mentions ORDER BY mention_id").fetchall()
    fm = con.execute("SELECT * FROM finding_mentions ORDER BY finding_id, mention_id").fetchall()
    return ms, fm


def test_tiny_batches_give_the_same_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    con = connect(tmp_path / "case.duckdb")
    _build(con)
    case = make_case(tmp_path)
    whole = run_link(case, con)
    expected = _tables(con)
    assert whole["mentions"] > 20 and len(expected[0]) == whole["mentions"]

    monkeypatch.setattr(stage, "_SORT_BATCH", 5)
    monkeypatch.setattr(stage, "_READ_BATCH", 3)
    monkeypatch.setattr(stage, "_WRITE_MENTIONS", 2)
    monkeypatch.setattr(stage, "_WRITE_LINKS", 3)
    assert len(stage._file_ranges(con.cursor())) > 5
    streamed = run_link(case, con)
    assert streamed == whole
    assert _tables(con) == expected
    # A re-run replaces, never duplicates.
    assert run_link(case, con) == whole
    assert _tables(con) == expected


def test_a_document_the_merge_misses_is_looked_up(tmp_path: Path) -> None:
    con = connect(tmp_path / "case.duckdb")
    add_file(con, "A1", "mercy/a.csv", ["mercy"])
    add_file(con, "B1", "mercy/b.csv", ["mercy"])
    add_doc(con, "B1:1", "B1", 1, "table", "sheet 1")
    cell(con, "B1:1", 2, "name", "Ann", "first")
    cell(con, "B1:1", 2, "name", "Lee", "last")
    cell(con, "B1:1", 2, "dob", "1960-01-01")
    # findings filed under another file than their document's
    con.execute("UPDATE findings SET file_id = 'A1'")
    stats = run_link(make_case(tmp_path), con)
    assert stats["mentions"] == 1
    row = con.execute("SELECT path, locator FROM mentions").fetchone()
    assert row == ("mercy/b.csv", "sheet 1")
