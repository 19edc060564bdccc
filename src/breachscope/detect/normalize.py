"""Normalisers: one canonical spelling per value so that link/resolve can compare them.

SSN → 9 digits; dates → ISO ``YYYY-MM-DD``; phones → E.164; e-mails → lower case;
identifiers → upper case without spaces or punctuation; names → tidied, case kept.
Each returns ``None`` when the input is not a usable value of that kind.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from breachscope.detect.validators import digits, real_date

EMPTY = frozenset(
    {
        "", "-", "--", "---", ".", "?", "0", "00", "na", "n/a", "n.a.", "none", "null", "nil",
        "unknown", "unk", "not available", "not applicable", "blank", "missing", "#n/a",
        "nan", "none given", "declined", "refused", "tbd", "xx", "xxx", "(null)", "<null>",
    }
)  # fmt: skip


def is_empty(s: str | None) -> bool:
    return s is None or s.strip().lower() in EMPTY


# --------------------------------------------------------------------------- dates

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
    # Spanish (bilingual forms of US clinics and plans)
    "ene": 1, "enero": 1, "febrero": 2, "marzo": 3, "abr": 4, "abril": 4, "mayo": 5,
    "junio": 6, "julio": 7, "ago": 8, "agosto": 8, "set": 9, "septiembre": 9,
    "setiembre": 9, "octubre": 10, "noviembre": 11, "dic": 12, "diciembre": 12,
}  # fmt: skip

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?")
_NUM = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:[T ][\d:.]+\s*(?:[AP]M)?)?", re.I)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:\d{4,6})?")
_MON_FIRST = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DAY_FIRST = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?(?:[\s-]+(?:(?:of|de)\s+)?|(?=[A-Za-z]))([A-Za-z]{3,10})\.?,?"
    r"(?:\s+del?)?[\s-]*(\d{2}|\d{4})",
    re.I,
)


def _year2(yy: int, pivot_past: bool, today: dt.date) -> int:
    """Two-digit years: birth dates are never in the future; other dates pivot at +10y."""
    cur = today.year % 100
    century = today.year - cur
    if pivot_past:
        return century + yy if yy <= cur else century - 100 + yy
    return century + yy if yy <= cur + 10 else century - 100 + yy


def parse_date(
    s: str, *, order: str = "MDY", past: bool = False, today: dt.date | None = None
) -> dt.date | None:
    """Parse a date written any common way. ``order`` settles ambiguous numeric dates
    (``MDY`` for US data, ``DMY`` when a column shows day > 12 first). ``past`` makes
    two-digit years resolve into the past (birth dates)."""
    t = s.strip()
    if not t or len(t) > 40:
        return None
    if len(t) == 10 and t[2] in "-/." and t[5] in "-/." and t.isascii():
        # 'MM/DD/YYYY', most dates in text: what _NUM below reads, without the patterns.
        a2, b2, y4 = t[:2], t[3:5], t[6:]
        if a2.isdigit() and b2.isdigit() and y4.isdigit():
            a, b = int(a2), int(b2)
            if order == "DMY" or (a > 12 and b <= 12):
                a, b = b, a
            return real_date(int(y4), a, b)
    today = today or dt.date.today()
    m = _ISO.fullmatch(t)
    if m:
        return real_date(int(m[1]), int(m[2]), int(m[3]))
    m = _NUM.fullmatch(t)
    if m:
        a, b, y = int(m[1]), int(m[2]), m[3]
        year = int(y) if len(y) == 4 else _year2(int(y), past, today)
        if order == "DMY" or (a > 12 and b <= 12):
            a, b = b, a
        return real_date(year, a, b)
    m = _COMPACT.fullmatch(t)
    if m:
        return real_date(int(m[1]), int(m[2]), int(m[3]))
    m = _MON_FIRST.fullmatch(t)
    if m and m[1].lower() in MONTHS:
        return real_date(int(m[3]), MONTHS[m[1].lower()], int(m[2]))
    m = _DAY_FIRST.fullmatch(t)
    if m and m[2].lower() in MONTHS:
        y = m[3]
        year = int(y) if len(y) == 4 else _year2(int(y), past, today)
        return real_date(year, MONTHS[m[2].lower()], int(m[1]))
    # Excel serial day numbers leak through some exports (1955-01-01 .. 2054).
    if t.isascii() and t.isdigit() and 20000 <= int(t) <= 56000 and len(t) == 5:
        return None  # ambiguous with ZIPs and counts; callers opt in via excel_serial()
    return None


def excel_serial(s: str) -> dt.date | None:
    """An Excel serial day number (1900 system) as a date."""
    t = s.strip()
    if "." in t:
        t = t.split(".", 1)[0]
    if not (t.isascii() and t.isdigit()) or not 1 <= int(t) <= 80000:
        return None
    return dt.date(1899, 12, 30) + dt.timedelta(days=int(t))


def iso(d: dt.date) -> str:
    return d.isoformat()


# --------------------------------------------------------------------------- phones


@lru_cache(maxsize=65536)
def phone_e164(s: str) -> str | None:
    """E.164 for US/NANP numbers (fast path) and '+'-prefixed international numbers."""
    t = s.strip()
    low = t.lower()
    for cut in (" ext", " x", "ext.", "ext", "#"):
        i = low.find(cut)
        if i > 6:
            t = t[:i]
            break
    d = digits(t)
    if t.startswith("+") and not d.startswith("1"):
        try:
            import phonenumbers

            n = phonenumbers.parse(t, None)
        except Exception:
            return None
        if phonenumbers.is_possible_number(n):
            return phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)
        return None
    if len(d) == 11 and d[0] == "1":
        d = d[1:]
    if len(d) != 10:
        return None
    # NANP: area and exchange start 2-9; N11 areas and 555-01xx fictional lines excluded.
    if d[0] in "01" or d[3] in "01" or d[1:3] == "11" or len(set(d)) == 1:
        return None
    return "+1" + d


# --------------------------------------------------------------------------- identifiers

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")


def ident(s: str) -> str | None:
    """Identifiers: upper case, no spaces or punctuation; None for blanks and 0000."""
    t = (s if s.isascii() and s.isalnum() else _NOT_ALNUM.sub("", s)).upper()
    if len(t) < 3 or set(t) <= {"0"} or t in {"NULL", "NONE", "UNKNOWN", "NA", "TBD"}:
        return None
    return t


def email(s: str) -> str | None:
    from breachscope.detect.validators import email_valid

    t = s.strip().strip("<>").strip()
    if t.lower().startswith("mailto:"):
        t = t[7:]
    return t.lower() if email_valid(t) else None


# --------------------------------------------------------------------------- names


def strip_accents(s: str) -> str:
    """Letters without their accents (José → Jose, Núñez → Nunez): NFKD, combining marks
    dropped."""
    if s.isascii():
        return s
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


_SPACES = re.compile(r"\s+")
_NAME_JUNK = re.compile(r"[^\w\s'.,-]")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_ASCII_DIGIT = re.compile(r"[0-9]")


def clean_name(s: str) -> str | None:
    """A name part tidied (spaces, stray punctuation) with its case kept. A typographic
    apostrophe is an apostrophe (Word writes "O’Brien"). The usual name part, letters or
    words of letters one space apart, is already clean: returned as it is, before the
    cache (the text scan asks for one per name finding)."""
    if s.replace(" ", "").isalpha() and "  " not in s and s[0] != " " != s[-1]:
        return s
    return _clean_name(s)


@lru_cache(maxsize=65536)  # pure, and asked again for every mention of a name
def _clean_name(s: str) -> str | None:
    if "\u2019" in s:
        s = s.replace("\u2019", "'")
    t = _NAME_JUNK.sub(" ", s)
    t = _SPACES.sub(" ", t).strip(" .,-'")
    if t.isascii():  # str.isalpha / str.isdigit over ASCII: the two classes below
        if _ASCII_LETTER.search(t) is None or _ASCII_DIGIT.search(t) is not None:
            return None
    elif not any(c.isalpha() for c in t) or any(c.isdigit() for c in t):
        return None
    return t


# --------------------------------------------------------------------------- places

US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island",
    "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico", "GU": "Guam",
    "VI": "Virgin Islands", "AS": "American Samoa", "MP": "Northern Mariana Islands",
    "AA": "Armed Forces Americas", "AE": "Armed Forces Europe", "AP": "Armed Forces Pacific",
}  # fmt: skip
_STATE_BY_NAME = {v.upper(): k for k, v in US_STATES.items()}
_STATE_BY_NAME.update({"U.S. VIRGIN ISLANDS": "VI", "WASH": "WA", "CALIF": "CA", "MASS": "MA"})


def state_code(s: str) -> str | None:
    t = s.strip().strip(".").upper()
    if len(t) == 2:
        return t if t in US_STATES else None
    t = t.replace(".", "")
    if len(t) == 2:
        return t if t in US_STATES else None
    return _STATE_BY_NAME.get(_SPACES.sub(" ", t))


_ZIP = re.compile(r"(\d{5})(?:[- ]?\d{4})?", re.ASCII)


def zip5(s: str) -> str | None:
    t = s.strip()
    if t.isascii() and t.isdigit() and 3 <= len(t) <= 4:
        t = t.zfill(5)  # spreadsheets drop leading zeros from New England ZIPs
    m = _ZIP.fullmatch(t)
    if not m or m[1] == "00000":
        return None
    return m[1]


GENDERS = {
    "m": "M", "male": "M", "man": "M", "f": "F", "female": "F", "woman": "F",
    "u": "U", "unknown": "U", "unk": "U", "x": "X", "o": "X", "other": "X",
    "nonbinary": "X", "non-binary": "X", "nb": "X",
}  # fmt: skip


def gender(s: str) -> str | None:
    return GENDERS.get(s.strip().lower())


TRUE_FLAGS = frozenset({"y", "yes", "true", "t", "1", "deceased", "expired", "dead", "died", "x"})
FALSE_FLAGS = frozenset({"n", "no", "false", "f", "0", "alive", "living", ""})


def flag(s: str) -> bool | None:
    t = s.strip().lower()
    if t in TRUE_FLAGS:
        return True
    if t in FALSE_FLAGS:
        return False
    return None


def text_value(s: str, limit: int = 200) -> str | None:
    """Free text (a payer, a drug, a result) tidied and bounded in length."""
    t = _SPACES.sub(" ", s).strip()
    if is_empty(t):
        return None
    return t[:limit]
