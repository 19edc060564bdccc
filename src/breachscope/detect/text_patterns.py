"""The one combined pattern for free text, and the context-word patterns.

Free text is scanned once with a single alternation of named groups (google-re2 when
installed, else ``re``); every candidate is then checked by validators and by the context
words just before it. Group order matters: at one position the first listed group wins, so
labels and dictionary terms come before generic capitalised runs.
"""

from __future__ import annotations

import logging
import os
import re
import re._constants as _c
import re._parser as _p
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

from breachscope.detect import lexicon, normalize

log = logging.getLogger(__name__)

# English month names and abbreviations, and the Spanish ones' heads (ene, abr, ago, dic;
# "marzo", "mayo", "junio" … start as the English ones do).
_MON = (
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
    r"|ene(?:ro)?|abr(?:il)?|ago(?:sto)?|dic(?:iembre)?)\.?"
)
_MBI_A = "AC-HJKMNP-RT-Y"

# Latin letters beyond ASCII (José, Núñez, Łukasz, Dvořák): name tokens accept them.
_LATIN = [chr(c) for c in range(0xC0, 0x250) if chr(c).isalpha()]
_UP_X = "".join(c for c in _LATIN if c.isupper())
_LO_X = "".join(c for c in _LATIN if c.islower())


def _tokens(uni: bool) -> tuple[str, str]:
    """Name-token patterns: ``Smith``, ``McDonald``, ``O'Brien``, ``Smith-Jones``; and an
    all-caps token. ``uni``: with the Latin letters beyond ASCII (for ``re`` on the text);
    without, for the engines that scan the ASCII view (where those letters are folded to
    ASCII letters of the same case, see ``fold``)."""
    up, lo = ("A-Z" + _UP_X, "a-z" + _LO_X) if uni else ("A-Z", "a-z")
    # The same language as ``[up](?:[lo]+(?:['-]?[up]?[lo]+)?|'[up][lo]+)``, without two
    # ways to split one run of lower-case letters (Python's ``re`` backtracked through every
    # split: 20 µs per failed 'name_verb' try).
    tok = rf"[{up}](?:[{lo}]+(?:['\-][{up}]?[{lo}]+|[{up}][{lo}]+)?|'[{up}][{lo}]+)"
    cap = rf"[{up}][{up}'\-]*[{up}]"
    return tok, cap


_TOK, _CAPTOK = _tokens(True)

_STREET_SFX = (
    r"(?:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|"
    r"Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Trail|Trl|Square|Sq|Loop|Pike|Alley|"
    r"Crossing|Xing|Row|Plaza|Plz|Ridge|Rdg|Expressway|Expy|Turnpike|Tpke|Route|Rte|Cove|Cv|"
    r"Run|Path|Walk|Bend|Glen|Heights|Hts|Hollow|Manor|Mews|Point|Pt|Creek|Crk|Landing|Lndg|"
    r"Meadow|Meadows|Park|Pass|Ranch|Valley|Vista|View|Village|Vlg|Commons|Green|Grove|Harbor|"
    r"Hill|Hills|Isle|Junction|Jct|Knoll|Lake|Lakes|Mill|Mills|Orchard|Oval|Spring|Springs|"
    r"Station|Summit|Trace|Track|Union|Wells|Woods)"
)
_STREET_SFX_ANY = _STREET_SFX + "|" + _STREET_SFX.upper()
# A unit word is followed by a dot, a blank, "#" or a digit, never a letter: "Ste 9",
# "Apt. 4", "Unit #2", "Apt3"; ", Steen, MN 56173" and ", Flint, MI" are a city. OCR'd
# faxes and PDFs set a space before a comma ("Hwy , Lot 22", "Stevensville , MI 49127").
_UNIT = (
    r"(?:[ ]?,?\s*(?:(?:Apt|APT|Apartment|Unit|UNIT|Suite|STE|Ste|SUITE|Bldg|Fl|Floor|Rm|Room|Lot)"
    r"(?:[.#\s][.#\s]*[A-Za-z0-9\-]{1,6}|\d[A-Za-z0-9\-]{0,5})|#\s*#?\s*[A-Za-z0-9\-]{1,6}))"
)
_CSZ = r"(?:[A-Z][A-Za-z.'\-]*(?:[ ][A-Z][A-Za-z.'\-]*){0,3}(?:[ ]?,)?[ ]+[A-Z]{2}\.?[ ]+\d{5}(?:-\d{4})?)"
# The start of every street / PO-box match: the Hyperscan candidate scan looks for these.
_STREET_HEAD = (
    rf"\b\d{{1,6}}[A-Z]?[ ]+(?:[NSEW]\.?[ ]+|North[ ]+|South[ ]+|East[ ]+|West[ ]+)?"
    rf"(?:[A-Z0-9][A-Za-z0-9'.\-]*[ ]+){{0,4}}?(?:{_STREET_SFX_ANY})\b"
    # A quadrant after the type word, as Washington's streets have ("1600 Pennsylvania
    # Avenue NW"); one letter is left alone ("12 Oak St W Lafayette IN": a city).
    r"(?:\.?[ ](?:(?:NW|NE|SW|SE)\b|N\.W\.|N\.E\.|S\.W\.|S\.E\.))?"
)
# A PO box, and a rural route's or highway contract's box ("RR 2 Box 145", "HC 61 Box 12").
_POBOX_HEAD = (
    r"\b(?:(?i:p\.?[ ]?o\.?[ ]?box|post[ ]office[ ]box)|"
    r"(?:RR|R\.R\.|HC|(?i:rural[ ]route|highway[ ]contract))[ ]+\d{1,4},?[ ]+(?i:box))[ ]+\d{1,6}"
)
_STREET_MORE = rf"(?:[ ]+(?:{_STREET_SFX_ANY})\b){{1,2}}"
# On the next line the city/state/ZIP may carry a form's label ("City/State/Zip:").
_CSZ_LABEL = (
    r"(?:(?i:city(?:[ ]*[/,][ ]*|[ ]+)state(?:[ ]*[/,][ ]*|[ ]+)zip(?:[ ]*code)?)[ ]*:[ ]*)"
)
_CSZ_AFTER = rf"(?:[ ]?,[ ]*|[ ]*\n[ ]*{_CSZ_LABEL}?|[ ]+){_CSZ}"

# Street type words written before the street's name or number ("Rue Royale", "Avenue of
# the Americas", "Calle del Sol", "Route 9", "County Road 12", "Farm to Market Road 1960").
_STREET_PRE = (
    r"(?:Rue|Avenue|Ave|Avenida|Av|Calle|Via|Viale|Camino|Rua|Chemin|Strada|Paseo|Carretera|"
    r"Boulevard|Blvd|Place|Plaza|Route|Rte|Highway|Hwy|Interstate|Rural[ ]Route|RR|"
    r"(?:County|State|US|U\.S\.|Ranch|Farm|Farm[ ]to[ ]Market)[ ](?:Road|Rd|Route|Rte|Highway|Hwy)|"
    r"CR|SR|FM)"
)
_STREET_PRE_ANY = _STREET_PRE + "|" + _STREET_PRE.upper()
# Lower-case words inside a street's name ("Rue de la Paix", "Avenue of the Americas").
_ROAD_LOWER = r"(?:de|del|della|la|las|los|le|les|des|du|di|da|do|dos|das|of|the|y|e|et)"


def _street_pre(up: str, lo: str) -> str:
    """A street whose type word comes first, before its city, state and ZIP: "88 Rue Royale
    Apt 2B New Orleans LA 70130", "1540 Route 9, Clifton Park, NY 12065". The type word,
    then capitalised words, numbers and the words of ``_ROAD_LOWER``."""
    word = rf"[{up}][{up}{lo}'.\-]*"
    return (
        rf"\b\d{{1,6}}[A-Z]?[ ]+(?:[NSEW]\.?[ ]+)?(?:{_STREET_PRE_ANY})"
        rf"(?:[ ]+(?:{word}|\d{{1,5}}[A-Za-z]?|{_ROAD_LOWER})){{0,4}}?\.?{_UNIT}?{_CSZ_AFTER}"
    )


_STREET_ANY = _street_pre("A-Z" + _UP_X, "a-z" + _LO_X)


def _alt(terms: tuple[str, ...]) -> str:
    ordered = sorted(set(terms), key=len, reverse=True)
    # Spaces and hyphens inside a term match either ("attention-deficit hyperactivity").
    out = []
    for t in ordered:
        words = [re.escape(w) for w in re.split(r"[ \-]+", t)]
        out.append(r"[\s\-]+".join(words))
    return "|".join(out)


_STATE_NAMES = (
    "|".join(
        sorted((n.replace(" ", "[ ]") for n in normalize.US_STATES.values()), key=len, reverse=True)
    )
    + r"|D\.C\."
)


def dictionary_terms() -> list[str]:
    """Every term of the dictionary groups (lower case), in group order."""
    return [t for terms in _DICTIONARIES.values() for t in terms]


def dict_group(terms: tuple[str, ...]) -> str:
    """A dictionary group's pattern: any of ``terms`` as whole words, in any case."""
    return rf"\b(?i:{_alt(terms)})\b"


# Dictionary groups: at a candidate only the terms starting with its letter are tried.
_DICTIONARIES: dict[str, tuple[str, ...]] = {
    "dead": lexicon.DECEASED_PHRASES,
    "payer": lexicon.PAYERS,
    "lab": lexicon.LAB_TESTS,
    "img": lexicon.IMAGING_MODALITIES,
    "proc": lexicon.PROCEDURES,
    "cond": lexicon.CONDITIONS,
    "drug": lexicon.DRUGS,
}


# A person cue right before a name ("said Edda", "call me Matilde", "my son Peter"), and
# verbs right after one ("Kathryn is", "Osmo lives"): the handler checks the name itself.
_CUE_BEFORE = (
    r"(?:said|says|told|tell|asked|ask|met|meet|married|named|call(?:ed)?[ ]me|called|"
    r"name[ ]is|name\?|i'm|i[ ]am|this[ ]is|it's|with|to|and|by|for|under|add|remove|"
    r"kid|son|daughter|wife|husband|mother|father|brother|sister|child|grandson|granddaughter|"
    r"grandmother|grandfather|aunt|uncle|nephew|niece|cousin|partner|friend|patient|pt|client|"
    r"resident|member|caller|beneficiary|dependent|spouse|guardian|heir|writes|wrote|ms|mrs|mr|miss)"
)
_CUE_AFTER = (
    r"(?:is|was|has|had|said|says|lives|lived|spent|began|begins|explained|explains|reports|"
    r"reported|called|calls|told|tells|asked|asks|went|goes|died|passed|works|worked|visited|"
    r"arrived|stated|states|denies|denied|complains|complained|presents|presented|underwent|"
    r"received|receives|takes|took|wants|wanted|needs|needed|will|would|can|could|"
    r"who|whose|and[ ]i|agreed|signed|moved|recently|currently|also|just|never|still)"
)


# Surname particles before the surname of LAST, FIRST ("de la Cruz, Juan", "Van Der Berg,
# Anna", "St. Clair, Edward", "DEL RIO, ANTONIO"): lower-case, capitalised or in capitals.
# Capitalised words that are common given names (Van, Al, Ben, Della, Mac) start a First
# Last run instead ("Ben Nolan, Carla and Fred"), except "Van de(r/n)".
_PARTICLE_LOWER = (
    "de|del|della|der|den|di|da|van|von|la|le|du|dos|das|des|ter|ten|bin|ibn|al|el|ben|mc|mac"
)
_PARTICLE_CAP = "De|Del|Der|Den|Di|Da|Von|La|Le|Du|Dos|Das|Des|Ter|Ten|Bin|Ibn|El|Mc"
_PARTICLE = (
    rf"(?:{_PARTICLE_LOWER}|{_PARTICLE_CAP}|{_PARTICLE_CAP.upper()}|DELLA|VAN[ ]DE[RN]?|"
    r"Van[ ][Dd]e[rn]?|St\.?|Ste\.?|Saint|Sainte|ST\.?|STE\.?|SAINT)"
)
PARTICLE_WORDS = frozenset(
    (_PARTICLE_LOWER + "|st|ste|saint|sainte").split("|")
)  # the words above, lower case, without a dot


def _street_x(tok: str) -> str:
    return (
        rf"\b\d{{1,6}}[ ]+(?:(?:[A-Z][a-z]{{0,3}}\.|{tok})[ ]+){{0,3}}{tok}(?:[ ]+[a-z]{{2,}})?"
        r"[ ]+\d{1,5}[A-Za-z]?\b"
    )


_UNIT_X = r"(?:,?[ ]+|[ ]*\n[ ]*)(?:Apt|Suite|Unit|Ste)\.?[ ]+[A-Za-z0-9\-]{1,6}\b"


def _groups(uni: bool = True) -> list[tuple[str, str]]:
    """The named groups of the combined pattern. ``uni=False``: the variant the ASCII-view
    engines (re2, Hyperscan) scan; it matches the folded view wherever ``uni=True`` matches
    the text (see ``fold``)."""
    L = lexicon
    tok, cap = _tokens(uni)
    street_any = _STREET_ANY if uni else _street_pre("A-Z", "a-z")
    _STREET_X = _street_x(tok)
    # The accented letters of Spanish labels, as the text has them and as the view folds them.
    e_, i_, o_, u_ = ("[eé]", "[ií]", "[oó]", "[uú]") if uni else ("e", "i", "o", "u")
    return [
        ("email", r"[A-Za-z0-9._%+'\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}"),
        # --- labels (looked ahead from in Python) -----------------------------------
        # A label may run to its colon through dot leaders, as fixed-layout reports set
        # them ("Member ......: SMITH, JOHN", "Ordering ....: Lee, Ann DO").
        (
            "lbl_part",
            r"\b(?i:(?:patient(?:'s)?\s+|pt\.?\s+|member\s+|subscriber\s+|insured\s+|guarantor\s+|"
            r"parent\s+|guardian\s+|spouse\s+|emergency\s+contact\s+)?"
            r"(?:first|given|last|family|middle|sur)\s*name|mi|middle\s+initial|name\s+suffix|"
            # Bare, after a labelled part on its line: "Last Name: X   First: Y   MI: Z".
            r"first|last|middle|"
            # Spanish forms: "Apellidos: X   Nombre: Y"; a bare "Nombre:" alone is the whole
            # name (``_h_lbl_part`` hands it to the subject label).
            r"(?:primer\s+|segundo\s+)?(?:apellidos?|nombres?))(?:[ \t]*\.{2,})?\s*:",
        ),
        (
            "lbl_plan",
            r"\b(?i:(?:primary\s+|secondary\s+|tertiary\s+)?(?:insurance(?:\s+(?:plan|company|carrier))?|"
            r"insurer|payer|payor|carrier|health\s+plan|plan\s+name|coverage|plan|"
            # Spanish: "Seguro médico" (health insurance) is no physician's label.
            rf"seguro(?:\s+m{e_}dico|\s+de\s+salud)?|plan\s+(?:m{e_}dico|de\s+salud)|aseguradora))"
            r"(?:[ \t]*\.{2,})?\s*:[ \t]*",
        ),
        (
            "lbl_subj",
            r"\b(?i:name\s+of\s+patient|patient(?:'s)?\s+(?:full\s+)?name|pt\.?\s+name|patient|"
            r"member\s+name|member|subscriber\s+name|subscriber|insured\s+name|insured|beneficiary(?:\s+name)?|"
            r"enrollee(?:\s+name)?|resident(?:\s+name)?|client\s+name|recipient(?:\s+name)?|re|regarding|"
            r"guarantor(?:\s+name)?|policy\s*holder(?:\s+name)?|dependent(?:\s+name)?|spouse(?:\s+name)?|"
            r"emergency\s+contact(?:\s+name)?|next\s+of\s+kin|parent(?:/guardian)?|guardian|mother|father|"
            r"full\s+name|legal\s+name|name|pt|decedent(?:\s+name)?|deceased|child(?:'s)?\s+name|"
            r"individual|account\s+holder|caller|requestor|requester|applicant|claimant|"
            r"nombre\s+(?:del|de\s+la)\s+(?:paciente|asegurad[oa]|afiliad[oa])|nombre\s+completo|"
            r"paciente|asegurad[oa]|afiliad[oa]|beneficiari[oa])(?:[ \t]*\.{2,})?\s*:",
        ),
        (
            "lbl_prov",
            r"\b(?i:attending(?:\s+(?:physician|provider|md|doctor))?|physician|provider(?:\s+name)?|"
            r"rendering(?:\s+provider)?|referring(?:\s+(?:physician|provider|md))?|ordering(?:\s+(?:physician|provider|md))?|"
            r"pcp|primary\s+care(?:\s+(?:physician|provider))?|surgeon|anesthesiologist|radiologist|pathologist|"
            r"consultant|consulting\s+physician|therapist|prescriber|treating\s+(?:physician|provider)|doctor|"
            r"practitioner|clinician|dentist|midwife|"
            rf"m{e_}dic[oa](?:\s+tratante)?|doctora)(?:[ \t]*\.{{2,}})?\s*:",
        ),
        (
            "lbl_by",
            r"\b(?i:(?:electronically\s+)?signed(?:\s+electronically)?\s+by|dictated\s+by|"
            r"reviewed\s+and\s+signed\s+by|read\s+by|interpreted\s+by|performed\s+by|seen\s+by|"
            r"referred\s+by|ordered\s+by|prescribed\s+by|attested\s+by|cosigned\s+by)\s*:?\s",
        ),
        (
            "lbl_staff",
            r"\b(?i:coder|coded\s+by|author|authored\s+by|prepared\s+by|entered\s+by|"
            r"created\s+by|modified\s+by|staff(?:\s+name)?|employee(?:\s+name)?|user|analyst|reviewer|"
            r"auditor|representative|rep|agent|from|to|cc|bcc|contact\s+person|supervisor|manager|"
            r"submitted\s+by|transcribed\s+by|transcriptionist|scribe|owner|assigned\s+to|"
            r"approved\s+by|requested\s+by|sent\s+by|(?:[a-z]+\s+)?(?:coordinator|specialist|clerk|"
            r"technician|processor|administrator|officer|associate|liaison|navigator))(?:[ \t]*\.{2,})?\s*:",
        ),
        (
            "lbl_log",
            r"\b(?i:work\s*log|worklog|timesheet|activity\s+log|daily\s+log|coder\s+log)\s*[-:]\s*",
        ),
        # A closing line, or an e-mail's signature separator ("-- ": two dashes and a
        # space, exactly, as mail programs write it; a bare "--" also separates records).
        (
            "closing",
            r"(?m:^[ \t]*(?:Thanks|Thank\s+you|Sincerely|Regards|Best\s+regards|Kind\s+regards|"
            r"Respectfully|Warm\s+regards|Best|Cheers|Yours\s+truly),?[ \t]*$|^--[ ]$)",
        ),
        ("lbl_gender", r"\b(?i:sex|gender)\s*[:=]\s*"),
        (
            "lbl_id",
            r"\b(?i:member(?:ship)?\s*(?:id|#|no\.?|number|num)?|mbr\s*(?:id|#|no\.?)|"
            r"subscriber\s*(?:id|#|no\.?|number)?|sub\s*id|insured(?:'s)?\s*(?:id|#|no\.?|number)|"
            r"policy\s*(?:#|no\.?|number|id)?|group\s*(?:#|no\.?|number|id)|grp\s*(?:#|no\.?)?|"
            r"plan\s*(?:member\s*)?id|insurance\s*(?:id|#|no\.?|number)|ins\.?\s*id|beneficiary\s*(?:id|#|no\.?|number)|"
            r"health\s*plan\s*(?:id|#|no\.?)|medicaid\s*(?:id|#|no\.?|number)?|medicare\s*(?:id|#|no\.?|number|beneficiary\s+identifier)?|"
            r"mbi|hicn|hic\s*#?|cin|id\s*card\s*(?:#|no\.?|number)?|"
            r"mrn|m\.r\.n\.?|mr\s*#|medical\s+record\s*(?:number|no\.?|#)?|med\.?\s*rec(?:ord)?\.?\s*(?:no\.?|#|num)?|"
            r"chart\s*(?:number|no\.?|#|id)|patient\s*(?:id|#|no\.?|number)|pt\.?\s*(?:id|#|no\.?)|"
            r"person\s*id|empi|mpi|"
            # Spanish forms ("Número de póliza", "Núm. de afiliado", "Expediente médico").
            rf"(?:n{u_}mero|n{u_}m\.?|no\.?|id)\s+de\s+(?:p{o_}liza|miembro|afiliad[oa]|asegurad[oa]|"
            rf"expediente)|p{o_}liza|expediente(?:\s+m{e_}dico)?|historia\s+cl{i_}nica|"
            r"(?:patient\s+)?account\s*(?:number|no\.?|#)?|acct\.?\s*(?:number|no\.?|#)?|"
            r"encounter\s*(?:number|#|no\.?|id)|visit\s*(?:number|#|no\.?|id)|fin\s*#|"
            r"driver'?s?'?\s+lic(?:en[cs]e)?\.?\s*(?:number|no\.?|#)?|dl\s*(?:#|no\.?|number)|d\.l\.\s*#?|"
            r"(?-i:C?DL)\s*:|cdl\s*(?:#|no\.?|number)|"
            r"state\s+id\s*(?:number|no\.?|#)?|licen[cs]e\s*(?:number|no\.?|#)|"
            r"passport\s*(?:number|no\.?|#)?|"
            r"routing\s*(?:number|no\.?|#)?|aba\s*(?:number|no\.?|#)?|bank\s+account\s*(?:number|no\.?|#)?|"
            r"checking\s+account\s*(?:number|no\.?|#)?|savings\s+account\s*(?:number|no\.?|#)?|iban|"
            r"user\s*name|user\s*id|login(?:\s*id)?|password|passwd|pwd|passcode|pin)"
            # "MRN#:", "Acct #:": a sign and a colon may both end the label.
            r"(?:\s*\([^)\n]{0,20}\))?(?:\s*[:#=\-]){0,2}\s*",
        ),
        ("dr", r"\b(?:Dr|DR|Doctor|DOCTOR)\.?\s+"),
        ("title", r"\b(?:Mr|Mrs|Ms|Miss|Mx|MR|MRS|MS|MISS)\.?\s+"),
        ("dear", r"\b(?:Dear|DEAR|Hello|Hi)\s+"),
        # --- values with formats ----------------------------------------------------
        ("masked", r"(?:\b[Xx]{3}|\*{3}|#{3})[\- ]?(?:[Xx]{2}|\*{2}|#{2})[\- ]?\d{4}\b"),
        ("hicn", r"\b\d{3}-?\d{2}-?\d{4}-?[A-Z][A-Z0-9]?\b"),
        ("ssn", r"\b\d{3}-\d{2}-\d{4}\b|\b\d{3} \d{2} \d{4}\b|\b\d{3}\.\d{2}\.\d{4}\b"),
        ("card", r"\b\d{4}[ \-]\d{4}[ \-]\d{4}[ \-]\d{1,7}\b|\b\d{4}[ \-]\d{6}[ \-]\d{4,5}\b"),
        ("ndc", r"\b\d{4,5}-\d{3,4}-\d{1,2}\b"),
        (
            "date",
            r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})\b|\b\d{1,2}-\d{1,2}-\d{4}\b|"
            r"\b\d{1,2}\.\d{1,2}\.\d{4}\b|\b\d{4}[./]\d{1,2}[./]\d{1,2}\b|"
            rf"\b(?i:{_MON})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b|"
            # "3rd of March 1962", "3-Mar-62", Spanish "3 de marzo de 1962"
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?:[ \-]|[ ]of[ ]|[ ](?i:de)[ ])(?i:{_MON})"
            rf"(?:[ ](?i:del?))?[ \-,]+\d{{2,4}}\b|"
            # "03JAN1958", "3Jan58": SAS / mainframe dates
            rf"\b\d{{1,2}}(?i:{_MON})\d{{2}}(?:\d{{2}})?\b",
        ),
        (
            "phone",
            r"(?:\+?1[ .\-]?)?(?:\(\d{3}\)[ .\-]?|\b\d{3}[.\-])\d{3}[ .\-]\d{4}\b|\b\d{3} \d{3} \d{4}\b",
        ),
        ("intl", r"\+[2-9]\d{0,2}[ .\-]?\(?\d{1,4}\)?(?:[ .\-]?\d{2,4}){2,4}\b"),
        (
            "mbi",
            rf"\b[1-9][{_MBI_A}][{_MBI_A}0-9]\d-?[{_MBI_A}][{_MBI_A}0-9]\d-?[{_MBI_A}]{{2}}\d{{2}}\b",
        ),
        ("dea", r"\b[A-Z][A-Z9]\d{7}\b"),
        ("icd", r"\b[A-Z]\d[0-9A-Z]\.[0-9A-Z]{1,4}\b|\b[A-Z]\d{2}[0-9A-Z]{0,4}\b"),
        ("cptx", r"\b\d{4}[FTU]\b"),
        (
            "street",
            # A street whose type word comes first, with its city/state/ZIP, is tried
            # first: "1540 Route 9, Clifton Park, NY 12065" is not "1540 Route". A street
            # name that is itself a suffix word ("W Lake Ct", "N Meadow St"): the lazy head
            # stops at the first suffix, so a longer street is tried first, kept only when
            # a unit or the city/state/ZIP follows ("12 Oak St Lake Forest, IL" keeps
            # "12 Oak St").
            rf"{street_any}|"
            rf"{_STREET_HEAD}(?:{_STREET_MORE}\.?(?:{_UNIT}?{_CSZ_AFTER}|{_UNIT})|"
            rf"\.?{_UNIT}?(?:{_CSZ_AFTER})?)|"
            rf"{_POBOX_HEAD}(?:(?:,[ ]*|[ ]*\n[ ]*){_CSZ})?",
        ),
        # APO / FPO / DPO: the military addresses USPS delivers ("PSC 8668, Box 3617 APO AE
        # 38090", "USS Burns FPO AA 94169").
        (
            "military",
            r"\b(?:(?:(?:Unit|PSC|CMR)[ ]+\d{1,5},?[ ]+Box[ ]+\d{1,5}|(?:USNS|USS|USCGC)[ ]+"
            r"[A-Z][a-z]+),?[ ]+)?(?:APO|FPO|DPO)[ ]+(?:AA|AE|AP)[ ]+\d{5}(?:-\d{4})?\b",
        ),
        # A street written number-last, as outside the US ("Ziegelgasse 26", "Bem rakpart 79"),
        # after a house number or an address cue: with a unit after it, or a cue before it.
        (
            "street_x",
            rf"\b(?i:address(?:[ ]+is)?|lives?[ ]+at|living[ ]+at|located[ ]+at|moved[ ]+to|"
            rf"meet[ ]+(?:you|me)[ ]+at|is[ ]+at)[ ]*:?[ ]+{_STREET_X}(?:{_UNIT_X})?|"
            rf"{_STREET_X}{_UNIT_X}",
        ),
        ("csz", rf"(?m:^[ \t]*{_CSZ}[ \t]*$)"),
        # "lives in Dayton, Ohio": a town and a US state's full name after a place cue.
        (
            "city_state",
            rf"\b(?i:in|near|from|at|to)[ ]+(?:{tok}[ ]){{0,2}}{tok},[ ]+(?:{_STATE_NAMES})\b",
        ),
        # Any other phone-shaped run: "+44 20 7946 0958", "0049 30 1234567", "(11) 4706-6184",
        # "077 5149 6820", "502.702.0123x3721". Checked by phonenumbers and context words.
        (
            "phone_x",
            r"(?:\+|\b00)[1-9]\d{0,2}[ .\-]?(?:\(0\)[ ]?)?(?:\(\d{1,5}\)[ .\-]?)?\d{1,8}"
            r"(?:[ .\-]\d{1,8}){0,5}(?:[ ]?(?:x|ext\.?)[ ]?\d{1,6})?\b|"
            r"\(\d{2,5}\)[ .\-]?\d{2,5}(?:[ .\-]\d{2,5}){0,3}(?:[ ]?(?:x|ext\.?)[ ]?\d{1,6})?\b|"
            r"\b\d{2,5}(?:[ .\-]\d{2,5}){1,4}(?:[ ]?(?:x|ext\.?)[ ]?\d{1,6})?\b|"
            r"\b\d{10,11}(?:[ ]?(?:x|ext\.?)[ ]?\d{1,6})\b|"
            # A national number after its trunk 0: "0643-6220971", "040 4194890".
            r"\b0\d{1,4}[ .\-]\d{5,8}\b",
        ),
        ("digits", r"\b\d{4,19}\b"),
        # --- dictionaries ------------------------------------------------------------
        ("dead", dict_group(L.DECEASED_PHRASES)),
        (
            "plan_name",
            r"\b(?:[A-Z][A-Za-z&'\-]+[ ]+){1,4}(?:PPO|HMO|EPO|POS|HDHP|Health[ ]+Plan|HEALTH[ ]+PLAN|"
            r"Medicare[ ]+Advantage|Advantage[ ]+Plan|Dental[ ]+Plan|Vision[ ]+Plan)\b"
            r"(?:[ ]+(?:Gold|Silver|Bronze|Platinum|Plus|Select|Choice|Premier|Basic|Standard|Value))?",
        ),
        ("payer", dict_group(L.PAYERS)),
        ("lab", dict_group(L.LAB_TESTS)),
        ("img", dict_group(L.IMAGING_MODALITIES)),
        ("proc", dict_group(L.PROCEDURES)),
        ("cond", dict_group(L.CONDITIONS)),
        ("drug", dict_group(L.DRUGS)),
        # --- name shapes (validated in Python) ---------------------------------------
        (
            "comma_name",
            rf"\b(?:{_PARTICLE}[ ]){{0,3}}(?:{tok}|{cap})(?:[ ](?:Jr|JR|Sr|SR|II|III|IV)\.?)?,"
            rf"[ ]?(?:{tok}|{cap})"
            rf"(?:[ ](?:[A-Z]\.?|{tok}|{cap}))?\b\.?",
        ),
        (
            "cue_name",
            rf"\b(?i:{_CUE_BEFORE})\.?[ ]+{tok}(?:[ ]+(?:[A-Z]\.?[ ]+)?{tok})?\b",
        ),
        (
            "name_verb",
            rf"\b{tok}(?:[ ]+(?:[A-Z]\.?[ ]+)?{tok})?(?:'s)?[ ]+{_CUE_AFTER}\b",
        ),
        ("name_run", rf"\b{tok}(?:[ ]+(?:[A-Z]\.|[A-Z]\b|{tok})){{1,3}}\b"),
        ("caps_run", rf"\b{cap}(?:[ ][A-Z]\.?)?[ ]{cap}(?:[ ]{cap})?\b"),
    ]


GROUP_NAMES: tuple[str, ...] = tuple(n for n, _ in _groups())


View = Any
"""What ``CombinedScanner.prepare`` returns for one text (engine-specific; None for ``re``)."""

ENGINES = ("hyperscan", "re2", "re")


class CombinedScanner:
    """One pass over a text for every group at once.

    Engines (``engine=None``: see ``_default_engine``):

    - ``re2``: capture-free google-re2 DFAs, one per part of the groups (``_PARTS``), find
      each next candidate in an ASCII copy of the text (same character offsets); an
      anchored ``re2.Set`` of every group says which groups match the copy there; only
      those are tried on the text, each a small Python ``re`` anchored at that one
      position, in group order (``_Dispatch``). Where the set is not used
      (``_set_safe``), the groups that can start with the candidate's two characters.
    - ``hyperscan``: first one Hyperscan scan of the ASCII copy marks the spans where any
      group can start (``detect.hs``); the search jumps over everything else, then goes on
      as ``re2`` does (or as ``re`` when re2 is missing).
    - ``re``: Python's ``re`` scans alone.

    All three give the same matches (tests/test_detect_hyperscan.py).
    """

    def __init__(self, engine: str | None = None) -> None:
        groups = _groups()
        ascii_groups = _groups(uni=False)
        self.grouped = re.compile("|".join(f"(?P<{n}>{p})" for n, p in groups))
        self.engine = "re"
        self._fast: Any = None
        self._hs: Any = None
        if engine is not None and engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r}")
        if engine is None:
            engine = _default_engine()
        if engine in (None, "hyperscan"):
            from breachscope.detect import hs

            self._hs = hs.build(ascii_groups, _HS_HEADS)
            if self._hs is not None:
                self.engine = "hyperscan"
            elif engine == "hyperscan":
                raise RuntimeError("hyperscan is not available")
        if engine in (None, "re2", "hyperscan"):
            try:
                import re2  # google-re2

                opts = re2.Options()
                opts.max_mem = 256 << 20
                self._fast = re2.compile(
                    "|".join(f"(?:{p})" for _, p in ascii_groups).encode("ascii"), opts
                )
                if self.engine != "hyperscan":
                    self.engine = "re2"
            except Exception:
                if engine == "re2":
                    raise
                self._fast = None
        self._nexts: list[PartNext] = []
        self._anchor: Any = None
        self._set: Any = None
        self._dispatch: _Dispatch | None = None
        if self._fast is not None:
            self._dispatch = _Dispatch(groups, ascii_groups)
            parts = _parts(ascii_groups)
            self._nexts = [_part_next(ascii_groups, p) for p in parts]
            self._anchor = _unanchored()
            self._set = _group_set(ascii_groups, list(range(len(ascii_groups))))
        # The same steps in one native call per candidate (``_re2scan``, built beside the
        # compiled modules), for every text the group set may decide (see ``spans``).
        self._native: Any = None
        if self.engine == "re2" and self._set is not None:
            self._native = _native_scanner(ascii_groups, _parts(ascii_groups))

    @property
    def native_search(self) -> bool:
        """Whether the candidate search runs in ``_re2scan`` (one native call per candidate)."""
        return self._native is not None

    def prepare(self, text: str) -> View:
        """The view the fast engine scans (None when scanning with ``re`` alone)."""
        if self._hs is None and self._fast is None:
            return None
        folded = fold(text)
        own = folded is text  # the text is its own view (``fold``'s first test)
        ascii_view = folded.encode("ascii")
        # The group set reads the view from the character before a candidate; it is used
        # where the view is known to match as the text does (``_set_safe``).
        mv = memoryview(ascii_view) if self._set is not None and _set_safe(text) else None
        cover = self._hs.coverage(ascii_view) if self._hs is not None else None
        # Per candidate DFA, the next start it found (len(text): none); the last position
        # searched from (a search from before it starts over).
        return ascii_view, mv, cover, [-1] * len(self._nexts), [0], own

    def warm(self, texts: Iterable[str]) -> None:
        """Run the candidate search over ``texts`` (every candidate, matched or not), so
        that the DFAs build the states those texts reach now rather than on evidence."""
        for text in texts:
            view = self.prepare(text)
            # Both searches, each with its own DFAs: the native one (``spans``) reads every
            # text the group set may decide, the Python steps (``finder``) the others.
            find = self.spans(text, view)
            pos = 0
            while (got := find(pos)) is not None:
                pos = max(got[1], got[0] + 1)
            if self._native is not None:
                # The same view: a search from before the last one starts over (``finder``),
                # and the native one keeps its state in its ``Finder``.
                py_find = self.finder(text, view)
                pos = 0
                while (m := py_find(pos)) is not None:
                    pos = max(m.end(), m.start() + 1)

    def search(self, text: str, view: View, pos: int) -> re.Match[str] | None:
        """The first match at or after ``pos`` (``view``: ``prepare(text)``)."""
        return self.finder(text, view)(pos)

    def spans(self, text: str, view: View) -> Callable[[int], tuple[int, int, str] | None]:
        """``finder`` as ``(start, end, group name)``: with ``_re2scan`` in one native call
        per candidate when ``text`` is its own ASCII view (RE2 then reads every group as
        ``re`` reads it on the text: tests/test_detect_re2scan.py); for another text where
        the set may decide (``_set_safe``), its search and sets, then ``re`` on the text
        (``_mixed``); else through ``finder``."""
        if self._native is not None and view is not None and view[1] is not None:
            if view[5]:
                return self._native.finder(view[0])  # type: ignore[no-any-return]
            return self._mixed(text, view[0])
        find = self.finder(text, view)

        def spans_of(pos: int) -> tuple[int, int, str] | None:
            m = find(pos)
            return None if m is None else (m.start(), m.end(), m.lastgroup or "")

        return spans_of

    def _mixed(self, text: str, data: bytes) -> Callable[[int], tuple[int, int, str] | None]:
        """``spans`` for a text that is not its own view (letters beyond ASCII): the native
        search gives each next start and the groups that may match there; ``re`` matches
        them on the text, as ``finder`` does after its own search and set."""
        cands = self._native.candidates(data)
        try_groups = self._dispatch.try_groups  # type: ignore[union-attr]
        n = len(text)

        def find(pos: int) -> tuple[int, int, str] | None:
            while pos < n:
                got = cands(pos)
                if got is None:
                    return None
                s, groups = got
                hit = try_groups(text, data[s], groups, s)
                if hit is not None and hit.end() > s:
                    return s, hit.end(), hit.lastgroup or ""
                pos = s + 1
            return None

        return find

    def finder(self, text: str, view: View) -> Callable[[int], re.Match[str] | None]:
        """``search`` for one text: ``find(pos)``, with what it needs bound once."""
        if view is None:
            grouped = self.grouped

            def plain(pos: int) -> re.Match[str] | None:
                return grouped.search(text, pos)

            return plain
        data, mv, cover, res, last, _own = view
        n = len(text)
        disp = self._dispatch
        has_re2 = self._fast is not None and disp is not None
        if disp is None:  # Hyperscan then ``re``: ``find`` returns before the re2 steps
            return lambda pos: self._find_hs(text, cover, pos)
        at, pick = disp.at, disp._pick
        groups_at, try_groups = self._set, disp.try_groups
        parts = tuple(enumerate(self._nexts))
        anchor = self._anchor
        grouped = self.grouped
        if mv is None or groups_at is None:
            groups_at = None

        def find(pos: int) -> re.Match[str] | None:
            if cover is not None:
                # No candidate starts outside the spans Hyperscan covered: jump to the next
                # covered position, then go on as below (or with ``re`` without re2).
                at_ = cover.next_covered(pos)
                if at_ is None:
                    return None
                if not has_re2:
                    return grouped.search(text, at_)
                pos = at_
            # ``res``: each candidate DFA's next start (``n``: none), kept until the search
            # passes it; a search from before the last one starts over.
            if pos < last[0]:
                res[:] = [-1] * len(res)
            while pos < n:
                last[0] = pos
                s = n
                for i, nxt in parts:
                    r = res[i]
                    if r < pos:
                        r = nxt(anchor, data, pos, n)[0][0]
                        if r < 0:
                            r = n
                        res[i] = r
                    if r < s:
                        s = r
                if s >= n:
                    return None
                # Which groups match the view at ``s`` (one DFA run over the view from the
                # character before, for ``\b``; at 0 a line break, which reads as the start
                # of the text for every group: see ``_group_set``); only those are tried on
                # the text, in order (mostly one: tried here, as ``try_groups`` would).
                hit: re.Match[str] | None = None
                if groups_at is not None:
                    hits: list[int] = groups_at(mv[s - 1 :] if s else b"\n" + data)
                    if len(hits) == 1:
                        for p in pick[hits[0]][data[s]]:
                            hit = p.match(text, s)
                            if hit is not None:
                                break
                    elif hits:
                        hits.sort()
                        hit = try_groups(text, data[s], hits, s)
                    else:
                        hit = at(text, data, s)
                else:
                    hit = at(text, data, s)
                if hit is not None and hit.end() > s:
                    return hit
                pos = s + 1
            return None

        return find

    def _find_hs(self, text: str, cover: Any, pos: int) -> re.Match[str] | None:
        at = cover.next_covered(pos) if cover is not None else pos
        return None if at is None else self.grouped.search(text, at)


def _native_scanner(ascii_groups: list[tuple[str, str]], parts: list[list[int]]) -> Any:
    """``_re2scan.Scanner`` over the ASCII groups, or None when it was not built (no
    libre2-dev, no compiler, ``BREACHSCOPE_NATIVE=0``: see ``breachscope.native``)."""
    try:
        from breachscope.detect import _re2scan  # type: ignore[attr-defined]
    except ImportError:
        return None
    pats = [p.encode("ascii") for _, p in ascii_groups]
    return _re2scan.Scanner(pats, parts, [n for n, _ in ascii_groups], 256 << 20)


def _set_safe(text: str) -> bool:
    r"""Whether the group set may decide which groups to try on ``text``: wherever a group
    matches the text, its ASCII variant matches the view at the same position. Not where
    Python's ``\w`` reads a character as a word character that ``fold`` does not make a
    letter or a digit ("½", "Ⅻ"): ``\b`` could differ there."""
    if text.isascii():
        return True
    return not any(_word_not_folded(c) for c in set(_NON_ASCII_CHARS.findall(text)))


@cache
def _word_not_folded(c: str) -> bool:
    return (c.isalnum() or c == "_") and not (c.isalpha() or c.isdigit())


_NON_ASCII_CHARS = re.compile(r"[^\x00-\x7f]")


def _group_set(
    ascii_groups: list[tuple[str, str]], part: list[int]
) -> Callable[[memoryview | bytes], list[int]] | None:
    """``hits(view[s - 1:])``: the indices (in ``ascii_groups``) of the groups of ``part``
    whose ASCII variant matches the view at ``s`` (a superset of those whose group matches
    the text there), in no order; empty when re2 could not tell (its DFA out of memory).
    None without ``re2.Set``. At 0, ``hits(b"\\n" + view)``: a line break before the text
    reads as its start to every group, whose only assertions are ``\\b`` and the multi-line
    ``^`` and ``$`` (tests/test_detect_engine_scan.py). One set per list of patterns in a
    process, as ``re2.compile`` keeps one RE2 object per pattern: another scanner (the
    bench builds its own) shares the DFA states a first one built."""
    raw = _compiled_set(tuple(ascii_groups[gi][1] for gi in part))
    if raw is None:
        return None
    if part == list(range(len(part))):
        return raw  # type: ignore[no-any-return]
    index = part.__getitem__

    def hits(tail: memoryview | bytes) -> list[int]:
        return list(map(index, raw(tail)))

    return hits


@cache
def _compiled_set(patterns: tuple[str, ...]) -> Any:
    """The anchored ``re2.Set`` of ``patterns``, each after one character: its ``Match``
    (None without ``re2.Set``)."""
    try:
        import re2

        opts = re2.Options()
        opts.max_mem = 256 << 20
        gset = re2.Set.MatchSet(opts)
        for pat in patterns:
            # One character first: the one before the candidate, for a leading ``\b``/``^``.
            gset.Add(f"(?s:.)(?:{pat})".encode("ascii"))
        gset.Compile()
        return gset._set.Match
    except Exception:
        return None


# The candidate search runs one re2 DFA per part: a DFA's states are sets of positions in
# its pattern, so one DFA over every group builds a state for each mix of the groups seen
# together (most of a first pass went into building them); apart, the dictionaries, the
# name shapes and the labels each build few. The next candidate is the smallest next start.
_PARTS: tuple[frozenset[str], ...] = (
    frozenset(_DICTIONARIES),
    frozenset({"comma_name", "cue_name", "name_verb", "name_run", "caps_run"}),
    frozenset({"lbl_part", "lbl_plan", "lbl_subj", "lbl_prov", "lbl_by", "lbl_staff", "lbl_log",
               "lbl_id"}),
)  # fmt: skip


def _parts(ascii_groups: list[tuple[str, str]]) -> list[list[int]]:
    """The group indices of each part (the groups in no ``_PARTS`` last), empty ones out."""
    names = [n for n, _ in ascii_groups]
    out = [[i for i, n in enumerate(names) if n in p] for p in _PARTS]
    out.append([i for i, n in enumerate(names) if not any(n in p for p in _PARTS)])
    return [p for p in out if p]


PartNext = Callable[[Any, bytes, int, int], list[tuple[int, int]]]
"""``next(anchor, view, pos, end)[0][0]``: where the part's next candidate starts, or -1."""


def _unanchored() -> Any:
    """The ``anchor`` argument a ``PartNext`` is called with."""
    import re2

    return getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)


def _part_next(ascii_groups: list[tuple[str, str]], part: list[int]) -> PartNext:
    import re2

    opts = re2.Options()
    opts.max_mem = 256 << 20
    pat = "|".join(f"(?:{ascii_groups[i][1]})" for i in part)
    return _re2_next(re2.compile(pat.encode("ascii"), opts))


def _re2_next(fast: Any) -> PartNext:
    """The compiled RE2 object's own ``Match`` when the wrapper exposes it (called with the
    wrapper's unanchored ``_Anchor``: no Python frame, no match object per candidate), else
    the same through the public ``search``."""
    regexp = getattr(fast, "_regexp", None)
    if regexp is not None and _unanchored() is not None and hasattr(regexp, "Match"):
        return regexp.Match  # type: ignore[no-any-return]

    def public(_anchor: Any, view: bytes, pos: int, end: int) -> list[tuple[int, int]]:
        m = fast.search(view, pos, end)
        return [(-1, -1) if m is None else m.span()]

    return public


_ASCII = [chr(b) for b in range(128)]
_CATEGORY_CHARS = {
    _c.CATEGORY_DIGIT: {c for c in _ASCII if c.isdigit()},
    _c.CATEGORY_WORD: {c for c in _ASCII if c.isalnum() or c == "_"},
    _c.CATEGORY_SPACE: {c for c in _ASCII if c.isspace()},
    _c.CATEGORY_LINEBREAK: {"\n"},
}
_CATEGORY_CHARS.update({
    _c.CATEGORY_NOT_DIGIT: set(_ASCII) - _CATEGORY_CHARS[_c.CATEGORY_DIGIT],
    _c.CATEGORY_NOT_WORD: set(_ASCII) - _CATEGORY_CHARS[_c.CATEGORY_WORD],
    _c.CATEGORY_NOT_SPACE: set(_ASCII) - _CATEGORY_CHARS[_c.CATEGORY_SPACE],
    _c.CATEGORY_NOT_LINEBREAK: set(_ASCII) - {"\n"},
})  # fmt: skip


def _with_case(chars: set[str], icase: bool) -> set[str]:
    return chars | {c.swapcase() for c in chars} if icase else chars


def _firsts(items: Any, icase: bool) -> tuple[set[str], bool]:
    """The ASCII characters a parsed pattern can start with, and whether it can match
    empty. Errs on the side of more characters: an unknown construct means any."""
    out: set[str] = set()
    for op, arg in items:
        nullable = False
        if op is _c.LITERAL:
            got = _with_case({chr(arg)}, icase)
        elif op is _c.IN:
            if any(o is _c.NEGATE for o, _ in arg):
                return set(_ASCII), False
            got = set()
            for o, a in arg:
                if o is _c.LITERAL:
                    got.add(chr(a))
                elif o is _c.RANGE:
                    got.update(chr(x) for x in range(a[0], min(a[1], 127) + 1))
                elif o is _c.CATEGORY:
                    got.update(_CATEGORY_CHARS.get(a, _ASCII))
                else:
                    return set(_ASCII), False
            got = _with_case(got, icase)
        elif op is _c.AT:
            got, nullable = set(), True
        elif op is _c.BRANCH:
            got = set()
            for alt in arg[1]:
                f, n = _firsts(alt, icase)
                got |= f
                nullable = nullable or n
        elif op is _c.SUBPATTERN:
            _grp, add, remove, sub = arg
            flag = (icase or bool(add & re.I)) and not remove & re.I
            got, nullable = _firsts(sub, flag)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            lo, _hi, sub = arg
            got, nullable = _firsts(sub, icase)
            nullable = nullable or lo == 0
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            got, nullable = set(), True
        else:
            return set(_ASCII), False
        out |= got
        if not nullable:
            return out, False
    return out, True


Node = tuple[Any, ...]
_ANY_ASCII = frozenset(_ASCII)


def _nodes(items: Any, icase: bool) -> list[Node]:
    """A parsed pattern as a sequence of nodes, case folded in, groups spliced inline:
    ``("c", chars)`` one character, ``("z",)`` zero-width, ``("b", [seq…])`` alternatives,
    ``("r", lo, hi, seq)`` a repeat. What is not understood is any one character."""
    out: list[Node] = []
    for op, arg in items:
        if op in (_c.LITERAL, _c.IN):
            chars, _ = _firsts([(op, arg)], icase)
            out.append(("c", frozenset(chars)))
        elif op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            out.append(("z",))
        elif op is _c.BRANCH:
            out.append(("b", [_nodes(alt, icase) for alt in arg[1]]))
        elif op is _c.SUBPATTERN:
            _grp, add, remove, sub = arg
            out.extend(_nodes(sub, (icase or bool(add & re.I)) and not remove & re.I))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            out.append(("r", arg[0], arg[1], _nodes(arg[2], icase)))
        else:
            out.append(("c", _ANY_ASCII))
    return out


def _node_firsts(seq: list[Node]) -> tuple[frozenset[str], bool]:
    """The characters a node sequence can start with, and whether it can match empty."""
    out: set[str] = set()
    for node in seq:
        if node[0] == "c":
            return frozenset(out | node[1]), False
        if node[0] == "z":
            continue
        if node[0] == "b":
            nullable = False
            for alt in node[1]:
                f, n = _node_firsts(alt)
                out |= f
                nullable = nullable or n
        else:
            f, n = _node_firsts(node[3])
            out |= f
            nullable = n or node[1] == 0
        if not nullable:
            return frozenset(out), False
    return frozenset(out), True


def _node_seconds(seq: list[Node], cont: frozenset[str]) -> set[str]:
    """The characters that can come second in a match of ``seq`` (``cont``: those that can
    follow ``seq``; any character when a match can be one character long)."""
    out: set[str] = set()
    for i, node in enumerate(seq):
        if node[0] == "z":
            continue
        f, n = _node_firsts(seq[i + 1 :])
        after = f | cont if n else f
        if node[0] == "c":
            return out | after
        if node[0] == "b":
            for alt in node[1]:
                out |= _node_seconds(alt, after)
            if not _node_firsts([node])[1]:
                return out
        else:
            lo, hi, sub = node[1], node[2], node[3]
            again = _node_firsts(sub)[0] if hi >= 2 else frozenset()
            out |= _node_seconds(sub, again | after)
            if not (lo == 0 or _node_firsts(sub)[1]):
                return out
    return out


class _Dispatch:
    """Which groups can start with each pair of ASCII characters, in group order, each
    compiled on its own; a dictionary group only with its terms that start with the letter.

    Trying these at a candidate gives the match the whole alternation gives there (an
    alternation takes its first alternative that matches, and a group that cannot start
    with the two characters cannot match). The ASCII view decides: wherever a group matches
    the text, its ASCII variant matches the view at the same position (see ``fold``), so
    the view's characters are ones the ASCII variant can start with."""

    def __init__(self, groups: list[tuple[str, str]], ascii_groups: list[tuple[str, str]]) -> None:
        # Per group and first character: (compiled group, characters that can come second).
        self._by_first: list[list[tuple[re.Pattern[str], frozenset[str]]]] = [[] for _ in _ASCII]
        compiled: dict[str, re.Pattern[str]] = {}
        for (name, pat), (_n, ascii_pat) in zip(groups, ascii_groups, strict=True):
            if name in _DICTIONARIES:
                lead = {t[0].lower() for t in _DICTIONARIES[name]}
                per = {c: dict_group(tuple(t for t in _DICTIONARIES[name] if t[0].lower() == c))
                       for c in lead}  # fmt: skip
                for c in sorted(lead):
                    seq = _nodes(_p.parse(per[c]), False)
                    second = frozenset(_node_seconds(seq, _ANY_ASCII))
                    key = f"(?P<{name}>{per[c]})"
                    rx = compiled.setdefault(key, re.compile(key))
                    for cc in {c, c.upper()}:
                        self._by_first[ord(cc)].append((rx, second))
                continue
            seq = _nodes(_p.parse(ascii_pat), False)
            firsts, nullable = _node_firsts(seq)
            second = frozenset(_node_seconds(seq, _ANY_ASCII))
            key = f"(?P<{name}>{pat})"
            rx = compiled.setdefault(key, re.compile(key))
            for c in _ANY_ASCII if nullable else firsts:
                self._by_first[ord(c)].append((rx, _ANY_ASCII if nullable else second))
        # Per group index and first character: the compiled patterns to try.
        index = {name: i for i, (name, _p2) in enumerate(groups)}
        self._pick: list[list[tuple[re.Pattern[str], ...]]] = [[() for _ in _ASCII] for _ in groups]
        for first in range(128):
            for rx, _ok in self._by_first[first]:
                gi = index[min(rx.groupindex, key=rx.groupindex.__getitem__)]
                self._pick[gi][first] += (rx,)
        # Rows for every (first, second) pair; 128 as the second: the end of the text.
        self._table: list[tuple[re.Pattern[str], ...]] = []
        seconds: list[str | None] = [*_ASCII, None]
        for first in range(128):
            cands = self._by_first[first]
            for nxt in seconds:
                self._table.append(tuple(rx for rx, ok in cands if nxt is None or nxt in ok))

    def try_groups(
        self, text: str, first: int, groups: Sequence[int], s: int
    ) -> re.Match[str] | None:
        """The first of ``groups`` (indices, in order) that matches ``text`` at ``s``
        (``first``: the view's character there)."""
        pick = self._pick
        for gi in groups:
            for p in pick[gi][first]:
                m = p.match(text, s)
                if m is not None:
                    return m
        return None

    def at(self, text: str, view: bytes, s: int) -> re.Match[str] | None:
        """The first group that matches ``text`` at ``s`` (``view``: its ASCII view)."""
        for p in self._table[view[s] * 129 + (view[s + 1] if s + 1 < len(view) else 128)]:
            m = p.match(text, s)
            if m is not None:
                return m
        return None


_FOLDED = re.compile(r"[^\x00-\x0a\x0c-\x1b\x20-\x7f]+")  # beyond ASCII, or an odd space


@cache
def _fold_char(c: str) -> str:
    import unicodedata

    base = unicodedata.normalize("NFKD", c)[:1]
    if base.isascii() and base.isalpha():
        return base  # é → e, É → E, K (Kelvin) → K
    if c.isspace():
        return " "
    if c.isdigit():
        return "0"
    if c.isalpha():
        return "A" if c.isupper() else "a"
    return "?"


def _has_odd_space(text: str) -> bool:
    # Five substring tests: each a fast C scan, together ~20x cheaper than one regex search.
    return "\x0b" in text or "\x1c" in text or "\x1d" in text or "\x1e" in text or "\x1f" in text


def _fold_run(m: re.Match[str]) -> str:
    return "".join(_fold_char(c) for c in m.group(0))


def fold(text: str) -> str:
    r"""The ASCII view of ``text``, one character for one, so offsets are the same: a letter
    beyond ASCII becomes its base letter or a letter of its case, a digit ``0``, a space
    `` ``, anything else ``?``; so does an ASCII separator that Python's ``\s`` reads as a
    space and re2's does not (``\v``, ``\x1c``-``\x1f``). Wherever the ``uni=True`` groups
    match the text, the ``uni=False`` groups match this view at the same position."""
    if text.isascii() and not _has_odd_space(text):
        return text
    return _FOLDED.sub(_fold_run, text)


def _default_engine() -> str | None:
    """``BREACHSCOPE_HYPERSCAN=1``: Hyperscan (+ re2); ``0``: never Hyperscan; unset: re2
    when installed (measured faster than Hyperscan + re2 here, see docs/detection.md),
    else Hyperscan when installed, else ``re``."""
    flag = os.environ.get("BREACHSCOPE_HYPERSCAN", "").strip().lower()
    if flag in ("1", "true", "yes", "on"):
        return "hyperscan"
    if flag in ("0", "false", "no", "off"):
        return "re2"
    try:
        import re2  # noqa: F401
    except ImportError:
        return None
    return "re2"


# Prefixes of the street group's matches (the whole group is too large for Hyperscan).
_HS_HEADS: dict[str, list[str]] = {
    "street": [_STREET_HEAD, _street_pre("A-Z", "a-z").replace("}?", "}"), _POBOX_HEAD]
}


@cache
def scanner() -> CombinedScanner:
    """The compiled combined pattern (built once per process)."""
    return CombinedScanner()


# Context words, searched only in the few dozen characters before a candidate.
# "Social Security Number", "Member No": the word "number" after an identifier's name
# belongs to it (alone, "number" is a phone cue, and the nearest cue decides).
_NUMBER_WORD = r"(?:\s*(?:number|num|nbr|no)\b)?"
_CONTEXT_KINDS: list[tuple[str, str]] = [
    (
        "dob",
        r"\b(?:dob|d0b|d\.o\.b\.?|date\s+of\s+birth|birth\s*date|birthdate|born(?:\s+on)?|"
        r"birthday|b/d|bday|"
        # Spanish forms: "Fecha de nacimiento", "Fecha de nac.", "F. nac.", "nacida el".
        r"fecha\s+de\s+nacimiento|fecha\s+(?:de\s+)?nac|f\.\s*(?:de\s+)?nac|nacimiento|"
        r"nacid[oa](?:\s+el)?|naci[oó](?:\s+el)?)\b",
    ),
    (
        "death",
        r"\b(?:date\s+of\s+death|dod|death\s+date|deceased(?:\s+on)?|expired(?:\s+on)?|"
        r"died(?:\s+on)?|passed\s+away(?:\s+on)?|time\s+of\s+death|pronounced|"
        r"fecha\s+de\s+(?:defunci[oó]n|fallecimiento)|fallecid[oa](?:\s+el)?)\b",
    ),
    (
        "service",
        r"\b(?:date\s+of\s+service|dos|service\s+date|admit(?:ted|ting)?|admission|"
        r"discharg(?:e|ed)|visit|encounter|seen|appointment|appt|collected|collection|"
        r"exam|procedure|surgery|order(?:ed)?|reported|received|performed|scheduled|dated|"
        r"from|through|thru|to|date)\b",
    ),
    ("last4", r"\b(?:last\s*4|last\s+four(?:\s+digits)?|ending\s+in|ends\s+in|l4)\b"),
    (
        "ssn",
        r"\b(?:ssn|ss\s*#|s\.s\.n\.?|soc(?:ial)?\.?\s*sec(?:urity)?\.?|ss\s+no|social)\b"
        + _NUMBER_WORD,
    ),
    ("fax", r"\bfax\b"),
    (
        "phone",
        r"\b(?:phone|tel|telephone|mobile|cell|ph|home|work|contact|call|text|number|"
        r"tel[eé]fono|celular|m[oó]vil)\b",
    ),
    ("npi", r"\b(?:npi|national\s+provider)\b"),
    ("dea", r"\bdea\b"),
    ("medicare", r"\b(?:medicare|mbi|hicn|hic)\b" + _NUMBER_WORD),
    (
        "member",
        r"\b(?:member|mbr|subscriber|insured|policy|group|grp|plan|insurance|beneficiary|"
        r"medicaid|cin|id\s+card|miembro|afiliado|asegurado|p[oó]liza)\b" + _NUMBER_WORD,
    ),
    (
        "mrn",
        r"\b(?:mrn|medical\s+record|med\s*rec|chart|patient\s+id|pt\s+id|empi|mpi|expediente|"
        r"historia\s+cl[ií]nica)\b" + _NUMBER_WORD,
    ),
    ("routing", r"\b(?:routing|aba|transit)\b"),
    ("bank", r"\b(?:bank|checking|savings|iban|direct\s+deposit|deposit)\b"),
    ("account", r"\b(?:account|acct|encounter\s+(?:no|number|#)|fin|har)\b" + _NUMBER_WORD),
    ("card", r"\b(?:card|visa|mastercard|amex|american\s+express|discover|credit|debit)\b"),
    (
        "dx",
        r"\b(?:diagnosis|diagnoses|dx|icd(?:-?10(?:-cm)?)?|problem|assessment|impression|"
        r"condition|diagn[oó]sticos?)\b",
    ),
    ("px", r"\b(?:cpt|hcpcs|procedures?|proc|px|service\s+code|billing\s+code|code)\b"),
    ("rx", r"\b(?:ndc|medication|rx|prescription|prescribed|drug|medicamentos?|receta)\b"),
    (
        "dl",
        r"\b(?:driver'?s?'?\s+licen[cs]e|(?-i:DL)|d\.l\.|state\s+id|license)\b" + _NUMBER_WORD,
    ),
    ("passport", r"\bpassport\b" + _NUMBER_WORD),
    (
        "provider",
        r"\b(?:dr|doctor|physician|provider|attending|referring|ordering|rendering|pcp|"
        r"surgeon|md|signed|dictated|prescriber|np|rn|nurse|m[eé]dic[oa]|doctora)\b",
    ),
    (
        "staff",
        r"\b(?:coder|author|prepared|entered|staff|employee|analyst|reviewer|auditor|user|"
        r"agent|representative|rep)\b",
    ),
]
CONTEXT = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _CONTEXT_KINDS), re.I)

# Every context word starts a word with a letter. At each word start only the kinds that
# can begin with its letter are tried, in the same order: the same matches as
# ``CONTEXT.finditer``, several times faster than trying every kind at every character.
_WORD_START = re.compile(r"\b[a-z]", re.I)


def _context_by_letter() -> dict[str, re.Pattern[str]]:
    firsts = [(k, p, _firsts(_p.parse(p, re.I), True)[0]) for k, p in _CONTEXT_KINDS]
    out = {}
    for c in "abcdefghijklmnopqrstuvwxyz":
        alts = [f"(?P<{k}>{p})" for k, p, f in firsts if c in f or c.upper() in f]
        out[c] = out[c.upper()] = re.compile("|".join(alts) or "(?!)", re.I)
    return out


# Keyed by both cases of each ASCII letter (no ``lower`` per word).
_CONTEXT_AT = _context_by_letter()


def context_kinds(segment: str) -> list[str]:
    """The context kinds written in ``segment``, in order (``CONTEXT.finditer``'s)."""
    out = []
    pos = 0
    at = _CONTEXT_AT.get
    # Every word start, in one pass (a word start is never the character after another);
    # those inside the last match are passed over.
    for w in _WORD_START.finditer(segment):
        s = w.start()
        if s < pos:
            continue
        # A letter beyond ASCII that ``re.I`` reads as an ASCII one ("ſ", "K"): the whole
        # pattern.
        m = at(segment[s], CONTEXT).match(segment, s)
        if m is not None:
            out.append(m.lastgroup or "")
            pos = max(m.end(), s + 1)
    return out


# The credential ends the word: "D.O.B." after a name is a date-of-birth label, not D.O.
CREDENTIAL_AFTER = re.compile(
    r",?\s*(?:MD|M\.D\.|DO|D\.O\.|NP|N\.P\.|PA-C|PA|RN|R\.N\.|DDS|DMD|DPM|OD|PhD|FNP(?:-BC)?|APRN|CRNA|"
    r"LCSW|LPN|FACS|FACP|MBBS|DC|PT|DPT|OTR|CNM|PsyD)(?!\.?[A-Za-z0-9])"
)
