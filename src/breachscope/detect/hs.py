"""Optional Hyperscan candidate scan for the combined free-text pattern.

Hyperscan (the ``fast`` extra) scans a whole document once for *prefilters* of every group
of the combined pattern and reports each match with its leftmost start. A prefilter matches
at least a prefix of whatever its group matches, starting at the same place, so every
position where the combined pattern can match lies inside a reported span. Python's ``re``
then runs only from covered positions: the findings are those of the ``re`` / google-re2
path, found with far fewer pattern attempts.

Prefilters: a group ``\\b(?i:a|b|...)rest`` becomes one caseless expression per alternative
(``\\b(?:a)``, ...), since Hyperscan compiles many small expressions much faster than one
large alternation; the street group is cut to its head (number ... suffix), which Hyperscan
can compile; other groups are used whole. The database is compiled once per process.
"""

from __future__ import annotations

import bisect
import logging
import re._parser as sre_parse
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prefilter:
    group: str
    pattern: str
    caseless: bool = False
    width: int | None = None  # fixed match width (start = end - width; no SOM needed)


def _fixed_width(p: str) -> int | None:
    lo, hi = sre_parse.parse(p).getwidth()
    return int(lo) if lo == hi else None


def _structure(p: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, char, group depth) for each character of ``p`` from ``start`` that is
    outside escapes and character classes; the depth counts a ``(`` and stops counting
    a ``)`` as each is yielded."""
    depth, i, in_class = 0, start, False
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if p[i + 1 : i + 2] == "]":
                i += 1
        else:
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            yield i, c, depth
        i += 1


def split_top(p: str) -> list[str]:
    """``p`` split on its top-level ``|`` (outside groups and character classes)."""
    out: list[str] = []
    start = 0
    for i, c, depth in _structure(p):
        if c == "|" and depth == 0:
            out.append(p[start:i])
            start = i + 1
    out.append(p[start:])
    return out


def _close(p: str, open_at: int) -> int:
    """Index of the ``)`` closing the group opened at ``open_at``."""
    for i, c, depth in _structure(p, open_at):
        if c == ")" and depth == 0:
            return i
    raise ValueError("unbalanced pattern")


_CASELESS_HEAD = "\\b(?i:"
_WORD_GAP = "[\\s\\-]+"  # between the words of a dictionary term (text_patterns._alt)


def prefilters(groups: list[tuple[str, str]], heads: dict[str, list[str]]) -> list[Prefilter]:
    """Hyperscan expressions whose matches cover every match of ``groups``.

    ``heads`` replaces a group by patterns that match a prefix of each of its matches."""
    seen: set[tuple[str, bool]] = set()
    out: list[Prefilter] = []

    def add(name: str, pattern: str, caseless: bool) -> None:
        if (pattern, caseless) not in seen:
            seen.add((pattern, caseless))
            out.append(Prefilter(name, pattern, caseless, _fixed_width(pattern)))

    for name, pat in groups:
        for alt in heads.get(name) or split_top(pat):
            if not alt.startswith(_CASELESS_HEAD):
                add(name, alt, False)
                continue
            inner = alt[len(_CASELESS_HEAD) : _close(alt, 2)]
            for a in split_top(inner):
                # A dictionary term is found by its first word (a literal: fixed width).
                # Without its ``\\b`` (which makes caseless literals slow to compile).
                head = a.split(_WORD_GAP, 1)[0]
                if _fixed_width(head) is not None and not any(c in head for c in "([.|?*+"):
                    add(name, head, True)
                else:
                    add(name, f"\\b(?:{a})", True)
    return out


@dataclass
class Coverage:
    """Merged, sorted spans of the text where some prefilter matched."""

    starts: list[int]
    ends: list[int]

    def next_covered(self, pos: int) -> int | None:
        """The first covered position at or after ``pos`` (None: no match can start there)."""
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and self.ends[i] > pos:
            return pos
        i += 1
        return self.starts[i] if i < len(self.starts) else None


def _bucket(f: Prefilter) -> str:
    # Hyperscan compiles a few small databases much faster than one with everything in it
    # (SOM tracking across many patterns is what costs); each is scanned once per text.
    if f.width is not None:
        return "fixed"
    if f.group == "street":
        return "street"
    return "labels" if f.group.startswith("lbl_") else "other"


class HyperscanPrefilter:
    """A few compiled Hyperscan block-mode databases and their scratch spaces."""

    def __init__(self, filters: list[Prefilter]) -> None:
        import hyperscan

        buckets: dict[str, list[Prefilter]] = {}
        for f in filters:
            buckets.setdefault(_bucket(f), []).append(f)
        self._dbs: list[tuple[Any, Any, list[int | None]]] = []
        for part in buckets.values():
            db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            db.compile(
                expressions=[f.pattern.encode("ascii") for f in part],
                ids=list(range(len(part))),
                elements=len(part),
                flags=[
                    (hyperscan.HS_FLAG_SOM_LEFTMOST if f.width is None else 0)
                    | (hyperscan.HS_FLAG_CASELESS if f.caseless else 0)
                    for f in part
                ],
            )
            self._dbs.append((db, hyperscan.Scratch(db), [f.width for f in part]))
        self.n_expressions = len(filters)

    def coverage(self, view: bytes) -> Coverage:
        spans: list[tuple[int, int]] = []
        add = spans.append
        for db, scratch, widths in self._dbs:

            def on_match(
                i: int, frm: int, to: int, _flags: int, _ctx: object, w: list[int | None] = widths
            ) -> None:
                wi = w[i]
                add((frm if wi is None else to - wi, to))

            db.scan(view, match_event_handler=on_match, scratch=scratch)
        spans.sort()
        starts: list[int] = []
        ends: list[int] = []
        for s, e in spans:
            if e <= s:
                e = s + 1
            if ends and s <= ends[-1]:
                if e > ends[-1]:
                    ends[-1] = e
            else:
                starts.append(s)
                ends.append(e)
        return Coverage(starts, ends)


def build(groups: list[tuple[str, str]], heads: dict[str, list[str]]) -> HyperscanPrefilter | None:
    """The prefilter, or None when Hyperscan is missing or refuses a pattern."""
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return None
    try:
        return HyperscanPrefilter(prefilters(groups, heads))
    except Exception as exc:  # a pattern Hyperscan cannot compile: fall back, loudly
        log.warning("hyperscan prefilter not used (%s: %s)", type(exc).__name__, exc)
        return None
