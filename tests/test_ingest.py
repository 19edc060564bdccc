"""Ingest: every format, every bad kind, row numbers, idempotent re-runs. Synthetic data only."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import random
import shutil
import subprocess
import time
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from breachscope.case import Case, Client, Incident, ReportingEntity, Settings
from breachscope.ingest import IngestOptions, Limits, run_ingest
from breachscope.ingest.emit import Emitter
from breachscope.ingest.registry import _REGISTERED, ReadContext, Source
from breachscope.ingest.sniff import sniff
from breachscope.store.db import connect, stable_id

CANARY_SSN = "078-05-1120"  # the famous specimen SSN: never valid, never a real person

# --------------------------------------------------------------------------- helpers


def make_case(root: Path, passwords: tuple[str, ...] = (), workers: int = 2) -> Case:
    (root / "evidence").mkdir(parents=True, exist_ok=True)
    return Case(
        path=root / "case.toml",
        evidence=root / "evidence",
        incident=Incident("test", dt.date(2025, 2, 6), None, None),
        reporting_entity=ReportingEntity("Example Coding Services", "business_associate"),
        clients=(
            Client("mercy", "Mercy Valley", "provider", True, ("mercy/**",)),
            Client("plan", "Blue Plan", "health_plan", True, ("plan/**",)),
        ),
        settings=Settings(workers=workers, passwords=passwords, encrypt=False),
    )


def put(case: Case, files: dict[str, bytes | str]) -> None:
    for rel, data in files.items():
        p = case.evidence / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            p.write_text(data, encoding="utf-8")
        else:
            p.write_bytes(data)


def ingest(case: Case, con: duckdb.DuckDBPyConnection, **opts: Any) -> dict[str, int]:
    summary: dict[str, int] = run_ingest(case, con, options=IngestOptions(**opts))
    return summary


def file_row(con: duckdb.DuckDBPyConnection, path: str) -> dict[str, Any]:
    cur = con.execute("SELECT * FROM files WHERE path = ?", [path])
    cols = [d[0] for d in cur.description or []]
    row = cur.fetchone()
    assert row is not None, f"{path} not in files"
    return dict(zip(cols, row, strict=True))


def docs(con: duckdb.DuckDBPyConnection, path: str) -> list[dict[str, Any]]:
    cur = con.execute("SELECT * FROM documents WHERE file_id = ? ORDER BY seq", [stable_id(path)])
    cols = [d[0] for d in cur.description or []]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def rows(con: duckdb.DuckDBPyConnection, doc_id: str) -> list[tuple[int, list[str | None]]]:
    return [
        (int(r[0]), list(r[1]))
        for r in con.execute(
            "SELECT row_no, cells FROM table_rows WHERE doc_id = ? ORDER BY row_no", [doc_id]
        ).fetchall()
    ]


def table_of(
    con: duckdb.DuckDBPyConnection, path: str, locator: str | None = None
) -> dict[str, Any]:
    for d in docs(con, path):
        if d["kind"] == "table" and (locator is None or d["locator"] == locator):
            return d
    raise AssertionError(f"no table document for {path} {locator or ''}")


# --------------------------------------------------------------------------- sample makers


def make_xlsx() -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    date_fmt = wb.add_format({"num_format": "mm/dd/yyyy"})
    ws = wb.add_worksheet("Members")
    ws.write(0, 0, "Mercy Valley Health - Member Roster")
    ws.write(1, 0, "Run date")
    ws.write(1, 1, "01/15/2025")
    # Row 4 (index 3) blank; header on spreadsheet row 5.
    ws.write_row(4, 0, ["First Name", "Last Name", "SSN", "DOB", "ZIP", "Balance"])
    ws.write_row(5, 0, ["Ann", "Lee", 78051120, None, 2134, 12.5])
    ws.write_datetime(5, 3, dt.datetime(1980, 1, 2), date_fmt)
    # Row 7 (index 6) blank: skipped but counted.
    ws.write_row(7, 0, ["Bob", "Ray", 219099999, None, 30301, 0])
    ws.write_datetime(7, 3, dt.datetime(1975, 3, 4), date_fmt)
    ws2 = wb.add_worksheet("Claims")
    ws2.write_row(0, 0, ["Member ID", "Claim", "Dx"])
    ws2.write_row(1, 0, ["MBR0001", "C-1", "E11.9"])
    ws2.write_row(2, 0, ["MBR0002", "C-2", "I10"])
    wb.close()
    return buf.getvalue()


def make_pdf(pages: list[str], encrypt: str | None = None) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt)
    for text in pages:
        y = 800
        for line in text.splitlines():
            c.drawString(72, y, line)
            y -= 14
        c.showPage()
    c.save()
    return buf.getvalue()


def make_image_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(100, 100, 200, 200, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()


def make_docx() -> bytes:
    import docx

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Confidential - Mercy Valley"
    d.sections[0].footer.paragraphs[0].text = "Page footer text"
    d.add_paragraph("Patient: Ann Lee")
    d.add_paragraph("Diagnosis: type 2 diabetes")
    t = d.add_table(rows=2, cols=3)
    for j, v in enumerate(["Name", "DOB", "MRN"]):
        t.cell(0, j).text = v
    for j, v in enumerate(["Ann Lee", "1980-01-02", "MRN-0042"]):
        t.cell(1, j).text = v
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def make_zip(members: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def flag_encrypted(data: bytes) -> bytes:
    """Set the 'encrypted' bit on every local and central header of a zip."""
    b = bytearray(data)
    for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = b.find(sig)
        while i != -1:
            b[i + off] |= 0x1
            i = b.find(sig, i + 4)
    return bytes(b)


# --------------------------------------------------------------------------- the evidence set

ROSTER_CSV = (
    "Mercy Valley Health - Member Roster\n"
    "Run date: 2025-01-15\n"
    "\n"
    "First Name,Last Name,SSN,DOB,ZIP\n"
    f"Ann,Lee,{CANARY_SSN},1980-01-02,02134\n"
    "\n"
    'Bob,"Ray\nJr",219-09-9999,1975-03-04,30301\n'
    "Cal,Poe,123-45-6789,1990-05-06,10001,extra1,extra2\n"
    "Dee,Fox\n"
)


def evidence_set() -> dict[str, bytes | str]:
    return {
        "mercy/roster.csv": ROSTER_CSV,
        "mercy/claims.tsv": "\ufeffMember ID\tName\tDOS\tAmount\nMBR0001\tAnn Lee\t2025-01-02\t100.00\n",
        "mercy/pipe_cp1252.psv": "Name|City|Phone\nJosé Núñez|Boston|617-555-0100\n".encode(
            "cp1252"
        ),
        "mercy/semi.csv": "Name;DOB;Member\nAnn Lee;1980-01-02;A100\nBob Ray;1975-03-04;A101\n",
        "mercy/noheader.csv": "Ann,Lee,078-05-1120,1980-01-02\nBob,Ray,219-09-9999,1975-03-04\n",
        "mercy/tab_export.txt": "Name\tSSN\tDOB\nAnn Lee\t078051120\t01/02/1980\nBob Ray\t219099999\t03/04/1975\n",
        "mercy/export_noext": "MRN,Name,DOB\nM1,Ann Lee,1980-01-02\nM2,Bob Ray,1975-03-04\n",
        "mercy/members.xlsx": make_xlsx(),
        "mercy/chart.pdf": make_pdf(["Patient: Ann Lee", "Page two\nDOB 01/02/1980", "Page three"]),
        "mercy/report.csv": make_pdf(["A PDF named .csv"]),
        "mercy/scan.pdf": make_image_pdf(),
        "mercy/locked.pdf": make_pdf(["secret page"], encrypt="s3cret"),
        "mercy/note.docx": make_docx(),
        "mercy/notes.txt": "Called patient Ann Lee about her claim.\nAll good.\n",
        "plan/batch.zip": make_zip(
            {
                "docs/a.txt": "inside the zip",
                "inner.zip": make_zip({"c.csv": "Name,SSN\nAnn Lee,078051120\n"}),
                "../evil.txt": "x",
                "/abs.txt": "x",
                "empty.txt": "",
            }
        ),
        "plan/locked.zip": flag_encrypted(make_zip({"a.csv": "a,b\n1,2\n"}, zipfile.ZIP_STORED)),
        "plan/bomb.zip": make_zip({"zeros.txt": b"\0" * (3 << 20)}),
        "bad/empty.csv": b"",
        "bad/corrupt.pdf": b"%PDF-1.4\n" + b"\x8f garbage \x00" * 100,
        "bad/junk.csv": bytes(range(256)) * 40,
        "bad/blob.bin": bytes(range(256)) * 40,
        "bad/truncated.zip": make_zip({"a.txt": random.Random(1).randbytes(8000)})[:4000],
        "bad/image.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 100,
    }


SMALL_LIMITS = Limits(ratio_floor=1 << 20, max_ratio=100.0)


@pytest.fixture(scope="module")
def ingested(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Case, duckdb.DuckDBPyConnection, dict[str, int]]:
    root = tmp_path_factory.mktemp("case")
    case = make_case(root)
    put(case, evidence_set())
    con = connect(case.store_path)
    summary = ingest(case, con, limits=SMALL_LIMITS)
    return case, con, summary


# --------------------------------------------------------------------------- inventory


def test_every_file_and_member_is_accounted_for(ingested: Any) -> None:
    case, con, summary = ingested
    paths = {r[0] for r in con.execute("SELECT path FROM files").fetchall()}
    on_disk = {
        p.relative_to(case.evidence).as_posix() for p in case.evidence.rglob("*") if p.is_file()
    }
    assert on_disk <= paths
    members = {
        "plan/batch.zip!docs/a.txt",
        "plan/batch.zip!inner.zip",
        "plan/batch.zip!inner.zip!c.csv",
        "plan/batch.zip!../evil.txt",
        "plan/batch.zip!/abs.txt",
        "plan/batch.zip!empty.txt",
        "plan/locked.zip!a.csv",
        "plan/bomb.zip!zeros.txt",
    }
    assert paths == on_disk | members
    statuses = con.execute("SELECT DISTINCT status FROM files").fetchall()
    assert {s[0] for s in statuses} <= {"processed", "skipped", "failed"}
    assert summary["processed"] + summary["skipped"] + summary["failed"] == len(paths)
    assert con.execute(
        "SELECT count(*) FROM files WHERE status = 'processed' AND reason <> ''"
    ).fetchone() == (0,)
    r = file_row(con, "mercy/roster.csv")
    assert r["file_id"] == stable_id("mercy/roster.csv")
    assert r["client_ids"] == ["mercy"] and r["depth"] == 0 and r["parent_id"] is None
    assert len(r["sha256"]) == 64 and r["size"] == len(ROSTER_CSV.encode())
    m = file_row(con, "plan/batch.zip!inner.zip!c.csv")
    assert m["depth"] == 2 and m["client_ids"] == ["plan"]
    assert m["parent_id"] == stable_id("plan/batch.zip!inner.zip")


@pytest.mark.parametrize(
    ("path", "status", "reason", "detected"),
    [
        ("mercy/roster.csv", "processed", "", "csv"),
        ("mercy/claims.tsv", "processed", "", "tsv"),
        ("mercy/pipe_cp1252.psv", "processed", "", "psv"),
        ("mercy/semi.csv", "processed", "", "csv"),
        ("mercy/tab_export.txt", "processed", "", "tsv"),
        ("mercy/export_noext", "processed", "", "csv"),
        ("mercy/members.xlsx", "processed", "", "xlsx"),
        ("mercy/chart.pdf", "processed", "", "pdf"),
        ("mercy/report.csv", "processed", "", "pdf"),
        ("mercy/scan.pdf", "skipped", "no_text_layer", "pdf"),
        ("mercy/locked.pdf", "failed", "encrypted", "pdf"),
        ("mercy/note.docx", "processed", "", "docx"),
        ("mercy/notes.txt", "processed", "", "txt"),
        ("plan/batch.zip", "processed", "", "zip"),
        ("plan/batch.zip!inner.zip", "processed", "", "zip"),
        ("plan/batch.zip!inner.zip!c.csv", "processed", "", "csv"),
        ("plan/batch.zip!../evil.txt", "failed", "unsafe_path", None),
        ("plan/batch.zip!/abs.txt", "failed", "unsafe_path", None),
        ("plan/batch.zip!empty.txt", "skipped", "empty", None),
        ("plan/locked.zip", "failed", "encrypted", "zip"),
        ("plan/locked.zip!a.csv", "failed", "encrypted", None),
        ("plan/bomb.zip", "processed", "", "zip"),
        ("plan/bomb.zip!zeros.txt", "failed", "bomb", None),
        ("bad/empty.csv", "skipped", "empty", None),
        ("bad/corrupt.pdf", "failed", "corrupt", "pdf"),
        ("bad/junk.csv", "failed", "corrupt", None),
        ("bad/blob.bin", "skipped", "unsupported:binary", None),
        ("bad/truncated.zip", "failed", "corrupt", "zip"),
        ("bad/image.png", "skipped", "unsupported:png", "png"),
    ],
)
def test_status_and_type(
    ingested: Any, path: str, status: str, reason: str, detected: str | None
) -> None:
    _case, con, _ = ingested
    r = file_row(con, path)
    assert r["status"] == status
    assert r["reason"].split(":")[0] == reason.split(":")[0]
    if ":" in reason:
        assert r["reason"] == reason
    if detected is not None:
        assert r["detected_type"] == detected


# --------------------------------------------------------------------------- formats


def test_csv_title_block_header_row_numbers_and_ragged_rows(ingested: Any) -> None:
    _case, con, _ = ingested
    ds = docs(con, "mercy/roster.csv")
    title, t = ds[0], ds[1]
    assert title["kind"] == "text" and title["locator"] == "rows 1-3"
    assert "Member Roster" in title["text"]
    assert t["columns"] == ["First Name", "Last Name", "SSN", "DOB", "ZIP", "_extra"]
    assert t["header_row"] == 4 and t["n_rows"] == 4
    got = rows(con, t["doc_id"])
    assert [r[0] for r in got] == [5, 7, 8, 9]  # blank row 6 skipped but counted
    assert got[0][1][:5] == ["Ann", "Lee", CANARY_SSN, "1980-01-02", "02134"]
    assert got[1][1][1] == "Ray\nJr"  # a quoted newline stays inside one record
    assert got[2][1][5] == "extra1,extra2"  # extra cells kept, not dropped
    assert got[3][1][:3] == ["Dee", "Fox", None]  # short rows padded


def test_csv_bom_cp1252_semicolon_headerless(ingested: Any) -> None:
    _case, con, _ = ingested
    t = table_of(con, "mercy/claims.tsv")
    assert t["columns"] == ["Member ID", "Name", "DOS", "Amount"]  # BOM not in the first name
    assert rows(con, t["doc_id"]) == [(2, ["MBR0001", "Ann Lee", "2025-01-02", "100.00"])]
    t = table_of(con, "mercy/pipe_cp1252.psv")
    assert rows(con, t["doc_id"])[0][1][0] == "José Núñez"
    t = table_of(con, "mercy/semi.csv")
    assert t["columns"] == ["Name", "DOB", "Member"] and t["n_rows"] == 2
    t = table_of(con, "mercy/noheader.csv")
    assert t["header_row"] == 0 and t["columns"] == ["col_1", "col_2", "col_3", "col_4"]
    assert [r[0] for r in rows(con, t["doc_id"])] == [1, 2]
    t = table_of(con, "mercy/tab_export.txt")
    assert t["columns"] == ["Name", "SSN", "DOB"]


def test_xlsx_sheets_title_block_and_cell_rendering(ingested: Any) -> None:
    _case, con, _ = ingested
    ds = docs(con, "mercy/members.xlsx")
    assert [d["locator"] for d in ds] == ["sheet Members rows 1-4", "sheet Members", "sheet Claims"]
    m = table_of(con, "mercy/members.xlsx", "sheet Members")
    assert m["sheet"] == "Members" and m["header_row"] == 5
    assert m["columns"] == ["First Name", "Last Name", "SSN", "DOB", "ZIP", "Balance"]
    got = rows(con, m["doc_id"])
    assert got == [
        (6, ["Ann", "Lee", "78051120", "1980-01-02", "2134", "12.5"]),
        (8, ["Bob", "Ray", "219099999", "1975-03-04", "30301", "0"]),
    ]
    c = table_of(con, "mercy/members.xlsx", "sheet Claims")
    assert c["header_row"] == 1 and [r[0] for r in rows(con, c["doc_id"])] == [2, 3]


def test_pdf_pages_docx_txt(ingested: Any) -> None:
    _case, con, _ = ingested
    ds = docs(con, "mercy/chart.pdf")
    assert [(d["locator"], d["page"]) for d in ds] == [("page 1", 1), ("page 2", 2), ("page 3", 3)]
    assert "Ann Lee" in ds[0]["text"] and "01/02/1980" in ds[1]["text"]
    assert file_row(con, "mercy/chart.pdf")["n_documents"] == 3
    (d,) = docs(con, "mercy/note.docx")
    assert d["locator"] == "body"
    assert "Patient: Ann Lee" in d["text"]
    assert "Ann Lee\t1980-01-02\tMRN-0042" in d["text"]  # table row: tab-separated cells
    assert "Confidential - Mercy Valley" in d["text"] and "Page footer text" in d["text"]
    (t,) = docs(con, "mercy/notes.txt")
    assert t["locator"] == "body" and t["text"].startswith("Called patient")
    (z,) = docs(con, "plan/batch.zip!docs/a.txt")
    assert z["text"] == "inside the zip"


# --------------------------------------------------------------------------- re-runs


def test_rerun_is_idempotent(ingested: Any) -> None:
    case, con, first = ingested
    counts = [
        con.execute(f"SELECT count(*) FROM {t}").fetchone()
        for t in ("files", "documents", "table_rows")
    ]
    again = ingest(case, con, limits=SMALL_LIMITS)
    assert again["ingested"] == 0
    assert again["unchanged"] == len([p for p in case.evidence.rglob("*") if p.is_file()])
    assert {k: again[k] for k in ("processed", "skipped", "failed")} == {
        k: first[k] for k in ("processed", "skipped", "failed")
    }
    assert counts == [
        con.execute(f"SELECT count(*) FROM {t}").fetchone()
        for t in ("files", "documents", "table_rows")
    ]


def test_changed_files_are_redone_and_stale_rows_removed(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    put(
        case,
        {
            "mercy/a.csv": "Name,SSN\nAnn,078051120\nBob,219099999\n",
            "plan/b.zip": make_zip({"x.csv": "Name,DOB\nAnn,1980-01-02\n", "y.txt": "old"}),
            "plan/c.txt": "keep me",
        },
    )
    con = connect(case.store_path)
    ingest(case, con)
    old_doc = table_of(con, "mercy/a.csv")["doc_id"]
    con.execute(
        "INSERT INTO findings (finding_id, doc_id, file_id, category, confidence, detector, explanation) "
        "VALUES ('f1', ?, ?, 'ssn', 1.0, 'test', 'test')",
        [old_doc, stable_id("mercy/a.csv")],
    )
    put(
        case,
        {
            "mercy/a.csv": "Name,SSN\nAnn,078051120\n",
            "plan/b.zip": make_zip({"x.csv": "Name,DOB\nAnn,1980-01-02\n"}),
        },
    )
    s = ingest(case, con)
    assert s["ingested"] == 3 and s["unchanged"] == 1  # a.csv, b.zip, b.zip!x.csv
    assert [r[0] for r in rows(con, table_of(con, "mercy/a.csv")["doc_id"])] == [2]
    assert con.execute("SELECT count(*) FROM findings").fetchone() == (0,)
    paths = {r[0] for r in con.execute("SELECT path FROM files").fetchall()}
    assert paths == {"mercy/a.csv", "plan/b.zip", "plan/b.zip!x.csv", "plan/c.txt"}
    assert con.execute(
        "SELECT count(*) FROM documents WHERE file_id NOT IN (SELECT file_id FROM files)"
    ).fetchone() == (0,)
    assert con.execute(
        "SELECT count(*) FROM table_rows WHERE doc_id NOT IN (SELECT doc_id FROM documents)"
    ).fetchone() == (0,)


def test_interrupted_archive_is_read_again_whole(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    put(case, {"plan/b.zip": make_zip({"x.csv": "Name,DOB\nAnn,1980-01-02\n", "y.txt": "hi"})})
    con = connect(case.store_path)
    ingest(case, con)
    n = con.execute("SELECT count(*) FROM files").fetchone()
    # As if the run stopped after the members were written but before the archive's row.
    con.execute("DELETE FROM files WHERE path = 'plan/b.zip'")
    s = ingest(case, con)
    assert s["ingested"] == 3
    assert con.execute("SELECT count(*) FROM files").fetchone() == n
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (2,)


def test_passwords_open_encrypted_pdf_and_retry(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    put(case, {"mercy/locked.pdf": make_pdf(["secret page"], encrypt="s3cret")})
    con = connect(case.store_path)
    ingest(case, con)
    assert file_row(con, "mercy/locked.pdf")["reason"] == "encrypted"
    case2 = make_case(tmp_path, passwords=("wrong", "s3cret"))
    s = ingest(case2, con)
    assert s["ingested"] == 1
    r = file_row(con, "mercy/locked.pdf")
    assert r["status"] == "processed"
    assert "secret page" in docs(con, "mercy/locked.pdf")[0]["text"]


@pytest.mark.skipif(shutil.which("zip") is None, reason="needs the zip command")
def test_real_zipcrypto_with_and_without_password(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.csv").write_text("Name,SSN\nAnn,078051120\n")
    case = make_case(tmp_path / "case")
    dest = case.evidence / "plan" / "locked.zip"
    dest.parent.mkdir(parents=True)
    subprocess.run(["zip", "-q", "-P", "pw123", str(dest), "a.csv"], cwd=src, check=True)
    con = connect(case.store_path)
    ingest(case, con)
    assert file_row(con, "plan/locked.zip!a.csv")["reason"] == "encrypted"
    assert file_row(con, "plan/locked.zip")["status"] == "failed"
    ingest(make_case(tmp_path / "case", passwords=("pw123",)), con)
    assert file_row(con, "plan/locked.zip")["status"] == "processed"
    t = table_of(con, "plan/locked.zip!a.csv")
    assert rows(con, t["doc_id"]) == [(2, ["Ann", "078051120"])]


# --------------------------------------------------------------------------- limits


def test_archive_limits(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    deep = make_zip({"leaf.txt": "deep"})
    for i in range(3):
        deep = make_zip({f"level{i}.zip": deep})
    put(
        case,
        {
            "plan/deep.zip": deep,
            "plan/many.zip": make_zip({f"f{i}.txt": "x" for i in range(30)}),
            "plan/huge.zip": make_zip({"a.txt": b"a" * 50_000}),
        },
    )
    con = connect(case.store_path)
    ingest(case, con, limits=Limits(max_depth=2, max_members=20, max_expanded=40_000))
    # depth: members at depth 3 are not unpacked
    assert file_row(con, "plan/deep.zip!level2.zip!level1.zip")["status"] == "processed"
    assert file_row(con, "plan/deep.zip!level2.zip!level1.zip!level0.zip")["reason"] == "depth"
    assert file_row(con, "plan/many.zip")["reason"].startswith("bomb")
    assert file_row(con, "plan/huge.zip")["reason"].startswith("bomb")


def test_symlinks_are_not_followed(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("not evidence")
    put(case, {"mercy/real.txt": "evidence"})
    os.symlink(outside, case.evidence / "mercy" / "out_link.txt")
    os.symlink(case.evidence / "mercy" / "real.txt", case.evidence / "mercy" / "in_link.txt")
    con = connect(case.store_path)
    ingest(case, con)
    assert file_row(con, "mercy/out_link.txt")["reason"].startswith("unsafe_path")
    assert file_row(con, "mercy/in_link.txt")["reason"] == "symlink"
    assert file_row(con, "mercy/real.txt")["status"] == "processed"


def _slow_reader(src: Source, ctx: ReadContext, out: Emitter) -> None:
    if "hang" in src.logical:
        time.sleep(60)
    out.text("body", "fine")


def _crashing_reader(src: Source, ctx: ReadContext, out: Emitter) -> None:
    if "crash" in src.logical:
        os._exit(3)  # as a segfault in a native parser would
    if "raise" in src.logical:
        raise ValueError(f"boom {CANARY_SSN}")  # must not reach the inventory or logs
    out.text("body", "fine")


@pytest.mark.parametrize(
    ("reader", "name", "reason"),
    [(_slow_reader, "hang.txt", "timeout"), (_crashing_reader, "crash.txt", "crash")],
)
def test_hanging_or_crashing_reader_fails_only_its_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    reader: Callable[[Source, ReadContext, Emitter], None],
    name: str,
    reason: str,
) -> None:
    monkeypatch.setitem(_REGISTERED, "txt", reader)
    case = make_case(tmp_path)
    put(
        case,
        {f"mercy/{name}": "x", "mercy/ok1.txt": "a", "mercy/ok2.txt": "b", "mercy/raise.txt": "c"},
    )
    con = connect(case.store_path)
    start = time.monotonic()
    ingest(case, con, start_method="fork", limits=Limits(time_base=2.0, time_per_mib=0.0))
    assert time.monotonic() - start < 30
    r = file_row(con, f"mercy/{name}")
    assert (r["status"], r["reason"]) == ("failed", reason)
    assert r["sha256"] is not None  # hashed before the reader ran
    assert file_row(con, "mercy/ok1.txt")["status"] == "processed"
    assert file_row(con, "mercy/ok2.txt")["status"] == "processed"
    if reader is _crashing_reader:
        assert (
            file_row(con, "mercy/raise.txt")["reason"] == "corrupt: txt reader error (ValueError)"
        )


def test_no_phi_in_logs_or_reasons(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    case = make_case(tmp_path)
    put(
        case,
        {
            "mercy/a.csv": f"Name,SSN\nAnn,{CANARY_SSN}\n",
            "mercy/b.pdf": b"%PDF-1.4 " + CANARY_SSN.encode(),
        },
    )
    con = connect(case.store_path)
    with caplog.at_level(logging.DEBUG, logger="breachscope"):
        ingest(case, con)
    assert CANARY_SSN not in caplog.text
    reasons = " ".join(r[0] for r in con.execute("SELECT reason FROM files").fetchall())
    assert CANARY_SSN not in reasons


# --------------------------------------------------------------------------- readers in-process


def _read(path: Path, tmp: Path, limits: Limits | None = None, fast: bool = True) -> Emitter:
    from breachscope.ingest.registry import reader_for

    head = path.read_bytes()[: 256 * 1024]
    g = sniff(path, path.name, head, path.stat().st_size)
    out = Emitter("f", tmp / "work", (limits or Limits()).spill_bytes)
    reader = reader_for(g.type)
    assert reader is not None
    reader(
        Source(path, path.name, "f", path.stat().st_size, 0, g),
        ReadContext(limits or Limits(), (), tmp / "work", 0, fast),
        out,
    )
    return out


def _table_rows(out: Emitter) -> list[tuple[int, tuple[str | None, ...]]]:
    import pyarrow.parquet as pq

    got: list[tuple[int, tuple[str | None, ...]]] = []
    for part in out.tables:
        tables = (
            [part.inline] if part.inline is not None else [pq.read_table(p) for p in part.parquet]
        )
        for t in tables:
            assert t is not None
            for rec in t.to_pylist():
                cells = tuple(rec[f"c{j}"] for j in range(part.width))
                got.append((rec["row_no"], cells))
    return sorted(got)


def test_fast_and_slow_csv_paths_agree_on_big_ragged_file(tmp_path: Path) -> None:
    lines = ["Report title", "", "Name,SSN,DOB"]
    for i in range(6000):
        lines.append(f"P{i},{100000000 + i},1980-01-{1 + i % 28:02d}")
        if i == 4000:
            lines += ["", "short", "a,b,c,d,e", '"quoted\nnewline",x,y']
    p = tmp_path / "big.csv"
    p.write_text("\n".join(lines) + "\n")
    small = Limits(spill_bytes=64 * 1024, csv_batch_bytes=16 * 1024)
    fast = _table_rows(_read(p, tmp_path / "f", small, fast=True))
    slow = _table_rows(_read(p, tmp_path / "s", small, fast=False))
    strip = [(n, tuple(c for c in cells[:3])) for n, cells in fast]
    assert strip == [(n, tuple(c for c in cells[:3])) for n, cells in slow]
    assert len(fast) == 6003
    by_no = dict(fast)
    assert by_no[4][:3] == ("P0", "100000000", "1980-01-01")
    assert by_no[4004][:3] == ("P4000", "100004000", "1980-01-25")
    assert 4005 not in by_no  # blank: skipped, counted
    assert by_no[4006][:3] == ("short", None, None)
    assert by_no[4007] == ("a", "b", "c", "d,e")
    assert by_no[4008][:3] == ("quoted\nnewline", "x", "y")
    assert by_no[4009][0] == "P4001"


def test_big_text_is_split_into_parts(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_text("".join(f"line {i} of a long clinical note\n" for i in range(2000)))
    out = _read(p, tmp_path, Limits(text_segment=10_000))
    t, _parts = out.documents()
    assert t is not None
    locs = t.column("locator").to_pylist()
    assert locs[0] == "part 1" and len(locs) > 5
    texts = t.column("text").to_pylist()
    assert "".join(texts) == p.read_text()
    assert all(x.endswith("\n") for x in texts)


@pytest.mark.parametrize(
    ("text", "ext", "expected"),
    [
        ("a,b,c\n1,2,3\n4,5,6\n", "csv", "csv"),
        ("a\tb\n1\t2\n3\t4\n", "txt", "tsv"),
        ("a|b|c\n1|2|3\n4|5|6\n", "dat", "psv"),
        (
            "Dear Ann,\nThank you for your visit. We hope, as always, that you are well.\nBest regards,\nThe clinic\n",
            "txt",
            "txt",
        ),
        ('{"resourceType": "Patient"}', "json", "fhir"),  # typed by structure, not extension
        ('{"patients": [{"name": "x"}]}', "json", "json"),
        ("<?xml version='1.0'?><a/>", "xml", "xml"),
    ],
)
def test_sniff_text_kinds(tmp_path: Path, text: str, ext: str, expected: str) -> None:
    p = tmp_path / f"f.{ext}"
    p.write_text(text)
    assert sniff(p, p.name, p.read_bytes(), p.stat().st_size).type == expected


@pytest.mark.parametrize(
    ("rows_", "header_index", "data_start"),
    [
        ([["Name", "SSN"], ["Ann", "078051120"]], 0, 1),
        ([["Ann", "078051120"], ["Bob", "219099999"]], None, 0),
        (
            [["Title"], [], ["Run", ""], ["Last", "First", "DOB"], ["Lee", "Ann", "1980-01-02"]],
            3,
            4,
        ),
        ([["Smith", "John", "Boston"], ["Lee", "Ann", "Salem"]], 0, 1),  # no evidence: header
        ([["Last Name", "First Name", "City"], ["Lee", "Ann", "Salem"]], 0, 1),
        ([["1980-01-02", "Ann"], ["1975-03-04", "Bob"]], None, 0),
    ],
)
def test_find_layout(rows_: list[list[str]], header_index: int | None, data_start: int) -> None:
    from breachscope.ingest.header import find_layout

    layout = find_layout(rows_)
    assert (layout.header_index, layout.data_start) == (header_index, data_start)


def test_workbook_render() -> None:
    from breachscope.ingest.readers.workbook import render

    assert render(78051120.0) == "78051120"
    assert render(2134.0) == "2134"
    assert render(12.5) == "12.5"
    assert render(dt.datetime(1980, 1, 2)) == "1980-01-02"
    assert render(dt.datetime(1980, 1, 2, 13, 5)) == "1980-01-02 13:05:00"
    assert render(dt.date(1980, 1, 2)) == "1980-01-02"
    assert render(True) == "TRUE" and render(None) == ""


def test_duplicate_member_names_and_store_ignored(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z, pytest.warns(UserWarning):
        z.writestr("a.txt", "one")
        z.writestr("a.txt", "two")
    put(case, {"plan/dup.zip": buf.getvalue()})
    con = connect(case.store_path)
    ingest(case, con)
    paths = {r[0] for r in con.execute("SELECT path FROM files").fetchall()}
    assert paths == {"plan/dup.zip", "plan/dup.zip!a.txt", "plan/dup.zip!a.txt (2)"}


# --------------------------------------------------------------------------- containers


def make_ole(stream_names: list[str]) -> bytes:
    """A minimal OLE2 compound file whose directory lists these streams (no data)."""
    import struct

    end, free, fatsect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<III", header, 0x2C, 1, 1, 0)  # 1 FAT sector; directory at sector 1
    struct.pack_into("<IIIII", header, 0x38, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([free] * 108))
    fat = struct.pack("<128I", fatsect, end, *([free] * 126))
    directory = bytearray(512)
    for i, (name, kind) in enumerate([("Root Entry", 5), *((n, 2) for n in stream_names)][:4]):
        raw = (name + "\0").encode("utf-16-le")
        directory[i * 128 : i * 128 + len(raw)] = raw
        struct.pack_into("<HB", directory, i * 128 + 64, len(raw), kind)
    return bytes(header) + fat + bytes(directory)


def make_ods() -> bytes:
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )

    def cell(v: str, num: bool = False) -> str:
        kind = (
            f'office:value-type="float" office:value="{v}"' if num else 'office:value-type="string"'
        )
        return f"<table:table-cell {kind}><text:p>{v}</text:p></table:table-cell>"

    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>'
        '<office:body><office:spreadsheet><table:table table:name="People">'
        f"<table:table-row>{cell('Name')}{cell('SSN')}</table:table-row>"
        f"<table:table-row>{cell('Ann Lee')}{cell('78051120', num=True)}</table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
        )
    return buf.getvalue()


@pytest.mark.parametrize(
    ("streams", "detected", "status", "reason"),
    [
        # typed only; the reader tries the case passwords and fails it `encrypted` if none opens it
        (["EncryptionInfo", "EncryptedPackage"], "ooxml-encrypted", None, ""),
        (["WordDocument", "1Table"], "doc", None, ""),
        (["__properties_version1.0", "__substg1.0_0037001F"], "msg", None, ""),
        (["Workbook"], "xls", None, ""),
    ],
)
def test_ole_containers_typed_by_stream_names(
    tmp_path: Path, streams: list[str], detected: str, status: str | None, reason: str
) -> None:
    p = tmp_path / "file.xlsx"  # the extension says nothing: an encrypted XLSX is OLE inside
    p.write_bytes(make_ole(streams))
    g = sniff(p, p.name, p.read_bytes(), p.stat().st_size)
    assert (g.type, g.status, g.reason) == (detected, status, reason)


def test_ods_and_broken_xls_via_calamine(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    put(case, {"plan/people.ods": make_ods(), "plan/old.xls": make_ole(["Workbook"])})
    con = connect(case.store_path)
    ingest(case, con)
    t = table_of(con, "plan/people.ods", "sheet People")
    assert rows(con, t["doc_id"]) == [(2, ["Ann Lee", "78051120"])]
    r = file_row(con, "plan/old.xls")
    assert (r["detected_type"], r["status"], r["reason"].split(":")[0]) == (
        "xls",
        "failed",
        "corrupt",
    )


def _greedy_reader(src: Source, ctx: ReadContext, out: Emitter) -> None:
    if "greedy" in src.logical:
        bytearray(64 << 30)  # 64 GiB: over the worker's address-space limit
    out.text("body", "fine")


def test_memory_limit_fails_only_the_greedy_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(_REGISTERED, "txt", _greedy_reader)
    case = make_case(tmp_path)
    put(case, {"mercy/greedy.txt": "x", "mercy/ok.txt": "y"})
    con = connect(case.store_path)
    ingest(case, con, start_method="fork", limits=Limits(memory_mib=8 * 1024))
    assert file_row(con, "mercy/greedy.txt")["reason"] == "too_large: out of memory"
    assert file_row(con, "mercy/ok.txt")["status"] == "processed"


class _Recorder:
    def __init__(self) -> None:
        self.total: int | None = None
        self.advanced = 0
        self.finished = False

    def start(self, stage: str, total: int | None) -> None:
        self.total = total

    def advance(self, n: int = 1) -> None:
        self.advanced += n

    def done(self) -> None:
        self.finished = True


def test_big_files_spill_to_parquet_and_land_whole(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    lines = ["Name,SSN,DOB"] + [f"P{i},{100000000 + i},1980-01-02" for i in range(5000)]
    lines.insert(3000, "x,y,z,extra")  # widens the table after parts were written
    note = "".join(f"line {i} of a long clinical note\n" for i in range(3000))
    put(case, {"mercy/big.csv": "\n".join(lines) + "\n", "mercy/note.txt": note})
    con = connect(case.store_path)
    progress = _Recorder()
    small = Limits(spill_bytes=32 * 1024, csv_batch_bytes=16 * 1024, text_segment=8_000)
    run_ingest(case, con, progress, options=IngestOptions(limits=small))
    assert (progress.total, progress.advanced, progress.finished) == (2, 2, True)
    t = table_of(con, "mercy/big.csv")
    assert t["n_rows"] == 5001 and t["columns"][-1] == "_extra"
    got = dict(rows(con, t["doc_id"]))
    assert len(got) == 5001
    assert got[2][:3] == ["P0", "100000000", "1980-01-02"]
    assert got[3001] == ["x", "y", "z", "extra"]
    assert got[5002][:3] == ["P4999", "100004999", "1980-01-02"]
    parts = docs(con, "mercy/note.txt")
    assert len(parts) > 5 and "".join(d["text"] for d in parts) == note
    assert [d["locator"] for d in parts[:2]] == ["part 1", "part 2"]
    assert not list(tmp_path.glob(".*ingest-tmp*"))  # temp folder cleaned up


# --------------------------------------------------------------------------- property


_CELL = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters=',"\n;|\t'
    ),
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    width=st.integers(min_value=2, max_value=5),
    data=st.data(),
)
def test_csv_round_trip_property(tmp_path: Path, width: int, data: st.DataObject) -> None:
    import csv as csvmod

    from breachscope.ingest.model import Guess
    from breachscope.ingest.readers.delimited import read_delimited

    header = [f"Field Name {chr(65 + j)}" for j in range(width)]
    body = data.draw(
        st.lists(
            st.tuples(
                st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,8}", fullmatch=True), *[_CELL] * (width - 1)
            ),
            min_size=1,
            max_size=30,
        )
    )
    buf = io.StringIO(newline="")
    csvmod.writer(buf, lineterminator="\r\n").writerows([header, *body])
    p = tmp_path / f"prop-{uuid.uuid4().hex}.csv"
    p.write_bytes(buf.getvalue().encode("utf-8"))
    g = Guess("csv", encoding="utf-8", bom=0, delimiter=",")
    for fast in (True, False):
        out = Emitter("f", tmp_path / "work", 1 << 20)
        read_delimited(
            Source(p, p.name, "f", p.stat().st_size, 0, g),
            ReadContext(Limits(), (), tmp_path / "work", 0, fast),
            out,
        )
        got = _table_rows(out)
        assert [n for n, _ in got] == list(range(2, len(body) + 2))
        assert [list(c) for _, c in got] == [list(r) for r in body]


# --------------------------------------------------------------------------- OCR


@pytest.mark.ocr
@pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract not installed")
def test_ocr_writes_no_page_image_to_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On an encrypted store, Tesseract reads each page from a pipe: while it runs, the
    work folder holds nothing but sealed files (page images used to sit there as PGM)."""
    import dataclasses

    from breachscope.ingest import ocr
    from breachscope.store.db import open_case_store
    from breachscope.synth import office_formats as of

    case = make_case(tmp_path / "case", workers=1)
    case = dataclasses.replace(case, settings=dataclasses.replace(case.settings, encrypt=True))
    lines = ["Patient Name: Ana Vexcanary", "Member ID: VX5512093", "Date of Birth: 03/14/1961"]
    put(
        case, {"mercy/scans/auth.pdf": of.scanned_pdf(lines), "mercy/fax/in.png": of.fax_png(lines)}
    )
    tmp_root = case.store_path.parent / f".{case.store_path.name}.ingest-tmp"
    log = tmp_path / "tesseract.log"
    # A stand-in that notes its arguments and every file under the ingest work folders at
    # the moment it runs, then is the real Tesseract (workers are forked: a wrapper
    # program sees every OCR call, in any process).
    wrapper = tmp_path / "tesseract"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'{{ echo "args: $*"; find "{tmp_root}" -type f 2>/dev/null; }} >> "{log}"\n'
        f'exec "{shutil.which("tesseract")}" "$@"\n'
    )
    wrapper.chmod(0o700)
    monkeypatch.setattr(ocr, "tesseract", lambda: str(wrapper))
    con = open_case_store(case)
    try:
        summary = ingest(case, con, workers=1, start_method="fork")
        assert summary["failed"] == 0, summary
        for path in ("mercy/scans/auth.pdf", "mercy/fax/in.png"):
            (d,) = docs(con, path)
            assert "(OCR, confidence" in d["locator"] and "Vexcanary" in d["text"]
    finally:
        con.close()
    seen = [ln for ln in log.read_text().splitlines() if not ln.startswith("args: ")]
    assert all(ln.endswith(".sealed") for ln in seen), seen
    calls = [ln for ln in log.read_text().splitlines() if ln.startswith("args: ")]
    assert len(calls) == 2 and all(c.startswith("args: stdin stdout ") for c in calls)
