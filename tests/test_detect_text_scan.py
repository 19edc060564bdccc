"""The re2 candidate search (per-part DFAs, the group set, the per-group tries) gives the
matches of the whole alternation in plain ``re``, also where the set is not used."""

from __future__ import annotations

import pytest

import scan_helpers
from breachscope.detect.text_patterns import CombinedScanner, _set_safe, fold
from scan_helpers import key

DOC = (
    "Patient: Maria T. Higgins   DOB: 03/14/1961   MRN: 00482913\n"
    "Member ID: XZB400123456  Plan: Blue Lake Gold PPO\n"
    "Attending: Dr. Raj Patel, MD\n"
    "Seen 2024-02-01 for type 2 diabetes mellitus; metformin 500 mg, HbA1c 7.9 %.\n"
    "Address: 1234 W Oak Street, Apt 5, Springfield, IL 62704\n"
    "Call 312-867-5309 or +44 20 7946 0958. SSN 123-45-6789. Email maria.h@example.com\n"
    "Dear Ms. Higgins,\nKathryn Jones said her mother lives in Dayton, Ohio.\n"
    "HIGGINS, MARIA T  was seen by Coder: Pat Lee\nSincerely,\nJohn Smith\n"
)

# Separators Python's ``\s`` reads as space and re2's does not; a character Python's ``\w``
# reads as a letter that the ASCII view does not ("½"); letters beyond ASCII.
ODD = [
    "Patient\x0bName: Ana Silva\nMember\x1cID: 99812345",
    "Pt½ Name: José Núñez ½Smith, John Ⅻ 12/01/1999",
    "Kelvin K ſsn 123-45-6789 naïve Dvořák lives at 12 Oak St\r\nÞórðarson, Ása",
    "Smith, John starts the text",
]


def _docs() -> list[str]:
    base = [DOC, DOC.upper(), DOC.lower(), *ODD]
    return [*base, "\n".join(base)]


@pytest.fixture(scope="module")
def scanners() -> tuple[CombinedScanner, CombinedScanner]:
    return scan_helpers.scanners()


@pytest.mark.parametrize("doc", _docs())
def test_every_match_same_as_plain_re(
    scanners: tuple[CombinedScanner, CombinedScanner], doc: str
) -> None:
    assert scan_helpers.same_matches(*scanners, doc) >= 1


def test_search_going_back_starts_over(scanners: tuple[CombinedScanner, CombinedScanner]) -> None:
    """A search from before the last one does not reuse the DFAs' next starts."""
    fast, plain = scanners
    view = fast.prepare(DOC)
    for pos in (200, 0, 350, 40, 41, 5, len(DOC) - 3, 0):
        assert key(fast.search(DOC, view, pos)) == key(plain.search(DOC, None, pos))


def test_view_reads_odd_spaces_as_spaces() -> None:
    assert fold("Patient\x0bName:\x1cAna\x1f") == "Patient Name: Ana "
    assert fold("Ünï\x0b½") == "Uni ?"


def test_set_is_not_used_where_the_view_may_read_differently() -> None:
    assert _set_safe(DOC)
    assert _set_safe("José Núñez, Dvořák")
    assert _set_safe("Patient\x0bName: Ana")  # the view has a space there (``fold``)
    assert not _set_safe("Pt½ Name")
