"""The detect stage on a tiny store: findings written, idempotent, incremental, no PHI logged."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import duckdb
import pytest

from breachscope.case import Case, Incident, ReportingEntity, Settings
from breachscope.categories import ALL_KINDS, ELEMENT_SET
from breachscope.detect import run_detect
from breachscope.store import connect

NOTE = "Patient: Maria Garcia\nDOB: 05/06/1990\nSSN: 219-45-6780\nDiagnosis: J45.909 asthma\n"


def _case(tmp_path: Path, workers: int = 1) -> Case:
    return Case(
        path=tmp_path / "case.toml",
        evidence=tmp_path,
        incident=Incident("test", dt.date(2025, 2, 6), None, None),
        reporting_entity=ReportingEntity("Vendor", "business_associate"),
        clients=(),
        settings=Settings(workers=workers),
    )


def _store(tmp_path: Path, n_text: int = 2) -> duckdb.DuckDBPyConnection:
    con = connect(tmp_path / "case.duckdb")
    con.execute(
        "INSERT INTO files (file_id, path, depth, status, reason, sha256) VALUES "
        "('f1', 'roster.csv', 0, 'processed', '', 'h1'), ('f2', 'notes.txt', 0, 'processed', '', 'h2'), "
        "('f3', 'broken.pdf', 0, 'failed', 'corrupt', 'h3')"
    )
    con.execute(
        "INSERT INTO documents VALUES ('f1:0', 'f1', 0, 'table', 'sheet 1', NULL, 'Sheet1', NULL, "
        "['Last Name', 'First Name', 'DOB', 'SSN', 'Zip', 'Dx'], 1, 3)"
    )
    rows = [
        ["SMITH", "JOHN", "03/14/1956", "123-45-6780", "62704", "E11.9"],
        ["DOE", "JANE", "1980-07-04", "912-70-1234", "02110", "I10"],
        ["LEE", "ANN", "not a date", "219-45-6780", "", ""],
    ]
    con.executemany(
        "INSERT INTO table_rows VALUES ('f1:0', ?, ?)", [(i + 2, r) for i, r in enumerate(rows)]
    )
    con.executemany(
        "INSERT INTO documents VALUES (?, 'f2', ?, 'text', ?, ?, NULL, ?, NULL, NULL, NULL)",
        [(f"f2:{k}", k, f"page {k + 1}", k + 1, NOTE) for k in range(n_text)],
    )
    return con


def test_findings_written_with_contract_columns(tmp_path: Path) -> None:
    con = _store(tmp_path)
    counts = run_detect(_case(tmp_path), con)
    assert counts["files"] == 2 and counts["documents"] == 3 and counts["failed_documents"] == 0
    rows = con.execute(
        "SELECT finding_id, doc_id, file_id, row_no, column_name, page, start_char, end_char, "
        "category, field, value, subject, confidence, detector, explanation FROM findings"
    ).fetchall()
    assert len(rows) == counts["findings"] > 0
    for (
        fid,
        doc_id,
        file_id,
        row_no,
        col,
        page,
        s,
        e,
        cat,
        _fld,
        value,
        _subj,
        conf,
        det,
        why,
    ) in rows:
        assert (
            fid
            and doc_id.startswith(file_id)
            and cat in ALL_KINDS
            and 0 < conf <= 1
            and det
            and why
        )
        if file_id == "f1":
            assert row_no is not None and col is not None and s is None
        else:
            assert page is not None and s is not None and e is not None and row_no is None
        assert value not in why
    got = {(r[2], r[3], r[8], r[9], r[10]) for r in rows}
    assert ("f1", 2, "ssn", None, "123456780") in got
    assert ("f1", 2, "name", "last", "SMITH") in got
    assert ("f1", 3, "dob", None, "1980-07-04") in got
    assert not [r for r in rows if r[2] == "f1" and r[3] == 3 and r[8] == "ssn"]  # ITIN
    assert ("f2", None, "ssn", None, "219456780") in got
    cats = {r[8] for r in rows}
    assert {"name", "dob", "ssn", "diagnosis", "address"} <= cats <= ALL_KINDS
    assert (
        cats
        - {
            "service_date",
            "other_date",
            "gender",
            "organization",
            "deceased",
            "ssn_last4",
            "date_of_death",
        }
        <= ELEMENT_SET
    )
    n = dict(con.execute("SELECT file_id, n_findings FROM files").fetchall())
    assert n["f1"] + n["f2"] == counts["findings"]
    assert n["f3"] in (None, 0)


def test_rerun_is_idempotent_and_incremental(tmp_path: Path) -> None:
    con = _store(tmp_path)
    case = _case(tmp_path)
    first = run_detect(case, con)
    ids = sorted(r[0] for r in con.execute("SELECT finding_id FROM findings").fetchall())
    again = run_detect(case, con)
    assert again["files"] == 0 and again["findings"] == 0
    assert sorted(r[0] for r in con.execute("SELECT finding_id FROM findings").fetchall()) == ids
    # a changed file is redone; its old findings are replaced, not duplicated
    con.execute("UPDATE files SET sha256 = 'h2-new' WHERE file_id = 'f2'")
    redo = run_detect(case, con)
    assert redo["files"] == 1
    assert sorted(r[0] for r in con.execute("SELECT finding_id FROM findings").fetchall()) == ids
    # a forced full re-run (markers dropped) gives the same ids
    con.execute("DELETE FROM detect_done")
    full = run_detect(case, con)
    assert full["findings"] == first["findings"]
    assert sorted(r[0] for r in con.execute("SELECT finding_id FROM findings").fetchall()) == ids
    # documents removed by a new ingest take their findings with them
    con.execute("DELETE FROM documents WHERE file_id = 'f2'")
    run_detect(case, con)
    assert con.execute("SELECT count(*) FROM findings WHERE file_id = 'f2'").fetchone() == (0,)


def test_no_phi_in_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    con = _store(tmp_path)
    with caplog.at_level(logging.DEBUG, logger="breachscope"):
        run_detect(_case(tmp_path), con)
    for canary in ("Garcia", "219-45-6780", "219456780", "SMITH", "1956"):
        assert canary not in caplog.text


@pytest.mark.slow
def test_process_pool_gives_the_same_findings(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    con_a, con_b = _store(a, n_text=60), _store(b, n_text=60)
    run_detect(_case(a, workers=1), con_a)
    run_detect(_case(b, workers=2), con_b)
    q = "SELECT finding_id, category, field, value FROM findings ORDER BY 1"
    assert con_a.execute(q).fetchall() == con_b.execute(q).fetchall()
