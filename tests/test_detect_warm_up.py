"""``text.warm_up``: the hand-written page and the dictionary terms that build re2's DFA
states before the first evidence document. Warming changes how fast, never what is found."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from breachscope.detect import text as text_mod
from breachscope.detect import text_patterns as tp
from scan_helpers import same_matches, scanners

# Texts unlike the warm-up page: other names, forms and orders.
DOCS = [
    "Pt. name: Quiñones-Ybarra, Elena   DOB 7/30/1983   Mbr ID QXR-558201-03\n"
    "She reports nausea after starting semaglutide; A1c 7.9%. Hx: asthma, migraine.\n"
    "Seen by: Farouk Haddad, PA-C",
    "From: records@stlukes-example.org\nTo: Brandt, Oskar\n"
    "Oskar - your colonoscopy is on 12/02. Call 555.013.2288 with questions.\n"
    "Best regards,\nNina Castellanos\nScheduling",
    "ACCT 88120 | HAYES, DOROTHY M | 1944-02-11 | 19 Birch Ln, Bangor ME 04401 | "
    "SSN 219-09-9999 | MRN 7730021\nDx: Z79.4 long term (current) use of insulin",
    "Mr. Tadeusz Kowalczyk, age 81, died 05/05/2024. His daughter Agnieszka lives in "
    "Hamtramck, MI 48212 and can be reached at (313) 555-0110.",
]

FRESH = textwrap.dedent(
    """
    import datetime as dt, json, sys
    from breachscope.detect import text as tm
    docs = json.loads(sys.stdin.read())
    if sys.argv[1] == "warm":
        tm.warm_up()
    out = []
    for d in docs:
        out.append([[f.category, f.field, f.value, f.start, f.end, f.detector, f.explanation,
                     f.confidence, f.subject] for f in tm.detect_text(d, today=dt.date(2026, 1, 15))])
    print(json.dumps(out))
    """
)


def _findings(mode: str) -> list[object]:
    done = subprocess.run(
        [sys.executable, "-c", FRESH, mode],
        input=json.dumps(DOCS),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_warm_up_changes_no_finding() -> None:
    cold, warm = _findings("cold"), _findings("warm")
    assert cold == warm
    assert all(cold), "each document has findings, so the comparison means something"


def test_the_page_is_packaged_and_reaches_every_part() -> None:
    page = text_mod._warmup_page()
    assert len(page) > 2000
    view = tp.fold(page).encode("ascii")
    sc = tp.scanner()
    if not sc._nexts:
        pytest.skip("google-re2 not installed: nothing to warm")
    for nxt in sc._nexts:
        assert nxt(sc._anchor, view, 0, len(view))[0][0] >= 0


def test_every_dictionary_term_is_a_candidate_where_it_starts() -> None:
    """The terms are worth scanning: the search stops at each one (in any case)."""
    sc = tp.scanner()
    terms = tp.dictionary_terms()
    assert len(terms) > 1000
    for term in terms:
        for form in (term, term.title(), term.upper()):
            m = sc.search(form, sc.prepare(form), 0)
            assert m is not None and m.start() == 0, form


def test_search_after_warming_is_plain_re_search() -> None:
    fast, plain = scanners()
    terms = ", ".join(tp.dictionary_terms())
    fast.warm((terms, terms.upper(), text_mod._warmup_page()))
    assert sum(same_matches(fast, plain, d) for d in DOCS) > 20


def test_a_detect_worker_warms_up_and_survives_a_failed_warm_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    from breachscope.detect import runner

    calls: list[str] = []
    monkeypatch.setattr(runner, "die_with_parent", lambda pid: calls.append("die"))
    monkeypatch.setattr(runner, "warm_up", lambda: calls.append("warm"))
    runner._worker_start(os.getpid())
    assert calls == ["die", "warm"]

    def broken() -> None:
        raise FileNotFoundError("warmup.txt")

    monkeypatch.setattr(runner, "warm_up", broken)
    runner._worker_start(os.getpid())  # no exception: the warm-up only saves time
