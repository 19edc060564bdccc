"""The free-text scan's shortcuts give what the plain forms give."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect.text import detect_text
from breachscope.detect.text_patterns import CONTEXT, context_kinds
from breachscope.detect.text_scan import CTX_WINDOW, _Scan

_SEGMENTS = [
    "",
    "Patient DOB: ",
    "patient dob ",
    "PATIENT DATE OF BIRTH ",
    "Member ID number ",
    "Social Security No. ",
    "SSN last 4 ",
    "ICD-10-CM code ",
    "icd-10 dx ",
    "DL 12 dl ",
    "driver's license no ",
    "seen by Dr. Adams, MD, attending, phone ",
    "\u212aelvin dob ",  # KELVIN SIGN: re.I reads it as "k"
    "\u017fsn ",  # LATIN SMALL LETTER LONG S: re.I reads it as "s"
    "\u0130d card ",
    "ĺast 4 digits ",
    "Céline's phone ",
    "fromthrough to ",
    "_dob x_dob dob_ 9dob dob9 ",
    "Coder: Prepared by staff user rep ",
    "expired on passed away on ",
]


@pytest.mark.parametrize("segment", _SEGMENTS)
def test_context_kinds_as_finditer(segment: str) -> None:
    want = [m.lastgroup for m in CONTEXT.finditer(segment)]
    assert context_kinds(segment) == want


def _plain_context(text: str, start: int, window: int) -> list[str]:
    seg = text[max(0, start - window) : start]
    nl = seg.rfind("\n")
    if nl != -1 and seg[nl + 1 :].strip():
        seg = seg[nl + 1 :]
    return [m.lastgroup or "" for m in CONTEXT.finditer(seg)]


def test_scan_context_as_plain() -> None:
    text = "Name: Jane Roe\nDOB:\n01/02/1960 phone 312-867-5309 MRN 1234567 seen 02/03/2020"
    st = _Scan(text=text, today=dt.date(2026, 1, 15))
    for start in range(len(text) + 1):
        for window in (CTX_WINDOW, 40, 30, 64, 5, 0):
            assert st.context(start, window) == _plain_context(text, start, window)
            assert st.context(start, window) == _plain_context(text, start, window)


def test_findings_in_span_order() -> None:
    text = (
        "Patient: John Smith DOB 01/02/1960 Dx E11.9 type 2 diabetes mellitus, metformin; "
        "call 312-867-5309\nKathryn Jones said her mother lives at 12 Oak St, Dayton.\n"
        "Dear Mr. Smith, your member ID W123456789 is active. Dr. Adams, MD"
    )
    out = detect_text(text, today=dt.date(2026, 1, 15))
    assert out
    keys = [(f.start or 0, f.end or 0) for f in out]
    assert keys == sorted(keys)
    assert all(isinstance(f.start, int) and isinstance(f.end, int) for f in out)
