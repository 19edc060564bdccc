"""Shared by the healthcare readers (HL7 v2, FHIR, X12, C-CDA): one header vocabulary and a
row sink.

Each message / patient / claim becomes one table row whose columns use the same plain
header names in all four formats (``Patient Last Name``, ``Patient DOB``, ``Member ID``,
``Subscriber First Name``, ``Diagnosis Codes`` …), so the detect stage's header classifier
reads them like any roster or claims export. Multi-valued cells (diagnoses, medications,
lab results) are ``; ``-joined. A second person on a row (an X12 or HL7 subscriber who is
not the patient) gets the ``Subscriber …`` column group; the patient always has the
``Patient …`` group.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter, TableWriter

# --------------------------------------------------------------------------- vocabulary

SOURCE = "Source"
RECORD_TYPE = "Record Type"
FACILITY = "Facility"
P_LAST, P_FIRST, P_MIDDLE, P_SUFFIX = (
    "Patient Last Name",
    "Patient First Name",
    "Patient Middle Name",
    "Patient Name Suffix",
)
P_DOB, P_GENDER, P_SSN = "Patient DOB", "Patient Gender", "Patient SSN"
P_STREET, P_CITY, P_STATE, P_ZIP = (
    "Patient Address",
    "Patient City",
    "Patient State",
    "Patient ZIP",
)
P_PHONE, P_EMAIL = "Patient Phone", "Patient Email"
P_MRN, P_ACCOUNT, P_DL = "Patient MRN", "Patient Account Number", "Patient Driver License"
DEATH_DATE, DECEASED = "Date of Death", "Deceased"
PLAN, PAYER, MEMBER_ID, GROUP_NO = "Insurance Plan Name", "Payer", "Member ID", "Group Number"
S_LAST, S_FIRST, S_MIDDLE, S_SUFFIX = (
    "Subscriber Last Name",
    "Subscriber First Name",
    "Subscriber Middle Name",
    "Subscriber Name Suffix",
)
S_DOB, S_GENDER, S_SSN = "Subscriber DOB", "Subscriber Gender", "Subscriber SSN"
S_STREET, S_CITY, S_STATE, S_ZIP = (
    "Subscriber Address",
    "Subscriber City",
    "Subscriber State",
    "Subscriber ZIP",
)
S_MEMBER_ID = "Subscriber Member ID"
ATTENDING, ATTENDING_NPI = "Attending Physician", "Attending NPI"
ORDERING = "Ordering Provider"
RENDERING, RENDERING_NPI = "Rendering Provider", "Rendering Provider NPI"
REFERRING = "Referring Physician"
DX_CODES, DX_TEXT = "Diagnosis Codes", "Diagnosis Descriptions"
PX_CODES, PX_TEXT = "Procedure Codes", "Procedure Descriptions"
MEDICATIONS, LAB_RESULTS, IMAGING = "Medications", "Lab Results", "Imaging Studies"
SERVICE_DATE, ADMIT_DATE, DISCHARGE_DATE = "Service Date", "Admit Date", "Discharge Date"

PATIENT_COLUMNS = (
    P_LAST, P_FIRST, P_MIDDLE, P_SUFFIX, P_DOB, P_GENDER, P_SSN, P_STREET, P_CITY, P_STATE,
    P_ZIP, P_PHONE, P_EMAIL, P_MRN, P_ACCOUNT, P_DL, DEATH_DATE, DECEASED,
)  # fmt: skip
SUBSCRIBER_COLUMNS = (
    S_LAST, S_FIRST, S_MIDDLE, S_SUFFIX, S_DOB, S_GENDER, S_SSN, S_STREET, S_CITY, S_STATE,
    S_ZIP, S_MEMBER_ID,
)  # fmt: skip
CLINICAL_COLUMNS = (DX_CODES, DX_TEXT, PX_CODES, PX_TEXT, MEDICATIONS, LAB_RESULTS, IMAGING)

# The same person in both groups: patient column for each subscriber column.
SUBSCRIBER_TO_PATIENT = dict(
    zip(
        SUBSCRIBER_COLUMNS,
        (P_LAST, P_FIRST, P_MIDDLE, P_SUFFIX, P_DOB, P_GENDER, P_SSN, P_STREET, P_CITY,
         P_STATE, P_ZIP, MEMBER_ID),
        strict=True,
    )
)  # fmt: skip

BATCH_ROWS = 2_000
MAX_CELL = 4_000  # a cell longer than this is cut: these are codes and names, not documents


class Record:
    """The cells of one row being assembled: single-valued cells keep their first value,
    multi-valued ones (``add``) collect distinct values in order."""

    __slots__ = ("cells",)

    def __init__(self) -> None:
        self.cells: dict[str, list[str]] = {}

    def set(self, column: str, value: str | None) -> None:
        v = clean(value)
        if v and column not in self.cells:
            self.cells[column] = [v]

    def add(self, column: str, value: str | None) -> None:
        v = clean(value)
        if not v:
            return
        have = self.cells.setdefault(column, [])
        if v not in have:
            have.append(v)

    def get(self, column: str) -> str | None:
        vals = self.cells.get(column)
        return vals[0] if vals else None

    def has(self, column: str) -> bool:
        return column in self.cells

    def fold_subscriber_into_patient(self) -> None:
        """The subscriber is the patient (X12 SBR02=18, HL7 IN1-17 self): one group only."""
        for s_col, p_col in SUBSCRIBER_TO_PATIENT.items():
            vals = self.cells.pop(s_col, None)
            if vals and p_col not in self.cells:
                self.cells[p_col] = vals

    def cell(self, column: str) -> str | None:
        vals = self.cells.get(column)
        if not vals:
            return None
        text = "; ".join(vals)
        return text if len(text) <= MAX_CELL else text[:MAX_CELL]


_SPACE = re.compile(r"\s+")


def clean(value: str | None) -> str:
    if not value:
        return ""
    v = value.strip()
    if "\x00" in v:
        v = v.replace("\x00", "")
    if "\n" in v or "\r" in v or "\t" in v or "  " in v:
        v = _SPACE.sub(" ", v)
    return v


def join_name(*parts: str | None) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def iso_date(value: str | None) -> str:
    """``YYYYMMDD[HHMM…]`` (HL7, X12, C-CDA) or ``YYYY-MM-DD…`` (FHIR) as ``YYYY-MM-DD``;
    a partial date keeps what it has (``1961-03``); anything else is returned trimmed."""
    v = (value or "").strip()
    if len(v) >= 8 and v[:8].isdigit():
        return f"{v[:4]}-{v[4:6]}-{v[6:8]}"
    if len(v) >= 10 and v[4:5] == "-" and v[7:8] == "-":
        return v[:10]
    if len(v) == 6 and v.isdigit():
        return f"{v[:4]}-{v[4:6]}"
    return v


def format_icd10(code: str) -> str:
    """An ICD-10-CM code as coders write it (``E119`` → ``E11.9``)."""
    c = code.strip().upper()
    if len(c) > 3 and "." not in c and c[:1].isalpha() and c[1:3].isalnum():
        return f"{c[:3]}.{c[3:]}"
    return c


def decode_bytes(raw: bytes) -> str:
    """UTF-8 when it is, else Windows-1252 (the usual legacy encoding), never an error."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


# --------------------------------------------------------------------------- output


class RowSink:
    """Rows of one table document with a fixed column tuple, written in batches.

    ``row_no`` is the reader's 1-based record number (message, claim, resource …): see the
    reader's module docstring for what it counts.
    """

    def __init__(self, out: Emitter, columns: Sequence[str], locator: str) -> None:
        self.columns = tuple(columns)
        self._pos = {c: j for j, c in enumerate(self.columns)}
        self._out = out
        self._locator = locator
        self._table: TableWriter | None = None
        self._row_nos: list[int] = []
        self._rows: list[list[str | None]] = []
        self.n_rows = 0

    def add(self, row_no: int, record: Record) -> None:
        self._row_nos.append(row_no)
        row: list[str | None] = [None] * len(self.columns)
        pos = self._pos
        for c in record.cells:
            j = pos.get(c)
            if j is not None:
                row[j] = record.cell(c)
        self._rows.append(row)
        self.n_rows += 1
        if len(self._rows) >= BATCH_ROWS:
            self.flush()

    def add_all(self, rows: Iterable[tuple[int, Record]]) -> None:
        for row_no, rec in rows:
            self.add(row_no, rec)

    def flush(self) -> None:
        if not self._rows:
            return
        if self._table is None:
            self._table = self._out.table(self._locator)
            self._table.start(self.columns, 0)
        self._table.add_rows(self._row_nos, list(zip(*self._rows, strict=True)))
        self._row_nos, self._rows = [], []

    def close(self) -> None:
        self.flush()
        if self._table is not None:
            self._table.close()


def corrupt(what: str) -> FileProblem:
    """A PHI-free ``corrupt`` problem (``what`` names the format and the defect only)."""
    return FileProblem("corrupt", what)
