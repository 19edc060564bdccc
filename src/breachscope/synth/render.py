"""How values are written in evidence: date, SSN, phone, name and address styles, typos."""

from __future__ import annotations

import datetime as dt
import random

from breachscope.synth import pools
from breachscope.synth.people import Address, Person, ascii_fold

_MON = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTH = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip

DATE_STYLES = ("mdy", "iso", "mdyy", "dmon", "ymd", "long", "mdy_dash")


def date(d: dt.date | None, style: str) -> str:
    """Render a date. ``mdyy`` (M/D/YY) is only used where the century is unambiguous."""
    if d is None:
        return ""
    if style == "mdy":
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if style == "iso":
        return d.isoformat()
    if style == "mdyy":
        return f"{d.month}/{d.day}/{d.year % 100:02d}"
    if style == "dmon":
        return f"{d.day:02d}-{_MON[d.month - 1]}-{d.year}"
    if style == "ymd":
        return f"{d.year}{d.month:02d}{d.day:02d}"
    if style == "long":
        return f"{_MONTH[d.month - 1]} {d.day}, {d.year}"
    if style == "mdy_dash":
        return f"{d.month:02d}-{d.day:02d}-{d.year}"
    raise ValueError(style)


def ssn(value: str | None, style: str) -> str:
    if not value:
        return ""
    if style == "dashed":
        return f"{value[:3]}-{value[3:5]}-{value[5:]}"
    if style == "plain":
        return value
    if style == "spaced":
        return f"{value[:3]} {value[3:5]} {value[5:]}"
    if style == "last4":
        return value[5:]
    if style == "masked":
        return f"XXX-XX-{value[5:]}"
    raise ValueError(style)


def phone(value: str, style: str) -> str:
    if not value:
        return ""
    a, e, n = value[:3], value[3:6], value[6:]
    return {
        "paren": f"({a}) {e}-{n}",
        "dash": f"{a}-{e}-{n}",
        "dots": f"{a}.{e}.{n}",
        "plain": value,
        "intl": f"+1 {a} {e} {n}",
        "one": f"1-{a}-{e}-{n}",
    }[style]


def zip_code(addr: Address, plus4: bool) -> str:
    return f"{addr.zip}-{addr.zip4}" if plus4 else addr.zip


def street(addr: Address, style: str) -> str:
    if style == "long":
        return addr.street_long()
    if style == "upper":
        return addr.street.upper()
    return addr.street


def full_address(addr: Address, style: str, plus4: bool = False) -> str:
    """One-line address: ``123 Oak St, Columbus, OH 43215``."""
    s = street(addr, style)
    city = addr.city.upper() if style == "upper" else addr.city
    return f"{s}, {city}, {addr.state} {zip_code(addr, plus4)}"


def given_name(p: Person, rng: random.Random, nickname_rate: float) -> str:
    """The first name as a file shows it: sometimes a nickname (Robert → Bob)."""
    if nickname_rate and "twin" not in p.tags and rng.random() < nickname_rate:
        nicks = pools.nicknames_for(ascii_fold(p.first))
        if nicks:
            return rng.choice(nicks)
    return p.first


def typo(word: str, rng: random.Random) -> str:
    """A keying error: two adjacent letters swapped, one dropped, or one doubled."""
    if len(word) < 5 or not word.isalpha():
        return word
    i = rng.randint(1, len(word) - 3)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap" and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


class NameForm:
    """A person's name as written in one mention (nickname / typo / diacritics decided once)."""

    def __init__(
        self,
        p: Person,
        rng: random.Random,
        *,
        nickname_rate: float = 0.0,
        typo_rate: float = 0.0,
        fold: bool = False,
        upper: bool = False,
        swap_rate: float = 0.0,
    ) -> None:
        first = given_name(p, rng, nickname_rate)
        last = p.last
        if typo_rate and "twin" not in p.tags and "jr" not in p.tags and "sr" not in p.tags:
            r = rng.random()
            if r < typo_rate / 2:
                last = typo(last, rng)
            elif r < typo_rate:
                first = typo(first, rng)
        if swap_rate and rng.random() < swap_rate:
            first, last = last, first  # keyed into the wrong fields
        if fold:
            first, last = ascii_fold(first), ascii_fold(last)
        self.first = first.upper() if upper else first
        self.last = last.upper() if upper else last
        middle = ascii_fold(p.middle) if fold else p.middle
        self.middle = middle.upper() if upper else middle
        self.mi = self.middle[:1]
        self.suffix = p.suffix.upper() if upper else p.suffix

    def last_first(self, middle: str = "initial") -> str:
        """``SMITH JR, JOHN A``."""
        last = f"{self.last} {self.suffix}" if self.suffix else self.last
        m = self.mi if middle == "initial" else self.middle if middle == "full" else ""
        return f"{last}, {self.first} {m}".strip()

    def first_last(self, middle: str = "initial") -> str:
        """``John A Smith Jr``."""
        m = self.mi if middle == "initial" else self.middle if middle == "full" else ""
        parts = [self.first, m, self.last, self.suffix]
        return " ".join(x for x in parts if x)


def salutation(p: Person, last: str) -> str:
    if p.is_minor:
        return "Dear Parent or Guardian:"
    if p.is_deceased:
        return f"To the Family of {p.first} {last}:"
    return f"Dear {'Mr.' if p.sex == 'M' else 'Ms.'} {last}:"
