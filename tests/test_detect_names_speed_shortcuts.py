"""The shortcuts of the name handlers read exactly what the plain forms read.

``_find_alone`` replaces a pattern compiled per initial, ``_last_word`` skips two
end-anchored searches when the word before a name cannot end a match, the capitalised-run
scan of ``prose_names`` turns spaces away with a look-ahead, and several readings of a
match's text alone are cached (``_run_reading``, ``_verb_reading``, ``_speaker_name``,
``_subject_label``). Each is checked here against the plain form on awkward inputs."""

from __future__ import annotations

import itertools
import random
import re

import pytest

from breachscope.detect import text_names as tn
from breachscope.detect import text_prose_names as pn
from breachscope.detect.person_names import split_name
from breachscope.detect.text import detect_text


def _alone_plain(seg: str, value: str) -> int:
    m = re.search(rf"(?<!\w){re.escape(value)}(?!\w)", seg)
    return m.start() if m else -1


def test_find_alone_matches_the_pattern() -> None:
    chars = ["D", ".", " ", "x", "_", "1", "Í", "½", "\n", ",", "DD", "D.", "Ⅻ", "é", "-"]
    values = ["D", "D.", "D..", "Í", "Í."]
    rnd = random.Random(1)
    for _ in range(20000):
        seg = "".join(rnd.choice(chars) for _ in range(rnd.randint(0, 8)))
        value = rnd.choice(values)
        assert tn._find_alone(seg, value) == _alone_plain(seg, value), (seg, value)


def test_last_word_never_hides_a_match() -> None:
    pieces = [
        "dr", "Dr", "DR", "doctor", "signed", " by", "by", "BY", "staff", "rep", "Rep", "x",
        "3", "_", "é", "ſtaff", "K", "ı", "İ", " ", "\t", ":", ",", "-", ".", "\n",
        "prepared", "entered", "nurse", "np", "RN", "coder", "user", "agent", "seen",
    ]  # fmt: skip
    rnd = random.Random(2)
    hits = 0
    for _ in range(30000):
        before = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 7)))
        last = tn._last_word(before)
        for rx, words in (
            (tn._PROVIDER_ATTACHED, tn._PROVIDER_LAST),
            (tn._STAFF_ATTACHED, tn._STAFF_LAST),
        ):
            if rx.search(before):
                hits += 1
                assert last is None or last in words, before
    assert hits > 1000


def test_run_scan_lookahead_keeps_every_verb() -> None:
    plain = re.compile(
        rf"[ ](?:(?<=[{pn._LO},;.!?] ){pn._WORDS_BODY}|{pn._PERSON_VERB_BODY})", re.M
    )
    words = [
        "shouted", "screamed", "smiled", "laughed", "cried", "whispered", "yelled", "sighed",
        "nodded", "wept", "married", "lives", "lived", "grew", "was", "shouts", "smiles",
        "laughs", "cries", "whispers", "Lisa", "Ånne", "Émile", "Zoë", "x",
    ]  # fmt: skip
    tails = ["", " up", " up.", " born", " born!", "s", ".", "\n", " Bo Ek,"]
    for w, tail in itertools.product(words, tails):
        for text in (f"Ann {w}{tail} and Bo {w}", f"he said, {w}{tail} then {w}"):
            got = [(m.span(), m.groups()) for m in pn._WORDS_OR_VERB.finditer(text)]
            assert got == [(m.span(), m.groups()) for m in plain.finditer(text)], text


RUNS = [
    "Vital Signs", "John Smith", "JOHN SMITH", "Della Arico-Ward", "The Khasucha Kishiev",
    "Patient Name John Smith", "May Day", "Grace Park Lee", "Dr Jane Roe", "Ann B. Lee",
    "Blood Pressure Reading", "Kathryn Jones", "Osmo Štavbar", "Lisa",
]  # fmt: skip


@pytest.mark.parametrize("raw", RUNS)
def test_run_reading_is_what_name_candidate_read(raw: str) -> None:
    for caps in (False, True):
        got = tn._run_reading.__wrapped__(raw, caps)
        toks = raw.split()
        win = tn._dictionary_name(raw, caps=caps)
        if win is None:
            maybe = 2 <= len(toks) <= 4 and not any(
                tn.is_hard_stopword(t) or t.lower() in tn._NAME_STOP for t in toks
            )
            assert got == (-1, int(maybe), len(toks[0]))
        else:
            i, j = win
            sub = " ".join(toks[i:j])
            assert raw[got[1] : got[2]].split() == sub.split()


@pytest.mark.parametrize(
    "g",
    [
        "Kathryn is", "Osmo Štavbar lives", "Lisa and I", "Georgia is", "Princess Royal arrived",
        "Ann Lee who said", "John's said", "Mark said", "Demidov began", "x",
    ],
)  # fmt: skip
def test_cached_readings_match_uncached(g: str) -> None:
    assert tn._verb_reading(g) == tn._verb_reading.__wrapped__(g)
    assert tn._subject_label(g + ":") == tn._subject_label.__wrapped__(g + ":")
    tok = g.split()[0]
    reject = tn._PROSE_REJECT
    assert pn._speaker_name(tok, reject) == pn._speaker_name.__wrapped__(tok, reject)


def test_comma_name_with_two_suffixes_ends() -> None:
    # "Smith, John Jr. MD" looped for ever (the second suffix was never popped).
    parts = split_name("Smith, John Jr. MD")
    assert parts is not None
    assert (parts.first, parts.last, parts.suffix) == ("John", "Smith", "MD")
    got = detect_text("Patient: Smith, John Jr. MD\n")
    assert {(f.field, f.value) for f in got if f.category == "name"} >= {
        ("first", "John"),
        ("last", "Smith"),
    }


@pytest.mark.parametrize(
    "line",
    [
        "Kellie Lyns, member since 2001",
        "Ana de la Cruz",
        "Jan van der Berg was",
        "Mr. Þórðarson and wife",
        "ROBERT SMITH jr",
        "Mary Ann mcdonald",
        "Lee, ann b",
    ],
)
def test_read_name_shortcut_matches_the_word_loop(line: str) -> None:
    got = tn._read_name(f"Name: {line}\n", 5)
    assert got is not None
    raw = tn._NAME_SHAPE.match(line)
    assert raw is not None
    plain = raw.group(0)
    cut = tn._AFTER_NAME_CUT.search(line)
    if cut and cut.start() > 0:
        plain = tn._NAME_SHAPE.match(line[: cut.start()]).group(0)  # type: ignore[union-attr]
    for k, tok in enumerate(tn._RAW_WORD.finditer(plain)):
        word = tok.group(0)
        if k and word[:1].islower() and word.lower() not in tn.PARTICLES:
            plain = plain[: tok.start()]
            break
    assert got[2] == plain.rstrip(" ,.-")
