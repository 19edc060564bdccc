"""Normalised identity fields for comparing mentions.

Names are upper-cased letters only; first names carry their nickname keys (the name
plus the formal names it is a nickname of: BOB → {BOB, ROBERT}), so that two first names
are nickname-equivalent when their keys meet. Surnames carry a Soundex code for
blocking. Dates keep their parts; addresses are reduced to a comparable street and a
5-digit ZIP.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jellyfish

from breachscope.given_names import nicknamer

_NON_ALPHA = re.compile(r"[^A-Z]")
_NON_ALNUM = re.compile(r"[^A-Z0-9]")
_SPACES = re.compile(r"\s+")
# Letters NFKD does not split into a base letter and an accent.
_LETTERS = str.maketrans(
    {"Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "Ł": "L", "ł": "l", "ß": "ss", "Œ": "OE",
     "œ": "oe", "Đ": "D", "đ": "d", "Þ": "TH", "þ": "th", "ı": "i"}
)  # fmt: skip
_TITLES = frozenset({"MR", "MRS", "MS", "MISS", "MX", "DR", "PROF", "REV"})
# Dates used as "unknown" by source systems; never identity.
_PLACEHOLDER_DOBS = frozenset(
    {dt.date(1900, 1, 1), dt.date(1899, 12, 31), dt.date(1901, 1, 1), dt.date(1800, 1, 1)}
)
_PLACEHOLDER_SSNS = frozenset(
    {"000000000", "111111111", "123456789", "999999999", "888888888", "078051120"}
)
_GENERATION = {
    "JR": "JR",
    "JNR": "JR",
    "JUNIOR": "JR",
    "SR": "SR",
    "SNR": "SR",
    "SENIOR": "SR",
    "I": "I",
    "II": "II",
    "2ND": "II",
    "III": "III",
    "3RD": "III",
    "IV": "IV",
    "4TH": "IV",
    "V": "V",
}
_STREET_WORDS = {
    "STREET": "ST",
    "STR": "ST",
    "AVENUE": "AVE",
    "AV": "AVE",
    "ROAD": "RD",
    "DRIVE": "DR",
    "LANE": "LN",
    "BOULEVARD": "BLVD",
    "COURT": "CT",
    "PLACE": "PL",
    "CIRCLE": "CIR",
    "HIGHWAY": "HWY",
    "PARKWAY": "PKWY",
    "TERRACE": "TER",
    "TRAIL": "TRL",
    "SQUARE": "SQ",
    "WAY": "WAY",
    "NORTH": "N",
    "SOUTH": "S",
    "EAST": "E",
    "WEST": "W",
    "APARTMENT": "APT",
    "UNIT": "APT",
    "SUITE": "STE",
    "NUMBER": "APT",
    "NO": "APT",
}


@lru_cache(maxsize=200_000)
def name_token(text: str | None) -> str:
    """Upper-case letters of a name part ('O'Brien' → 'OBRIEN', 'Núñez' → 'NUNEZ'); '' when
    empty or a title."""
    if not text:
        return ""
    # Fold accents before dropping non-letters: NÚÑEZ is NUNEZ, not NEZ.
    if not text.isascii():
        text = (
            unicodedata.normalize("NFKD", text.translate(_LETTERS))
            .encode("ascii", "ignore")
            .decode("ascii")
        )
    t = _NON_ALPHA.sub("", text.upper())
    return "" if t in _TITLES else t


@lru_cache(maxsize=200_000)
def first_keys(first: str) -> tuple[str, ...]:
    """The first name and the formal names it is a nickname of (sorted, includes itself)."""
    if len(first) < 2:
        return (first,) if first else ()
    keys = {first}
    try:
        for c in nicknamer().canonicals_of(first.lower()):
            keys.add(name_token(c))
    except Exception:  # the nickname table is a helper, never a reason to fail
        pass
    keys.discard("")
    return tuple(sorted(keys))


@lru_cache(maxsize=100_000)
def nicknames_of(first: str) -> tuple[str, ...]:
    """The nicknames of a formal first name (WILLIAM → BILL, BILLY, WILL …)."""
    if len(first) < 2:
        return ()
    try:
        found = {name_token(n) for n in nicknamer().nicknames_of(first.lower())}
    except Exception:  # the nickname table is a helper, never a reason to fail
        return ()
    found.discard("")
    return tuple(sorted(found))


@lru_cache(maxsize=200_000)
def soundex(last: str) -> str:
    return jellyfish.soundex(last) if last else ""


@lru_cache(maxsize=200_000)
def metaphone(name: str) -> str:
    return jellyfish.metaphone(name) if name else ""


@lru_cache(maxsize=1024)
def generation(suffix: str | None) -> str:
    return _GENERATION.get(_NON_ALNUM.sub("", (suffix or "").upper()), "")


@lru_cache(maxsize=200_000)
def street_key(street: str | None) -> str:
    if not street:
        return ""
    t = _NON_ALNUM.sub(" ", street.upper().replace("#", " APT "))
    words = [_STREET_WORDS.get(w, w) for w in t.split()]
    return " ".join(words)


_NON_DIGIT = re.compile(r"\D")


@lru_cache(maxsize=200_000)
def zip5(z: str | None) -> str:
    """Five-digit ZIP. A spreadsheet that stored ZIPs as numbers drops New England's
    leading zero (02119 → 2119, 02119-1234 → 21191234): put it back."""
    digits = _NON_DIGIT.sub("", z or "")
    if len(digits) in (4, 8):
        digits = "0" + digits
    return digits[:5] if len(digits) >= 5 else ""


def phone_key(p: str | None) -> str:
    digits = _NON_DIGIT.sub("", p or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if len(digits) == 10 else ""


def ssn_key(s: str | None) -> str:
    digits = _NON_DIGIT.sub("", s or "")
    if len(digits) != 9 or digits in _PLACEHOLDER_SSNS:
        return ""
    if digits[:3] in {"000", "666"} or digits[3:5] == "00" or digits[5:] == "0000":
        return ""
    return digits


def id_key(v: str | None) -> str:
    t = _NON_ALNUM.sub("", (v or "").upper())
    return t if len(t) >= 4 and len(set(t)) > 1 else ""


def email_key(v: str | None) -> str:
    t = (v or "").strip().lower()
    return t if "@" in t else ""


def dob_value(d: dt.date | None) -> dt.date | None:
    if d is None or d in _PLACEHOLDER_DOBS or d.year < 1880:
        return None
    return d


@dataclass(frozen=True, slots=True)
class Person:
    """The comparable form of one mention (or of identical mentions collapsed together)."""

    first: str
    first_keys: tuple[str, ...]
    middle: str
    last: str
    last_sx: str
    generation: str
    dob: dt.date | None
    ssn: str
    ssn4: str
    street: str
    zip: str
    phone: str
    email: str
    member_id: str
    mrn: str
    gender: str

    def identity_key(self) -> tuple[Any, ...] | None:
        """Mentions with equal keys are the same person without further evidence.

        Only when a name comes with a real identifier; two bare 'John Smith's are not.
        """
        if not (self.first and self.last):
            return None
        if not (self.dob or self.ssn or self.member_id or self.mrn or (self.street and self.zip)):
            return None
        return (
            self.first,
            self.middle[:1],
            self.last,
            self.generation,
            self.dob,
            self.ssn,
            self.ssn4,
            self.street,
            self.zip,
            self.phone,
            self.email,
            self.member_id,
            self.mrn,
        )


def person_from_mention(m: dict[str, Any]) -> Person:
    first = name_token(m.get("first_name"))
    last = name_token(m.get("last_name"))
    middle = name_token(m.get("middle_name"))
    ssn = ssn_key(m.get("ssn"))
    last4 = _NON_DIGIT.sub("", m.get("ssn_last4") or "")
    ssn4 = ssn[-4:] if ssn else (last4 if len(last4) == 4 and last4 != "0000" else "")
    gender = (m.get("gender") or "").upper()[:1]
    return Person(
        first=first,
        first_keys=first_keys(first),
        middle=middle,
        last=last,
        last_sx=soundex(last),
        generation=generation(m.get("suffix")),
        dob=dob_value(m.get("dob")),
        ssn=ssn,
        ssn4=ssn4,
        street=street_key(m.get("street")),
        zip=zip5(m.get("zip")),
        phone=phone_key(m.get("phone")),
        email=email_key(m.get("email")),
        member_id=id_key(m.get("member_id")),
        mrn=id_key(m.get("mrn")),
        gender=gender if gender in {"M", "F"} else "",
    )
