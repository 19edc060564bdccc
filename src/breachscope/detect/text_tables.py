"""Delimited data inside a text document (``a|b|c`` lines in a .txt, a pasted CSV block).

Such text is read as a table — headings and columns classified, values read column-wise —
and every finding keeps the character span of its cell, so it stays a text finding.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from breachscope.detect.columns import SAMPLE, plan_table
from breachscope.detect.findings import Finding, findings_from_batch, new_finding
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


def _first_line(text: str, head: int = 256) -> str | None:
    """The first line of ``_lines(text)`` (without its line break), read from the first
    ``head`` characters only; None when it may go on past them (or there is none)."""
    chunk = text[:head]
    parts = chunk.splitlines()
    for k, line in enumerate(parts):
        if line.strip():
            return None if k == len(parts) - 1 and len(chunk) < len(text) else line
    return None


def find_delimited(text: str) -> tuple[str, list[tuple[int, str]]] | None:
    """(delimiter, [(line offset, line)]) when the text is mostly delimited rows."""
    first = _first_line(text)
    if first is not None and not any(first.count(d) >= 2 for d in _DELIMS):
        return None  # the first line has fewer than three cells whatever the delimiter
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
    return _table_findings(headers, rows, spans, today, "delimited rows in a text document")


def _table_findings(
    headers: list[str],
    rows: list[tuple[int, list[str | None]]],
    spans: dict[int, list[tuple[int, int]]],
    today: dt.date,
    why: str,
) -> list[Finding]:
    """Rows found in a text, classified and read by the table path; each finding gets the
    character span of its cell (``spans[row_no][column]``)."""
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
            new_finding(
                f.category, f.field, f.value, f.confidence, "text.table",
                f"{f.explanation}; {why}", s, e, None, None, f.subject,
            )
        )  # fmt: skip
    return out


# --- Fixed-width (space-aligned) tables inside a text ------------------------------------
#
# A mainframe report, a print-spooled listing or a patient list pasted into an e-mail has
# no delimiter: its columns are where the heading's words are. A region is a heading line
# of at least three short cells (runs of two or more spaces apart), two of them headings
# the table path knows, then at least two rows that leave a blank at every column
# boundary. Label/value forms, prose and address blocks have no such heading, or rows
# whose cells are labels themselves.

_GAP = re.compile(r" {2,}")
_RULE_RUN = re.compile(r"[-=_]{3}")


def _is_ruler(line: str) -> bool:
    """A rule line: only ``-=_+|`` and spaces, three of ``-=_`` in a row. The same lines
    as ``fullmatch`` of ``[ -=_+|]*[-=_]{3,}[ -=_+|]*`` (with the dash escaped), without
    that pattern's backtracking, long on a line of dashes and spaces."""
    return not line.strip(" -=_+|") and _RULE_RUN.search(line) is not None


_MIN_COLS = 3
_MIN_ROWS = 2
_MAX_HEADING = 32  # characters in one heading cell
_FORM_ROWS = 20  # rows checked for label cells (a form's "Name  John  DOB  1/2/60")


@dataclass(frozen=True, slots=True)
class FixedWidthRegion:
    """One space-aligned table in a text: its headings and, per row, the line offset and
    each cell's (text, start, end) with offsets in the text (blank cells are empty)."""

    start: int  # offset of the heading line
    end: int  # end of the last row
    headers: list[str]
    rows: list[tuple[int, list[tuple[str, int, int]]]]


def _all_lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        out.append((pos, raw.rstrip("\r\n")))
        pos += len(raw)
    return out


def _heading_shape(line: str) -> list[tuple[str, int, int]] | None:
    """The cells of ``line`` when they are shaped like a heading's (three or more short
    cells with letters), before asking whether the table path knows them."""
    if "  " not in line or "\t" in line:
        return None
    cells: list[tuple[str, int, int]] = []
    start = len(line) - len(line.lstrip(" "))
    for m in _GAP.finditer(line, start):
        if m.start() > start:
            cells.append((line[start : m.start()], start, m.start()))
        start = m.end()
    if start < len(line):
        cells.append((line[start:], start, len(line)))
    if len(cells) < _MIN_COLS:
        return None
    for c, _s, _e in cells:
        if len(c) > _MAX_HEADING or c.count(" ") > 3 or c[-1] in ":.,;!?":
            return None
        if sum(ch.isdigit() for ch in c) > 3 or not any(ch.isalpha() for ch in c):
            return None
    return cells


def _known_heading(cells: list[tuple[str, int, int]]) -> bool:
    """Whether two of the cells are headings the table path knows."""
    known = 0
    for c, _s, _e in cells:
        if classify_header(c).kind not in (None, "skip"):
            known += 1
            if known >= 2:
                return True
    return False


def _heading_cells(line: str) -> list[tuple[str, int, int]] | None:
    """The heading's cells with their positions, when ``line`` can head a table."""
    cells = _heading_shape(line)
    return cells if cells is not None and _known_heading(cells) else None


def _chunks(line: str, cuts: list[int]) -> list[tuple[str, int, int]]:
    """``line`` cut at ``cuts`` (positions blank in every row), each cell stripped."""
    out = []
    bounds = [0, *cuts, max(len(line), cuts[-1] + 1)]
    for a, b in itertools.pairwise(bounds):
        seg = line[a:b]
        lead = len(seg) - len(seg.lstrip())
        cell = seg.strip()
        out.append((cell, a + lead, a + lead + len(cell)))
    return out


def _grow(
    lines: list[tuple[int, str]],
    i: int,
    heading: list[tuple[str, int, int]],
    at_heading: bool = True,
) -> tuple[int, list[int]]:
    """How many lines after the heading (``lines[i]``) the region takes, and its cuts.
    Without ``at_heading`` a heading line does not end the region: the region is then at
    least as long (a bound found without classifying any line's headings)."""
    # Each boundary may fall anywhere in the heading's gap between two cells; a row keeps
    # the positions where it is blank too (a short row is blank past its end).
    cands = [set(range(heading[j - 1][2], heading[j][1])) for j in range(1, len(heading))]
    last, k = i, i + 1
    if k < len(lines) and _is_ruler(lines[k][1]):
        k += 1
    while k < len(lines):
        line = lines[k][1]
        if not line.strip():
            k += 1  # a blank line inside the region is kept only if a row follows it
            continue
        # A row has its columns two or more spaces apart somewhere (a line of prose that
        # happens to be blank at the boundaries does not); a heading again (the next
        # page's) starts a region of its own.
        if "  " not in line.strip() or "\t" in line:
            break
        if at_heading and _heading_cells(line) is not None:
            break
        n = len(line)
        new = [{p for p in c if p >= n or line[p] == " "} for c in cands]
        if not all(new):
            break
        cells = _chunks(line, [max(c) for c in new])
        if sum(1 for c, _s, _e in cells if c) < 2 or any(c.endswith(":") for c, _s, _e in cells):
            break
        cands, last, k = new, k, k + 1
    return last, [max(c) for c in cands]


def _is_label(cell: str) -> bool:
    """A cell that reads as a heading: letters, no digit, a heading the table path knows."""
    if any(ch.isdigit() for ch in cell) or not any(ch.isalpha() for ch in cell):
        return False
    return classify_header(cell).kind not in (None, "skip")


def _is_form(rows: list[list[tuple[str, int, int]]]) -> bool:
    """Whether a column of the rows is mostly labels (an aligned label/value form)."""
    sample = rows[:_FORM_ROWS]
    for j in range(len(sample[0])):
        cells = [r[j][0] for r in sample if r[j][0]]
        labels = sum(1 for c in cells if _is_label(c))
        if cells and labels * 2 >= len(cells):
            return True
    return False


def _n_rows(lines: list[tuple[int, str]], i: int, heading: list[tuple[str, int, int]]) -> int:
    """At least as many rows as the region under ``lines[i]`` has (``_grow`` without
    stopping at a heading)."""
    k = i + 1
    if k < len(lines) and _is_ruler(lines[k][1]):
        k += 1
    while k < len(lines) and not lines[k][1].strip():
        k += 1
    if k == len(lines) or "  " not in lines[k][1].strip() or "\t" in lines[k][1]:
        return 0  # where _grow stops at once
    last, _cuts = _grow(lines, i, heading, at_heading=False)
    return sum(1 for _off, ln in lines[i + 1 : last + 1] if ln.strip() and not _is_ruler(ln))


def find_fixed_width(text: str) -> list[FixedWidthRegion]:
    """The space-aligned tables in a text (none in prose, forms or address blocks)."""
    if "   " not in text:
        return []  # every column boundary of a heading has at least two spaces
    lines = _all_lines(text)
    out: list[FixedWidthRegion] = []
    i = 0
    while i < len(lines):
        heading = _heading_shape(lines[i][1])
        # Before classifying the heading's cells (costly the first time a cell is seen):
        # a line that no two rows would follow even if no heading ended them heads nothing.
        if heading is None or _n_rows(lines, i, heading) < _MIN_ROWS:
            i += 1
            continue
        if not _known_heading(heading):
            i += 1
            continue
        last, cuts = _grow(lines, i, heading)
        body = [
            (off, _chunks(ln, cuts)) for off, ln in lines[i + 1 : last + 1]
            if ln.strip() and not _is_ruler(ln)
        ]  # fmt: skip
        if len(body) < _MIN_ROWS or _is_form([cells for _off, cells in body]):
            i += 1
            continue
        headers = [c for c, _s, _e in _chunks(lines[i][1], cuts)]
        rows = [(off, [(c, off + s, off + e) for c, s, e in cells]) for off, cells in body]
        end = lines[last][0] + len(lines[last][1])
        out.append(FixedWidthRegion(lines[i][0], end, headers, rows))
        i = last + 1
    return out


def detect_fixed_width(text: str, today: dt.date) -> tuple[list[Finding], list[FixedWidthRegion]]:
    """Findings in the space-aligned tables of a text, and the regions they came from (the
    prose scan leaves those out)."""
    regions = find_fixed_width(text)
    out: list[Finding] = []
    for reg in regions:
        rows: list[tuple[int, list[str | None]]] = []
        spans: dict[int, list[tuple[int, int]]] = {}
        for k, (_off, cells) in enumerate(reg.rows):
            rows.append((k + 2, [c for c, _s, _e in cells]))
            spans[k + 2] = [(s, e) for _c, s, e in cells]
        out.extend(_table_findings(reg.headers, rows, spans, today, "space-aligned rows in a text"))
    return out, regions
