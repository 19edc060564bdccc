"""The re2 candidate search checked against plain ``re``: shared by the scan tests."""

from __future__ import annotations

import re

import pytest

from breachscope.detect.text_patterns import CombinedScanner


def scanners() -> tuple[CombinedScanner, CombinedScanner]:
    """(the re2 scanner, the plain ``re`` one); skips without google-re2."""
    try:
        fast = CombinedScanner("re2")
    except Exception:
        pytest.skip("google-re2 not installed")
    return fast, CombinedScanner("re")


def key(m: re.Match[str] | None) -> tuple[tuple[int, int], str | None] | None:
    return None if m is None else (m.span(), m.lastgroup)


def same_matches(fast: CombinedScanner, plain: CombinedScanner, doc: str) -> int:
    """Asserts that every match of the re2 search of ``doc``, searched from each match's
    start + 1, is plain ``re``'s (span and group); returns how many there were."""
    find = fast.finder(doc, fast.prepare(doc))
    pos, n = 0, 0
    while True:
        a, b = find(pos), plain.search(doc, None, pos)
        assert key(a) == key(b)
        if a is None:
            return n
        n += 1
        pos = a.start() + 1
