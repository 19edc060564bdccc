"""The finding record and a columnar batch that goes to the store as one Arrow table.

``finding_id`` is computed by DuckDB at insert time from (doc_id, row or span, column,
category, field), so the same value found at the same place gets the same id on every
run without hashing in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa

# Columns a batch carries (finding_id is derived in SQL).
BATCH_COLUMNS: tuple[str, ...] = (
    "doc_id", "file_id", "row_no", "column_name", "page", "start_char", "end_char",
    "category", "field", "value", "subject", "confidence", "detector", "explanation",
)  # fmt: skip

ARROW_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("file_id", pa.string()),
        ("row_no", pa.int32()),
        ("column_name", pa.string()),
        ("page", pa.int32()),
        ("start_char", pa.int32()),
        ("end_char", pa.int32()),
        ("category", pa.string()),
        ("field", pa.string()),
        ("value", pa.string()),
        ("subject", pa.string()),
        ("confidence", pa.float64()),
        ("detector", pa.string()),
        ("explanation", pa.string()),
    ]
)

# SQL expression for the stable id over a batch relation.
FINDING_ID_SQL = (
    "substr(md5(concat_ws(chr(31), doc_id, "
    "coalesce('r' || CAST(row_no AS VARCHAR), 'c' || CAST(start_char AS VARCHAR) || '-' || CAST(end_char AS VARCHAR)), "
    "coalesce(column_name, ''), category, coalesce(field, ''))), 1, 20)"
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One detected value. ``explanation`` never holds the raw text."""

    category: str
    field: str | None
    value: str
    confidence: float
    detector: str
    explanation: str
    start: int | None = None  # text span
    end: int | None = None
    row_no: int | None = None  # table cell
    column_name: str | None = None
    subject: str | None = None


class _Unfrozen:
    """``Finding``'s slots without the frozen ``__setattr__``: filled with plain stores, then
    given ``Finding`` as its class (same slots, same layout). About four times cheaper than
    the frozen ``__init__`` (eleven ``object.__setattr__`` calls), which the text scan pays
    once per finding."""

    __slots__ = Finding.__slots__

    def __init__(
        self,
        category: str,
        field: str | None,
        value: str,
        confidence: float,
        detector: str,
        explanation: str,
        start: int | None,
        end: int | None,
        row_no: int | None,
        column_name: str | None,
        subject: str | None,
    ) -> None:
        self.category = category
        self.field = field
        self.value = value
        self.confidence = confidence
        self.detector = detector
        self.explanation = explanation
        self.start = start
        self.end = end
        self.row_no = row_no
        self.column_name = column_name
        self.subject = subject


def new_finding(
    category: str,
    field: str | None,
    value: str,
    confidence: float,
    detector: str,
    explanation: str,
    start: int | None = None,
    end: int | None = None,
    row_no: int | None = None,
    column_name: str | None = None,
    subject: str | None = None,
) -> Finding:
    """``Finding(...)`` (the same object, equal and hashed alike), built faster."""
    f = _Unfrozen(
        category, field, value, confidence, detector, explanation, start, end, row_no,
        column_name, subject,
    )  # fmt: skip
    f.__class__ = Finding  # type: ignore[assignment]
    return f  # type: ignore[return-value]


def _check_new_finding() -> None:
    """Fall back to the plain constructor where the class swap is not allowed."""
    global new_finding
    args = ("c", "f", "v", 0.5, "d", "e", 1, 2, 3, "n", "s")
    try:
        ok = _Unfrozen.__slots__ == Finding.__slots__ and new_finding(*args) == Finding(*args)
    except TypeError:
        ok = False
    if not ok:
        new_finding = Finding


_check_new_finding()


# Key of a batch's ready-made Arrow parts (table detection builds its findings column-wise
# in Arrow; turning them into Python lists and back would cost more than finding them).
ARROW_PARTS = "arrow_parts"


def new_batch() -> dict[str, list[Any]]:
    """An empty batch: one list per column, plus a list of Arrow tables (``ARROW_PARTS``)
    with the same columns; a batch's findings are the lists' rows and the tables' rows."""
    b: dict[str, list[Any]] = {c: [] for c in BATCH_COLUMNS}
    b[ARROW_PARTS] = []
    return b


def batch_len(b: dict[str, list[Any]]) -> int:
    return len(b["doc_id"]) + sum(int(t.num_rows) for t in b.get(ARROW_PARTS, ()))


def add_finding(
    b: dict[str, list[Any]], doc_id: str, file_id: str, page: int | None, f: Finding
) -> None:
    b["doc_id"].append(doc_id)
    b["file_id"].append(file_id)
    b["row_no"].append(f.row_no)
    b["column_name"].append(f.column_name)
    b["page"].append(page)
    b["start_char"].append(f.start)
    b["end_char"].append(f.end)
    b["category"].append(f.category)
    b["field"].append(f.field)
    b["value"].append(f.value)
    b["subject"].append(f.subject)
    b["confidence"].append(round(float(f.confidence), 3))
    b["detector"].append(f.detector)
    b["explanation"].append(f.explanation)


def extend_batch(b: dict[str, list[Any]], other: dict[str, list[Any]]) -> None:
    for c in BATCH_COLUMNS:
        b[c].extend(other[c])
    b.setdefault(ARROW_PARTS, []).extend(other.get(ARROW_PARTS, ()))


def to_arrow(b: dict[str, list[Any]]) -> pa.Table:
    table = pa.table({c: b[c] for c in BATCH_COLUMNS}, schema=ARROW_SCHEMA)
    parts = b.get(ARROW_PARTS)
    if not parts:
        return table
    return pa.concat_tables([table, *parts]) if table.num_rows else pa.concat_tables(parts)


def findings_from_batch(b: dict[str, list[Any]]) -> list[Finding]:
    """Back to records (tests and small callers)."""
    cols = to_arrow(b).to_pydict()
    out = []
    for i in range(len(cols["doc_id"])):
        out.append(
            new_finding(
                cols["category"][i], cols["field"][i], cols["value"][i], cols["confidence"][i],
                cols["detector"][i], cols["explanation"][i], cols["start_char"][i],
                cols["end_char"][i], cols["row_no"][i], cols["column_name"][i], cols["subject"][i],
            )
        )  # fmt: skip
    return out
