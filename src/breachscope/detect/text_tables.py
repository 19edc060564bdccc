"""Delimited data inside a text document (``a|b|c`` lines in a .txt, a pasted CSV block).

Such text is read as a table — headings and columns classified, values read column-wise —
and every finding keeps the character span of its cell, so it stays a text finding.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from itertools import islice

from breachscope.detect.columns import SAMPLE, plan_table
from breachscope.detect.findings import Finding, findings_from_batch
from breachscope.detect.headers import classify_header
from breachscope.detect.table import read_columns

_DELIMS = ("|", "\t", ";", ",")
MAX_LINES = 200_000


def _split(line: str, delim: str) -> list[tuple[str, int, int]]:
    """Cells of one line with their (start, end) offsets within the line."""
    if delim == "," and '"' in line:
        cells = next(csv.reader(io.StringIO(line)), [])
        out, cursor = [], 0
        for c in cells:
            k = line.find(c, cursor) if c else cursor
            k = cursor if k == -1 else k
            out.append((c, k, k + len(c)))
            cursor = k + len(c) + 1
        return out
    out, start = [], 0
    for part in line.split(delim):
        out.append((part, start, start + len(part)))
        start += len(part) + 1
    return out


def _n_delims(line: str, delim: str) -> int:
    """How many times ``delim`` separates cells in ``line`` (``len(_split(...)) - 1``)."""
    if delim == "," and '"' in line:
        return len(_split(line, delim)) - 1
    return line.count(delim)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        if line.strip():
            yield pos, line
        pos += len(raw)


def find_delimited(text: str) -> tuple[str, list[tuple[int, str]]] | None:
    """(delimiter, [(line offset, line)]) when the text is mostly delimited rows."""
    # Quick reject on the first 50 lines before reading the rest: prose has no delimiter
    # that splits 90 % of its first lines into the same number of cells.
    it = _lines(text)
    head = list(islice(it, 50))
    if len(head) < 2:
        return None
    delims = []
    for d in _DELIMS:
        n0 = _n_delims(head[0][1], d)
        if n0 < 2:
            continue  # the first line decides the count: no need to count the others
        counts = [_n_delims(ln, d) for _, ln in head]
        if sum(1 for c in counts if c == n0) >= 0.9 * len(counts):
            delims.append((d, n0))
    if not delims:
        return None
    lines = head
    for item in it:
        lines.append(item)
        if len(lines) > MAX_LINES:
            return None
    for d, n0 in delims:
        total = sum(1 for _, ln in lines if _n_delims(ln, d) == n0)
        if total >= 0.9 * len(lines):
            return d, lines
    return None


def detect_delimited(text: str, today: dt.date) -> list[Finding] | None:
    """Findings for a text that is a delimited table, or None when it is not one."""
    got = find_delimited(text)
    if got is None:
        return None
    delim, lines = got
    first = [c for c, _s, _e in _split(lines[0][1], delim)]
    known = sum(1 for c in first if classify_header(c.strip()).kind not in (None, "skip"))
    has_header = known >= 1 and not any(sum(ch.isdigit() for ch in c) > 3 for c in first)
    ncols = len(first)
    headers = [c.strip() for c in first] if has_header else [f"col_{j + 1}" for j in range(ncols)]
    body = lines[1:] if has_header else lines
    rows: list[tuple[int, list[str | None]]] = []
    spans: dict[int, list[tuple[int, int]]] = {}
    for k, (off, line) in enumerate(body):
        cells = _split(line, delim)
        row_no = k + (2 if has_header else 1)
        rows.append((row_no, [c for c, _s, _e in cells]))
        spans[row_no] = [(off + s, off + e) for _c, s, e in cells]
    plan = plan_table(headers, rows[: SAMPLE + 12], today)
    if not plan.columns:
        return []
    index = {c.header: c.index for c in plan.columns}
    out: list[Finding] = []
    for f in findings_from_batch(read_columns(plan, rows, today)):
        j = index.get(f.column_name or "")
        row_spans = spans.get(f.row_no or -1)
        if j is None or row_spans is None or j >= len(row_spans):
            continue
        s, e = row_spans[j]
        out.append(
            Finding(
                f.category, f.field, f.value, f.confidence, "text.table",
                f.explanation + "; delimited rows in a text document", s, e,
                subject=f.subject,
            )
        )  # fmt: skip
    return out
