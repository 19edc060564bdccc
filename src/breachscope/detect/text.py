"""Free-text detection: one combined pattern pass, then validators and context words.

``detect_text`` returns findings with character spans. Names come from labelled fields
(``Patient:``), salutations, addressee blocks, titles, ``LAST, FIRST`` and capitalised
runs checked against the census lists, then are propagated through the document. Names
next to provider cues (``Dr.``, ``, MD``, ``Attending:``) become ``provider`` findings;
names after staff labels (``Coder:``, ``Prepared by:``) are consumed and not reported."""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable
from functools import cache
from importlib.resources import files

from breachscope.detect.findings import Finding
from breachscope.detect.text_names import (
    _h_city_state,
    _h_closing,
    _h_csz,
    _h_cue_name,
    _h_dear,
    _h_dr,
    _h_lbl_part,
    _h_lbl_prov,
    _h_lbl_staff,
    _h_lbl_subj,
    _h_military,
    _h_name_verb,
    _h_street,
    _h_street_x,
    _h_title,
    _join_part_runs,
    _name_candidate,
    _org_contacts,
    _propagate,
    _propagate_prose,
    _prose_names,
    _providers_by_surname,
    _self_writing_senders,
    _signature_orgs,
    _staff_by_surname,
    _tagged_speakers,
)
from breachscope.detect.text_patterns import dictionary_terms, scanner
from breachscope.detect.text_scan import _Scan
from breachscope.detect.text_tables import detect_delimited, detect_fixed_width
from breachscope.detect.text_values import (
    _h_card,
    _h_cond,
    _h_cptx,
    _h_date,
    _h_dea,
    _h_dead,
    _h_digits,
    _h_drug,
    _h_email,
    _h_gender,
    _h_hicn,
    _h_icd,
    _h_img,
    _h_intl,
    _h_lab,
    _h_lbl_id,
    _h_lbl_plan,
    _h_masked,
    _h_mbi,
    _h_ndc,
    _h_payer,
    _h_phone,
    _h_phone_x,
    _h_plan_name,
    _h_proc,
    _h_ssn,
)

Handler = Callable[[_Scan, int, int, str], int]


_HANDLERS: dict[str, Handler] = {
    "email": _h_email,
    "lbl_subj": _h_lbl_subj,
    "lbl_part": _h_lbl_part,
    "lbl_plan": _h_lbl_plan,
    "lbl_prov": _h_lbl_prov,
    "lbl_by": _h_lbl_prov,
    "lbl_staff": _h_lbl_staff,
    "closing": _h_closing,
    "lbl_log": _h_lbl_staff,
    "lbl_gender": _h_gender,
    "lbl_id": _h_lbl_id,
    "dr": _h_dr,
    "title": _h_title,
    "dear": _h_dear,
    "masked": _h_masked,
    "hicn": _h_hicn,
    "ssn": _h_ssn,
    "card": _h_card,
    "ndc": _h_ndc,
    "date": _h_date,
    "phone": _h_phone,
    "intl": _h_intl,
    "phone_x": _h_phone_x,
    "mbi": _h_mbi,
    "dea": _h_dea,
    "icd": _h_icd,
    "cptx": _h_cptx,
    "street": _h_street,
    "military": _h_military,
    "street_x": _h_street_x,
    "csz": _h_csz,
    "city_state": _h_city_state,
    "digits": _h_digits,
    "dead": _h_dead,
    "payer": _h_payer,
    "plan_name": _h_plan_name,
    "lab": _h_lab,
    "img": _h_img,
    "proc": _h_proc,
    "cond": _h_cond,
    "drug": _h_drug,
    "cue_name": _h_cue_name,
    "name_verb": _h_name_verb,
}

# Capitalised-run shapes: checked against the recent name spans, then the census lists.
_NAME_KINDS = frozenset({"comma_name", "name_run", "caps_run"})

_SPAN = operator.attrgetter("start", "end")

# Text exported from JSON, logs or CSV cells often carries its line breaks escaped ("\\n").
# They are read as breaks (two characters for two, so spans stay those of the text).
_ESCAPED_BREAK = re.compile(r"\\r\\n|\\[nrt]")


def _unescape_breaks(text: str) -> str:
    if text.count("\\n") < 2 or text.count("\\n") <= text.count("\n"):
        return text
    return _ESCAPED_BREAK.sub(_break_for, text)


def _break_for(m: re.Match[str]) -> str:
    g = m.group(0)
    return "  " if g == "\\t" else " " * (len(g) - 1) + "\n"


# Ingest marks the locator of a document read by OCR: "page 3 (OCR, confidence 91%)",
# "image (OCR)" (breachscope.ingest.ocr; the stages share the store's values, not code).
_OCR_LOCATOR = re.compile(r"\(OCR(?:, confidence [0-9.]+%)?\)$")


def is_ocr_locator(locator: str | None) -> bool:
    """Whether a document's locator says its text was read from a scan by OCR."""
    return locator is not None and _OCR_LOCATOR.search(locator) is not None


# A scan's letters read for digits inside a number ("03/I4/1958", "4l2-55-8O19", "454O2"):
# O as 0, I / l / | as 1, one character for one, so spans stay the text's. Only in a token
# of digits and separators where digits outnumber the letters two to one; never in a token
# shaped as an ICD-10-CM code ("I10", "O09.90": a letter, then digits).
_OCR_HINT = re.compile(r"[0-9][OIl|]|[OIl|][0-9]")
_OCR_TOKEN = re.compile(r"(?<![A-Za-z0-9])[0-9OIl|][0-9OIl|/\-.]*[0-9OIl|](?![A-Za-z0-9])")
_ICD_SHAPE = re.compile(r"[IO][0-9]{2}(?:\.[0-9A-Z]{1,4})?")
_OCR_MAP = str.maketrans("OIl|", "0111")


def _ocr_digits(text: str) -> str:
    if _OCR_HINT.search(text) is None:
        return text
    return _OCR_TOKEN.sub(_ocr_token, text)


def _ocr_token(m: re.Match[str]) -> str:
    tok = m.group(0)
    letters = sum(1 for c in tok if c in "OIl|")
    digits = sum(1 for c in tok if c.isdigit())
    if not letters or digits < 2 * letters or _ICD_SHAPE.fullmatch(tok):
        return tok
    return tok.translate(_OCR_MAP)


def warm_up() -> None:
    """Load and build what the text detector otherwise builds on its first documents.

    - Lazy loads (patterns, name lists, code sets): the sample below has a candidate for
      each re2 part (``text_patterns._PARTS``); a part's first match also compiles its
      reverse program (the dictionaries': about 10 ms).
    - re2's DFAs build their states while they scan; on a fresh process that was about a
      sixth of the first few hundred documents' time. ``warmup.txt`` (a hand-written page
      of notes, letters, e-mail, a fax, a claim list, HL7; no generated text) goes through
      the whole detector, then the dictionary terms (as written, Title Case and capitals)
      and the page through the candidate search alone (both of its programs: the native
      one's and google-re2's, see ``CombinedScanner.warm``), so that most states a real
      text reaches exist before the first evidence document. About 0.2 s, once per process.
    """
    scanner()
    detect_text(
        "Patient: John Smith DOB 01/02/1960 Dx E11.9 type 2 diabetes mellitus, metformin; "
        "call 312-867-5309\n"
        "Kathryn Jones said her mother lives at 12 Oak St, Dayton.",
        today=None,
    )
    page = _warmup_page()
    for block in page.split("\n\n"):
        detect_text(block, today=None)
    terms = ", ".join(dictionary_terms())
    scanner().warm((terms, terms.title(), terms.upper(), page))


@cache
def _warmup_page() -> str:
    return (files("breachscope.detect") / "warmup.txt").read_text(encoding="utf-8")


def detect_text(text: str, *, today: dt.date | None = None, ocr: bool = False) -> list[Finding]:
    """Findings in one text document, in order of position. ``ocr``: the text was read
    from a scan (its document's locator says so, see ``is_ocr_locator``): letters read
    for digits inside numbers are read as the digits."""
    if not text or not text.strip():
        return []
    day = today or dt.date.today()
    tabular = detect_delimited(text, day)
    if tabular is not None:
        return sorted(tabular, key=lambda f: (f.start or 0, f.end or 0))
    text = _unescape_breaks(text)
    if ocr:
        text = _ocr_digits(text)
    if "\u2019" in text:
        # Word's typographic apostrophe is an apostrophe: inside a name ("Maureen O’Neil")
        # it is read, and stored, as "O'Neil". One character for one: spans stay the text's.
        text = text.replace("\u2019", "'")
    # Space-aligned tables go to the table path; the prose scan sees them blanked out
    # (same length, so every other span stays that of the text).
    fixed, regions = detect_fixed_width(text, day)
    for reg in regions:
        blank = "".join(ch if ch in "\r\n" else " " for ch in text[reg.start : reg.end])
        text = text[: reg.start] + blank + text[reg.end :]
    st = _Scan(text=text, today=day)
    scan = scanner()
    find = scan.spans(text, scan.prepare(text))
    handlers, name_kinds = _HANDLERS, _NAME_KINDS
    pos, n = 0, len(text)
    while pos < n:
        got = find(pos)
        if got is None:
            break
        s, e, kind = got
        if kind in name_kinds:
            # Inside one of the last four name spans: already read.
            nxt = -1
            for a, b in st.name_spans[-4:]:
                if a <= s < b:
                    nxt = e
                    break
            if nxt < 0:
                nxt = _name_candidate(st, s, text[s:e], kind)
        else:
            handler = handlers.get(kind)
            nxt = handler(st, s, e, text[s:e]) if handler else e
        pos = nxt if nxt > s else s + 1
    _prose_names(st)
    _join_part_runs(st)
    _providers_by_surname(st)
    _tagged_speakers(st)
    _self_writing_senders(st)
    _staff_by_surname(st)
    _org_contacts(st)
    _signature_orgs(st)
    _propagate(st)
    _propagate_prose(st)
    st.out.extend(fixed)
    # Every finding here has int spans (``_Scan.add``, and the cells of a space-aligned
    # table), so the spans themselves are the keys.
    st.out.sort(key=_SPAN)
    return st.out
