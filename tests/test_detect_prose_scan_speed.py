"""The prose-name scans read name tokens with possessive runs of lower-case letters
(``text_prose_names._TOK``): each must find exactly what the same pattern with the
greedy token of ``text_patterns`` finds, on tricky text too (letters beyond ASCII, curly
apostrophes, no newline, CRLF, runs of capitalised words, possessives)."""

from __future__ import annotations

import random
import re

import pytest

from breachscope.detect import text_patterns
from breachscope.detect import text_prose_names as pn

_POSSESSIVE_RUN = f"[{pn._LO}]++"
_GREEDY_RUN = f"[{pn._LO}]+"

_PATTERNS = {
    name: rx
    for name, rx in vars(pn).items()
    if isinstance(rx, re.Pattern) and _POSSESSIVE_RUN in rx.pattern
}

_TEXTS = [
    "Juan: Remember me? Remember me, Matthew? Agoti, can I come in?",
    "\nMaría José: ¿Qué tal? Dvořák's kid\nŁukasz Wójcik and Núñez were there.",
    "Hana Bláhová’s killers met O’Brien. Jo's car, McDonald's case, Mary-Ann's kid.",
    "She named him Pál. My partner's name Tamerlan Godina. Her name is Ana.",
    "Adamski and Jennings were late; our founders: Vučan, Miles and Trevino.",
    "Dear team,\r\n\r\nRikke N Kruse\r\nReceiving clerk\r\nArcos Dorados Holdings Inc.\r\n",
    "\n\nRikke N Kruse\nReceiving clerk\nArcos Dorados Holdings Inc.\n",
    "Billing address: Henrik Halvorsen\n12 Main Street\n",
    "have you heard Marie Egede speak? shouted at Lisa, then Delfina shouted.",
    "Patient Name Address Phone Number Smith-Jones O'Neill D'Angelo Ootsuki Nakahara",
    "no newline here at all, just Words And More Words in Title Case 12 Room",
    "Éloïse Ångström’s daughter, Ørjan Sæther and Ðorđe Šimić lived in Zürich.",
    "Caller: Hi. Agent: Yes. Smithx: no. Mc: Go. A: B",
    "Jo'sx Jo's Jo’s Ann-marie Ann-Marie ann Ab'C O'Brien's kid",
    "",
    "Z",
    "Ab",
]

_ALPHABET = [
    *"aeisnoAEBMOSZÉéçñłŁøØßÖö '’-.,:;!?\"”()\n\r\t12",
    " and ",
    "'s ",
    "’s ",
    ", can ",
    " were",
    " shouted",
    " named him ",
    "name is ",
    "address: ",
    "Inc.",
    "Street",
    "Maria",
    "Lisa",
    "Smith",
    "Kowalski",
    "O'",
    "Mc",
]


def _plain(pattern: str) -> str:
    """Greedy runs and spaces, and ``(?:…)?`` for each alternation with an empty last
    branch."""
    for fast, plain in ((_POSSESSIVE_RUN, _GREEDY_RUN), ("|)", ")?"), ("[ ]++", "[ ]+")):
        pattern = pattern.replace(fast, plain)
    return pattern.replace("[ \\t]*+", "[ \\t]*")


def _greedy(rx: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(_plain(rx.pattern), rx.flags)


def _found(rx: re.Pattern[str], text: str) -> list[object]:
    """What a scan, a match at every position and a search up to every end find."""
    out: list[object] = [(m.span(), m.groups()) for m in rx.finditer(text)]
    for i in range(len(text) + 1):
        m = rx.match(text, i)
        out.append(None if m is None else (m.span(), m.groups()))
    for j in range(len(text) + 1):
        m = rx.search(text, max(0, j - 40), j)
        out.append(None if m is None else (m.span(), m.groups()))
    return out


def _texts() -> list[str]:
    rnd = random.Random(4)
    fuzz = ["".join(rnd.choice(_ALPHABET) for _ in range(rnd.randint(1, 40))) for _ in range(300)]
    return _TEXTS + [t.replace("\n", "\r\n") for t in _TEXTS] + fuzz


def test_token_is_text_patterns_token_made_possessive() -> None:
    assert _plain(pn._TOK) == text_patterns._TOK
    assert pn._TOK.count(_POSSESSIVE_RUN) == 4
    assert pn._TOK.count("|)") == 1  # the optional tail
    # Every scan of the module that reads a name token uses the possessive one.
    assert {
        "_TAIL_RUN",
        "_TAIL_ONE",
        "_TAIL_LIST",
        "_SPEAKER",
        "_SPEAKER_AT_START",
        "_VOCATIVE",
        "_VOCATIVE_END",
        "_COORD",
        "_WORDS_AT_START",
        "_WORDS_OR_VERB",
        "_NAMED",
        "_BLOCK_HEAD",
        "_BLOCK_FIRST",
        "_BLOCK_LABEL",
    } <= set(_PATTERNS)
    assert not any(_GREEDY_RUN + ")" in rx.pattern for rx in _PATTERNS.values())


@pytest.mark.parametrize("name", sorted(_PATTERNS))
def test_possessive_scan_finds_what_the_greedy_one_finds(name: str) -> None:
    rx = _PATTERNS[name]
    slow = _greedy(rx)
    assert slow.pattern != rx.pattern
    for text in _texts():
        assert _found(rx, text) == _found(slow, text), (name, text)


_BLOCK_TEXTS = [
    "Dear team,\n\nRikke N Kruse\nReceiving clerk\nArcos Dorados Holdings Inc.\n",
    "x\n }} \nJan Novák\n12 Main St\n\n???\nÉva Kovács Tóth\nAcme Ltd\n",
    "x\n\t\nAnna Smith\n1 Road\n\n(\nBob Jones\nX Inc\n\n'\nAl Bo\nY\n\n\"\nCy Do\n",
    "x\r\n\r\nRikke N Kruse\r\nAcme Inc.\r\n\n\r\nJo Li\nZ\n\n_\nAb Cd\n\n9\nEf Gh\n",
    "\n\n\n\nAb Cd\n\n\n—\nÉmile Zola\n\n\n‹›\nAb Cd Ef\n\n \n",
]


def test_block_head_look_ahead_finds_what_the_plain_scan_finds() -> None:
    plain = re.compile(
        "\\n" + pn._DECOR + "\\n" + pn._BLOCK_NAME.replace(pn._TOK, text_patterns._TOK)
    )
    assert plain.pattern != pn._BLOCK_HEAD.pattern
    for text in _BLOCK_TEXTS + _texts():
        assert _found(pn._BLOCK_HEAD, text) == _found(plain, text), text


def test_run_scan_finds_what_the_plain_one_finds() -> None:
    words = (
        rf"({text_patterns._TOK}(?:[ ]+(?:[A-Z]\.?|{text_patterns._TOK})){{0,2}})"
        rf"(?=[ ]*(?:[,.!?;:)\"”]|['’]s\b|$|\n)|[ ]+[{pn._LO}])"
    )
    plain = re.compile(
        rf"[ ](?=[{pn._UP}slcwynmg])(?:(?<=[{pn._LO},;.!?] ){words}|{pn._PERSON_VERB_BODY})",
        re.M,
    )
    assert plain.pattern != pn._WORDS_OR_VERB.pattern
    start = re.compile(words, re.M)
    for text in _TEXTS + _BLOCK_TEXTS + _texts():
        for tail in ("", " x", "'s", " ’s x", ")", " )", ' "', "  ”", " \n", " ,", " .", " !"):
            t = text + tail
            assert _found(pn._WORDS_OR_VERB, t) == _found(plain, t), t
            assert _found(pn._WORDS_AT_START, t) == _found(start, t), t
