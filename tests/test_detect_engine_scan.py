"""The re2 candidate search at the start of a text: the group set reads a line break put
before the view as the start of the text, so a candidate at 0 is dispatched like any other
and gives the match of the whole alternation in plain ``re``."""

from __future__ import annotations

import re
import re._constants as _c
import re._parser as _p
from typing import Any

import pytest

import scan_helpers
from breachscope.detect.text_patterns import CombinedScanner, _groups

# Each starts with a candidate of a different group (or none), at offset 0.
STARTS = [
    "Sincerely,\nJohn Smith\n",
    "Dayton, OH 45402\nthanks",
    "maria.h@example.com wrote on 03/14/1961",
    "123-45-6789 is the SSN",
    "Smith, John was seen",
    "John Smith said hello",
    "HIGGINS MARIA T came in",
    "diabetes mellitus, type 2; metformin 500 mg",
    "Patient: Ana Silva",
    "Dr. Raj Patel, MD",
    "1234 W Oak Street, Apt 5, Springfield, IL 62704",
    "E11.9 and I10",
    "01/02/1960 DOB",
    "Member ID: XZB400123456",
    "Dear Ms. Higgins,",
    "+44 20 7946 0958 is the number",
    "Kathryn is here",
    "the start is lower case",
    " a space first",
    "\nPatient: after a break",
    "Ünï Smith, John",
]


def _docs() -> list[str]:
    return [*STARTS, *(d.upper() for d in STARTS), *(d.lower() for d in STARTS)]


@pytest.fixture(scope="module")
def scanners() -> tuple[CombinedScanner, CombinedScanner]:
    return scan_helpers.scanners()


@pytest.mark.parametrize("doc", _docs())
def test_every_match_same_as_plain_re(
    scanners: tuple[CombinedScanner, CombinedScanner], doc: str
) -> None:
    scan_helpers.same_matches(*scanners, doc)


def _assertions(items: Any, multiline: bool, out: set[tuple[Any, bool]]) -> None:
    for op, arg in items:
        if op is _c.AT:
            out.add((arg, multiline))
        elif op is _c.BRANCH:
            for alt in arg[1]:
                _assertions(alt, multiline, out)
        elif op is _c.SUBPATTERN:
            _grp, add, remove, sub = arg
            _assertions(sub, (multiline or bool(add & re.M)) and not remove & re.M, out)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            _assertions(arg[2], multiline, out)
        else:
            assert op not in (_c.ASSERT, _c.ASSERT_NOT, _c.GROUPREF)


def test_a_line_break_before_the_view_reads_as_its_start() -> None:
    """What the set at 0 relies on: every group's assertions are ``\\b`` or a multi-line
    ``^`` / ``$``, which a line break before the text leaves as they are at its start."""
    seen: set[tuple[Any, bool]] = set()
    for _name, pat in _groups(uni=False):
        _assertions(_p.parse(pat), False, seen)
    allowed = {(_c.AT_BOUNDARY, False), (_c.AT_BOUNDARY, True)}
    allowed |= {(_c.AT_BEGINNING, True), (_c.AT_END, True)}
    assert seen <= allowed


def test_part_next_direct_and_through_the_public_search() -> None:
    """``PartNext``: the RE2 object's own ``Match`` where the wrapper exposes it, else the
    same answer through ``search`` (a wrapper without ``_regexp``)."""
    re2 = pytest.importorskip("re2")
    from breachscope.detect.text_patterns import _re2_next, _unanchored

    fast = re2.compile(b"b+")

    class Wrapped:
        def search(self, view: bytes, pos: int, end: int) -> Any:
            return fast.search(view, pos, end)

    for nxt in (_re2_next(fast), _re2_next(Wrapped())):
        assert nxt(_unanchored(), b"aabba", 0, 5)[0][0] == 2
        assert nxt(_unanchored(), b"aabba", 3, 5)[0][0] == 3
        assert nxt(_unanchored(), b"aabba", 4, 5)[0][0] == -1
    # The direct path is the RE2 object's own bound ``Match``; the wrapper's is a function of
    # ours (compiled by mypyc, a callable object without ``__name__``).
    assert _re2_next(fast) == fast._regexp.Match
    assert _re2_next(Wrapped()) != fast._regexp.Match


def test_scanners_share_the_group_set(scanners: tuple[CombinedScanner, CombinedScanner]) -> None:
    """Like the part DFAs (``re2.compile`` keeps one RE2 object per pattern), the group set
    is built once per process: a scanner warmed up warms the others."""
    fast, _plain = scanners
    assert fast._set is not None
    assert CombinedScanner("re2")._set is fast._set
