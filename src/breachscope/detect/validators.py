"""Check digits and format rules for identifiers (table-driven tests in tests/test_detect_validators.py).

Every function takes an already-extracted candidate and answers *is this plausibly a real
one*. None of them raise on bad input; they return ``False``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache, lru_cache

_DIGITS = re.compile(r"\D+")


def digits(s: str) -> str:
    """Only the digits of ``s``."""
    return _DIGITS.sub("", s)


def _digits(s: str) -> bool:
    """ASCII digits only: ``str.isdigit`` also accepts '²' and other scripts' digits."""
    return s.isascii() and s.isdigit()


# --------------------------------------------------------------------------- SSN


def ssn_valid(d: str) -> bool:
    """SSA rules for a 9-digit SSN: area not 000/666/9xx, group not 00, serial not 0000.

    Also rejects the well-known advertising/placeholder numbers (078-05-1120, 123-45-6789
    family used in forms, all-same digits). ITINs (9xx) are excluded by the area rule.
    """
    if len(d) != 9 or not _digits(d):
        return False
    area, group, serial = d[:3], d[3:5], d[5:]
    if area in ("000", "666") or area[0] == "9":
        return False
    if group == "00" or serial == "0000":
        return False
    return d not in _SSN_PLACEHOLDERS and len(set(d)) > 1


_SSN_PLACEHOLDERS = frozenset({"078051120", "219099999", "123456789", "111111111", "987654321"})


def itin_like(d: str) -> bool:
    """ITIN: 9xx-[50-65|70-88|90-92|94-99]-xxxx."""
    if len(d) != 9 or not _digits(d) or d[0] != "9":
        return False
    g = int(d[3:5])
    return 50 <= g <= 65 or 70 <= g <= 88 or 90 <= g <= 92 or 94 <= g <= 99


# --------------------------------------------------------------------------- Luhn family


def luhn_ok(d: str) -> bool:
    """Luhn (mod 10) over a digit string."""
    if not _digits(d) or len(d) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(d)):
        n = ord(ch) - 48
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def npi_valid(d: str) -> bool:
    """NPI: 10 digits starting 1 or 2, Luhn over the 80840 prefix + number."""
    return len(d) == 10 and _digits(d) and d[0] in "12" and luhn_ok("80840" + d)


# Issuer identification number ranges (ISO/IEC 7812) for the card networks seen in the US.
_CARD_RULES: tuple[tuple[str, int, int, tuple[int, ...]], ...] = (
    # (network, prefix low, prefix high, allowed lengths) on a 6-digit prefix
    ("visa", 400000, 499999, (13, 16, 19)),
    ("mastercard", 510000, 559999, (16,)),
    ("mastercard", 222100, 272099, (16,)),
    ("amex", 340000, 349999, (15,)),
    ("amex", 370000, 379999, (15,)),
    ("discover", 601100, 601199, (16, 19)),
    ("discover", 644000, 659999, (16, 19)),
    ("discover", 622126, 622925, (16, 19)),
    ("jcb", 352800, 358999, (16, 17, 18, 19)),
    ("diners", 300000, 305999, (14, 16)),
    ("diners", 360000, 369999, (14, 16)),
    ("diners", 380000, 399999, (14, 16)),
    ("unionpay", 620000, 629999, (16, 17, 18, 19)),
    ("maestro", 500000, 509999, (12, 13, 16, 19)),
    ("maestro", 560000, 589999, (12, 13, 16, 19)),
)


def card_network(d: str) -> str | None:
    """The card network when ``d`` has a known IIN and length and passes Luhn, else None."""
    if not _digits(d) or not 12 <= len(d) <= 19 or len(set(d)) == 1:
        return None
    prefix = int(d[:6])
    for net, lo, hi, lengths in _CARD_RULES:
        if lo <= prefix <= hi and len(d) in lengths:
            return net if luhn_ok(d) else None
    return None


def aba_valid(d: str) -> bool:
    """ABA routing number: 9 digits, Fed prefix 00-12/21-32/61-72/80, 3-7-1 checksum."""
    if len(d) != 9 or not _digits(d) or len(set(d)) == 1:
        return False
    p = int(d[:2])
    if not (p <= 12 or 21 <= p <= 32 or 61 <= p <= 72 or p == 80):
        return False
    w = (3, 7, 1) * 3
    return sum(int(c) * k for c, k in zip(d, w, strict=True)) % 10 == 0


def dea_valid(s: str) -> bool:
    """DEA registration: 2 letters + 7 digits; (d1+d3+d5) + 2*(d2+d4+d6) ends in d7."""
    s = s.upper()
    if len(s) != 9 or not s[:2].isalpha() or not _digits(s[2:]):
        return False
    if s[0] not in "ABCDEFGHJKLMPRSTUX":
        return False
    n = [int(c) for c in s[2:]]
    check = (n[0] + n[2] + n[4]) + 2 * (n[1] + n[3] + n[5])
    return check % 10 == n[6]


# --------------------------------------------------------------------------- Medicare IDs

# CMS MBI: C A AN N A AN N A A N N; letters exclude S, L, O, I, B, Z.
_MBI_ALPHA = "ACDEFGHJKMNPQRTUVWXY"
_MBI_RE = re.compile(
    rf"[1-9][{_MBI_ALPHA}][{_MBI_ALPHA}0-9][0-9][{_MBI_ALPHA}][{_MBI_ALPHA}0-9][0-9]"
    rf"[{_MBI_ALPHA}][{_MBI_ALPHA}][0-9][0-9]"
)


def mbi_valid(s: str) -> bool:
    """Medicare Beneficiary Identifier (CMS format; dashes and spaces ignored)."""
    t = s.upper().replace("-", "").replace(" ", "")
    return len(t) == 11 and _MBI_RE.fullmatch(t) is not None


_HICN_RE = re.compile(
    r"(\d{9})(A|B[1-9ADGHJKLNPQRTWY]?|C[1-9A-Z]|D[1-9ACDGHJKLMNPQRSTUVWXYZ]?|E[1-9ABCDFGHJKLMU]?|F[1-8]?|J[1-4]|K[1-9ABCDEFGHJLM]?|M|T[ABCDEFGHJKLMNPQRSTUVWXYZ2]?|W[1-9BCFGJRT]?)"
)
_RRB_RE = re.compile(r"(?:[A-Z]{1,3})\d{6}|(?:[A-Z]{1,3})\d{9}")


def hicn_valid(s: str) -> bool:
    """Legacy Medicare HICN: a 9-digit SSA number plus a beneficiary identification code."""
    t = s.upper().replace("-", "").replace(" ", "")
    m = _HICN_RE.fullmatch(t)
    return m is not None and ssn_valid(m.group(1))


# --------------------------------------------------------------------------- dates


def real_date(y: int, m: int, d: int) -> dt.date | None:
    """The date when (y, m, d) is on the calendar, else None."""
    if not (1 <= m <= 12 and 1 <= d <= 31 and 1800 <= y <= 2200):
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


_DOB_MIN = dt.date(1900, 1, 1)


def plausible_dob(d: dt.date, today: dt.date) -> bool:
    """A birth date of a living-or-recent person: not in the future, not before 1900."""
    return _DOB_MIN <= d <= today


# --------------------------------------------------------------------------- ICD-10-CM


@cache
def _icd10cm_codes() -> dict[str, None]:
    """The ICD-10-CM code set (codes without dots, as a dict's keys), read from
    simple_icd_10_cm's code list.

    The list file is read directly: importing the library itself parses a 10 MB XML tree
    (seconds per worker process) that detection does not need. A dict of strings is not
    tracked by the garbage collector, which would otherwise walk its 98,000 entries in
    every young-generation collection until it is promoted (milliseconds each).
    """
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("simple_icd_10_cm")
    codes: set[str] = set()
    for loc in (spec.submodule_search_locations or []) if spec else []:
        for f in sorted(Path(loc, "data").glob("code-list-*.txt")):
            for line in f.read_text(encoding="utf-8").splitlines():
                t = line.strip().split(" ", 1)[0]
                if len(t) >= 3 and t[0].isalpha() and "-" not in t:
                    codes.add(t.upper())
    return dict.fromkeys(codes)


@lru_cache(maxsize=65536)
def icd10cm_code(s: str) -> str | None:
    """The canonical ICD-10-CM code (``E11.9``) when ``s`` is in the code set, else None."""
    t = s.strip().upper().replace(" ", "").replace(".", "")
    if not 3 <= len(t) <= 7 or not (t[0].isalpha() and _digits(t[1])):
        return None
    if t not in _icd10cm_codes():
        return None
    return t if len(t) == 3 else t[:3] + "." + t[3:]


_CPT_RE = re.compile(r"\d{4}[0-9FTU]")
_HCPCS_RE = re.compile(r"[A-V]\d{4}")


def cpt_like(s: str) -> bool:
    """Five-character CPT (Category I: 00100-99607; II: ####F; III: ####T; PLA ####U)."""
    t = s.strip().upper()
    if not _CPT_RE.fullmatch(t):
        return False
    if _digits(t[4]):
        return 100 <= int(t) <= 99607
    return True


def hcpcs_like(s: str) -> bool:
    """HCPCS Level II: a letter A-V and four digits."""
    return _HCPCS_RE.fullmatch(s.strip().upper()) is not None


_NDC_RE = re.compile(r"\d{4}-\d{4}-\d{2}|\d{5}-\d{3}-\d{2}|\d{5}-\d{4}-\d{1,2}|\d{11}")


def ndc_like(s: str) -> bool:
    """National Drug Code in a 10/11-digit dashed form or 11 plain digits."""
    return _NDC_RE.fullmatch(s.strip()) is not None


_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}")


def email_valid(s: str) -> bool:
    return _EMAIL_RE.fullmatch(s.strip()) is not None
