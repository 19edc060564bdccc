"""Names in prose without labels, read from the sentence around them (issue 4, round 3).

The census lists (``person_names``) know US names; prose in case files also names people
the 1990 lists lack ("Adamski and Jennings were …", "Demidov began writing …"). Without a
model, a word is read as a name here only when the sentence gives it a person's slot:

- a contact block: a name line right above an organisation line or a street line;
- a speaker (``Juan: Remember me?``), a vocative (``Remember me, Matthew?``);
- a possessive before a person's noun (``Monika's kid``, ``Hana Bláhová's killers``);
- coordination with a person verb (``Adamski and Jennings were``);
- a census given name standing alone mid-sentence (``shouted at Lisa``);
- a two- or three-word run mid-sentence that reads First Last by the lists or by the
  shape of its words (``have you heard Marie Egede speak``).

Each rule rejects the usual look-alikes: dictionary words (drugs, conditions, payers),
organisation and place words, days and months, names that are places or ordinary words
(Georgia, Austin, Will, Grant, Page …), and words in capitals.

The surname-shape test (``name_shape``) is a short list of word endings that are very
common in European surnames and rare in English words (-ov, -ski, -ić, -sson, -dóttir,
-escu, -enko …) plus a test for romanised Japanese names (syllables of the kana table
only, at least three). It is evidence, never enough alone: a cue must come with it.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from breachscope.detect import normalize
from breachscope.detect.person_names import (
    ORG_WORDS,
    first_rank,
    is_hard_stopword,
    is_stopword,
    last_rank,
    word_set,
)
from breachscope.detect.text_patterns import _LO_X, _UP_X
from breachscope.detect.text_patterns import _TOK as _TOK_GREEDY
from breachscope.detect.text_scan import _Scan

_UP = f"A-Z{_UP_X}"
_LO = f"a-z{_LO_X}"
# The name token of ``text_patterns`` with each run of lower-case letters possessive
# (``[a-z…]++``): every pattern here follows a token with a space, punctuation, a colon,
# a line end or the text's end, never a lower-case letter, so giving a letter back can
# never lead to a match; Python's ``re`` tried the rest of the pattern once per letter
# given back. The same matches, found without those tries.
# The token's optional tail (``(?:…)?``) is written as an alternation with an empty last
# branch (``(?:…|)``): the same tries in the same order, without the bookkeeping that
# Python's ``re`` does for a repeat of a group (``?`` is one); about a tenth of the
# instructions of the run scan (``_WORDS_OR_VERB``) went into it.
_TOK_TAIL = rf"(?:['\-][{_UP}]?[{_LO}]++|[{_UP}][{_LO}]++"
_TOK = _TOK_GREEDY.replace(f"[{_LO}]+", f"[{_LO}]++").replace(_TOK_TAIL + ")?", _TOK_TAIL + "|)")

# Given names in the census lists that are far more often places, months or words when
# written alone in prose.
NOT_LONE_NAMES = word_set(
    """
    georgia virginia florence victoria chelsea paris lincoln jordan austin china india
    israel dakota carolina asia africa america savannah phoenix denver dallas houston
    orlando tampa memphis troy sydney brooklyn charlotte alexandria adelaide augusta
    madison jackson cleveland washington columbus camden kent york london berlin vienna
    mark bill will grant page sunday ruby rose may june april august march grace hope faith
    joy amber crystal summer autumn winter dawn iris ivy violet hazel jade pearl daisy holly
    heather olive basil sage rich frank guy ray rod sterling royal prince king bishop major
    christian english french german irish scott dean chase hunter mason carter taylor
    cooper porter parker baker miller walker tyler cole lane drew reed wade price rusty
    sandy misty stormy sunny happy lucky precious angel star sky river brook cliff glen
    dale forrest gene bud jack jimmy johnny tom sam max ben don ken ed al art
    addison parkinson crohn hodgkin graves bell down cushing tourette asperger alzheimer
    mercedes tiffany lexus camry fanny penny nick pat sue
    """
)

# Nouns that make the word before "'s" a person ("Monika's kid", "Rogelio's address").
_KIN_NOUNS = (
    r"kid|kids|son|sons|daughter|daughters|child|children|baby|wife|husband|mother|father|"
    r"mom|dad|mum|brother|sister|parents|boyfriend|girlfriend|fianc[ée]e?|widow|widower|"
    r"killers?|murderers?|funeral|grave|caregiver|grandson|granddaughter|grandmother|"
    r"grandfather|nephew|niece|aunt|uncle|cousin"
)
_PERSON_NOUNS = (
    _KIN_NOUNS + r"|parent|family|partner|friend|friends|address|phone|number|email|"
    r"birthday|death|murder|killing|diagnosis|surgery|doctor|nurse|lawyer|attorney|"
    r"guardian|room|bed|chart|medications?|condition|symptoms?|care|case|"
    r"name|house|home|apartment|car|life|body|hand|face|voice|eyes|hair"
)
_KIN_AFTER = re.compile(rf"['’]s[ ]+(?:{_KIN_NOUNS})\b")
# Each rule below finds its anchor first (a literal: "'s kid", " and ", "shouted"), then
# reads the words before it with an end-anchored pattern on a short slice: a pattern that
# starts at every capital letter of a long document costs more than the whole rule.
_POSSESSIVE = re.compile(rf"['’]s[ ]+(?:{_PERSON_NOUNS})\b")
_TAIL_RUN = re.compile(rf"(?<![\w'’.\-])({_TOK}(?:[ ]+(?:[A-Z]\.?|{_TOK})){{0,2}})\Z")
_TAIL_ONE = re.compile(rf"(?<![\w'’.\-])({_TOK})[ ]*\Z")
_TAIL_LIST = re.compile(rf"(?<![\w'’.\-])({_TOK}(?:,[ ]+{_TOK})*),?\Z")

# "Juan: What a wife." at a line start; "Remember me, Matthew?"; "Agoti, can I …".
# Spaces possessive (``*+``, ``++``): a token or a capital follows them, never a space.
_SPEAKER_BODY = rf"[ \t]*+({_TOK}):[ ]++(?=[A-Z\"'])"
_SPEAKER = re.compile(rf"\n{_SPEAKER_BODY}")  # a literal first: fast to scan for
_SPEAKER_AT_START = re.compile(_SPEAKER_BODY)
_VOCATIVE_END_BODY = rf"({_TOK})(?=[?!]|[,.][ ]*[\"'”]?[ ]*(?:$|\n|[A-Z]))"
_VOCATIVE_START_BODY = (
    r"(?:can|could|would|will|please|i|we|you|do|did|are|have|thank|thanks|listen|"
    r"look|come|stop|wait|remember|don't|let's|let)\b"
)
# Each form alone (the scan is ``_VOCATIVE``; the tests check that it finds the same).
_VOCATIVE_END = re.compile(rf",[ ]+{_VOCATIVE_END_BODY}")
_VOCATIVE_START = re.compile(rf",[ ]+{_VOCATIVE_START_BODY}")
# Both in one scan: after ", " one wants a capital, the other a lower-case word, and
# neither match holds a comma after its first, so each finds what it found alone.
# Group 1 is set for the first ("Remember me, Matthew?"), None for the second.
_VOCATIVE = re.compile(rf",[ ]+(?:{_VOCATIVE_END_BODY}|{_VOCATIVE_START_BODY})")

# "Adamski and Jennings were …", "our founders: Vučan, Miles and Trevino."
_COORD = re.compile(
    rf"[ ]and[ ]+({_TOK})(?=[ ]+(?:were|are|have|had|both|met|went|said|say|agreed|married|"
    r"live|lived|work|worked|came|left|told|became|began|started|spoke|talked|argued|"
    r"fought)\b|[ ]*[.;])"
)

# One to three capitalised words after a lower-case word, a comma or a sentence's end,
# followed by punctuation or a lower-case word: a lone given name ("shouted at Lisa") or
# a First Last run ("have you heard Marie Egede speak").
# Written for Python's ``re``; it finds what the plain form
# ``({_TOK}(?:[ ]+(?:[A-Z]\.?|{_TOK})){0,2})(?=[ ]*(?:[,.!?;:)"”]|['’]s\b|$|\n)|[ ]+[a-z…]))``
# finds (tests/test_detect_prose_scan_speed.py), with fewer tries:
# - the optional words nested as alternations with an empty last branch: the same tries
#   in the same order, without a repeat's bookkeeping;
# - a word tried as a token before as an initial: where a token matches, the initial
#   (one capital, then a lower-case letter or an apostrophe) fails at once, so only
#   failed tries change places;
# - spaces possessive (``[ ]++``): what follows them is never a space, so giving one back
#   cannot help;
# - the look-ahead reads its spaces once, then one class for the character after them
#   (the plain one read them twice and tried four branches before the common case, a
#   lower-case word).
_WORD = rf"(?:{_TOK}|[A-Z]\.?)"
_WORDS_BODY = (
    rf"({_TOK}(?:[ ]++{_WORD}(?:[ ]++{_WORD}|)|))"
    rf"(?=[ ]++(?:[{_LO},.!?;:)\"”\n]|['’]s\b|$)|[,.!?;:)\"”\n]|['’]s\b|$)"
)
_WORDS_AT_START = re.compile(_WORDS_BODY, re.M)  # the text's first words
_NOT_VOCATIVE = word_set(
    """everyone everybody guys folks team honey darling mom dad mum sir madam doc doctor
    nurse officer people ladies gentlemen friends kids children boss buddy mate dude son
    note plan update question answer subject warning caution reminder tip important
    notice summary"""
)
# Roles that head the turns of a transcript, a call log or a chat ("Caller: …", "Agent:
# …"); several are also census surnames. A speaker word with a role's ending (-er, -or,
# -ist, -ant, -ent) that is not a listed given name is taken as a role too.
# Past participles that head a form's fields ("Seen:", "Given:") and are census surnames.
_FORM_VERBS = word_set(
    "seen done read given taken sent paid filed signed noted first last middle"
    # The fields of Spanish forms whose accents would make them look like names
    # (``_nameish``): "Póliza: XKJ448812", "Teléfono: …", "Código postal: …".
    " póliza poliza dirección teléfono diagnóstico código género sexo edad fecha firma"
    " expediente alergias aseguradora nombre nombres apellido apellidos médico"
    " seguro plan ciudad estado domicilio celular correo"
)
_ROLES = word_set(
    """caller agent member patient rep representative customer client nurse operator user
    interviewer respondent moderator speaker host guest staff tech technician support
    system bot assistant admin administrator me you q a interpreter translator dispatcher
    pharmacist provider physician therapist counselor advocate coordinator supervisor
    manager reviewer auditor investigator adjuster examiner subscriber insured guarantor
    parent guardian spouse mother father caregiver witness applicant claimant employee
    employer student teacher driver officer deputy clerk receptionist scheduler coder
    biller attendee participant visitor owner tenant resident inmate
    médico medico médica medica doctor doctora paciente enfermero enfermera asegurado
    asegurada afiliado afiliada intérprete interprete agente representante"""
)
_ROLE_END = ("er", "or", "ist", "ant", "ent")
# Verbs that only a person does, after a single capitalised word ("Delfina shouted").
# Grouped by first letters (no two of the words match at one place, so the order is free):
# Python's ``re`` tries each alternative in turn after every space.
_PERSON_VERB_BODY = (
    r"(?:s(?:houted|creamed|miled|ighed|houts|miles)|laugh(?:ed|s)|cri(?:ed|es)|"
    r"whisper(?:ed|s)|yelled|nodded|wept|married|live(?:s(?![ ]+up\b)|d(?![ ]+up\b))|"
    r"grew[ ]up|was[ ]born)\b"
)
_PERSON_VERB = re.compile(rf"[ ]{_PERSON_VERB_BODY}")  # alone: the scan is the one below
# Capitalised runs and person verbs in one scan of the spaces: after a space one wants a
# capital, the other a lower-case word, and no space inside a match of one kind starts a
# match of the other, so each finds what it found alone. Group 1: the run; None: a verb.
# The space before a run is matched, not only looked behind at: a literal first, which
# Python's ``re`` scans for instead of trying the look-behind at every character. No
# match ends in a space, so the space never belonged to the previous match.
# The look-ahead after the space (a capital, or a verb's first letter) turns most spaces
# away at one test, before the look-behind and the verbs' alternatives are tried.
_WORDS_OR_VERB = re.compile(
    rf"[ ](?=[{_UP}slcwynmg])(?:(?<=[{_LO},;.!?] ){_WORDS_BODY}|{_PERSON_VERB_BODY})", re.M
)
_PLACE_PREP = word_set(
    """in at from near of to into via across around outside inside towards toward through
    visit visited visiting flew fly flying moved move grew born based located the a an
    de la del della di da van von le du dos das der den rue via calle ul utca rua avenida
    strada straße strasse gasse vej gade plaza street road"""
)

_LONE_PREP = word_set(
    """in from near into via across around outside inside towards toward through visit
    visited visiting flew fly flying moved move grew born based located de la del della
    di da van von le du dos das der den rue via calle ul utca rua avenida strada straße
    strasse gasse vej gade plaza street road the"""
)
_ARTICLES = word_set("a an the")
_DIGIT_BEFORE = re.compile(r"\d")
_FOLLOWED_BY_NUMBER = re.compile(r"[ ]+(?:and[ ]+)?\d")
# "She named him Pál", "my partner's name Tamerlan Godina": a strong cue.
_NAMED = re.compile(
    rf"\b(?:(?:named|call(?:ed)?)[ ]+(?:him|her|them|me)|(?P<n>name)(?:[ ]+is)?)[ ]+"
    rf"({_TOK}(?:[ ]+(?:[A-Z]\.?|{_TOK})){{0,2}})(?=[ ]*(?:[.?!,;]|$|\n))",
    re.M,
)
_NAME_OWNER = word_set("my his her their your maiden full legal")
_OPENERS = frozenset({"", ".", "!", "?", '"', "“", "\n"})
# "shouted at Lisa" names a person; "arrived at Harold" more often a place.
_AT_PERSON = word_set(
    """shouted yelled looked smiled laughed stared screamed glared waved pointed winked
    nodded frowned barked snapped"""
)
_AND_NUMBER = re.compile(r"[ ]+and[ ]+\d")  # "at Alyssa and 43 Rue …": a corner

# A contact block: a name line (at the start of the text or after a blank line, or after
# an address label), then within two lines an organisation line or a street line.
# Decorations ("}}", "???") allowed.
_DECOR = r"[ \t]*(?:[^\w\s\"'(]{1,4}[ \t]*)?"
_BLOCK_NAME = rf"{_DECOR}({_TOK}(?:[ ]+(?:[{_UP}]\.?|{_TOK})){{1,3}})[ \t]*\n"
# The look-ahead turns away at one test the lines that start with a letter, a digit or a
# CR (most lines): a blank or decoration line starts with a space, a tab, a line end or a
# decoration character, none of them a word character or a CR. An ASCII class first:
# ``\w`` asks Unicode's tables about each character; the ASCII letters and digits that
# start most lines are turned away without it.
_BLOCK_HEAD = re.compile(rf"\n(?=[^a-zA-Z0-9_\r])(?=[^\w\r]){_DECOR}\n{_BLOCK_NAME}")
_BLOCK_FIRST = re.compile(rf"(?:{_DECOR}\n)?{_BLOCK_NAME}")
_BLOCK_LABEL = re.compile(rf"[Aa]ddress:[ \t]*{_BLOCK_NAME}")
_LABEL_OWNER = word_set("billing mailing shipping postal home")
_ORG_FORM = re.compile(
    r"\b(?:Inc|Ltd|LLC|L\.L\.C|Corp|Corporation|Company|Co|PLC|plc|BV|NV|AG|SA|S\.A|GmbH|AB|"
    r"ASA|Oyj|SpA|Group|Holdings|Bancorp|Trust|Fund|Capital|Partners|ETF|Limited)\b|"
    r"[A-Za-z](?:Ltd|Inc|INC|LTD)\.?$"
)
_LABEL_LINE = re.compile(r"^(?:Personal[ ]Info|Phone|Mobile|Tel|E-?mail|Address)\b", re.I)
_NEXT_LINES = re.compile(rf"(?:{_DECOR}\n)?{_DECOR}([^\n]{{2,120}})")
_STREETISH = re.compile(r"^(?:\d|(?:PSC|Unit|USNS|USS|PO|P\.O\.)\b)")


_SHAPE_END = re.compile(
    r"(?:ov|ova|ev|eva|ovich|evich|ovna|evna|ski|ska|sky|skyi|skiy|cki|cka|icz|ić|vić|vič|ič|"
    r"ovic|evic|[lnrdbk]sen|[^aeiou]sson|dottir|dóttir|escu|enko|chuk|czuk|shvili|adze|idze|"
    r"yan|yev|aev|poulos|akis|idis|oglu|oğlu|stein|mann|ström|strom|qvist|kvist|gaard|gård|"
    r"ová|ný|ský|eanu|[aoä]inen|[aoäi]nen)$"
)
_SHAPE_WORDS = word_set(
    """alaska nebraska geneva casanova worsen lessen linen slavic kharkov rostov"""
)
_KANA = re.compile(
    r"(?:(?:ky|gy|sh|ch|ny|hy|my|ry|by|py|ts|[kgsztdnhbpmyrwfj])?[aiueo]|n(?![aiueoy]))+"
)


@lru_cache(maxsize=65536)
def surname_suffix(tok: str) -> bool:
    """Whether one word ends the way many European surnames do (-ov, -ski, -sen …)."""
    t = tok.strip(".'’")
    if len(t) < 5 or not t[:1].isupper() or not t[1:].islower():
        return False
    low = t.lower()
    return _SHAPE_END.search(low) is not None and low not in _SHAPE_WORDS


@lru_cache(maxsize=65536)
def name_shape(tok: str) -> bool:
    """A surname's ending, or a romanised Japanese name's shape (kana syllables only, at
    least three, not ending in -e: "Nakahara", "Ootsuki"; "Dosage" is not one)."""
    if surname_suffix(tok):
        return True
    t = tok.strip(".'’")
    if len(t) < 5 or not t[:1].isupper() or not t[1:].islower():
        return False
    low = t.lower()
    return not low.endswith("e") and _KANA.fullmatch(low) is not None and _kana_syllables(low) >= 3


def _matches_at(rx: re.Pattern[str], text: str, needles: tuple[str, ...]) -> list[re.Match[str]]:
    """``rx.finditer(text)`` for a pattern whose every match starts with one of ``needles``:
    the needles are found with ``str.find`` and ``rx`` is tried only there (a pattern that
    starts with ``\\b`` or an alternation is otherwise tried at every character)."""
    starts: list[int] = []
    for needle in needles:
        i = text.find(needle)
        while i != -1:
            starts.append(i)
            i = text.find(needle, i + 1)
    if len(needles) > 1:
        starts.sort()
    out: list[re.Match[str]] = []
    end = 0
    for i in starts:
        if i < end:
            continue
        m = rx.match(text, i)
        if m is not None:
            out.append(m)
            end = max(m.end(), i + 1)
    return out


def _kana_syllables(low: str) -> int:
    return sum(1 for c in low if c in "aiueo")


def _reject(tok: str, reject: frozenset[str], lone: bool = True) -> bool:
    low = tok.lower().strip(".'’")
    return (
        low in reject
        or low in ORG_WORDS
        or is_hard_stopword(tok)
        or (tok.isupper() and len(tok) > 1)
        or (lone and low in NOT_LONE_NAMES)
    )


def _role(tok: str) -> bool:
    """A role that heads a turn ("Caller", "Agent", "Dispatcher"), not a person's name."""
    low = tok.lower()
    return low in _ROLES or (low.endswith(_ROLE_END) and first_rank(tok) is None)


def _known_given(tok: str, limit: int = 1500) -> bool:
    fr = first_rank(tok)
    return fr is not None and fr <= limit and not is_stopword(tok)


def _nameish(tok: str) -> bool:
    """Known to the lists, or shaped like a surname, or written with letters beyond ASCII."""
    return (
        first_rank(tok) is not None
        or last_rank(tok) is not None
        or name_shape(tok)
        or not tok.isascii()
    )


_HOLDING = frozenset({"name", "provider", "organization", "address"})


def _taken(st: _Scan, held: list[tuple[int, int]], s: int, e: int) -> bool:
    """Whether [s, e) overlaps a name span or a finding that holds text (``held``: the
    spans of the findings of ``_HOLDING`` categories in ``st.out``)."""
    for a, b in st.name_spans:
        if a < e and s < b:
            return True
    return any(a < e and s < b for a, b in held)


def prose_names(st: _Scan, reject: frozenset[str], place_last: frozenset[str]) -> None:
    """Add the names that the sentence around them marks as a person's (see module doc)."""
    text = st.text
    found: list[tuple[int, int, str, str]] = []  # (start, end, raw, why)

    heads: list[re.Match[str]] = []
    if "\n" in text:
        first = _BLOCK_FIRST.match(text)
        heads = [first] if first else []
        heads += _BLOCK_HEAD.finditer(text)
    if "ddress:" in text:
        heads += (
            m
            for m in _matches_at(_BLOCK_LABEL, text, ("Address:", "address:"))
            if prev_word(text, m.start()).lower() in _LABEL_OWNER
        )
    for m in heads:
        raw = m.group(1)
        toks = raw.split()
        words = [t for t in toks if len(t.rstrip(".")) > 1]
        if len(words) < 2 or any(_reject(t, reject, False) for t in words):
            continue
        if words[-1].lower() in place_last or not any(_nameish(t) for t in words):
            continue
        if not _block_follows(text, m.end()):
            continue
        found.append((m.start(1), m.end(1), raw, "name line above an organisation or street"))

    if ": " in text:
        first = _SPEAKER_AT_START.match(text)
        for m in itertools.chain((first,) if first else (), _SPEAKER.finditer(text)):
            tok = m.group(1)
            if _speaker_name(tok, reject):
                found.append((m.start(1), m.end(1), tok, "given name as a speaker"))

    for m in _VOCATIVE.finditer(text) if ", " in text else ():
        tok = m.group(1)
        if tok is None:  # ", can I …": the name is the word before the comma
            t = _TAIL_ONE.search(text, max(0, m.start() - 40), m.start())
            if t is None or text[max(0, t.start(1) - 2) : t.start(1)].strip(" ") not in _OPENERS:
                continue
            tok = t.group(1)
            if _reject(tok, reject) or tok.lower() in _NOT_VOCATIVE or len(tok) < 3:
                continue
            found.append((t.start(1), t.end(1), tok, "given name as a vocative"))
            continue
        if not text[m.start() - 1 : m.start()].islower():
            continue
        if _reject(tok, reject) or tok.lower() in _NOT_VOCATIVE or _role(tok):
            continue
        if not _known_given(tok, 4000):
            continue
        found.append((m.start(1), m.end(1), tok, "given name as a vocative"))

    # An apostrophe first: one character is found by ``memchr``, a tenth of the cost of
    # looking for "'s " in a text without it (most texts).
    if "'" in text or "’" in text:
        for m in _matches_at(_POSSESSIVE, text, ("'s ", "’s ")):
            t = _TAIL_RUN.search(text, max(0, m.start() - 60), m.start())
            if t is None:
                continue
            raw = t.group(1)
            toks = [w for w in raw.split() if len(w.rstrip(".")) > 1]
            if not toks or any(_reject(w, reject, len(toks) == 1) for w in toks):
                continue
            if toks[-1].lower() in place_last:
                continue
            kin = _KIN_AFTER.match(text, m.start()) is not None
            one = toks[0]
            if len(toks) == 1 and not (_known_given(one, 4000) or surname_suffix(one) or kin):
                continue
            if len(toks) > 1 and not (kin or any(_nameish(w) for w in toks)):
                continue
            if _sentence_initial_only(text, t.start(1), toks):
                continue
            found.append((t.start(1), t.end(1), raw, "possessive before a person's noun"))

    for m in _COORD.finditer(text) if " and " in text else ():
        t = _TAIL_LIST.search(text, max(0, m.start() - 100), m.start())
        if t is None:
            continue
        toks = [*t.group(1).split(", "), m.group(1)]
        if any(_reject(w, reject) for w in toks):
            continue
        known = sum(1 for w in toks if _known_given(w) or (last_rank(w) or 10**9) <= 5000)
        if known == 0 or not all(_nameish(w) for w in toks):
            continue
        if text[m.end(1) : m.end(1) + 2].strip()[:1] in (".", ";") and (len(toks) < 3 or known < 2):
            continue  # a list closing a sentence: three names, two of them known
        k = t.start(1)
        for w in toks:
            i = text.find(w, k)
            found.append((i, i + len(w), w, "names joined by 'and' before a person verb"))
            k = i + len(w)

    # Every letter that starts a name token is an upper-case one.
    start = _WORDS_AT_START.match(text) if text[:1].isupper() else None
    for m in itertools.chain((start,) if start else (), _WORDS_OR_VERB.finditer(text)):
        tok = m.group(1)
        if tok is None:  # a person's verb: the capitalised word before it
            t = _TAIL_ONE.search(text, max(0, m.start() - 40), m.start())
            if t is None:
                continue
            tok = t.group(1)
            prev = prev_word(text, t.start(1))
            if _reject(tok, reject) or len(tok) < 3 or (prev and prev[0].isupper()):
                continue
            found.append((t.start(1), t.end(1), tok, "capitalised word before a person's verb"))
            continue
        if " " in tok:
            read = _run_words(tok, reject)  # most runs end here: no call to ``_run``
            if read is not None:
                _run(text, m, read, place_last, found)
            continue
        if not _lone_given(tok, reject):
            continue
        prev = prev_word(text, m.start(1))
        if (
            not prev
            or prev.lower() in _LONE_PREP
            or not prev[0].islower()
            or _AND_NUMBER.match(text, m.end(1))
        ):
            continue
        if prev == "at" and prev_word(text, m.start(1) - 3) not in _AT_PERSON:
            continue
        lr = last_rank(tok)
        if lr is not None and lr < (first_rank(tok) or 0):
            continue  # more often a surname or a word ("Warren", "Lee")
        found.append((m.start(1), m.end(1), tok, "census given name alone mid-sentence"))

    for m in _matches_at(_NAMED, text, ("name", "call")):
        if m.group("n"):
            owner = prev_word(text, m.start())
            if not (
                owner.lower() in _NAME_OWNER or text[m.start() - 3 : m.start() - 1] in ("'s", "’s")
            ):
                continue
        raw = m.group(2)
        toks = [t for t in raw.split() if len(t.rstrip(".")) > 1]
        if not toks or any(_reject(t, reject, len(toks) == 1) for t in toks):
            continue
        found.append((m.start(2), m.end(2), raw, "name after 'named him' / 'name'"))

    held: list[tuple[int, int]] = []
    seen = 0  # findings of ``st.out`` read into ``held`` (``_add`` only appends)
    for s, e, raw, why in sorted(found):
        for f in st.out[seen:]:
            if f.category in _HOLDING and f.start is not None and f.end is not None:
                held.append((f.start, f.end))
        seen = len(st.out)
        if _taken(st, held, s, e):
            continue
        _add(st, s, e, raw, why)


def _run(
    text: str,
    m: re.Match[str],
    words: tuple[bool, str, str, bool, bool],
    place_last: frozenset[str],
    found: list[tuple[int, int, str, str]],
) -> None:
    """Two or three capitalised words: First Last by the lists or by their shape
    (``words``: what ``_run_words`` read from them)."""
    article, head, last, by_lists, by_shape = words
    raw = m.group(1)
    rs = m.start(1)
    if article:
        prev, rs, raw = raw.split()[0], rs + raw.index(head), raw[raw.index(head) :]
    else:
        prev = prev_word(text, rs)
    if last.lower() in place_last or _FOLLOWED_BY_NUMBER.match(text, m.end(1)):
        return
    low_prev = prev.lower()
    if low_prev in _PLACE_PREP and low_prev not in _ARTICLES:
        return
    after_word = prev[:1].islower() or low_prev in _ARTICLES
    ok = (after_word and by_lists) or (
        # Wherever the run stands, the shape of its words must speak for it:
        # "Henrik Halvorsen from …", "a Božica Herceg concert"; not inside an address
        # ("… Suite 063 / María Albina", "Suite 796 Dvur Králové nad Labem").
        by_shape and not _DIGIT_BEFORE.search(text, max(0, rs - 25), rs)
    )
    if not ok:
        return
    found.append((rs, rs + len(raw), raw, "capitalised First Last in prose"))


@lru_cache(maxsize=65536)
def _speaker_name(tok: str, reject: frozenset[str]) -> bool:
    """Whether the word heading a turn ("Juan: …") is a name, not a role ("Caller: …") or
    a label ("Note: …"). The same labels head the lines of every form: cached."""
    if _reject(tok, reject) or tok.lower() in _NOT_VOCATIVE or _role(tok):
        return False
    if tok.lower() in _FORM_VERBS:
        return False  # "Seen: 1/2/2024", "Read: yes": a form's field, not a speaker
    return _known_given(tok, 4000) or _nameish(tok)


@lru_cache(maxsize=65536)
def _lone_given(tok: str, reject: frozenset[str]) -> bool:
    """A listed given name (rank 1200 or better) that no rule rejects: what a capitalised
    word alone mid-sentence must be. The same few thousand words recur: cached."""
    return _known_given(tok, 1200) and not _reject(tok, reject)


@lru_cache(maxsize=65536)
def _run_words(raw: str, reject: frozenset[str]) -> tuple[bool, str, str, bool, bool] | None:
    """What ``_run`` reads from the words alone (cached: most runs are neither, and the
    same runs recur): None when the run cannot be a name, else (a leading article, the
    first word after it, the last word of two letters or more, First Last by
    the lists, First Last by the shape of its words)."""
    toks = raw.split()
    article = toks[0].lower() in _ARTICLES and len(toks) > 2
    if article:  # "The Khasucha Kishiev version"
        toks = toks[1:]
    words = [t for t in toks if len(t.rstrip(".")) > 1]
    # Cheap test first (most runs are neither): a listed given name first, or a word
    # with a surname's shape or letters beyond ASCII.
    if len(words) < 2 or not (
        _known_given(words[0]) or any(not t.isascii() or name_shape(t) for t in words)
    ):
        return None
    if any(_reject(t, reject, False) for t in words):
        return None
    first, last = words[0], words[-1]
    by_lists = (
        _known_given(first)
        and _nameish(last)
        and first.lower() not in NOT_LONE_NAMES
        and last.lower() not in NOT_LONE_NAMES
    )
    by_shape = any(name_shape(t) or not t.isascii() for t in words) and (
        name_shape(last) or not last.isascii() or _nameish(last)
    )
    return article, toks[0], last, by_lists, by_shape


def _block_follows(text: str, pos: int) -> bool:
    """An organisation, street or contact label in the next two lines (a job title may
    come first: "Rikke N Kruse / Receiving clerk / Arcos Dorados Holdings Inc.")."""
    for _ in range(2):
        m = _NEXT_LINES.match(text, pos)
        if m is None:
            return False
        line = m.group(1).strip()
        if _ORG_FORM.search(line) or _STREETISH.match(line) or _LABEL_LINE.match(line):
            return True
        pos = m.end() + 1
    return False


def prev_word(text: str, s: int) -> str:
    j = s - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    i = j
    while i >= 0 and (text[i].isalpha() or text[i] in "'’"):
        i -= 1
    return text[i + 1 : j + 1]


def _sentence_initial_only(text: str, s: int, toks: list[str]) -> bool:
    """A single known word at a sentence start ("Apple's", "Medicare's") says nothing."""
    if len(toks) > 1 or first_rank(toks[0]) is not None or surname_suffix(toks[0]):
        return False
    before = text[max(0, s - 3) : s].strip()
    return not before or before[-1] in ".!?\n"


def _add(st: _Scan, s: int, e: int, raw: str, why: str) -> None:
    # Imported here: text_names imports this module.
    from breachscope.detect.text_names import _emit_name

    if " " not in raw.strip():
        v = normalize.clean_name(raw)
        if not v:
            return
        fr, lr = first_rank(raw), last_rank(raw)
        fld = "first" if fr is not None and (lr is None or fr <= lr) else "last"
        if fr is None and lr is None and not surname_suffix(raw):
            fld = "first"
        st.add("name", fld, v, 0.6, "text.prose", why, s, e)
        st.name_spans.append((s, e))
        return
    _emit_name(st, s, e, raw, "text.prose", 0.6, why, None)
