"""Mail, office documents, databases and scans: read field-aware, bad variants reported.

Samples come from the synthetic generator (:mod:`breachscope.synth.office_formats`);
hostile variants are made here from them. Synthetic data only.
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import sqlite3
import struct
import subprocess
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import duckdb
import pytest

from breachscope.case import Case
from breachscope.ingest.emit import Emitter
from breachscope.ingest.ocr import ocr_confidence, parse_tsv
from breachscope.ingest.options import Limits
from breachscope.ingest.readers.outlook import decompress_rtf
from breachscope.ingest.registry import ReadContext, Source, reader_for
from breachscope.ingest.sniff import sniff
from breachscope.store.db import connect
from breachscope.synth import msdoc
from breachscope.synth import office_formats as of
from breachscope.synth.people import World
from test_ingest import (
    CANARY_SSN,
    docs,
    file_row,
    ingest,
    make_case,
    make_pdf,
    make_zip,
    put,
    rows,
    table_of,
)

# --------------------------------------------------------------------------- samples


@pytest.fixture(scope="module")
def people() -> tuple[Any, list[Any]]:
    return of.pick_people(World.create(7), 60)


def _eml_nested() -> bytes:
    """An e-mail whose attachment is a ZIP holding a forwarded e-mail with a CSV."""
    inner = EmailMessage()
    inner["From"] = "Billing <billing@example.org>"
    inner["To"] = "Coding <coding@example.org>"
    inner["Subject"] = "fwd: member list"
    inner.set_content("See attached.")
    inner.add_attachment(
        f"Name,SSN\nAnn Lee,{CANARY_SSN}\n".encode(), maintype="text", subtype="csv",
        filename="../../etc/members.csv",
    )  # fmt: skip
    outer = EmailMessage()
    outer["From"] = "=?utf-8?q?Jos=C3=A9_N=C3=BA=C3=B1ez?= <jose@example.org>"
    outer["To"] = "him@example.org"
    outer["Subject"] = "archive"
    outer.set_content("<html><body><p>Zipped mail below.</p></body></html>", subtype="html")
    outer.add_attachment(
        make_zip({"mail/forward.eml": inner.as_bytes()}), maintype="application",
        subtype="zip", filename="forward.zip",
    )  # fmt: skip
    smime = EmailMessage()
    smime["From"] = "secure@example.org"
    smime["Subject"] = "encrypted"
    smime.set_content(b"\x30\x80" + b"\x01" * 200, maintype="application", subtype="pkcs7-mime",
                      params={"smime-type": "enveloped-data"}, filename="smime.p7m")  # fmt: skip
    outer.attach(smime)  # a forwarded S/MIME message: message/rfc822 would be nicer
    return outer.as_bytes()


def _encrypted_doc() -> bytes:
    """A DOC whose FIB says 'encrypted' (OLE container written by the synth OLE writer)."""
    fib = struct.pack("<HHHHHH", 0xA5EC, 0xC1, 0, 0x409, 0, 0x0100) + b"\0" * 500
    return of.ole_file({"WordDocument": fib, "1Table": b"\0" * 64})


def _tiff_fax(lines: list[str]) -> bytes:
    """A two-page fax TIFF at 204×98 dpi (standard fax resolution: non-square pixels)."""
    from PIL import Image

    pages = []
    for i in range(2):
        img: Any = of.render_page([*lines, f"Page {i + 1} of 2"], dpi=200)
        w, h = img.size
        pages.append(img.resize((w, h // 2)).convert("1"))
    buf = io.BytesIO()
    pages[0].save(
        buf, "TIFF", save_all=True, append_images=pages[1:], compression="group4",
        dpi=(204, 98),
    )  # fmt: skip
    assert isinstance(pages[0], Image.Image)
    return buf.getvalue()


def _sqlite_bytes(tmp: Path) -> bytes:
    p = tmp / "x.db"
    p.unlink(missing_ok=True)
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE t (name TEXT, ssn TEXT, photo BLOB)")
    con.execute("INSERT INTO t VALUES ('Ann Lee', ?, ?)", (CANARY_SSN, b"\xff\xd8\xff\x00"))
    con.execute("CREATE VIEW v AS SELECT name FROM t")
    con.commit()
    con.close()
    return p.read_bytes()


SQL_PG = (
    "--\n-- PostgreSQL database dump\n--\nSET statement_timeout = 0;\n"
    "CREATE TABLE public.patients (\n    id integer NOT NULL,\n    full_name text,\n"
    "    ssn character(11),\n    CONSTRAINT pk PRIMARY KEY (id)\n);\n"
    "COPY public.patients (id, full_name, ssn) FROM stdin;\n"
    f"1\tAnn Lee\t{CANARY_SSN}\n2\tBob\\tRay\t\\N\n\\.\n"
    "INSERT INTO public.notes (id, body) VALUES (1, 'It''s a note; with semicolon');\n"
    "INSERT INTO notes VALUES (2, 'C:\\path', NULL), (3, CAST('1980-01-02' AS date), 4.5);\n"
    "CREATE FUNCTION f() RETURNS int AS 'select 1' LANGUAGE sql;\n"
)


@pytest.fixture(scope="module")
def ingested(
    tmp_path_factory: pytest.TempPathFactory, people: tuple[Any, list[Any]]
) -> tuple[Case, duckdb.DuckDBPyConnection, dict[str, int]]:
    client, ps = people
    root = tmp_path_factory.mktemp("office")
    case = make_case(root)
    eml, _ = of.make_eml(client, ps[:6])
    msg, _ = of.make_msg(client, ps[:3])
    rtf, _ = of.make_rtf(client, ps[0])
    html_bytes, _ = of.make_html(client, ps[:3])
    rec, _ = of._json_record(client, ps[0])
    good_json = json.dumps({"meta": {"run": "2025-02-03"}, "patients": [rec, rec]}).encode()
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(
        pa.table(
            {
                "name": ["Ann Lee", "Bob Ray"],
                "ssn": [CANARY_SSN, None],
                "score": [1.0, 2.5],
                "addr": [{"city": "Boston", "zip": "02134"}, None],
                "dx": [["E11.9", "I10"], []],
            }
        ),
        buf,
    )
    parquet = buf.getvalue()
    files: dict[str, bytes | str] = {
        "mercy/mail/query.eml": eml,
        "mercy/mail/nested.eml": _eml_nested(),
        "mercy/mail/q.msg": msg,
        "mercy/letters/referral.rtf": rtf,
        "mercy/portal/export.html": html_bytes,
        "mercy/portal/fragment.htm": "<table><tr><td>Name</td><td>DOB</td></tr>"
        "<tr><td>Ann Lee</td><td>1980-01-02</td></tr></table>",
        "mercy/export/patients.json": good_json,
        "mercy/export/events.ndjson": "\n".join(
            [
                json.dumps({"name": "Ann", "ssn": CANARY_SSN}),
                "{bad json",
                json.dumps({"name": "Bob", "dob": "1975-03-04", "tags": ["a", "b"]}),
            ]
        )
        + "\n",
        "mercy/export/claims.parquet": parquet,
        "mercy/db/practice.db": _sqlite_bytes(root),
        "mercy/db/dump.sql": SQL_PG,
        "mercy/db/export_noext": "INSERT INTO x (a, b) VALUES ('1', '2');\n",
        # hostile and bad variants
        "bad/truncated.json": good_json[: len(good_json) // 2],
        "bad/cp1252.json": '{"name": "José Núñez"}'.encode("cp1252"),
        "bad/pdf_named.json": make_pdf(["A PDF named .json"]),
        "bad/truncated.parquet": parquet[: len(parquet) // 2],
        "bad/truncated.db": _sqlite_bytes(root)[:1500],
        "bad/encrypted.doc": _encrypted_doc(),
        "bad/broken.msg": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        "bad/broken.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 300,
        "bad/empty_dump.sql": "-- nothing\nSET x = 1;\nCREATE TABLE t (a int);\n",
        "bad/not_rtf.rtf": "{\\rtf1 " + "{" * 50_000,
        "bad/empty.html": "<html><body><script>var ssn='x'</script></body></html>",
        "bad/sqlite_named.csv": _sqlite_bytes(root),
        "bad/deep.json": "[" * 100_000 + "]" * 100_000,
    }
    put(case, files)
    con = connect(case.store_path)
    summary = ingest(case, con)
    return case, con, summary


def _texts(con: duckdb.DuckDBPyConnection, path: str) -> dict[str, str]:
    return {d["locator"]: d["text"] for d in docs(con, path) if d["kind"] == "text"}


# --------------------------------------------------------------------------- inventory


def test_every_file_and_member_accounted_for(ingested: Any) -> None:
    case, con, summary = ingested
    paths = {r[0] for r in con.execute("SELECT path FROM files").fetchall()}
    on_disk = {p.relative_to(case.evidence).as_posix() for p in case.evidence.rglob("*")
               if p.is_file()}  # fmt: skip
    assert on_disk <= paths
    assert {
        "mercy/mail/query.eml!denials.csv",
        "mercy/mail/query.eml!batch.zip",
        "mercy/mail/query.eml!batch.zip!claims.csv",
        "mercy/mail/q.msg!roster.csv",
        "mercy/mail/nested.eml!forward.zip",
        "mercy/mail/nested.eml!forward.zip!mail/forward.eml",
        "mercy/mail/nested.eml!forward.zip!mail/forward.eml!members.csv",
        "mercy/mail/nested.eml!smime.p7m",
    } <= paths
    assert summary["processed"] + summary["skipped"] + summary["failed"] == len(paths)
    assert con.execute(
        "SELECT count(*) FROM files WHERE status = 'processed' AND reason <> ''"
    ).fetchone() == (0,)


@pytest.mark.parametrize(
    ("path", "status", "reason", "detected"),
    [
        ("mercy/mail/query.eml", "processed", "", "eml"),
        ("mercy/mail/q.msg", "processed", "", "msg"),
        ("mercy/letters/referral.rtf", "processed", "", "rtf"),
        ("mercy/portal/export.html", "processed", "", "html"),
        ("mercy/portal/fragment.htm", "processed", "", "html"),
        ("mercy/export/patients.json", "processed", "", "json"),
        ("mercy/export/events.ndjson", "processed", "", "json"),
        ("mercy/export/claims.parquet", "processed", "", "parquet"),
        ("mercy/db/practice.db", "processed", "", "sqlite"),
        ("mercy/db/dump.sql", "processed", "", "sql"),
        ("mercy/db/export_noext", "processed", "", "sql"),
        ("mercy/mail/nested.eml!smime.p7m", "failed", "encrypted", None),
        ("bad/truncated.json", "failed", "corrupt", "json"),
        ("bad/cp1252.json", "processed", "", "json"),
        ("bad/pdf_named.json", "processed", "", "pdf"),
        ("bad/truncated.parquet", "failed", "corrupt", "parquet"),
        ("bad/truncated.db", "failed", "corrupt", "sqlite"),
        ("bad/encrypted.doc", "failed", "encrypted", "doc"),
        ("bad/broken.msg", "failed", "corrupt", None),
        ("bad/broken.doc", "failed", "corrupt", None),
        ("bad/empty_dump.sql", "skipped", "no_rows", "sql"),
        ("bad/not_rtf.rtf", "skipped", "empty", "rtf"),
        ("bad/empty.html", "skipped", "empty", "html"),
        ("bad/sqlite_named.csv", "processed", "", "sqlite"),
        ("bad/deep.json", "failed", "corrupt", "json"),
    ],
)
def test_status_and_type(
    ingested: Any, path: str, status: str, reason: str, detected: str | None
) -> None:
    _case, con, _ = ingested
    r = file_row(con, path)
    assert (r["status"], r["reason"].split(":")[0]) == (status, reason)
    if detected is not None:
        assert r["detected_type"] == detected


def test_no_phi_in_reasons_or_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, ingested: Any
) -> None:
    _case, con, _ = ingested
    reasons = " ".join(r[0] for r in con.execute("SELECT reason FROM files").fetchall())
    assert CANARY_SSN not in reasons and "Ann" not in reasons
    case = make_case(tmp_path)
    put(case, {"bad/t.json": f'{{"ssn": "{CANARY_SSN}", "x": [1,'})
    with caplog.at_level(logging.DEBUG, logger="breachscope"):
        ingest(case, connect(case.store_path))
    assert CANARY_SSN not in caplog.text


# --------------------------------------------------------------------------- mail


def test_eml_headers_body_and_attachments(ingested: Any, people: Any) -> None:
    _case, con, _ = ingested
    _client, ps = people
    t = _texts(con, "mercy/mail/query.eml")
    assert ps[0].last in t["headers"] and t["headers"].startswith("From: Coding Queue")
    assert f"{ps[0].first} {ps[0].last}" in t["body"]
    csv_doc = table_of(con, "mercy/mail/query.eml!denials.csv")
    got = rows(con, csv_doc["doc_id"])
    assert [r[1][0] for r in got] == [f"{p.first} {p.last}" for p in ps[1:4]]
    inner = table_of(con, "mercy/mail/query.eml!batch.zip!claims.csv")
    assert inner["n_rows"] == 2
    assert file_row(con, "mercy/mail/query.eml!batch.zip!claims.csv")["depth"] == 2


def test_eml_nested_in_zip_in_eml_and_unsafe_attachment_name(ingested: Any) -> None:
    _case, con, _ = ingested
    t = _texts(con, "mercy/mail/nested.eml")
    assert "José Núñez" in t["headers"]  # encoded words decoded
    assert t["body"] == "Zipped mail below."  # the HTML body as text
    leaf = "mercy/mail/nested.eml!forward.zip!mail/forward.eml!members.csv"
    assert file_row(con, leaf)["depth"] == 3  # folders stripped from the attachment name
    assert rows(con, table_of(con, leaf)["doc_id"]) == [(2, ["Ann Lee", CANARY_SSN])]


def test_msg_headers_recipients_body_attachment(ingested: Any, people: Any) -> None:
    _case, con, _ = ingested
    _client, ps = people
    t = _texts(con, "mercy/mail/q.msg")
    assert "Recipient: Enrollment Team <enrollment@" in t["headers"]
    assert ps[0].member_id in t["body"]
    got = rows(con, table_of(con, "mercy/mail/q.msg!roster.csv")["doc_id"])
    assert [r[1][0] for r in got] == [f"{p.first} {p.last}" for p in ps[1:3]]


def test_compressed_rtf_body() -> None:
    # MS-OXRTFCP's own example: "{\rtf1\ansi\ansicpg1252\pard hello world}\r\n"
    data = bytes.fromhex(
        "2d0000002b0000004c5a4675f1c5c7a703000a007263706731323542320af32068656c090020"
        "627705b06c647d0a800fa0"
    )
    assert decompress_rtf(data) == b"{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n"


# --------------------------------------------------------------------------- documents


def test_rtf_and_html(ingested: Any, people: Any) -> None:
    _case, con, _ = ingested
    client, ps = people
    body = _texts(con, "mercy/letters/referral.rtf")["body"]
    assert f"Patient: {ps[0].first} {ps[0].last}" in body and ps[0].address.zip in body
    html_t = _texts(con, "mercy/portal/export.html")["body"]
    assert f"{ps[0].first} {ps[0].last}\t{ps[0].dob.isoformat()}" in html_t  # cells: tabs
    t = table_of(con, "mercy/portal/export.html", "table 1")
    assert t["columns"] == ["Patient", "Date of Birth", "Phone", "MRN"] and t["header_row"] == 1
    got = rows(con, t["doc_id"])
    assert got[0][0] == 2 and got[0][1][3] == ps[0].mrn(client.id)
    frag = table_of(con, "mercy/portal/fragment.htm")
    assert frag["columns"] == ["Name", "DOB"]


def test_json_records_and_ndjson(ingested: Any, people: Any) -> None:
    _case, con, _ = ingested
    _client, ps = people
    t = table_of(con, "mercy/export/patients.json", "$.patients")
    assert t["columns"][:3] == ["name.first", "name.last", "birthDate"]
    got = rows(con, t["doc_id"])
    assert [r[0] for r in got] == [1, 2] and got[0][1][1] == ps[0].last
    assert _texts(con, "mercy/export/patients.json")["body"] == "meta.run: 2025-02-03"
    nd = table_of(con, "mercy/export/events.ndjson", "lines")
    assert nd["columns"] == ["name", "ssn", "dob", "tags"]  # widened as keys appeared
    assert rows(con, nd["doc_id"]) == [
        (1, ["Ann", CANARY_SSN, None, None]),
        (3, ["Bob", None, "1975-03-04", "a; b"]),  # line 2 is not JSON: skipped
    ]
    assert "José Núñez" in _texts(con, "bad/cp1252.json")["body"]


def test_parquet_sqlite_and_sql_dump(ingested: Any) -> None:
    _case, con, _ = ingested
    pq_t = table_of(con, "mercy/export/claims.parquet")
    assert pq_t["columns"] == ["name", "ssn", "score", "addr.city", "addr.zip", "dx"]
    assert rows(con, pq_t["doc_id"]) == [
        (1, ["Ann Lee", CANARY_SSN, "1", "Boston", "02134", '["E11.9", "I10"]']),
        (2, ["Bob Ray", None, "2.5", None, None, "[]"]),
    ]
    db = table_of(con, "mercy/db/practice.db", "table t")
    assert db["columns"] == ["name", "ssn", "photo"]  # the view is not a table
    assert rows(con, db["doc_id"]) == [(1, ["Ann Lee", CANARY_SSN, None])]
    pts = table_of(con, "mercy/db/dump.sql", "table patients")
    assert pts["columns"] == ["id", "full_name", "ssn"]
    assert rows(con, pts["doc_id"]) == [
        (1, ["1", "Ann Lee", CANARY_SSN]),
        (2, ["2", "Bob\tRay", None]),
    ]
    notes = [d for d in docs(con, "mercy/db/dump.sql") if d["locator"] == "table notes"]
    assert [d["columns"] for d in notes] == [["id", "body"], ["col_1", "col_2", "col_3"]]
    assert rows(con, notes[0]["doc_id"]) == [(1, ["1", "It's a note; with semicolon"])]
    assert rows(con, notes[1]["doc_id"]) == [
        (1, ["2", "C:\\path", None]),  # standard SQL: a backslash is just a character
        (2, ["3", "1980-01-02", "4.5"]),
    ]


def test_mysql_dump_from_generator(tmp_path: Path, people: Any) -> None:
    _client, ps = people
    root = tmp_path / "evidence"
    from breachscope.synth.truth import TruthRecorder

    truth = TruthRecorder(tmp_path / "truth")
    of.write_office_formats(root, truth, World.create(7), 60)
    truth.finish()
    sql = next(root.rglob("*.sql"))
    out = _read(sql, tmp_path)
    assert out.n_documents == 1 and len(out.tables) == 1
    part = out.tables[0].inline
    assert part is not None and part.num_rows == 4
    assert part.column("c2").to_pylist()[0] == ps[7 % len(ps)].last


def _read(path: Path, tmp: Path) -> Emitter:
    head = path.read_bytes()[: 256 * 1024]
    g = sniff(path, path.name, head, path.stat().st_size)
    out = Emitter("f", tmp / "work", Limits().spill_bytes)
    reader = reader_for(g.type)
    assert reader is not None
    reader(Source(path, path.name, "f", path.stat().st_size, 0, g),
           ReadContext(Limits(), (), tmp / "work", 0), out)  # fmt: skip
    return out


@pytest.mark.skipif(not __import__("shutil").which("antiword"), reason="antiword not installed")
def test_doc_through_antiword_is_typed_and_failures_are_reasons(tmp_path: Path) -> None:
    # No DOC writer without LibreOffice: a DOC with a valid FIB but no text stream shows the
    # path through antiword/catdoc and that their failure is a reason, not a crash.
    fib = struct.pack("<HHHHHH", 0xA5EC, 0xC1, 0, 0x409, 0, 0) + b"\0" * 500
    p = tmp_path / "memo.doc"
    p.write_bytes(of.ole_file({"WordDocument": fib}))
    g = sniff(p, p.name, p.read_bytes(), p.stat().st_size)
    assert g.type == "doc"
    from breachscope.errors import FileProblem
    from breachscope.ingest.model import FileSkipped

    with pytest.raises((FileProblem, FileSkipped)):
        _read(p, tmp_path)


# --------------------------------------------------------------------------- OCR


def test_parse_tesseract_tsv() -> None:
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t96.5\tPatient:\n"
        "5\t1\t1\t1\t1\t2\t0\t0\t1\t1\t90\tAnn\n"
        "5\t1\t1\t1\t2\t1\t0\t0\t1\t1\t80.5\tLee\n"
        "5\t1\t2\t1\t1\t1\t0\t0\t1\t1\t-1\t \n"
        "5\t1\t2\t1\t1\t2\t0\t0\t1\t1\t73\tSSN\n"
    )
    page = parse_tsv(tsv)
    assert page.text == "Patient: Ann\nLee\n\nSSN"
    assert page.words == 4 and page.confidence == pytest.approx(85.0)
    assert ocr_confidence("page 3 (OCR, confidence 91%)") == 91.0
    assert ocr_confidence("page 3") is None


@pytest.mark.ocr
def test_scanned_pdf_png_and_tiff_fax_are_ocrd(tmp_path: Path, people: Any) -> None:
    client, ps = people
    lines, _els = of.fax_lines(client, ps[0])
    case = make_case(tmp_path)
    put(
        case,
        {
            "mercy/scans/auth.pdf": of.scanned_pdf(lines),
            "mercy/fax/in.png": of.fax_png(lines),
            "mercy/fax/in.tif": _tiff_fax(lines),
            "mercy/fax/blank.png": of.fax_png([]),
            "mercy/scans/mixed.pdf": make_pdf(["Cover page with text"]),
        },
    )
    con = connect(case.store_path)
    ingest(case, con)
    name = f"Patient Name: {ps[0].first} {ps[0].last}"
    pdf = docs(con, "mercy/scans/auth.pdf")
    assert pdf[0]["page"] == 1 and pdf[0]["locator"].startswith("page 1 (OCR, confidence ")
    assert (ocr_confidence(pdf[0]["locator"]) or 0) > 80
    assert name in pdf[0]["text"] and f"Member ID: {ps[0].member_id}" in pdf[0]["text"]
    if ps[0].ssn:
        assert f"SSN: {ps[0].ssn[:3]}-{ps[0].ssn[3:5]}-{ps[0].ssn[5:]}" in pdf[0]["text"]
    png = docs(con, "mercy/fax/in.png")
    assert png[0]["locator"].startswith("image (OCR") and name in png[0]["text"]
    tif = docs(con, "mercy/fax/in.tif")
    full = f"{ps[0].first} {ps[0].last}"  # fax quality: 'Name;' may come out for 'Name:'
    assert [d["page"] for d in tif] == [1, 2] and all(full in d["text"] for d in tif)
    assert file_row(con, "mercy/fax/blank.png")["reason"].startswith("no_text")
    assert file_row(con, "mercy/scans/mixed.pdf")["status"] == "processed"


@pytest.mark.ocr
def test_ocr_budget_keeps_pages_read(tmp_path: Path, people: Any, monkeypatch: Any) -> None:
    client, ps = people
    lines, _ = of.fax_lines(client, ps[0])
    p = tmp_path / "fax.tif"
    p.write_bytes(_tiff_fax(lines))
    import time

    from breachscope.ingest.readers import scan

    monkeypatch.setattr(scan, "deadline", lambda limits, size: time.monotonic() - 1)
    out = _read(p, tmp_path)
    assert out.status == ("skipped", "ocr_budget: 2 of 2 scanned pages not read")


# --------------------------------------------------------------------------- DOC (Word 97)


def _doc_variants(people: Any) -> tuple[dict[str, bytes], dict[str, tuple[Any, set[str]]]]:
    client, ps = people
    letter, el_letter = of.make_doc_letter(client, ps[0])
    letter8, el_8 = of.make_doc_letter(client, ps[1], compressed=True)
    note, el_note = of.make_doc_note(client, ps[2])
    encrypted = bytearray(letter)
    at = letter.index(struct.pack("<HH", msdoc.W_IDENT, msdoc.N_FIB))  # the FIB: flags at 0x0A
    (flags,) = struct.unpack_from("<H", encrypted, at + 0x0A)
    struct.pack_into("<H", encrypted, at + 0x0A, flags | msdoc.F_ENCRYPTED)
    files = {
        "mercy/letters/referral.doc": letter,
        "mercy/letters/referral_8bit.doc": letter8,
        "mercy/notes/phone_note.doc": note,
        "bad/truncated.doc": letter[: len(letter) // 2],
        "bad/wrong_magic.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe0" + letter[8:],
        "bad/encrypted_fib.doc": bytes(encrypted),
    }
    truth = {
        "mercy/letters/referral.doc": (ps[0], el_letter),
        "mercy/letters/referral_8bit.doc": (ps[1], el_8),
        "mercy/notes/phone_note.doc": (ps[2], el_note),
    }
    return files, truth


def test_msdoc_writer_is_a_valid_compound_file(people: Any) -> None:
    import olefile

    files, _ = _doc_variants(people)
    data = files["mercy/letters/referral.doc"]
    assert olefile.isOleFile(io.BytesIO(data))
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        assert sorted(ole.listdir()) == [["1Table"], ["WordDocument"]]
        word = ole.openstream("WordDocument").read()
    ident, nfib, _u, _lid, _pn, flags = struct.unpack_from("<6H", word, 0)
    assert (ident, nfib) == (0xA5EC, 0x00C1) and flags & msdoc.F_WHICH_TBL_STM
    assert not flags & msdoc.F_ENCRYPTED
    paras = ["Ann Lee", "DOB: 01/02/1980\tSSN 078-05-1120", "José Núñez", "two\nlines"]
    for compressed in (False, True):
        doc = msdoc.word_document(paras, compressed=compressed)
        assert (
            msdoc.doc_text(doc)
            == "Ann Lee\nDOB: 01/02/1980\tSSN 078-05-1120\nJosé Núñez\ntwo\nlines\n"
        )


@pytest.mark.skipif(not shutil.which("antiword"), reason="antiword not installed")
def test_antiword_reads_the_exact_text_of_generated_docs(tmp_path: Path, people: Any) -> None:
    files, _ = _doc_variants(people)
    for name in ("mercy/letters/referral.doc", "mercy/letters/referral_8bit.doc",
                 "mercy/notes/phone_note.doc"):  # fmt: skip
        p = tmp_path / name.rsplit("/", 1)[-1]
        p.write_bytes(files[name])
        res = subprocess.run(
            ["antiword", "-m", "UTF-8.txt", "-w", "0", str(p)],
            capture_output=True, check=False, env={**os.environ, "LC_ALL": "C.UTF-8"},
        )  # fmt: skip
        assert res.returncode == 0, name
        want = msdoc.doc_text(files[name]).strip()
        assert res.stdout.decode("utf-8").strip() == want, name


@pytest.mark.skipif(not shutil.which("antiword"), reason="antiword not installed")
def test_generated_doc_people_and_categories_through_ingest_and_detect(
    tmp_path: Path, people: Any
) -> None:
    from breachscope.detect import run_detect

    files, truth = _doc_variants(people)
    case = make_case(tmp_path, passwords=("not-it",))
    put(case, dict(files))
    con = connect(case.store_path)
    ingest(case, con)
    run_detect(case, con)
    for path, (person, elements) in truth.items():
        r = file_row(con, path)
        assert (r["status"], r["detected_type"]) == ("processed", "doc"), path
        body = _texts(con, path)["body"]
        assert body.strip() == msdoc.doc_text(files[path]).strip()
        assert f"{person.first} {person.last}" in body
        found = con.execute(
            "SELECT category, field, value FROM findings WHERE file_id = ?", [r["file_id"]]
        ).fetchall()
        cats = {c for c, _f, _v in found}
        assert elements <= cats, (path, elements - cats)
        values = " ".join(str(v) for _c, _f, v in found).upper()
        assert person.last.upper() in values
        if "ssn" in elements:
            assert person.ssn.replace("-", "") in values.replace("-", "")
    for path, reason in [
        ("bad/truncated.doc", "corrupt"),
        ("bad/wrong_magic.doc", "corrupt"),
        ("bad/encrypted_fib.doc", "encrypted"),
    ]:
        r = file_row(con, path)
        assert (r["status"], r["reason"].split(":")[0]) == ("failed", reason), path
    reasons = " ".join(r[0] for r in con.execute("SELECT reason FROM files").fetchall())
    assert "not-it" not in reasons and people[1][0].last not in reasons
