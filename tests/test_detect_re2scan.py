"""The native candidate search (``detect/_re2scan.cc``, RE2 itself): for a text that is its
own ASCII view it gives, candidate by candidate, what the Python steps and plain ``re`` give;
other texts keep the Python steps."""

from __future__ import annotations

import os
import random
from collections.abc import Callable

import pytest

import scan_helpers
from breachscope.detect import text as text_mod
from breachscope.detect.text_patterns import CombinedScanner, _groups, _parts
from test_detect_hyperscan import _documents

IN_CI = os.environ.get("CI", "").lower() == "true"

Spans = Callable[[int], "tuple[int, int, str] | None"]

# Pieces of evidence text: labels, names in several shapes, identifiers, dates, codes,
# addresses, words the dictionaries hold, punctuation and line breaks. Fuzzed texts join
# them at random, so candidates meet at every kind of boundary.
_PIECES = [
    "Patient:", "Pt Name:", "Member ID:", "MRN", "DOB", "SSN:", "Dr.", "Attending:",
    "Coder:", "Dear", "Sincerely,", "Maria", "Higgins", "SMITH, JOHN", "O'Brien",
    "Smith-Jones", "McDonald", "de la Cruz", "123-45-6789", "03/14/1961", "2024-02-01",
    "March 3, 1962", "E11.65", "I10", "Z79.4", "99214", "G0439", "metformin", "lisinopril",
    "type 2 diabetes mellitus", "HbA1c 7.9 %", "CT abdomen", "1234 W Oak Street",
    "Apt 5", "Springfield, IL 62704", "PO Box 12", "RR 2 Box 145", "312-867-5309",
    "(701) 555-0148", "+44 20 7946 0958", "maria.h@example.com", "1EG4-TE5-MK73",
    "XZB400123456", "4111 1111 1111 1111", "Blue Cross PPO", "Medicare", "the", "and",
    "was", "IS", "seen", "for", "at", ",", ".", ";", ":", "#", "(", ")", "/", "-", "'",
    "\n", "\n\n", "\r\n", "\t", "  ", "   ",
]  # fmt: skip


def _fuzz(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        picked = [rng.choice(_PIECES) for _ in range(rng.randint(1, 30))]
        joined = "".join(p + rng.choice(["", " ", " ", "\n"]) for p in picked)
        out.append(joined.upper() if rng.random() < 0.15 else joined)
    return out


@pytest.fixture(scope="module")
def scanners() -> tuple[CombinedScanner, CombinedScanner]:
    """(the re2 scanner with its native search, plain ``re``)."""
    fast, plain = scan_helpers.scanners()
    if not fast.native_search:
        if IN_CI:
            pytest.fail("the RE2 candidate search (_re2scan) is not built in CI")
        pytest.skip("the RE2 candidate search (_re2scan) is not built")
    return fast, plain


def _stream(find: Spans, step_to_end: bool) -> list[tuple[int, int, str]]:
    """Every candidate from 0: searched again from each one's start + 1, or (as the detector
    does) from its end."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    while (got := find(pos)) is not None:
        out.append(got)
        pos = got[1] if step_to_end else got[0] + 1
    return out


def _plain_stream(plain: CombinedScanner, text: str, step_to_end: bool) -> list[object]:
    out: list[object] = []
    pos = 0
    while (m := plain.search(text, None, pos)) is not None:
        out.append((m.start(), m.end(), m.lastgroup))
        pos = m.end() if step_to_end else m.start() + 1
    return out


def _ascii_texts() -> list[str]:
    texts = [t for t in _documents() if t.isascii()]
    texts.append(text_mod._warmup_page())
    return texts + _fuzz(400, seed=11)


def test_native_search_is_used_for_an_ascii_text(
    scanners: tuple[CombinedScanner, CombinedScanner],
) -> None:
    fast, _ = scanners
    doc = "Patient: Maria Higgins DOB 03/14/1961"
    find = fast.spans(doc, fast.prepare(doc))
    assert type(find).__name__ == "Finder"
    assert find(0) == (0, len("Patient:"), "lbl_subj")


def test_every_candidate_is_plain_re_s(scanners: tuple[CombinedScanner, CombinedScanner]) -> None:
    fast, plain = scanners
    total = 0
    for text in _ascii_texts():
        for to_end in (False, True):
            got = _stream(fast.spans(text, fast.prepare(text)), to_end)
            assert got == _plain_stream(plain, text, to_end), text[:80]
            total += len(got)
    assert total > 5000  # the corpus is a real test: many candidates of many groups


def test_every_candidate_is_the_python_steps(
    scanners: tuple[CombinedScanner, CombinedScanner],
) -> None:
    fast, _ = scanners
    kinds: set[str] = set()
    for text in _ascii_texts():
        view = fast.prepare(text)
        py = fast.finder(text, fast.prepare(text))
        for s, e, kind in _stream(fast.spans(text, view), False):
            m = py(s)
            assert m is not None and (m.start(), m.end(), m.lastgroup) == (s, e, kind)
            kinds.add(kind)
    assert len(kinds) >= 25


def test_searching_back_and_past_the_end(
    scanners: tuple[CombinedScanner, CombinedScanner],
) -> None:
    fast, plain = scanners
    doc = _documents().__next__()
    assert doc.isascii()
    for text in (doc, doc.replace("Patient", "Paciente José")):
        find = fast.spans(text, fast.prepare(text))
        for pos in (200, 0, 350, 40, 41, 5, len(text) - 3, 0, len(text), len(text) + 50, -4):
            m = plain.search(text, None, max(pos, 0))
            want = None if m is None else (m.start(), m.end(), m.lastgroup)
            assert find(pos) == want


# Letters beyond ASCII, typographic marks PDFs and Word leave, and separators Python reads
# as spaces and RE2 does not: joined into fuzzed texts with the pieces above.
_NON_ASCII = [
    "José", "Núñez", "MUÑOZ, JOSÉ", "Dvořák", "Łukasz", "Ása", "Paciente:", "Teléfono:",
    "nació el 3 de marzo de 1962", "Calle Nueva 12", "\u00a0", "\u2013", "\u2022", "\u201c",
    "\u201d", "\x0b", "\x1c", "é", "ü",
]  # fmt: skip


def _non_ascii_texts() -> list[str]:
    texts = [t for t in _documents() if not t.isascii()]
    rng = random.Random(13)
    for _ in range(300):
        picked = [rng.choice(_PIECES + _NON_ASCII) for _ in range(rng.randint(1, 30))]
        texts.append("".join(p + rng.choice(["", " ", " ", "\n"]) for p in picked))
    return [t for t in texts if not t.isascii() or "\x0b" in t or "\x1c" in t]


def test_other_texts_search_natively_and_match_with_re(
    scanners: tuple[CombinedScanner, CombinedScanner],
) -> None:
    """A text that is not its own view (letters beyond ASCII, odd separators): the native
    search gives the starts and the groups that may match; ``re`` matches them on the text.
    Every candidate is plain ``re``'s."""
    fast, plain = scanners
    total = 0
    for text in _non_ascii_texts():
        find = fast.spans(text, fast.prepare(text))
        assert type(find).__name__ != "Finder"
        for to_end in (False, True):
            got = _stream(find, to_end)
            assert got == _plain_stream(plain, text, to_end), text[:80]
            total += len(got)
    assert total > 2000


def test_texts_the_set_may_misread_keep_the_python_steps(
    scanners: tuple[CombinedScanner, CombinedScanner],
) -> None:
    """A "½" is a word character to Python and not a letter of the view: the Python steps,
    without the set, decide there (``_set_safe``)."""
    fast, plain = scanners
    doc = "Pt½ Name: José Núñez ½Smith, John Ⅻ 12/01/1999"
    view = fast.prepare(doc)
    assert view[1] is None
    assert _stream(fast.spans(doc, view), True) == _plain_stream(plain, doc, True)


def test_detector_findings_same_with_and_without_native_search(
    scanners: tuple[CombinedScanner, CombinedScanner], monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, _ = scanners
    texts = [t for t in _documents()][:25] + _fuzz(60, seed=12)
    monkeypatch.setattr(text_mod, "scanner", lambda: fast)
    with_native = [text_mod.detect_text(t) for t in texts]
    monkeypatch.setattr(fast, "_native", None)
    without = [text_mod.detect_text(t) for t in texts]
    assert with_native == without
    assert sum(map(len, without)) > 300


def test_bad_programs_are_refused_clearly(
    scanners: tuple[CombinedScanner, CombinedScanner],
) -> None:
    from breachscope.detect import _re2scan  # type: ignore[attr-defined]

    groups = _groups(uni=False)
    pats = [p.encode("ascii") for _, p in groups]
    names = [n for n, _ in groups]
    with pytest.raises(ValueError, match="group 1 does not compile"):
        _re2scan.Scanner([pats[0], b"(unclosed", *pats[2:]], _parts(groups), names)
    with pytest.raises(ValueError, match="differ in length"):
        _re2scan.Scanner(pats, _parts(groups), names[:-1])
    with pytest.raises(IndexError):
        _re2scan.Scanner(pats, [[len(pats)]], names)
    with pytest.raises(TypeError):
        _re2scan.Scanner(pats, _parts(groups), names).finder("not bytes")
