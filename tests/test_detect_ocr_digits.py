"""Text read from a scan by OCR: letters read for digits inside numbers ("03/I4/1958",
"4l2-55-8O19", "454O2") are read as the digits, in documents whose locator says OCR, and
only there. ICD-10-CM codes that start with I or O stay codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from breachscope.detect.text import detect_text, is_ocr_locator

TODAY = dt.date(2026, 1, 15)

SCAN = (
    "PATIENT NAME: GONZALEZ. MARIA E\n"
    "D0B: 03/I4/1958   MRN: 0O4471O2\n"
    "SSN: 4l2-55-8O19\n"
    "ADDRESS: 1O2 W MAIN ST, DAYTON OH 454O2\n"
)


def _found(text: str, ocr: bool) -> set[tuple[str, str | None, str]]:
    return {(f.category, f.field, f.value) for f in detect_text(text, today=TODAY, ocr=ocr)}


def test_a_scanned_forms_numbers() -> None:
    got = _found(SCAN, ocr=True)
    assert {
        ("name", "last", "GONZALEZ"),  # "GONZALEZ. MARIA": a comma read as a full stop
        ("name", "first", "MARIA"),
        ("dob", None, "1958-03-14"),
        ("mrn", None, "00447102"),
        ("ssn", None, "412558019"),
        ("address", "street", "102 W MAIN ST"),
        ("address", "zip", "45402"),
    } <= got


def test_text_not_read_by_ocr_is_left_as_written() -> None:
    got = _found(SCAN, ocr=False)
    assert not any(c in ("ssn", "dob") for c, _f, _v in got)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Dx: I10, I25.10, O09.90; E11.9", {"I10", "I25.10", "O09.90", "E11.9"}),
        ("Dx I48.91 and O24.419", {"I48.91", "O24.419"}),
    ],
)
def test_icd_codes_starting_with_i_or_o_stay_codes(text: str, want: set[str]) -> None:
    got = {v for c, f, v in _found(text, ocr=True) if c == "diagnosis" and f == "icd10"}
    assert got == want


@pytest.mark.parametrize(
    "text",
    [
        "O2 sat 98% on RA; II/VI murmur",  # one digit: no number to mend
        "Lot IOI-A stored in room l2",  # letters outnumber digits
        "Call 1-800-FLOWERS",  # letters that are no confusions
    ],
)
def test_words_are_not_mended(text: str) -> None:
    assert detect_text(text, today=TODAY, ocr=True) == detect_text(text, today=TODAY)


@pytest.mark.parametrize(
    ("locator", "ocr"),
    [
        ("page 3 (OCR, confidence 91%)", True),
        ("image (OCR, confidence 88%)", True),
        ("image (OCR)", True),
        ("page 3", False),
        ("body", False),
        (None, False),
        ("attachment 1: OCR notes.pdf page 2", False),
    ],
)
def test_ocr_locators(locator: str | None, ocr: bool) -> None:
    assert is_ocr_locator(locator) is ocr


def test_ingests_locators_are_recognised() -> None:
    from breachscope.ingest import ocr

    assert is_ocr_locator(ocr.locator("page 2", 91.4))
    assert is_ocr_locator(ocr.locator("image", None))


def test_the_detect_stage_mends_only_ocr_documents(tmp_path: Path) -> None:
    from breachscope.detect import run_detect
    from breachscope.store import connect
    from test_detect_stage import _case

    con = connect(tmp_path / "case.duckdb")
    con.execute(
        "INSERT INTO files (file_id, path, depth, status, reason, sha256) VALUES "
        "('f1', 'fax.pdf', 0, 'processed', '', 'h1'), ('f2', 'note.txt', 0, 'processed', '', 'h2')"
    )
    con.execute(
        "INSERT INTO documents VALUES ('f1:0', 'f1', 0, 'text', 'page 1 (OCR, confidence 87%)', "
        "1, NULL, ?, NULL, NULL, NULL), ('f2:0', 'f2', 0, 'text', 'body', NULL, NULL, ?, NULL, "
        "NULL, NULL)",
        [SCAN, SCAN],
    )
    run_detect(_case(tmp_path), con)
    ssn = dict(con.execute("SELECT file_id, value FROM findings WHERE category = 'ssn'").fetchall())
    assert ssn == {"f1": "412558019"}
