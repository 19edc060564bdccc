"""Case passwords on encrypted 7z (py7zr) and Office files (msoffcrypto-tool).

The right password among the case's → the members / the document are read and the people
in them found; a wrong or missing password → ``failed`` ``encrypted`` with a reason that
says which, never a crash, never the password in a reason. Synthetic data only.
"""

from __future__ import annotations

import io
import logging
import random
import struct
import zipfile
from pathlib import Path
from typing import Any

import duckdb
import pytest

from breachscope.case import Case
from breachscope.store.db import connect
from breachscope.synth import msdoc
from breachscope.synth.docwriters import write_docx
from test_ingest import CANARY_SSN, docs, file_row, ingest, make_case, put, rows, table_of

py7zr = pytest.importorskip("py7zr")
msoffcrypto = pytest.importorskip("msoffcrypto")

PASSWORD = "s3cret-Pass!"
WRONG = "not-the-one"
ROSTER = f"Name,SSN\nAnn Lee,{CANARY_SSN}\n".encode()


def seven_zip(
    members: dict[str, bytes], header: bool, filters: list[dict[str, int]] | None = None
) -> bytes:
    buf = io.BytesIO()
    with py7zr.SevenZipFile(buf, "w", password=PASSWORD, header_encryption=header,
                            filters=filters) as arc:  # fmt: skip
        for name, data in members.items():
            arc.writestr(data, name)
    return buf.getvalue()


def encrypt_ooxml(plain: bytes) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    # msoffcrypto-tool 6.1 writes packages under 4096 bytes (the OLE mini stream) in a way
    # its own decrypt rejects; real documents are bigger: pad with an incompressible part.
    buf = io.BytesIO(plain)
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr("docProps/thumbnail.bin", random.Random(3).randbytes(6000))
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(buf.getvalue())).encrypt(PASSWORD, out)
    return out.getvalue()


def docx_bytes(tmp: Path) -> bytes:
    p = tmp / "letter.docx"
    write_docx(p, [("title", "Referral"), ("p", f"Patient: Ann Lee, SSN {CANARY_SSN}")])
    data = p.read_bytes()
    p.unlink()
    return data


def xlsx_bytes() -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Members")
    ws.write_row(0, 0, ["Name", "SSN"])
    ws.write_row(1, 0, ["Ann Lee", CANARY_SSN])
    wb.close()
    return buf.getvalue()


def rc4_doc(paragraphs: list[str], password: str) -> bytes:
    """A Word 97 DOC encrypted with RC4 (MS-OFFCRYPTO 2.3.6), built on the msdoc writer.

    Nothing here writes encrypted DOCs, so this does what Word does: the table stream opens
    with the unencrypted RC4 EncryptionHeader (its size in the FIB's lKey), and everything
    after the FIB's first 0x44 bytes and after that header is RC4 with a key per 512-byte
    block of the stream. RC4 is symmetric: msoffcrypto-tool's decrypt encrypts.
    """
    from hashlib import md5

    from cryptography.hazmat.decrepit.ciphers.algorithms import ARC4
    from cryptography.hazmat.primitives.ciphers import Cipher
    from msoffcrypto.method.rc4 import DocumentRC4, _makekey

    rng = random.Random(5)
    salt, verifier = rng.randbytes(16), rng.randbytes(16)
    enc = Cipher(ARC4(_makekey(password, salt, 0)), mode=None).encryptor()
    header = struct.pack("<HH", 1, 1) + salt + enc.update(verifier + md5(verifier).digest())
    text = msdoc.word_text(paragraphs)
    raw = text.encode("utf-16-le")
    clx = msdoc.clx(len(text), msdoc.TEXT_FC)
    styles = msdoc.stylesheet()
    table = header + clx + styles
    fib = bytearray(msdoc.fib(len(text), msdoc.TEXT_FC + len(raw), len(clx), len(styles),
                              flags=msdoc.F_ENCRYPTED))  # fmt: skip
    struct.pack_into("<I", fib, 0x0E, len(header))  # lKey: the EncryptionHeader's size
    struct.pack_into("<II", fib, msdoc.OFF_FC_CLX, len(header), len(clx))
    for pair in (0, 1):
        struct.pack_into("<II", fib, msdoc.OFF_RG_FC_LCB + 8 * pair, len(header) + len(clx),
                         len(styles))  # fmt: skip
    word = msdoc.pad_stream(bytes(fib) + b"\0" * (msdoc.TEXT_FC - len(fib)) + raw)
    table = msdoc.pad_stream(table)

    def rc4(data: bytes) -> bytes:
        return bytes(DocumentRC4.decrypt(password, salt, io.BytesIO(data)).read())

    word_enc = word[:0x44] + rc4(word)[0x44:]
    table_enc = header + rc4(table)[len(header) :]
    return msdoc.compound_file({"WordDocument": word_enc, "1Table": table_enc}, msdoc.WORD_CLSID)


def evidence(tmp: Path) -> dict[str, bytes | str]:
    copy = [{"id": py7zr.FILTER_COPY}, {"id": py7zr.FILTER_CRYPTO_AES256_SHA256}]
    return {
        "plan/members.7z": seven_zip({"db/roster.csv": ROSTER, "empty.txt": b""}, header=False),
        "plan/hidden_names.7z": seven_zip({"roster.csv": ROSTER}, header=True),
        "plan/stored.7z": seven_zip({"roster.csv": ROSTER}, header=False, filters=copy),
        "mercy/letter.docx": encrypt_ooxml(docx_bytes(tmp)),
        "plan/members.xlsx": encrypt_ooxml(xlsx_bytes()),
        "mercy/note.doc": rc4_doc(
            ["Telephone note", f"Caller: Ann Lee, SSN {CANARY_SSN}"], PASSWORD
        ),
    }


Ingested = tuple[Case, duckdb.DuckDBPyConnection]


@pytest.fixture(scope="module", params=["right", "wrong"])
def ingested(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Ingested:
    root = tmp_path_factory.mktemp(f"passwords-{request.param}")
    passwords = (WRONG, PASSWORD) if request.param == "right" else (WRONG,)
    case = make_case(root, passwords=passwords)
    put(case, evidence(root))
    con = connect(case.store_path)
    ingest(case, con)
    return case, con


def _right(ingested: Ingested) -> bool:
    return PASSWORD in ingested[0].settings.passwords


def test_encrypted_7z_members(ingested: Ingested) -> None:
    _case, con = ingested
    for path in ("plan/members.7z!db/roster.csv", "plan/hidden_names.7z!roster.csv",
                 "plan/stored.7z!roster.csv"):  # fmt: skip
        outer = path.split("!")[0]
        if _right(ingested):
            assert file_row(con, outer)["status"] == "processed", outer
            assert rows(con, table_of(con, path)["doc_id"]) == [(2, ["Ann Lee", CANARY_SSN])]
            assert file_row(con, path)["depth"] == 1
        else:
            r = file_row(con, outer)
            assert (r["status"], r["reason"]) == ("failed", "encrypted: no case password opens it")
            assert con.execute("SELECT count(*) FROM files WHERE path LIKE ?", [outer + "!%"]
                               ).fetchone() == (0,)  # fmt: skip
    if _right(ingested):
        r = file_row(con, "plan/members.7z!empty.txt")
        assert (r["status"], r["reason"]) == ("skipped", "empty")


def test_encrypted_docx_and_xlsx(ingested: Ingested) -> None:
    _case, con = ingested
    doc, book = file_row(con, "mercy/letter.docx"), file_row(con, "plan/members.xlsx")
    assert doc["detected_type"] == book["detected_type"] == "ooxml-encrypted"
    if _right(ingested):
        assert (doc["status"], book["status"]) == ("processed", "processed")
        body = {d["locator"]: d["text"] for d in docs(con, "mercy/letter.docx")}["body"]
        assert f"Patient: Ann Lee, SSN {CANARY_SSN}" in body
        t = table_of(con, "plan/members.xlsx", "sheet Members")
        assert rows(con, t["doc_id"]) == [(2, ["Ann Lee", CANARY_SSN])]
    else:
        for r in (doc, book):
            assert (r["status"], r["reason"]) == ("failed", "encrypted: no case password opens it")


def test_rc4_encrypted_doc(ingested: Ingested) -> None:
    case, con = ingested
    r = file_row(con, "mercy/note.doc")
    assert r["detected_type"] == "doc"
    if _right(ingested):
        assert r["status"] == "processed"
        body = {d["locator"]: d["text"] for d in docs(con, "mercy/note.doc")}["body"]
        assert body.strip() == f"Telephone note\nCaller: Ann Lee, SSN {CANARY_SSN}"
    else:
        assert (r["status"], r["reason"]) == ("failed", "encrypted: no case password opens it")
    # the decrypted copy handed to antiword is gone
    assert not list(case.evidence.parent.rglob("d-*.doc"))


def test_no_password_in_reasons(ingested: Ingested) -> None:
    _case, con = ingested
    reasons = " ".join(r[0] for r in con.execute("SELECT reason FROM files").fetchall())
    assert PASSWORD not in reasons and WRONG not in reasons and CANARY_SSN not in reasons


def test_without_passwords_office_and_7z_fail_encrypted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    case = make_case(tmp_path)
    put(case, evidence(tmp_path))
    con = connect(case.store_path)
    with caplog.at_level(logging.DEBUG, logger="breachscope"):
        ingest(case, con)
    for path in ("mercy/letter.docx", "plan/members.xlsx", "mercy/note.doc"):
        r = file_row(con, path)
        assert (r["status"], r["reason"]) == (
            "failed",
            "encrypted: no password in the case file (settings.passwords)",
        )
    # libarchive's path, as before: locked members and a hidden header fail 'encrypted'
    for path in ("plan/members.7z!db/roster.csv", "plan/hidden_names.7z", "plan/stored.7z"):
        assert (file_row(con, path)["status"], file_row(con, path)["reason"]) == (
            "failed",
            "encrypted",
        )
    assert CANARY_SSN not in caplog.text and PASSWORD not in caplog.text


def test_damaged_encrypted_files_fail_cleanly(tmp_path: Path) -> None:
    good = evidence(tmp_path)
    case = make_case(tmp_path, passwords=(PASSWORD,))
    put(case, {
        "plan/cut.7z": bytes(good["plan/members.7z"])[:-40],  # type: ignore[arg-type]
        "mercy/cut.docx": bytes(good["mercy/letter.docx"])[: 3000],  # type: ignore[arg-type]
    })  # fmt: skip
    con = connect(case.store_path)
    summary: Any = ingest(case, con)
    assert summary["failed"] >= 2
    for path in ("plan/cut.7z", "mercy/cut.docx"):
        r = file_row(con, path)
        assert r["status"] == "failed" and r["reason"].split(":")[0] in ("corrupt", "encrypted")


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="no RAM file system")
def test_decrypted_doc_never_touches_the_disk(tmp_path: Path, monkeypatch: Any) -> None:
    import tempfile

    from breachscope.ingest.readers.officecrypt import decrypt_office

    used: list[str] = []
    real = tempfile.TemporaryFile

    def spy(*args: Any, **kwargs: Any) -> Any:
        used.append(tempfile.gettempdir())
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryFile", spy)
    before = tempfile.tempdir
    p = tmp_path / "note.doc"
    p.write_bytes(rc4_doc(["Ann Lee", f"SSN {CANARY_SSN}"], PASSWORD))
    plain = decrypt_office(p, (WRONG, PASSWORD), 1 << 20)
    assert msdoc.doc_text(plain) == f"Ann Lee\nSSN {CANARY_SSN}\n"
    assert used and all(d.startswith("/dev/shm/breachscope-office-") for d in used)
    assert tempfile.tempdir == before and not any(Path(d).exists() for d in used)


def test_encrypted_7z_keeps_the_limits(tmp_path: Path) -> None:
    from breachscope.ingest.options import Limits

    case = make_case(tmp_path, passwords=(PASSWORD,))
    members = {"zeros.bin": b"\0" * (3 << 20), "after.csv": ROSTER}
    put(case, {"plan/bomb.7z": seven_zip(members, header=True)})
    con = connect(case.store_path)
    ingest(case, con, limits=Limits(ratio_floor=1 << 20, max_ratio=100.0))
    assert file_row(con, "plan/bomb.7z!zeros.bin")["reason"] == "bomb"
    # the rest of the refused member was drained: the next one still comes out whole
    assert rows(con, table_of(con, "plan/bomb.7z!after.csv")["doc_id"]) == [
        (2, ["Ann Lee", CANARY_SSN])
    ]
