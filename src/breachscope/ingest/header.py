"""Where a table starts: title block, header row (or none), and clean column names.

Shared by delimited files and workbook sheets. A header row is the first wide row near the
top whose cells read as labels (mostly letters, distinct) and differ from the values below
them (a ``DOB`` over dates, ``SSN`` over digits, a known header word over names). A file with
no header row gets ``col_1..col_N``; short rows above a header (report title, run date) are a
title block, skipped as table rows but kept as text by the readers.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

MAX_TITLE_ROWS = 15
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_NUMBERISH = re.compile(r"[\d\s\-().,/$#+%:*xX]+")
_HEADER_VOCABULARY = """
name names first last middle mi surname given fname lname full nick suffix prefix title
dob birth birthdate born date dt age sex gender deceased death dod
ssn soc sec social security tin taxid itin
address addr street line city town state st zip zipcode postal county country apt unit
phone tel telephone mobile cell fax email mail
member mbr subscriber sub policy group grp plan payer insurer insurance coverage carrier
id ids identifier number num no nbr mrn medical record patient pt pat account acct
claim clm npi provider physician doctor dr rendering attending referring facility
dx diagnosis diag icd cpt hcpcs procedure proc code codes description desc
drug medication med meds rx ndc dose result results test lab value units unit range
admit admission discharge visit encounter service svc dos from to thru start end
amount amt paid charge charges billed allowed balance copay status type category
note notes comment comments relationship rel employer dependent license dl passport
card bank routing user username password login mbi hicn medicaid medicare
race ethnicity language marital primary secondary ref reference key seq
"""
_HEADER_WORDS = frozenset(_HEADER_VOCABULARY.split())


@dataclass(frozen=True)
class Layout:
    """The shape of a table found in its first rows (indices are 0-based into those rows)."""

    header_index: int | None  # None: no header row
    data_start: int  # first row that may hold data
    columns: tuple[str, ...]


def _nonempty(row: Sequence[str]) -> int:
    return sum(1 for c in row if c.strip())


def _kind(value: str) -> str:
    letters = sum(ch.isalpha() for ch in value)
    digits = sum(ch.isdigit() for ch in value)
    if digits and letters == 0 and _NUMBERISH.fullmatch(value):
        return "number"
    if "@" in value or (digits and digits >= letters):
        return "code"
    return "text"


def looks_like_label(cell: str) -> bool:
    """A header cell: letters, not mostly digits, not a sentence."""
    c = cell.strip()
    if not c or len(c) > 80 or "@" in c:
        return False
    letters = sum(ch.isalpha() for ch in c)
    digits = sum(ch.isdigit() for ch in c)
    return letters > 0 and digits <= letters


def is_header_word(cell: str) -> bool:
    words = [w.lower() for w in _WORD.findall(cell)]
    return any(w in _HEADER_WORDS for w in words) or "#" in cell


def is_header(row: Sequence[str], below: Sequence[Sequence[str]]) -> bool:
    """Decide whether ``row`` labels the rows ``below`` it."""
    cells = [c.strip() for c in row]
    filled = [c for c in cells if c]
    if not filled:
        return False
    labels = [c for c in filled if looks_like_label(c)]
    if len(labels) < 0.75 * len(filled):
        return False
    if len({c.lower() for c in filled}) < 0.9 * len(filled):
        return False
    yes = no = 0.0
    for j, head in enumerate(cells):
        if not head:
            continue
        col = [r[j].strip() for r in below if j < len(r) and r[j].strip()]
        if not col:
            continue
        if not looks_like_label(head):
            no += 1
            continue
        if head.lower() in {v.lower() for v in col}:
            no += 1
            continue
        kinds = Counter(_kind(v) for v in col)
        kind, n = kinds.most_common(1)[0]
        if (kind != "text" and n >= 0.6 * len(col)) or is_header_word(head):
            yes += 1
        elif len(col) >= 3 and len({len(v) for v in col}) == 1 and len(head) != len(col[0]):
            yes += 0.5
    if yes > no:
        return True
    # No evidence either way: breach exports nearly always carry a header row.
    return yes == no == 0 and len(labels) == len(filled)


def clean_columns(cells: Sequence[str], width: int) -> tuple[str, ...]:
    """Header cells as column names: trimmed, blanks and duplicates made unique."""
    names: list[str] = []
    seen: Counter[str] = Counter()
    for j in range(width):
        raw = " ".join(cells[j].split()) if j < len(cells) else ""
        name = raw or f"col_{j + 1}"
        seen[name.lower()] += 1
        if seen[name.lower()] > 1:
            name = f"{name}_{seen[name.lower()]}"
        names.append(name)
    return tuple(names)


def synthetic_columns(width: int) -> tuple[str, ...]:
    return tuple(f"col_{j + 1}" for j in range(width))


def _typical_width(rows: Sequence[Sequence[str]]) -> int:
    counts = [_nonempty(r) for r in rows]
    wide = [c for c in counts if c >= 2]
    if not wide:
        return 1
    tally = Counter(wide)
    return max(tally.items(), key=lambda kv: (kv[1], kv[0]))[0]


def _record_width(rows: Sequence[Sequence[str]]) -> int:
    """The usual number of cells a data record has (trailing empty cells included)."""
    lens = [len(r) for r in rows if _nonempty(r)]
    if not lens:
        return 0
    tally = Counter(lens)
    return max(tally.items(), key=lambda kv: (kv[1], kv[0]))[0]


def find_layout(rows: Sequence[Sequence[str]]) -> Layout:
    """Find title block, header and columns in the first rows of a table."""
    counts = [_nonempty(r) for r in rows]
    if not any(counts):
        return Layout(None, 0, ())
    typical = _typical_width(rows)
    need = max(2, math.ceil(typical / 2)) if typical >= 2 else 1
    start = next(
        (i for i, n in enumerate(counts[: MAX_TITLE_ROWS + 1]) if n >= need),
        next(i for i, n in enumerate(counts) if n),
    )
    below = [r for r in rows[start + 1 : start + 41] if _nonempty(r)]
    if is_header(rows[start], below):
        head = list(rows[start])
        while head and not head[-1].strip():
            head.pop()
        width = max(len(head), _record_width(below))
        return Layout(start, start + 1, clean_columns(head, width))
    # No header: nothing above is a title either; every row is data.
    return Layout(None, 0, synthetic_columns(_record_width(rows)))
