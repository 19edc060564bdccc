"""The faster scans of the prose-names pass find exactly what the plain ones found.

``prose_names`` scans some patterns together (capitalised runs with person verbs, the two
vocative forms), scans others only where a literal is (``_matches_at``), and caches what
it reads from the words alone. Each is checked here against the plain form of the same
pattern on inputs chosen to be awkward: runs at a text's start and end, runs right after
a verb, names inside other words ("surname", "recalled"), overlapping cues, letters
beyond ASCII, capitals, line breaks."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from breachscope.detect import text_names as tn
from breachscope.detect import text_prose_names as pn
from breachscope.detect.person_names import split_name
from breachscope.detect.text import detect_text

TRICKY = [
    "",
    "Lisa",
    "Lisa shouted at Bob.",
    "He shouted at Lisa, then Bob Smith laughed. Ann Lee ran; Marie Egede smiled",
    "Ann Bea Cid Dee Eve went home, and Zoë Nováková whispered to Jürgen Halvorsen.",
    "the cat sat on the mat, Matthew? Remember me, Matthew! Agoti, can I come, please",
    "Hi, Lisa. Thanks, Bob, you were great, Anna. Listen, Kate: wait, we are late",
    "Delfina shouted. Delfina lives up to it. Pál lived near Buda and Rogelio grew up",
    "The Khasucha Kishiev version; a Božica Herceg concert; Suite 796 Dvur Králové nad Labem",
    "My surname Tamerlan. She named him Pál. my partner's name Tamerlan Godina.",
    "He recalled Anna. They called her Maria Lopez, and named them Jo. call me Ishmael.",
    "Monika's kid and Hana Bláhová's killers met Rogelio's address at Apple's office.",
    "Adamski and Jennings were late; our founders: Vučan, Miles and Trevino.",
    "JOHN SMITH SHOUTED AT LISA, REMEMBER ME, MATTHEW?",
    "john smith shouted at lisa, remember me, matthew?",
    "Juan: Remember me?\nCaller: hello\n  Agent: yes\nMaría: Sí, Lisa.",
    "\n\nRikke N Kruse\nReceiving clerk\nArcos Dorados Holdings Inc.\n",
    "Billing address: Tove Lindqvist\n12 Main St\n",
    "Mailing Address:  Ida Berg\nPO Box 4\nHome address: ADDRESS: Jo Lind\n\taddress: Bo Ek\n",
    "shouted Lisa A. Brown. Dr. A. B. Cee said, Mr. Lee",
    "at Alyssa and 43 Rue Royale, near Henrik Halvorsen from Oslo",
    "x  Lisa  Bob  , Ann's  son shouted  , can  Bob\tLee shouted\n",
    "’s Lisa’s son. Lisa’s mother married. Kenji Nakahara’s family",
]


def _same_matches(a: list[re.Match[str]], b: list[re.Match[str]]) -> None:
    assert [(m.span(), m.groups()) for m in a] == [(m.span(), m.groups()) for m in b]


@pytest.mark.parametrize("text", TRICKY)
def test_literal_anchored_scans(text: str) -> None:
    for rx, needles in (
        (pn._NAMED, ("name", "call")),
        (pn._POSSESSIVE, ("'s ", "’s ")),
        (pn._BLOCK_LABEL, ("Address:", "address:")),
    ):
        _same_matches(pn._matches_at(rx, text, needles), list(rx.finditer(text)))


@pytest.mark.parametrize("text", TRICKY)
def test_joint_scans_find_what_each_found(text: str) -> None:
    plain_words = re.compile(rf"(?<=[{pn._LO},;.!?] ){pn._WORDS_BODY}", re.M)
    runs = [m for m in pn._WORDS_OR_VERB.finditer(text) if m.group(1) is not None]
    verbs = [m for m in pn._WORDS_OR_VERB.finditer(text) if m.group(1) is None]
    assert [(m.span(1), m.group(1)) for m in runs] == [
        (m.span(1), m.group(1)) for m in plain_words.finditer(text)
    ]
    assert [m.start() for m in verbs] == [m.start() for m in pn._PERSON_VERB.finditer(text)]
    ends = [m for m in pn._VOCATIVE.finditer(text) if m.group(1) is not None]
    starts = [m for m in pn._VOCATIVE.finditer(text) if m.group(1) is None]
    assert [(m.start(), m.span(1)) for m in ends] == [
        (m.start(), m.span(1)) for m in pn._VOCATIVE_END.finditer(text)
    ]
    assert [m.span() for m in starts] == [m.span() for m in pn._VOCATIVE_START.finditer(text)]


def test_person_verbs_grouped_by_letter_match_the_plain_list() -> None:
    plain = re.compile(
        r"[ ](?:shouted|screamed|smiled|laughed|cried|whispered|yelled|sighed|nodded|wept|"
        r"married|lives(?![ ]+up\b)|lived(?![ ]+up\b)|grew[ ]up|was[ ]born|shouts|smiles|"
        r"laughs|cries|whispers)\b"
    )
    words = [
        "shouted", "screamed", "smiled", "laughed", "cried", "whispered", "yelled", "sighed",
        "nodded", "wept", "married", "lives", "lived", "grew", "was", "shouts", "smiles",
        "laughs", "cries", "whispers", "shout", "smile", "laughing", "crier", "livesup",
        "wasborn",
    ]  # fmt: skip
    tails = ["", " up", " up.", " upon", " born", " born!", "s", "x", ".", "\n"]
    for w, tail in itertools.product(words, tails):
        text = f"Ann {w}{tail} and Bo {w}"
        _same_matches(list(pn._PERSON_VERB.finditer(text)), list(plain.finditer(text)))


@pytest.mark.parametrize("text", TRICKY)
def test_cached_word_readings_match_uncached(text: str) -> None:
    reject = tn._PROSE_REJECT
    for m in pn._WORDS_OR_VERB.finditer(text):
        raw = m.group(1)
        if raw is None:
            continue
        if " " in raw:
            assert pn._run_words(raw, reject) == pn._run_words.__wrapped__(raw, reject)
        else:
            assert pn._lone_given(raw, reject) == pn._lone_given.__wrapped__(raw, reject)
        for caps in (False, True):
            got = tn._dictionary_name(raw, caps=caps)
            assert got == tn._dictionary_name.__wrapped__(raw, caps=caps)


def test_initials_found_alone() -> None:
    parts = split_name("D. RODRÍGUEZ")
    assert parts is not None
    spans = tn._part_spans("x D. RODRÍGUEZ", 2, 14, parts)
    assert spans == [("first", "D", 2, 3), ("last", "RODRÍGUEZ", 5, 14)]


@pytest.mark.parametrize("text", TRICKY)
def test_detect_text_runs_on_awkward_prose(text: str) -> None:
    got = detect_text(text)
    assert all(f.start is not None and f.end is not None for f in got)
    assert got == sorted(got, key=lambda f: (f.start or 0, f.end or 0))


# What the pass found on these texts before it was made faster (category, field, value,
# start, end of each ``text.prose`` finding).
PROSE_BEFORE: dict[int, list[tuple[str, str, str, int, int]]] = {
    2: [("name", "first", "Lisa", 0, 4), ("name", "first", "Bob", 16, 19)],
    3: [("name", "first", "Lisa", 14, 18)],
    5: [
        ("name", "first", "Matthew", 24, 31),
        ("name", "first", "Matthew", 46, 53),
        ("name", "first", "Agoti", 55, 60),
    ],
    6: [("name", "first", "Lisa", 4, 8), ("name", "first", "Anna", 39, 43)],
    7: [("name", "first", "Delfina", 0, 7), ("name", "last", "Pál", 41, 44)],
    8: [
        ("name", "first", "Khasucha", 4, 12),
        ("name", "last", "Kishiev", 13, 20),
        ("name", "first", "Božica", 32, 38),
        ("name", "last", "Herceg", 39, 45),
    ],
    9: [
        ("name", "last", "Pál", 35, 38),
        ("name", "first", "Tamerlan", 58, 66),
        ("name", "last", "Godina", 67, 73),
    ],
    10: [("name", "first", "Anna", 12, 16), ("name", "first", "Jo", 62, 64)],
    11: [("name", "first", "Monika", 0, 6)],
    12: [
        ("name", "last", "Adamski", 0, 7),
        ("name", "last", "Jennings", 12, 20),
        ("name", "first", "Vučan", 46, 51),
        ("name", "last", "Miles", 53, 58),
        ("name", "last", "Trevino", 63, 70),
    ],
    15: [("name", "first", "Juan", 0, 4), ("name", "first", "María", 46, 51)],
    16: [
        ("name", "first", "Rikke", 2, 7),
        ("name", "middle", "N", 8, 9),
        ("name", "last", "Kruse", 10, 15),
    ],
    17: [("name", "first", "Tove", 17, 21), ("name", "last", "Lindqvist", 22, 31)],
    21: [("name", "first", "Ann", 16, 19), ("name", "last", "Lee", 47, 50)],
    # The second Lisa and Kenji Nakahara were read by the cues "son." and "married."
    # across a sentence end; now the prose rules read them (same values and spans).
    22: [
        ("name", "first", "Lisa", 3, 7),
        ("name", "first", "Lisa", 15, 19),
        ("name", "first", "Kenji", 38, 43),
        ("name", "last", "Nakahara", 44, 52),
    ],
}


@pytest.mark.parametrize("k", range(len(TRICKY)))
def test_prose_findings_as_before(k: int) -> None:
    got = [
        (f.category, f.field, f.value, f.start, f.end)
        for f in detect_text(TRICKY[k], today=dt.date(2026, 1, 15))
        if f.detector == "text.prose"
    ]
    assert got == PROSE_BEFORE.get(k, [])
