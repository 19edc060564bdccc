"""Names and addresses in free text: labels, titles, salutations, addressee blocks,
census-list guesses, provider cues, and propagation through the document."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from breachscope.detect import lexicon, normalize
from breachscope.detect.address import parse_address
from breachscope.detect.findings import Finding
from breachscope.detect.person_names import (
    ORG_WORDS,
    PARTICLES,
    NameParts,
    first_rank,
    is_hard_stopword,
    is_org_name,
    is_stopword,
    last_rank,
    looks_like_person,
    split_name,
    word_set,
)
from breachscope.detect.person_names import (
    is_suffix as _is_suffix,
)
from breachscope.detect.person_names import (
    is_title as _is_title,
)
from breachscope.detect.text_patterns import (
    _CSZ_LABEL,
    _LO_X,
    _PARTICLE,
    _POBOX_HEAD,
    _STREET_ANY,
    _STREET_HEAD,
    _STREET_SFX,
    _TOK,
    _UP_X,
    CREDENTIAL_AFTER,
    PARTICLE_WORDS,
)
from breachscope.detect.text_prose_names import (
    NOT_LONE_NAMES,
    prev_word,
    prose_names,
    surname_suffix,
)
from breachscope.detect.text_scan import (
    _SUBJECT_DETECTORS,
    _line_bounds,
    _Scan,
)

# Relation labels: the name after them is a different person from the chart's patient.
_RELATION = (
    ("subscriber", "subscriber"), ("insured", "subscriber"), ("policy", "subscriber"),
    ("guarantor", "guarantor"), ("dependent", "dependent"), ("child", "dependent"),
    ("spouse", "spouse"), ("emergency", "contact"), ("next of kin", "contact"),
    ("parent", "guardian"), ("guardian", "guardian"), ("mother", "guardian"),
    ("father", "guardian"), ("account holder", "guarantor"),
)  # fmt: skip


_NAME_STOP = word_set(
    """
    unknown withheld redacted none n/a na same self see above below patient member valued
    customer sir madam friend colleague parent guardian family resident policyholder
    subscriber insured client recipient individual team staff all whom concern provider
    doctor physician estate of the and or to for request requests authorization
    determination records record claim claims appeal appeals notice prior review approval
    denial information medical payment statement account update coverage benefits
    referral results report summary letter follow followup inquiry query confirmation
    """
)


# Only where it matches is used. One ``\b`` before all the words (the same positions as a
# ``\b`` before each): Python's ``re`` no longer tries 33 alternatives at every character.
_AFTER_NAME_CUT = re.compile(
    r"\s{2,}|[\t|;(]|\d|\b(?:D\.O\.B|(?:DOB|MRN|Date|Sex|Age|Gender|SSN|ID|Member|Acct|Account|"
    r"Phone|Tel|Address|Room|Rm|Ins|Insurance|DOS|Policy|Height|Weight|Race|Subscriber|Patient|"
    r"Provider|Facility|Email|E-mail|MBI|HICN|NPI|Medicare|Medicaid|Cell|Mobile|Fax|"
    r"was|is|has|who|WAS|IS|HAS|WHO)\b)"
)
# A label written with doubled spaces ("Patient  Name :", as OCR sets a fax) spaces its
# value the same way: there, only three blanks or more end the name.
_AFTER_NAME_CUT_WIDE = re.compile(_AFTER_NAME_CUT.pattern.replace(r"\s{2,}", r"\s{3,}", 1))
_WIDE_LABEL = re.compile(r"\w {2,}\w")


_L = f"A-Za-z{_UP_X}{_LO_X}"  # Latin letters, with those beyond ASCII ("Mr. Þórðarson")
_NAME_SHAPE = re.compile(
    rf"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|MR|MRS|MS|DR)\.?\s+)?[{_L}][{_L}'\u2019.\-]*"
    # A nickname in quotes may stand between the parts: ``Robert "Bob" Mendez``.
    rf"(?:[ ][\"\u201c][{_L}]+[\"\u201d](?=[ ,]))?"
    rf"(?:,?\s+[{_L}][{_L}'\u2019.\-]*){{0,4}}"
)


_ESTATE = re.compile(r"^(?:to\s+)?(?:the\s+)?estate\s+of\s+", re.I)


_PARENT_OF = re.compile(
    r"^(?:to\s+)?(?:the\s+)?(?:parent|guardian|parent\s+or\s+guardian)\s+of\s+", re.I
)


_NOT_NAME_LINE = re.compile(r"[\d@:/]")


# Compiled once (``re.match(str, …)`` looks the pattern up in re's cache at every call).
_RAW_WORD = re.compile(r"[^\s,]+")
_DEAR_TITLE = re.compile(r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|MR|MRS|MS|DR)\.?\s+")
_CSZ_LINE = re.compile(r"(?P<city>.+?),?\s+(?P<st>[A-Z]{2})\.?\s+(?P<zip>\d{5}(?:-\d{4})?)$")


_OPEN_QUOTES = frozenset('"\u201c')


def _read_name(
    text: str, pos: int, *, next_line: bool = True, wide: bool = False
) -> tuple[int, int, str] | None:
    """The name written right after ``pos`` (a label's end): (start, end, raw). ``wide``:
    the label's words are two blanks apart, and so are the name's."""
    n = len(text)
    i = pos
    while i < n and text[i] in " \t":
        i += 1
    if i < n and text[i] in _OPEN_QUOTES:
        i += 1  # a quoted display name: 'From: "Ramos, Angela" <aramos@…>'
    if next_line and (i >= n or text[i] in "\r\n"):
        j = i
        while j < n and text[j] in "\r\n \t":
            j += 1
        if text.count("\n", i, j) > 1:
            return None
        i = j
    line_end = text.find("\n", i)
    if line_end == -1:
        line_end = n
    line = text[i:line_end]
    # The name ends at the first of: a cut word or sign, the next field's label, the end of
    # the sentence (each the first of its kind, so the order does not matter; the cheap cut
    # first, and the label looked for only where a colon is left).
    cut = (_AFTER_NAME_CUT_WIDE if wide else _AFTER_NAME_CUT).search(line, 1)
    seg = line[: cut.start()] if cut else line
    if ":" in seg:
        seg = seg[: _next_label(line[: len(seg) + 200])]  # with the label's value after it
    if ". " in seg:
        k = _sentence_end(seg)
        if _ocr_comma(seg, k):
            # "GONZALEZ. MARIA E": a scan's comma read as a full stop (same length, so the
            # spans stay the text's).
            seg = seg[:k] + "," + seg[k + 1 :]
            k = _sentence_end(seg)
        seg = seg[:k]
    m = _NAME_SHAPE.match(seg)
    if not m:
        return None
    raw = m.group(0)
    # Stop at the first lower-case word ("Kellie Lyns, member …") unless it is a particle.
    # Words start after blanks only (a comma in ``raw`` is always followed by one): most
    # names have no lower-case word and skip the loop.
    if any(w[:1].islower() for w in raw.split()[1:]):
        for k, tok in enumerate(_RAW_WORD.finditer(raw)):
            word = tok.group(0)
            if k and word[:1].islower() and word.lower() not in PARTICLES:
                raw = raw[: tok.start()]
                break
    if "'s" in raw or "\u2019s" in raw:
        # A possessive ends the name: "Dr. Hannah Lindqvist's Care Team" names Lindqvist.
        poss = _POSSESSIVE_END.search(raw)
        if poss is not None:
            raw = raw[: poss.start()]
    raw = raw.rstrip(" ,.-")
    if len(raw) < 2:
        return None
    return i, i + len(raw), raw


_POSSESSIVE_END = re.compile(r"(?<=\w)['\u2019]s\b")

# A form's next field on the name's line, in any language: "Paciente: José Ramírez.
# Fecha de nacimiento: …", "Name: John Smith Religion: …", "Patient: Smith, Occupation: …".
# Capitalised words (up to four, one space apart) with a colon after them are a label,
# unless the first is a name itself ("Patient: SMITH, JOHN: …", "Patient: John Smith:
# follow-up"): a given name, a common surname, or a lone word after the name's first (one
# word alone ends no name; after a full stop, it does; after a comma, a label of one word
# does). The label has a value after it on the line: "Dear Maria Mumpower:" ends a
# salutation.
_LABEL_AFTER = re.compile(
    r"([.,;])?[ \t]+([^\W\d_][\w'\u2019\-]+)((?:[ ][^\W\d_][\w'\u2019\-]+){0,3})"
    r"[ \t]?:(?!//)(?=[ \t]*\S)"
)
_COMMON_SURNAME = 20_000  # rank in the census surname list
# The last word of a label of several words that names a field ("First Name:", "Date of
# Birth:", "Phone Number:"): such a label ends even a one-word value ("Last Name: Okafor
# First Name: Deshawn").
_FIELD_NOUNS = word_set(
    "name names number no date birth phone address id code status initial suffix "
    "nombre nombres apellido apellidos nacimiento"
)
# A full stop after a word of three letters or more ends the sentence, and the name: "Patient:
# Ana Soto. Retinal scan attached." Not after a title or a suffix ("Mrs. Ana Soto", "Soto
# Jr. (son)"); initials and two-letter abbreviations ("J.", "Dr.", "St.") never match.
_SENTENCE_STOP = re.compile(r"(?<=[^\W\d_]{3})\.[ \t]+(?=[^\W\d_])")


def _ocr_comma(seg: str, k: int) -> bool:
    """Whether the full stop at ``k`` stands for a comma: one surname before it and a given
    name after it ("GONZALEZ. MARIA E", as a scanned form's "LAST, FIRST" is often read)."""
    if k >= len(seg):
        return False
    before, after = seg[:k].split(), seg[k + 1 :].split()
    return (
        len(before) == 1
        and bool(after)
        and last_rank(before[0]) is not None
        and first_rank(after[0]) is not None
    )


def _sentence_end(seg: str) -> int:
    """Where the sentence holding the name ends in ``seg``, or its length."""
    for m in _SENTENCE_STOP.finditer(seg):
        word = seg[: m.start()].rsplit(None, 1)[-1]
        if not (_is_title(word) or _is_suffix(word)):
            return m.start()
    return len(seg)


def _next_label(seg: str) -> int:
    """Where the next field's label starts in ``seg`` (a name's line from the name on), or
    its length when there is none."""
    pos = 0
    while (m := _LABEL_AFTER.search(seg, pos)) is not None:
        word = m.group(2)
        pos = m.end(2)
        if not word[0].isupper() or len(word) < 3 or first_rank(word) is not None:
            continue
        rank = last_rank(word)
        if _is_title(word) or (rank is not None and rank <= _COMMON_SURNAME):
            continue
        field = m.group(3) and m.group(3).split()[-1].lower() in _FIELD_NOUNS
        if m.group(1) == "," and m.group(3) and not field:
            continue  # "VAN DER BERG, PIETER Sex: M": after a comma, a given name
        before = seg[: m.start()].split()
        last = before[-1] if before else ""
        lone = (m.group(1) is None or _is_title(last) or len(last) < 3) and len(before) < 2
        if lone and not field:
            continue  # "Mr. Kohnke: …", "J. Kohnke: …": a title's or initial's stop
        if len(last.rstrip(".")) == 1 and "," not in seg[: m.start()]:
            continue  # "Jennifer R Kreidler Date of Birth:": a name ends in no initial
        return m.start()
    return len(seg)


@lru_cache(maxsize=65536)  # pure; the same label values recur (staff, providers)
def _plausible_label_name(raw: str) -> bool:
    toks = [t.strip(".,'") for t in raw.replace(",", " ").split() if t.strip(".,'")]
    if not toks or len(toks) > 5:
        return False
    if any(t.lower() in _NAME_STOP for t in toks):
        return False
    if toks[0][0].islower() and toks[0] not in PARTICLE_WORDS:  # "de la Cruz, Juan"
        return False
    return not all(is_stopword(t) for t in toks)


def _find_alone(seg: str, value: str) -> int:
    r"""Where ``value`` first stands alone in ``seg`` (-1: nowhere): an initial ("D", "D."),
    not the D inside "RODRÍGUEZ". What ``(?<!\w)D\.(?!\w)`` finds, without compiling a
    pattern per initial (``\w``: ``isalnum()`` or an underscore, as ``re`` reads it)."""
    n, w = len(seg), len(value)
    k = seg.find(value)
    while k != -1:
        before = seg[k - 1] if k else " "
        after = seg[k + w] if k + w < n else " "
        if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
            return k
        k = seg.find(value, k + 1)
    return -1


def _part_spans(
    text: str, start: int, end: int, parts: NameParts
) -> list[tuple[str, str, int, int]]:
    seg = text[start:end]
    out: list[tuple[str, str, int, int]] = []
    # The order of ``parts.items()`` without the prefix, read without building its list.
    for fld, value in (
        ("first", parts.first),
        ("middle", parts.middle),
        ("last", parts.last),
        ("suffix", parts.suffix),
    ):
        if not value:
            continue
        clean = normalize.clean_name(value)
        if not clean:
            continue
        # An initial: the letter standing alone, not the D inside "RODRÍGUEZ".
        k = _find_alone(seg, value) if len(value.rstrip(".")) == 1 else seg.find(value, 0)
        if k == -1:
            words = value.split()
            k = seg.find(words[0])
            j = seg.find(words[-1], k + 1) if k != -1 and len(words) > 1 else -1
            if j != -1:  # "St. Clair" read as "St Clair": from its first word to its last
                out.append((fld, clean, start + k, start + j + len(words[-1])))
                continue
        if k == -1:
            out.append((fld, clean, start, end))
        else:
            out.append((fld, clean, start + k, start + k + len(value)))
    if '"' in seg or "\u201c" in seg:
        # A quoted nickname between two parts (``Robert "Bob" Mendez``) belongs to the part
        # before it, so the parts stay next to each other for the linker.
        for i in range(len(out) - 1):
            (fld, v, a, b), nxt = out[i], out[i + 1][2]
            if b < nxt and text[b:nxt].strip().startswith(('"', "\u201c")):
                out[i] = (fld, v, a, nxt - 1)
    return out


def _emit_name(
    st: _Scan,
    start: int,
    end: int,
    raw: str,
    detector: str,
    conf: float,
    why: str,
    subject: str | None,
) -> bool:
    parts = split_name(raw)
    if parts is None or not (parts.first or parts.last):
        return False
    first_new = len(st.out)
    for fld, value, s, e in _part_spans(st.text, start, end, parts):
        st.add("name", fld, value, conf, detector, why, s, e, subject)
    st.name_spans.append((start, end))
    if detector == "text.dictionary":
        st.dictionary_groups.append((parts, st.out[first_new:]))
    if detector in _SUBJECT_DETECTORS and parts.last:
        st.subject_names.append(parts)
    return True


def _emit_provider(st: _Scan, start: int, end: int, raw: str, why: str, conf: float = 0.85) -> None:
    parts = split_name(raw)
    if parts is None:
        return
    shown = " ".join(v for f, v in parts.items() if f in ("first", "middle", "last"))
    value = normalize.clean_name(shown)
    if not value:
        return
    st.add("provider", "name", value, conf, "text.provider", why, start, end)
    st.name_spans.append((start, end))
    if parts.last:
        st.provider_lasts.add(parts.last.upper())


def _credential_follows(text: str, end: int) -> bool:
    return CREDENTIAL_AFTER.match(text, end) is not None


@lru_cache(maxsize=65536)
def _dictionary_name(raw: str, *, caps: bool) -> tuple[int, int] | None:
    """The token window (i, j) of ``raw`` that reads as First [M] Last by the census lists
    (pure, and the same runs recur across documents: cached)."""
    toks = raw.split()
    for i in range(len(toks)):
        first = toks[i]
        fr = first_rank(first)
        if fr is None or is_hard_stopword(first) or len(first.strip(".")) < 2:
            continue
        for j in range(min(len(toks), i + 3), i + 1, -1):
            last = toks[j - 1]
            lr = last_rank(last)
            if lr is None or is_hard_stopword(last) or len(last) < 2:
                continue
            # "May Day", "Grace Park": both halves ordinary words is too weak.
            if is_stopword(first) and is_stopword(last):
                continue
            mids = toks[i + 1 : j - 1]
            if any(len(m.strip(".")) > 1 and is_stopword(m) for m in mids):
                continue
            limit = 20000 if caps else 60000
            if lr > limit and fr > 1500:
                continue
            return i, j
    return None


def _name_candidate(st: _Scan, m_start: int, raw: str, kind: str) -> int:
    """Validate a capitalised run / comma form; returns where scanning should resume."""
    text = st.text
    if kind == "comma_name":
        head, _, tail = raw.partition(",")
        tail_toks = tail.split()
        if not tail_toks:
            return m_start + len(raw)
        caps = raw.isupper()
        last, first = head.strip(), tail_toks[0]
        if len(first) == 2 and first.isupper() and not caps and normalize.state_code(first):
            # "moved to Lansing, MI", "Winfield, PA": a town and its state, not LAST, FIRST.
            return m_start + len(raw)
        lt = last.split()
        if len(lt) >= 2 and _is_suffix(lt[-1]):
            lt.pop()  # "TARNOWSKI SR, GREGORY": the suffix before the comma
        last = lt[-1]
        if len(lt) > 1:
            # "de la Cruz, Juan", "Van Der Berg, Anna": the particles say surname; the
            # given name must still be one the lists know, and after a capitalised
            # particle the surname too ("La Quinta, Ana" is a hotel).
            ok = (
                first_rank(first) is not None
                and (lt[0].islower() or last_rank(last) is not None)
                and not is_hard_stopword(last)
                and not is_hard_stopword(first)
            )
        else:
            ok = (
                last_rank(last) is not None
                and first_rank(first) is not None
                and not is_hard_stopword(last)
                and not is_hard_stopword(first)
                and not (is_stopword(last) and is_stopword(first))
            )
        if not ok:
            return m_start + len(head) + 1
        end = m_start + len(raw.rstrip("."))
        conf = 0.6 if caps else 0.7
        _dictionary_or_provider(st, m_start, end, raw.rstrip("."), conf)
        return end
    read = _run_reading(raw, kind == "caps_run")
    if read[0] < 0:
        end = m_start + len(raw)
        if read[1] and _IDENTITY_AFTER.match(text, end):
            # "Della Arico-Ward, DOB 11/08/2011": a name directly followed by identity data.
            _dictionary_or_provider(
                st, m_start, end, raw, 0.75, "capitalised name followed by DOB/MRN/age"
            )
            return end
        # Resume after the first token so a name later in the run is still seen.
        return m_start + read[2]
    s = m_start + read[1]
    e = m_start + read[2]
    _dictionary_or_provider(st, s, e, text[s:e], 0.55 if kind == "caps_run" else 0.65)
    return e


@lru_cache(maxsize=65536)
def _run_reading(raw: str, caps: bool) -> tuple[int, int, int]:
    """What ``_name_candidate`` reads from a capitalised run alone (pure; runs recur):
    (-1, whether identity data after it would make it a name, the first token's length)
    when the lists find no First Last in it, else (0, start, end) of that name in ``raw``."""
    toks = raw.split()
    win = _dictionary_name(raw, caps=caps)
    if win is None:
        maybe = 2 <= len(toks) <= 4 and not any(
            is_hard_stopword(t) or t.lower() in _NAME_STOP for t in toks
        )
        return -1, int(maybe), len(toks[0])
    i, j = win
    offs = []
    k = 0
    for t in toks:
        k = raw.find(t, k)
        offs.append(k)
        k += len(t)
    return 0, offs[i], offs[j - 1] + len(toks[j - 1])


_IDENTITY_AFTER = re.compile(
    r"[ \t]*[,(]?[ \t]*(?:DOB|D\.O\.B\.?|date\s+of\s+birth|born|MRN|Chart\s*#|"
    r"age\s+\d|\d{1,3}\s*(?:y/?o|yo|years?\s+old|-year-old))",
    re.I,
)


def _dictionary_or_provider(
    st: _Scan,
    s: int,
    e: int,
    raw: str,
    conf: float,
    why: str = "census first+last name lists; capitalisation",
    *,
    person_slot: bool = False,
) -> None:
    """``person_slot``: the run stands where prose puts a person ("Alexander is …", "said
    Alexander"): a common given name alone there is the given name."""
    text = st.text
    if raw.endswith(("'s", "\u2019s")) and len(raw) > 3:
        raw, e = raw[:-2], e - 2  # "Patricia Anderson's Cautionary Tales": the possessive
    if _credential_follows(text, e):
        _emit_provider(st, s, e, raw, "census-list name followed by a clinical credential")
        return
    if _firm_or_place(raw) or _ORG_AFTER.match(text, e):
        return  # "Phoenix Global Mining Ltd", "Victoria Station": a firm's or a place's name
    nxt = _NEXT_CAPS.match(text, e)
    if nxt and any(w.lower() in ORG_WORDS for w in nxt.group(0).split()):
        return  # "Jordan Valley Medical Center": an organisation's name
    # A provider or staff cue binds only to the name it is attached to ("Dr. Adams",
    # "Attending physician Jane Roe"), not to another name later in the sentence ("Dr.
    # Adams examined Peter Parker": Peter Parker is the patient).
    before = text[max(0, s - 40) : s]
    last = _last_word(before)
    if (last is None or last in _PROVIDER_LAST) and _PROVIDER_ATTACHED.search(before):
        _emit_provider(st, s, e, raw, "census-list name right after a provider title or role", 0.7)
        return
    if (last is None or last in _STAFF_LAST) and _STAFF_ATTACHED.search(before):
        st.name_spans.append((s, e))
        return
    if " " not in raw.strip():
        # One word in prose: a given name when the lists say so ("Kathryn is …"), else
        # read as the surname ("Mr Jennings", "Adamski said").
        v = normalize.clean_name(raw)
        if v:
            fr, lr = first_rank(raw), last_rank(raw)
            # A common given name alone is a given name ("Alexander is a 50-year-old man"),
            # even where it is a commoner surname; a title before it says surname.
            fld = "first" if fr is not None and (lr is None or fr <= lr) else "last"
            if person_slot and fld == "last" and fr is not None and fr <= _LONE_GIVEN:
                fld = "last" if _SURNAME_CUE.search(before) else "first"
            if lr is None and fr is None and not _SURNAME_CUE.search(before):
                fld = "first"
            st.add("name", fld, v, conf, "text.dictionary", why, s, e)
            st.name_spans.append((s, e))
        return
    _emit_name(st, s, e, raw, "text.dictionary", conf, why, None)
    cue = _PERSON_CUE_BEFORE.search(before)
    if cue is not None and "(" in text[e : e + 4]:
        # "the claim for member Jane Roe (ID# ZXC1128877)": the person's ID in brackets
        _id_after_name(st, e, cue.group(1).lower(), None)


@lru_cache(maxsize=65536)  # pure; the same names recur
def _firm_or_place(raw: str) -> bool:
    """A firm's word in the run ("Lucas Bols Amsterdam BV"), or a place's last word
    ("Victoria Station", "Jordan Valley")."""
    toks = raw.split()
    if any(t.lower().strip(".,") in _ORG_NAME_WORDS for t in toks):
        return True
    return len(toks) > 1 and toks[-1].lower() in _PLACE_ONLY_LAST


# A company's legal form or kind within three capitalised words after a name-shaped run.
_ORG_AFTER = re.compile(
    r"(?:[ ]+[A-Z][\w&'.\-]*){0,3}?,?[ ]+(?:Inc|Ltd|LLC|L\.L\.C|Corp|Corporation|Company|Co|PLC|"
    r"plc|BV|NV|AG|SA|S\.A|GmbH|AB|ASA|Oyj|SpA|Group|Holdings|Bancorp|Trust|Fund|Capital|"
    r"Partners|Mining|Orchestra)\b"
)
_ORG_NAME_WORDS = ORG_WORDS | word_set("limited holdings bancorp capital orchestra")

# Last words of a capitalised pair that are places, never surnames in practice.
_PLACE_ONLY_LAST = word_set(
    "station airport valley county city village island islands falls bay beach square "
    "centre center mountains"
)
_NEXT_CAPS = re.compile(r"(?:[ ]+[A-Z][\w&'.\-]*){1,2}")

_LONE_GIVEN = 500  # rank in the census given-name lists: Alexander 141, Taylor 422
_SURNAME_CUE = re.compile(r"\b(?:mr|mrs|ms|miss|mx)\.?[ ]+$", re.I)


_PROVIDER_ATTACHED = re.compile(
    r"\b(?:dr|doctor|physician|provider|attending|referring|ordering|rendering|pcp|surgeon|"
    r"prescriber|np|rn|nurse|practitioner|clinician|(?:signed|dictated|seen|reviewed|"
    r"referred|examined|treated|performed|read)\s+by)\.?[ \t:,\-]*$",
    re.I,
)
_STAFF_ATTACHED = re.compile(
    r"\b(?:coder|author|prepared\s+by|entered\s+by|staff|employee|analyst|reviewer|auditor|"
    r"user|agent|representative|rep)\.?[ \t:,\-]*$",
    re.I,
)


# The last word of every match of the two patterns above: a cheap test first (most
# names have neither before them; each search tries every word of 40 characters).
_PROVIDER_LAST = word_set(
    """dr doctor physician provider attending referring ordering rendering pcp surgeon
    prescriber np rn nurse practitioner clinician by"""
)
_STAFF_LAST = word_set(
    "coder author by staff employee analyst reviewer auditor user agent representative rep"
)


def _last_word(before: str) -> str | None:
    r"""The word that ends ``before`` where ``_PROVIDER_ATTACHED`` or ``_STAFF_ATTACHED``
    would read it (before trailing ``[ \t:,-]``, one dot and one final line break), in
    lower case; None when it has letters beyond ASCII (``re.I`` matches "ſ" to "s")."""
    t = before[:-1] if before.endswith("\n") else before
    t = t.rstrip(" \t:,-")
    if t.endswith("."):
        t = t[:-1]
    i = len(t)
    while i and t[i - 1].isalpha():
        i -= 1
    word = t[i:]
    return word.lower() if word.isascii() else None


_STRONG_CUES = word_set(
    """said says told tell asked ask met meet married named call called name i'm i it's
    kid son daughter wife husband mother father brother sister child grandson granddaughter
    grandmother grandfather aunt uncle nephew niece cousin partner friend ms mrs mr miss
    writes wrote"""
)
_PROSE_REJECT = (
    frozenset(
        lexicon.DRUGS + lexicon.CONDITIONS + lexicon.PROCEDURES + lexicon.LAB_TESTS + lexicon.PAYERS
    )
    | ORG_WORDS
    | _NAME_STOP
    | word_set(
        """monday tuesday wednesday thursday friday saturday sunday january february july
    september october november december covid god jesus christ lord english spanish french
    german chinese american mexican canadian european african asian latino hispanic portal
    app online website"""
    )
)


# Last words that make a capitalised run a place or a street ("Sansouci Dam", "Kruse
# Route", "Desnoyer Wells"), not a person, when only a prose cue speaks for it.
_PLACE_LAST = frozenset(
    re.sub(r"[()?:]", " ", _STREET_SFX).replace("|", " ").lower().split()
) | word_set(
    """town city village county port dam dale mountain mountains bridge river lake falls
    island islands bay beach harbour fields field forest wood station airport centre center
    square market castle abbey church cathedral tower hall house fund bancorp capital
    holdings trust therapeutics technologies pharmaceuticals"""
)


def _prose_tokens(raw: str) -> list[str]:
    return [t for t in raw.replace("'s ", " ").split() if len(t.rstrip(".")) > 1]


def _prose_name_ok(toks: list[str], strong: bool, verb: bool = False) -> bool:
    """Whether capitalised words written in prose next to a person cue read as a name."""
    if not toks or len(toks) > 3:
        return False
    if len(toks) > 1 and toks[-1].lower().strip(".") in _PLACE_LAST:
        return False
    for t in toks:
        low = t.lower().strip(".'")
        if low in _PROSE_REJECT or is_hard_stopword(t) or (t.isupper() and len(t) <= 3):
            return False
    if len(toks) == 1:
        t = toks[0]
        if is_stopword(t):
            return strong and first_rank(t) is not None
        if not strong and not verb and t.lower() in NOT_LONE_NAMES:
            return False  # "flew to Austin", "went to Georgia"
        fr = first_rank(t)
        if fr is not None:
            return True
        # A name the 1990 lists lack ("Matilde", "Jørgen"): only after a strong cue, or
        # before a person verb with a surname's ending ("Demidov began", "Halvorsen said").
        return (strong and len(t) >= 3 and t[1:].islower()) or (verb and surname_suffix(t))
    known = first_rank(toks[0]) is not None or last_rank(toks[-1]) is not None
    if any(is_stopword(t) for t in toks):
        return known and strong
    # Two or three name-shaped words next to a person cue: a name even when the 1990
    # lists lack it ("Jørgen Egede explained"), unless a word is all capitals.
    return known or strong or not any(t.isupper() for t in toks)


def _h_cue_name(st: _Scan, s: int, e: int, g: str) -> int:
    """``said Edda``, ``call me Matilde``, ``my son Peter Parker``: a name after a cue."""
    m = _CUE_SPLIT.match(g)
    if m is None:
        return e
    ns = s + m.end()
    cue = " ".join(m.group(1).lower().split()).rstrip(".")
    if m.group(1).endswith(".") and cue not in _ABBREVIATED_CUES:
        return ns  # "accompanied by mother. Using albuterol": a sentence ends at the cue
    raw = g[m.end() :]
    # The name may be a longer run (a third token, a title inside): let the run groups
    # and titles see it when this reading fails.
    toks = raw.split()
    if _is_title(toks[0]) or any(a <= ns < b for a, b in st.name_spans[-4:]):
        return ns
    if toks[0].lower() in PARTICLE_WORDS and _PARTICLE_COMMA.match(st.text, ns):
        return ns  # "patient Van Der Berg, Anna", "to De Soto, MO": the comma form reads it
    comma = _COMMA_THEN_NAME.match(st.text, e) if len(toks) == 1 else None
    if comma is not None:
        # "for patient Marvin, Mickey (DOB …)": LAST, FIRST. After a subject cue a surname
        # the lists know is enough ("patient O'Neil, Seamus P."); otherwise the comma_name
        # group reads it with both lists.
        given = comma.group(2)
        if (
            cue in _SUBJECT_CUES
            and last_rank(toks[0]) is not None
            and not is_hard_stopword(toks[0])
            and not is_stopword(given)
            and not is_hard_stopword(given)
        ):
            end = comma.end(1)
            why = f"LAST, FIRST after the person cue '{cue}'"
            _dictionary_or_provider(st, ns, end, st.text[ns:end].rstrip("."), 0.7, why)
            return end
        return ns
    strong = cue.split()[0].rstrip("?") in _STRONG_CUES
    if not _prose_name_ok(_prose_tokens(raw), strong):
        return ns
    if len(toks) == 1 or _dictionary_name(raw, caps=False) is None:
        why = f"capitalised name after the person cue '{cue}'"
        _dictionary_or_provider(st, ns, e, raw, 0.7 if strong else 0.6, why, person_slot=strong)
    else:
        _dictionary_or_provider(st, ns, e, raw, 0.7, "census name lists; person cue before")
    return e


_PARTICLE_COMMA = re.compile(rf"(?:{_PARTICLE}[ ]){{1,3}}{_TOK}[ ]?,")
_COMMA_THEN_NAME = re.compile(r"(,[ ]?([A-Z][A-Za-z'\-]+)(?:[ ]+[A-Z]\.?)?)[ ]*(?:[(,;:]|$)", re.M)
_SUBJECT_CUES = word_set("patient pt client resident member beneficiary dependent spouse")
_ABBREVIATED_CUES = frozenset({"pt", "ms", "mrs", "mr"})
_CUE_SPLIT = re.compile(r"(\S+(?:[ ](?:me|is|am))?)\.?[ ]+", re.I)
_VERB_SPLIT = re.compile(r"^(.*?)(?:'s)?[ ]+\S+$")


@lru_cache(maxsize=4096)  # pure; the same few names recur before verbs
def _verb_reading(g: str) -> tuple[str, bool, bool, bool, bool] | None:
    """What ``_h_name_verb`` reads from its match alone: None when it does not split,
    else (the name, more than one word, First Last by the lists, a lone word that is more
    often a place or a word, a name by ``_prose_name_ok``)."""
    m = _VERB_SPLIT.match(g)
    if m is None:
        return None
    raw = m.group(1)
    # "and I" was matched as two words: drop the first of them too.
    for tail in (" and", " who", " whose"):
        if raw.lower().endswith(tail):
            raw = raw[: -len(tail)]
    toks = _prose_tokens(raw)
    multi = len(raw.split()) > 1
    return (
        raw,
        multi,
        multi and _dictionary_name(raw, caps=False) is not None,
        len(toks) == 1 and toks[0].lower() in NOT_LONE_NAMES,
        _prose_name_ok(toks, strong=False, verb=True),
    )


def _h_name_verb(st: _Scan, s: int, e: int, g: str) -> int:
    """``Kathryn is …``, ``Osmo Štavbar lives …``: a name right before a person verb."""
    read = _verb_reading(g)
    if read is None:
        return e
    raw, multi, listed, not_lone, ok = read
    ne = s + len(raw)
    if any(a <= s < b for a, b in st.name_spans[-4:]):
        return ne
    if listed:
        return _name_candidate(st, s, raw, "name_run")
    if not_lone and prev_word(st.text, s)[:1].isupper():
        return ne  # "The Princess Royal arrived": a title's last word
    if not ok:
        if multi:
            return _name_candidate(st, s, raw, "name_run")
        return ne if ne > s else s + 1
    why = "capitalised name before a person verb"
    _dictionary_or_provider(st, s, ne, raw, 0.6, why, person_slot=True)
    return ne


@lru_cache(maxsize=4096)  # a form's few labels recur
def _subject_label(g: str) -> tuple[str, str | None]:
    """A subject label's words, and whose name follows it (None: the chart's subject)."""
    label = " ".join(g.lower().rstrip(": .\t").split())
    for word, tag in _RELATION:
        if word in label:
            return label, tag
    return label, None


def _h_lbl_subj(st: _Scan, s: int, e: int, g: str) -> int:
    label, subject = _subject_label(g)
    ls = st.text.rfind("\n", 0, s) + 1
    at_line_start = not st.text[ls:s].strip()
    if label in ("deceased", "decedent") or label.startswith("decedent"):
        st.add("deceased", None, "true", 0.8, "text.label", f"label '{label}:'", s, e)
    got = _read_name(st.text, e, next_line=at_line_start, wide=_WIDE_LABEL.search(g) is not None)
    if got is None:
        return e
    ns, ne, raw = got
    if not _plausible_label_name(raw):
        return e
    if label in ("re", "regarding") and looks_like_person(raw) < 0.5:
        return e  # "RE: Prior Authorization Determination"
    if _credential_follows(st.text, ne):
        _emit_provider(st, ns, ne, raw, f"label '{label}:' with a clinical credential")
        return ne
    if _emit_name(st, ns, ne, raw, "text.label", 0.95, f"label '{label}:'", subject):
        return _id_after_name(st, ne, label, subject)
    return e


# "Member: NGUYEN, BAO  (PHP40271936)": the member's ID in brackets after the name. A
# bracketed word without a digit ("(Prairie)", "(self)") is no ID.
_BRACKETED_ID = re.compile(
    r"[ \t]*\([ \t]*(?:(?:ID|I\.D\.|No\.?)[ \t]*#?[ \t]*:?|#)?[ \t]*"
    r"([A-Z0-9][A-Z0-9\-]{4,19})[ \t]*\)"
)
_ID_OF_LABEL = (("member", "member_id"), ("subscriber", "member_id"), ("insured", "member_id"),
                ("beneficiary", "member_id"), ("enrollee", "member_id"), ("patient", "mrn"))  # fmt: skip
# The same words right before a name in prose: an ID in brackets after the name is that
# person's ("for member Jane Roe (ID# ZXC1128877)").
_PERSON_CUE_BEFORE = re.compile(rf"\b({'|'.join(w for w, _c in _ID_OF_LABEL)})[ \t]+\Z", re.I)


# "Subscriber: Wei Chen  ID: DDX44821": a bare ID label right after the name, on its line,
# is the ID of the person the first label named.
_BARE_ID_AFTER = re.compile(
    r"[ \t]*[,;]?[ \t]*(?:ID|Id|I\.D\.)[ \t]*(?:#|No\.?|Number)?[ \t]*[:#]?[ \t]*"
    r"([A-Z0-9][A-Z0-9\-]{4,19})\b"
)


def _id_after_name(st: _Scan, ne: int, label: str, subject: str | None) -> int:
    m = _BRACKETED_ID.match(st.text, ne)
    how = "bracketed ID"
    if m is None:
        m = _BARE_ID_AFTER.match(st.text, ne)
        how = "ID label"
    tok = m.group(1) if m else ""
    if m is None or not any(map(str.isdigit, tok)) or (tok.isdigit() and len(tok) < 6):
        return ne  # "(self)", "(2019)": no ID
    cat = next((c for w, c in _ID_OF_LABEL if label.startswith(w)), None)
    value = normalize.ident(m.group(1))
    if cat is None or value is None:
        return ne
    fld = "member" if cat == "member_id" else None
    why = f"{how} after the name of label '{label}:'"
    st.add(cat, fld, value, 0.8, "text.label", why, m.start(1), m.end(1), subject)
    return m.end()


_INITIAL = re.compile(r"[ \t]*([A-Za-z])\.?(?![A-Za-z])")
_PART_FIELDS = (("first", "first"), ("given", "first"), ("middle", "middle"), ("mi", "middle"),
                ("last", "last"), ("family", "last"), ("sur", "last"), ("suffix", "suffix"))  # fmt: skip


# Bare part labels: a name's part only after a labelled part on its line. A bare Spanish
# "Nombre:" there holds the given names ("Apellidos: Ruiz Soto   Nombre: Ana"); alone, the
# whole name, as "Name:" does.
_BARE_PARTS = frozenset({"first", "last", "middle", "nombre", "nombres"})
_BARE_WHOLE = frozenset({"nombre", "nombres"})


def _part_field(label: str) -> str | None:
    """The name part a part label names (None: none)."""
    words = label.split()
    if words[-1].startswith("apellido"):  # "Apellido(s)", "Primer/Segundo apellido"
        return "last"
    if words[-1].startswith("nombre"):  # "Nombre(s)", "Primer nombre", "Segundo nombre"
        return "middle" if words[0] == "segundo" else "first"
    return next((f for w, f in _PART_FIELDS if words[-2:][0].startswith(w) or label == w), None)


def _after_part_label(st: _Scan, s: int) -> bool:
    """A name part read from a part label ends on this line, shortly before ``s``."""
    prev = st.out[-1] if st.out else None
    return (
        prev is not None
        and prev.category == "name"
        and prev.detector == "text.label"
        and prev.end is not None
        and 0 <= s - prev.end < 80
        and "\n" not in st.text[prev.end : s]
    )


def _h_lbl_part(st: _Scan, s: int, e: int, g: str) -> int:
    """``Last Name: X    First Name: Y    MI: Z`` — each label names its part."""
    label = " ".join(g.lower().rstrip(": .\t").split())
    fld = _part_field(label)
    if fld is None:
        return e
    if label in _BARE_PARTS and not _after_part_label(st, s):
        if label in _BARE_WHOLE:
            return _h_lbl_subj(st, s, e, g)
        return e  # "First: visit 2019", "Last: 12/01/2024": not a name's part
    subject = None
    for word, tag in _RELATION:
        if word in label:
            subject = tag
            break
    got = _read_name(st.text, e, next_line=False)
    if got is None:
        one = _INITIAL.match(st.text, e)
        if one is None:
            return e
        got = (one.start(1), one.end(1), one.group(1))
    ns, _ne, raw = got
    tok = raw.split()[0].strip(",.") if fld != "last" else raw.strip(",. ")
    if (
        not tok
        or tok.lower() in _NAME_STOP
        or (len(tok) > 1 and is_stopword(tok) and tok.islower())
    ):
        return e
    value = normalize.clean_name(tok)
    if not value:
        return e
    ve = ns + len(tok)
    prev = st.out[-1] if st.out else None
    st.add("name", fld, value, 0.95, "text.label", f"label '{label}:'", ns, ve, subject)
    st.name_spans.append((ns, ve))
    run = st.part_runs[-1] if st.part_runs else None
    if (
        run is not None
        and prev is run[-1]
        and s - (prev.end or 0) < 80
        and fld not in {f.field for f in run}
        and prev.subject == subject
    ):
        run.append(st.out[-1])
    else:
        st.part_runs.append([st.out[-1]])
    return ve


def _join_part_runs(st: _Scan) -> None:
    """Parts labelled separately (``Last Name: X   First Name: Y``) are one name: they share
    the span of the labelled block so that they read as one name downstream."""
    swap: dict[int, Finding] = {}
    for run in st.part_runs:
        parts = {f.field: f.value for f in run}
        if parts.get("last"):
            st.subject_names.append(
                NameParts(first=parts.get("first"), middle=parts.get("middle"), last=parts["last"])
            )
        if len(run) < 2:
            continue
        lo = min(f.start or 0 for f in run)
        hi = max(f.end or 0 for f in run)
        for f in run:
            swap[id(f)] = replace(
                f,
                start=lo,
                end=hi,
                explanation=f.explanation + "; parts labelled separately, span = labelled block",
            )
    if swap:
        st.out = [swap.get(id(f), f) for f in st.out]


def _h_lbl_prov(st: _Scan, s: int, e: int, g: str) -> int:
    got = _read_name(st.text, e, next_line=g.rstrip().endswith(":"))
    if got is None:
        return e
    ns, ne, raw = got
    if not _plausible_label_name(raw.replace("Dr.", "").replace("Dr ", "")):
        return e
    label = " ".join(g.lower().rstrip(": .\t\n").split())
    _emit_provider(st, ns, ne, raw, f"provider label '{label}'", 0.9)
    return ne


def _h_dr(st: _Scan, s: int, e: int, g: str) -> int:
    got = _read_name(st.text, e, next_line=False)
    if got is None:
        return e
    ns, _ne, raw = got
    toks = raw.split()
    # "Dr. Smith" or "Dr. Jane Smith": take at most three capitalised tokens.
    keep: list[str] = []
    for t in toks[:3]:
        if not t[0].isupper() or (is_stopword(t) and len(keep) > 0):
            break
        keep.append(t)
    if not keep:
        return e
    raw2 = " ".join(keep)
    _emit_provider(st, s, ns + len(raw2), raw2, "title 'Dr.'", 0.9)
    return ns + len(raw2)


_DR_TITLE = re.compile(r"(?:Dr|DR|Doctor|DOCTOR)\.?\s")


def _h_lbl_staff(st: _Scan, s: int, e: int, g: str) -> int:
    got = _read_name(st.text, e, next_line=False)
    if got is None:
        return e
    ns, ne, raw = got
    if _DR_TITLE.match(raw):
        return e  # "To: Dr. Hannah Lindqvist": a provider, read by the title's own rule
    if _plausible_label_name(raw):
        st.name_spans.append((ns, ne))  # staff: consumed, not a data subject
        if g[:4].lower() == "from":
            st.senders.append((ns, ne, raw))
        parts = split_name(raw)
        if parts is not None and parts.last:
            st.staff_names.add(((parts.first or "").upper(), parts.last.upper()))
        return ne
    return e


def _h_closing(st: _Scan, s: int, e: int, g: str) -> int:
    """The name under "Sincerely," / "Thanks," is the writer (staff), not a data subject."""
    st.closings.append(e)
    got = _read_name(st.text, e, next_line=True)
    if got is None:
        return e
    ns, _ne, raw = got
    if st.text.count("\n", e, ns) > 2 or not _plausible_label_name(raw) or is_org_name(raw):
        return e
    return _h_lbl_staff(st, s, ns, "") if ns > e else e


def _h_title(st: _Scan, s: int, e: int, g: str) -> int:
    got = _read_name(st.text, e, next_line=False)
    if got is None:
        return e
    ns, ne, raw = got
    toks = []
    for t in raw.replace(",", " ").split()[:4]:
        if not t[0].isupper() or is_stopword(t):
            break
        toks.append(t)
    if not toks:
        return e
    raw2 = " ".join(toks)
    ne = ns + st.text[ns:].find(toks[-1]) + len(toks[-1])
    if _credential_follows(st.text, ne):
        _emit_provider(st, s, ne, raw2, "title with a clinical credential")
        return ne
    if len(toks) == 1:
        last = normalize.clean_name(toks[0])
        if last:
            st.add("name", "last", last, 0.8, "text.title", f"title '{g.strip()}'", ns, ne)
            st.subject_names.append(NameParts(last=last))
            st.name_spans.append((ns, ne))
        return ne
    _emit_name(st, ns, ne, raw2, "text.title", 0.8, f"title '{g.strip()}'", None)
    return ne


def _h_dear(st: _Scan, s: int, e: int, g: str) -> int:
    got = _read_name(st.text, e, next_line=False)
    if got is None:
        return e
    ns, ne, raw = got
    title = _DEAR_TITLE.match(raw)
    body = raw[title.end() :] if title else raw
    comma = body.find(",")
    if comma > 0:
        after = body[comma + 1 :].split()
        if not after or is_stopword(after[0]):
            # "Hi Ella, I'm contacting you …": the comma ends the greeting, not LAST, FIRST.
            ne -= len(body) - comma
            body = body[:comma]
    toks = [t for t in body.replace(",", " ").split() if t]
    if not toks or len(toks) > 4 or any(t.lower().strip(".") in _NAME_STOP for t in toks):
        return e
    if any(is_stopword(t) for t in toks) and not title:
        return e
    bs = ns + (title.end() if title else 0)
    if title and title.group(0).lower().startswith("dr"):
        _emit_provider(st, bs, ne, body, "salutation to 'Dr.'", 0.7)
        return ne
    if len(toks) == 1:
        v = normalize.clean_name(toks[0])
        if v:
            st.add(
                "name",
                "last" if title else "first",
                v,
                0.85,
                "text.salutation",
                "salutation 'Dear'",
                bs,
                ne,
            )
            if title:
                st.subject_names.append(NameParts(last=v))
            st.name_spans.append((bs, ne))
        return ne
    _emit_name(st, bs, ne, body, "text.salutation", 0.9, "salutation 'Dear'", None)
    return ne


_CSZ_LABEL_IN = re.compile(_CSZ_LABEL)


def _h_street(st: _Scan, s: int, e: int, g: str) -> int:
    text = st.text
    if s and text[s - 1] == "#":
        return e  # "Walgreens #4471 Milwaukee Ave": a store's number, not a house number
    if (
        g[0].isdigit()
        and (_HEAD_AT.match(g) is None or _ANY_STREET.match(g) is not None)
        and not _street_words_ok(text, s, g)
    ):
        # "Suite 400 West Tower, …", "Took 2 Tylenol Extra Strength, …"; what follows
        # may still be read ("Unit 3253 Box 5671\nDPO AA 10101").
        return s + 1
    parts = parse_address(_CSZ_LABEL_IN.sub("", g) if ":" in g else g)
    if not parts or "street" not in parts:
        return e
    if not _block_above(st, s):
        return e
    why = "pattern street address; parsed (address parser)"
    if "city" not in parts:
        # "lives at 12 Oak St, Springfield." : a town written after the street in prose.
        c = _CITY_AFTER.match(text, e)
        if c and not is_org_name(c.group(1)) and not is_hard_stopword(c.group(1).split()[0]):
            parts = {**parts, "city": c.group(1)}
            e = c.end(1)
            why += "; town after the street"
    for fld, value in parts.items():
        st.add("address", fld, value, 0.85, "text.address", why, s, e)
    return e


# A letterhead's contact line under its address: "Ph (231) 728-4100", "Tel: …  Fax: …".
_CONTACT_LINE = re.compile(r"[ \t]*(?i:ph(?:one)?|tel(?:ephone)?|fax|main|office|e-?mail)\b")


def _org_block_end(text: str, street: int) -> int:
    """The end of an organisation's address block: its street line, then the next lines
    while they are a city/state/ZIP line or a contact line."""
    _, end = _line_bounds(text, street)
    for _ in range(2):
        if end >= len(text):
            break
        ns, ne = _line_bounds(text, end + 1)
        line = text[ns:ne]
        if not (_CONTACT_LINE.match(line) or _CSZ_LINE.match(line.strip())):
            break
        end = ne
    return end


# A line of nothing but contact details: short labels, numbers, pipes, e-mail addresses
# ("D: (616) 949-3382 | F: (616) 949-3390", "(231) 728-4190", "jdoe@example.org").
_CONTACT_TOKEN = r"(?:[A-Za-z]{1,6}\.?:?|\||[\d()+.\-]+|\S+@\S+)"
_CONTACT_ONLY = re.compile(rf"[ \t]*{_CONTACT_TOKEN}(?:[ \t]+{_CONTACT_TOKEN})*[ \t]*")


_PHONE_SHAPE = re.compile(r"\d{3}\)?[ .\-]?\d{3}[ .\-]\d{4}\b")


def _under_org_line(text: str, pos: int) -> bool:
    """The contact line at ``pos`` sits under an organisation's line, at most two contact
    lines between: a letterhead or a signature ("Billing Office | Mercy Hospital")."""
    ls, le = _line_bounds(text, pos)
    if not _CONTACT_ONLY.fullmatch(text, ls, le):
        return False
    for _ in range(3):
        if ls == 0:
            return False
        ls, le = _line_bounds(text, ls - 1)
        line = text[ls:le].strip().lstrip(">").strip()
        if _CONTACT_ONLY.fullmatch(line) and ("@" in line or _PHONE_SHAPE.search(line)):
            continue  # another contact line of the block (not an address: "DPO AA 57242")
        # A label line ("Insurance: Aetna Health Plan") is a form's field, not a letterhead.
        return (
            bool(line) and len(line) <= 90 and ":" not in line
            and not any(map(str.isdigit, line)) and is_org_name(line.replace("|", " "))
        )  # fmt: skip
    return False


def _org_contacts(st: _Scan) -> None:
    """Phones and e-mail addresses inside an organisation's address block, or on contact
    lines right under its name, are withdrawn: a letterhead's or a staff signature's
    numbers are nobody's data."""
    if not any(f.category in ("phone", "email") for f in st.out):
        return
    st.out = [
        f
        for f in st.out
        if f.category not in ("phone", "email")
        or not (
            any(a <= (f.start or 0) < b for a, b in st.org_blocks)
            or _under_org_line(st.text, f.start or 0)
        )
    ]


def _block_above(st: _Scan, s: int) -> bool:
    """A street line at the start of its line: read the line above (one blank line may
    come between) as the addressee's name. False when that line is an organisation's
    (the organisation is recorded, and the address is the organisation's)."""
    text = st.text
    ls, _ = _line_bounds(text, s)
    if text[ls:s].strip() or ls == 0:
        return True
    ps, _pe = _line_bounds(text, ls - 1)
    if not text[ps : ls - 1].strip() and ps > 0:
        ps, _pe = _line_bounds(text, ps - 1)  # "Aune Kesä\n\n1217 Heiligengeistbrücke 58"
        ls = _pe + 1
    prev = text[ps : ls - 1].strip()
    pstart = ps + (len(text[ps : ls - 1]) - len(text[ps : ls - 1].lstrip()))
    if (
        prev
        and is_org_name(prev)
        and len(prev) < 80
        and not (_ESTATE.match(prev) or _PARENT_OF.match(prev))
    ):
        org = normalize.text_value(prev)
        if org:
            st.add("organization", "name", org, 0.7, "text.addressee",
                   "organisation line above a street address", pstart, pstart + len(prev))  # fmt: skip
            st.org_blocks.append((pstart, _org_block_end(text, s)))
        return False
    _addressee(st, prev, pstart)
    return True


# "is at 10 Conference Room 4", "take 2 Tablets 3 times": numbered things, not streets.
_NOT_STREET = word_set(
    """room rooms floor bed beds building bldg conference gate terminal platform level wing
    ward page pages chapter section step steps grade class table minutes hours days weeks
    months years times tablets tablet pills capsules units doses mg ml patients people block
    lot"""
)
_NUMBERED_BEFORE = re.compile(
    r"\b(?:lot|block|room|rm|floor|bed|unit|suite|apt|building|bldg|gate|ward|page|step|no|"
    r"number)\.?[ \t]*#?$|#$",
    re.I,
)
_US_STREET = re.compile(rf"{_STREET_HEAD}|{_POBOX_HEAD}")
_ANY_STREET = re.compile(_STREET_ANY)
_HEAD_AT = re.compile(_STREET_HEAD)


def _us_street_at(text: str, pos: int) -> bool:
    """Whether the street group reads a street at ``pos``: a street suffix or a PO box, or
    a street of any form whose city/state/ZIP the address parser splits from it."""
    if _US_STREET.match(text, pos):
        return True
    m = _ANY_STREET.match(text, pos)
    return m is not None and "street" in (parse_address(m.group(0)) or ())


# Words of a street's name that are stopwords elsewhere ("County Road 12", "State Route 32").
_ROAD_WORDS = word_set("county state us rural farm market interstate old")
_STREET_WORD = re.compile(r"[^\W\d_][\w'.\-]*")


def _street_words_ok(text: str, s: int, g: str) -> bool:
    """Whether a street without a suffix word (``_STREET_ANY``: "1540 Route 9", "88 Rue
    Royale") reads as one: no numbered thing before its number ("Suite 400 …"), and no
    capitalised word of it a drug, a condition, an organisation's or an ordinary word."""
    if _NUMBERED_BEFORE.search(text, max(0, s - 12), s):
        return False
    street = _CSZ_TAIL.split(g, 1)[0]
    if len(street) == len(g):
        street = street.rsplit(None, 2)[0]  # "… Salem OR 97301": not the state's "OR"
    for w in _STREET_WORD.findall(street):
        low = w.lower().strip(".")
        if not w[0].isupper() or low in _PLACE_LAST or low in _ROAD_WORDS:
            continue
        if low in _PROSE_REJECT or low in _NOT_STREET or is_hard_stopword(w):
            return False
    return True


# Where the city/state/ZIP starts after a street: a comma, a line break, or a unit.
_CSZ_TAIL = re.compile(r",|\n|\b(?:Apt|APT|Apartment|Unit|UNIT|Suite|STE|Ste|SUITE)\b")
_UNIT_AT_END = re.compile(r"(?:,?[ ]+|[ ]*\n[ ]*)((?:Apt|Suite|Unit|Ste)\.?[ ]+\S+)$")
_ADDRESS_CUE = re.compile(r"^[A-Za-z][A-Za-z ]*?[ ]*:?[ ]+(?=\d)")


def _h_street_x(st: _Scan, s: int, e: int, g: str) -> int:
    """A number-last street ("lives at 6710 Ziegelgasse 26", "04546 Õpetajate 63 Suite 019")."""
    cue = _ADDRESS_CUE.match(g)
    ss = s + (cue.end() if cue else 0)
    if cue and _us_street_at(st.text, ss):
        return ss  # a US street line after the cue: the street group reads it there
    unit = _UNIT_AT_END.search(g)
    if cue is None and unit is None:
        return s + 1
    if _NUMBERED_BEFORE.search(st.text, max(0, ss - 12), ss):
        return ss + 1  # "Lot 12 Block 4 Suite 3": a numbered thing, not a house number
    street = st.text[ss : s + (unit.start() if unit else len(g))]
    toks = street.split()[1:-1]
    if any(
        t.lower().strip(".") in _PROSE_REJECT or t.lower() in _NOT_STREET or is_hard_stopword(t)
        for t in toks
    ):
        return ss + 1
    if not _block_above(st, ss):
        return e
    why = "number-last street " + ("with a unit" if unit else "after an address cue")
    st.add("address", "street", " ".join(street.split()), 0.7, "text.address", why, ss, e)
    if unit:
        st.add("address", "line2", " ".join(unit.group(1).split()), 0.7, "text.address", why,
               ss, e)  # fmt: skip
    return e


_MILITARY = re.compile(r"(?:(?P<street>.+?),?[ ]+)?(?P<city>[AFD]PO)[ ]+(?P<state>A[AEP])[ ]+"
                       r"(?P<zip>\d{5})")  # fmt: skip


def _h_military(st: _Scan, s: int, e: int, g: str) -> int:
    m = _MILITARY.match(g)
    if m is None:
        return e
    why = "military address (APO/FPO/DPO, AA/AE/AP, ZIP)"
    for fld in ("street", "city", "state", "zip"):
        if m[fld]:
            st.add("address", fld, m[fld], 0.8, "text.address", why, s, e)
    return e


_CITY_STATE = re.compile(r"(?P<cue>\S+)[ ]+(?P<city>[^,]+),[ ]+(?P<state>.+)")


def _h_city_state(st: _Scan, s: int, e: int, g: str) -> int:
    """``lives in Dayton, Ohio``: the town and the state."""
    m = _CITY_STATE.match(g)
    if m is None:
        return e
    city, state = m["city"], normalize.state_code(m["state"])
    toks = city.split()
    if (
        state is None
        or is_org_name(city)
        or any(is_hard_stopword(t) or t.lower() in _PROSE_REJECT for t in toks)
    ):
        return s + len(m["cue"])
    cs = s + m.start("city")
    why = "town and US state after a place word"
    st.add("address", "city", city, 0.7, "text.address", why, cs, e)
    st.add("address", "state", state, 0.7, "text.address", why, cs, e)
    return e


_CITY_AFTER = re.compile(
    r",[ ]*([A-Z][a-z]+(?:[ ][A-Z][a-z]+){0,2})(?=[ ]*(?:[.;!?)]|,[ ]*(?:and|but)\b|$|\n|"
    r"[ ]+(?:and|on|in|for|since|where|with|from|until|last|next|this)\b))"
)


def _addressee(st: _Scan, line: str, start: int) -> None:
    """The name line of an addressee block (above the street line)."""
    if not line or _NOT_NAME_LINE.search(line) or len(line) > 60:
        return
    offset = 0
    m = _ESTATE.match(line) or _PARENT_OF.match(line)
    if m:
        if _ESTATE.match(line):
            st.add(
                "deceased",
                None,
                "true",
                0.8,
                "text.addressee",
                "addressee 'Estate of'",
                start,
                start + len(line),
            )
        offset = m.end()
    for pre in ("Attn:", "ATTN:", "Attn", "c/o", "C/O"):
        if line.startswith(pre, offset):
            offset += len(pre)
            while offset < len(line) and line[offset] == " ":
                offset += 1
    body = line[offset:]
    toks = body.replace(",", " ").split()
    if not 2 <= len(toks) <= 5 or any(not t[0].isupper() for t in toks):
        return
    if sum(is_stopword(t) for t in toks) * 2 >= len(toks):
        return
    bs = start + offset
    _drop_dictionary_names(st, bs, bs + len(body))
    if any(a <= bs < b for a, b in st.name_spans):
        return
    _emit_name(
        st,
        bs,
        bs + len(body),
        body,
        "text.addressee",
        0.85,
        "addressee block (name line above a street address)",
        None,
    )


def _drop_dictionary_names(st: _Scan, s: int, e: int) -> None:
    """A census-list guess inside a span now explained better (addressee) is withdrawn."""
    keep = []
    for parts, found in st.dictionary_groups:
        if any(f.start is not None and s <= f.start < e for f in found):
            ids = {id(f) for f in found}
            st.out = [f for f in st.out if id(f) not in ids]
            st.name_spans = [(a, b) for a, b in st.name_spans if not (s <= a < e)]
        else:
            keep.append((parts, found))
    st.dictionary_groups = keep


def _h_csz(st: _Scan, s: int, e: int, g: str) -> int:
    text = st.text
    line = g.strip()
    m = _CSZ_LINE.match(line)
    if not m:
        return e
    state = normalize.state_code(m["st"])
    z = normalize.zip5(m["zip"])
    if not state or not z:
        return e
    ls, _ = _line_bounds(text, s)
    start = s + (len(g) - len(g.lstrip()))
    parts: dict[str, str] = {"city": m["city"].strip(" ,"), "state": state, "zip": z}
    if ls > 0:
        ps, _ = _line_bounds(text, ls - 1)
        prev = text[ps : ls - 1].strip()
        if prev and prev[0].isdigit() and len(prev) < 80:
            p = parse_address(prev)
            if p and "street" in p:
                parts["street"] = p["street"]
                if "line2" in p:
                    parts["line2"] = p["line2"]
                if ps > 0:
                    qs, _ = _line_bounds(text, ps - 1)
                    above = text[qs : ps - 1].strip()
                    if above and is_org_name(above):
                        return e
                    _addressee(
                        st, above, qs + (len(text[qs : ps - 1]) - len(text[qs : ps - 1].lstrip()))
                    )
        elif prev and is_org_name(prev):
            return e
    for fld, value in parts.items():
        st.add(
            "address",
            fld,
            value,
            0.75,
            "text.address",
            "city/state/ZIP line; state and ZIP checked",
            start,
            start + len(line),
        )
    return e


def _propagate(st: _Scan) -> None:
    """A subject's name found once is found again wherever else it is written."""
    if not st.subject_names:
        return
    fulls: dict[str, NameParts] = {}
    lasts: dict[str, NameParts] = {}
    for p in st.subject_names:
        if p.last and len(p.last) >= 2 and not is_stopword(p.last):
            lasts.setdefault(p.last, p)
            if p.first and len(p.first) >= 2:
                fulls.setdefault(f"{p.first} {p.last}", p)
    # Census-list guesses that spell a labelled subject's name are that subject.
    full_keys = {(p.first or "").upper() + " " + (p.last or "").upper() for p in fulls.values()}
    upgraded: dict[int, Finding] = {}
    for parts, found in st.dictionary_groups:
        if f"{(parts.first or '').upper()} {(parts.last or '').upper()}" in full_keys:
            for df in found:
                upgraded[id(df)] = replace(
                    df,
                    detector="text.propagated",
                    confidence=0.8,
                    explanation="name of a labelled subject seen elsewhere in the document",
                )
    if upgraded:
        st.out = [upgraded.get(id(f), f) for f in st.out]
    if not lasts:
        return
    taken = sorted(st.name_spans)
    for s, e in _name_occurrences(st.text, fulls, lasts):
        if any(a < e and s < b for a, b in taken):
            continue
        raw = st.text[s:e]
        if not raw or not raw[0].isupper():
            continue
        got = split_name(raw)
        if got is None:
            continue
        parts = got
        if parts.last and parts.last.upper() in st.provider_lasts:
            continue
        if " " not in raw.strip() and "," not in raw:
            v = normalize.clean_name(raw)
            if v:
                st.add(
                    "name",
                    "last",
                    v,
                    0.6,
                    "text.propagated",
                    "surname of a labelled subject seen earlier in the document",
                    s,
                    e,
                )
            continue
        for fld, value, ps, pe in _part_spans(st.text, s, e, parts):
            st.add(
                "name",
                fld,
                value,
                0.8,
                "text.propagated",
                "name of a labelled subject seen elsewhere in the document",
                ps,
                pe,
            )


def _propagate_prose(st: _Scan) -> None:
    """A full name found in prose (census lists, a person cue) is found again where it is
    written in full elsewhere in the document. Its surname alone is not: "Egede" may be a
    street or a company as well."""
    fulls: dict[str, NameParts] = {}
    lasts: dict[str, NameParts] = {}
    for parts, _found in st.dictionary_groups:
        first, last = parts.first or "", parts.last or ""
        if len(first) < 2 or len(last) < 2 or is_stopword(last):
            continue
        if last.upper() in st.provider_lasts or (first.upper(), last.upper()) in st.staff_names:
            continue
        fulls.setdefault(f"{first} {last}", parts)
        lasts.setdefault(last, parts)
    if not fulls:
        return
    taken = list(st.name_spans)
    taken += [(f.start, f.end) for f in st.out if f.category in ("name", "provider")
              and f.start is not None and f.end is not None]  # fmt: skip
    for s, e in _name_occurrences(st.text, fulls, lasts):
        raw = st.text[s:e]
        if " " not in raw.strip() and "," not in raw:
            continue  # the surname alone
        if not raw[:1].isupper() or any(a < e and s < b for a, b in taken):
            continue
        parts_got = split_name(raw)
        if parts_got is None:
            continue
        for fld, value, ps, pe in _part_spans(st.text, s, e, parts_got):
            st.add("name", fld, value, 0.6, "text.propagated",
                   "full name found elsewhere in the document by name lists or a person cue",
                   ps, pe)  # fmt: skip
        st.name_spans.append((s, e))


def _word_at(low: str, s: int, e: int) -> bool:
    return (s == 0 or not low[s - 1].isalnum()) and (e >= len(low) or not low[e].isalnum())


_GAP = re.compile(r"\s+(?:[a-z]\.?\s+)?")
_COMMA_FIRST = re.compile(r",\s*")
_TRAIL_INITIAL = re.compile(r"\s+[a-z]\b\.?")


def _name_occurrences(
    text: str, fulls: dict[str, NameParts], lasts: dict[str, NameParts]
) -> list[tuple[int, int]]:
    """Where a subject's name is written again: ``First [M.] Last``, ``Last, First [M]``
    or the surname alone, case-insensitive, longest first, not overlapping. Plain string
    search for each surname (a document names few subjects), no per-document regex."""
    low = text.lower()
    found: list[tuple[int, int, int]] = []  # (start, -length, end)
    firsts_by_last: dict[str, set[str]] = {}
    for p in fulls.values():
        firsts_by_last.setdefault((p.last or "").lower(), set()).add((p.first or "").lower())
    for last in lasts:
        key = last.lower()
        firsts = firsts_by_last.get(key, set())
        i = low.find(key)
        while i != -1:
            j = i + len(key)
            if _word_at(low, i, j):
                s, e = i, j
                for first in firsts:
                    # First [M.] Last
                    k = low.rfind(first, max(0, i - len(first) - 6), i)
                    if k != -1 and _word_at(low, k, k + len(first)):
                        gap = _GAP.fullmatch(low, k + len(first), i)
                        if gap and k < s:
                            s = k
                    # Last, First [M]
                    c = _COMMA_FIRST.match(low, j)
                    if (
                        c
                        and low.startswith(first, c.end())
                        and _word_at(low, c.end(), c.end() + len(first))
                    ):
                        e2 = c.end() + len(first)
                        t = _TRAIL_INITIAL.match(low, e2)
                        e = max(e, t.end() if t else e2)
                found.append((s, s - e, e))
            i = low.find(key, i + 1)
    found.sort()
    out: list[tuple[int, int]] = []
    end = -1
    for s, _neg, e in found:
        if s >= end:
            out.append((s, e))
            end = e
    return out


# A chat or transcript speaker tagged with the organisation or a role is its staff:
# "19:02:40 Lindahl, Jenna (Prairie): Hi Bao!", "Tom Reed (Agent): …".
_SPEAKER_TAG = re.compile(r"[ \t]*\(([A-Za-z][A-Za-z .&'\-]{0,30})\)[ \t]*:")
_STAFF_TAGS = word_set(
    "agent staff support rep representative csr nurse rn admin moderator operator team "
    "coordinator specialist advocate navigator"
)


def _tagged_speakers(st: _Scan) -> None:
    """Census-list names written as a speaker tagged ``(Organisation)`` or ``(Agent)`` are
    staff: every guess with that name is withdrawn (see ``_staff_by_surname``)."""
    org_words: set[str] | None = None
    for parts, found in st.dictionary_groups:
        m = _SPEAKER_TAG.match(st.text, max(f.end or 0 for f in found))
        if m is None or not parts.last:
            continue
        if org_words is None:
            org_words = {
                w.lower()
                for f in st.out
                if f.category in ("organization", "health_plan") and f.value
                for w in f.value.split()
                if len(w) > 2
            }
        tag = {w.lower() for w in m.group(1).split()}
        if tag & (_STAFF_TAGS | org_words):
            st.staff_names.add(((parts.first or "").upper(), parts.last.upper()))


# The sender's block under a closing: the writer's name, title, organisation, numbers.
_SIGNATURE_LINES = 4
DOCUMENT_SUBJECT = "document"


def _signature_orgs(st: _Scan) -> None:
    """A health plan or organisation named in the signature under a closing ("Thanks,\n
    Lena Brooks\nEnrollment Specialist, Prairie Health Plan") is the whole document's, not
    the last person's named above it: tagged ``document`` for the linker."""
    if not st.closings:
        return
    text = st.text
    blocks = []
    for c in st.closings:
        end = c
        for _ in range(_SIGNATURE_LINES):
            nxt = text.find("\n", end + 1)
            if nxt == -1:
                end = len(text)
                break
            if not text[end + 1 : nxt].strip():
                break  # a blank line ends the signature
            end = nxt
        blocks.append((c, end))
    st.out = [
        replace(f, subject=DOCUMENT_SUBJECT)
        if f.category in ("health_plan", "organization")
        and any(a <= (f.start or 0) < b for a, b in blocks)
        else f
        for f in st.out
    ]


# A message's writer naming their own data: "my new address is …", "my birthday is …",
# "my A1c came back 8.2", "my Ozempic needs a new prior auth" … A patient portal message,
# an e-mail from a member: the sender in "From:" is then a data subject, not staff. Phone
# words are left out: staff write "call my cell" too.
_FIRST_PERSON_DATA = re.compile(
    r"\b(?i:my)\s+(?:(?i:new|current|home|old)\s+)?(?i:address|birthday|birth\s*date|"
    r"date\s+of\s+birth|dob|ssn|social\s+security|insurance|member\s+id|medicaid|medicare|"
    r"a1c|labs?|lab\s+results?|test\s+results?|results|blood\s*work|medications?|meds|"
    r"prescriptions?|refills?|diagnosis|surgery|biopsy|mri|ct\s+scan|x-?rays?|appointment|"
    r"pharmacy|symptoms|condition)\b"
)


def _self_writing_senders(st: _Scan) -> None:
    """A "From:" sender whose message speaks of their own data is a data subject: their
    name is emitted, and no longer withdraws census-list guesses as a staff member's."""
    if not st.senders:
        return
    done: set[int] = set()
    for m in _FIRST_PERSON_DATA.finditer(st.text):
        before = [i for i, (_s, e, _r) in enumerate(st.senders) if e <= m.start()]
        if not before or before[-1] in done:
            continue
        i = before[-1]
        done.add(i)
        ns, ne, raw = st.senders[i]
        why = f"sender of a message about their own data ('{' '.join(m.group(0).split())}')"
        if _emit_name(st, ns, ne, raw, "text.label", 0.85, why, None):
            parts = split_name(raw)
            if parts is not None and parts.last:
                st.staff_names.discard(((parts.first or "").upper(), parts.last.upper()))


def _staff_by_surname(st: _Scan) -> None:
    """Census-list guesses that repeat a staff member's name (a signature) are withdrawn."""
    if not st.staff_names:
        return
    drop: set[int] = set()
    for parts, found in st.dictionary_groups:
        key = ((parts.first or "").upper(), (parts.last or "").upper())
        if key in st.staff_names:
            drop.update(id(f) for f in found)
    if drop:
        st.out = [f for f in st.out if id(f) not in drop]


def _providers_by_surname(st: _Scan) -> None:
    """Dictionary-found names whose surname is a provider's are that provider."""
    if not st.provider_lasts:
        return
    drop: set[int] = set()
    for parts, found in st.dictionary_groups:
        if parts.last and parts.last.upper() in st.provider_lasts:
            drop.update(id(f) for f in found)
            s0 = min(f.start or 0 for f in found)
            e0 = max(f.end or 0 for f in found)
            shown = " ".join(v for k, v in parts.items() if k in ("first", "middle", "last"))
            st.add(
                "provider",
                "name",
                shown,
                0.7,
                "text.provider",
                "surname of a provider named elsewhere in the document",
                s0,
                e0,
            )
    if drop:
        st.out = [f for f in st.out if id(f) not in drop]


def _prose_names(st: _Scan) -> None:
    """Names that only the sentence around them marks (see ``text_prose_names``)."""
    prose_names(st, _PROSE_REJECT, _PLACE_LAST)
