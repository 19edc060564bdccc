"""Delimited-text sniffing: which delimiter, and where each record of a sample ends.

Records are split with the stdlib ``csv`` module (quotes and quoted newlines honoured) over
physical lines, so the character offset where any record ends is known: the fast reader
starts pyarrow exactly after the header, whatever title block sits above it.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

DELIMITERS = (",", "\t", "|", ";")
DELIMITED_EXTENSIONS = {"csv": ",", "tsv": "\t", "tab": "\t", "psv": "|", "dat": "", "txt": ""}
TYPE_BY_DELIMITER = {",": "csv", "\t": "tsv", "|": "psv", ";": "csv"}

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class _Cursor:
    end: int = 0


def _lines(text: str, cursor: _Cursor) -> Iterator[str]:
    for m in _LINE.finditer(text):
        cursor.end = m.end()
        yield m.group()


def records_with_offsets(
    text: str, delimiter: str, complete: bool, limit: int = 2_000
) -> list[tuple[list[str], int]]:
    """Parse up to ``limit`` records of a sample; each with the offset where it ends.

    When the sample is cut (``complete`` false) the last record may be partial and is dropped.
    """
    cursor = _Cursor()
    reader = csv.reader(_lines(text, cursor), delimiter=delimiter, quotechar='"', strict=False)
    out: list[tuple[list[str], int]] = []
    try:
        for rec in reader:
            out.append((rec, cursor.end))
            if len(out) >= limit:
                return out
    except csv.Error:
        return out
    if not complete and out:
        out.pop()
    return out


@dataclass(frozen=True)
class DelimiterScore:
    delimiter: str
    width: int  # most common number of fields
    share: float  # share of non-blank records with exactly that many fields
    records: int


def score_delimiter(text: str, delimiter: str, complete: bool) -> DelimiterScore | None:
    recs = records_with_offsets(text, delimiter, complete, limit=500)
    counts = [len(r) for r, _ in recs if any(c.strip() for c in r)]
    if not counts:
        return None
    tally = Counter(counts)
    width, freq = max(tally.items(), key=lambda kv: (kv[1], kv[0]))
    if width < 2:
        return None
    # A title block above the table (report name, run date) is not held against it.
    counts = counts[counts.index(width) :]
    return DelimiterScore(delimiter, width, freq / len(counts), len(counts))


def sniff_delimiter(text: str, complete: bool, ext: str) -> str | None:
    """The delimiter of a delimited sample, or None when it reads as ordinary text.

    A ``.csv``/``.tsv``/``.psv`` extension lowers the bar for its own delimiter; ``.txt`` and
    ``.dat`` say nothing either way (exports are often tab-delimited ``.txt``).
    """
    hinted = DELIMITED_EXTENSIONS.get(ext)
    best: tuple[float, int, str] | None = None
    for d in DELIMITERS:
        if d not in text:
            continue
        s = score_delimiter(text, d, complete)
        if s is None:
            continue
        strong = hinted == d
        if s.records < 3 and not (strong and s.share == 1.0):
            continue
        need = 0.5 if strong else 0.7
        if d == "," and s.width == 2 and not strong:
            need = 0.9  # prose with one comma a line is not a table
        if s.share < need:
            continue
        rank = (round(s.share + (0.1 if strong else 0.0), 2), s.width, d)
        if best is None or rank[:2] > best[:2]:
            best = rank
    return best[2] if best else None
