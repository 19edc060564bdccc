"""Turning a subject's findings into the identity fields of a mention."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache

from nameparser import HumanName

from breachscope.categories import ELEMENT_SET
from breachscope.link.model import Finding

NAME_PARTS = ("first", "middle", "last", "suffix")
_TRUE = {"1", "y", "yes", "true", "t", "deceased", "dead", "expired", "d"}
_FALSE = {"0", "n", "no", "false", "f", "alive", "living", "", "none", "null", "a"}
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "madam"}
_ADDR_TAIL = re.compile(
    r"^(?P<street>.+?)[,\s]+(?P<city>[A-Za-z .'-]+?),?\s+(?P<state>[A-Za-z]{2})\.?\s+(?P<zip>\d{5})(?:-?\d{4})?\s*$"
)
_ZIP = re.compile(r"\b(\d{5})(?:-?\d{4})?\b")


@lru_cache(maxsize=65536)
def parse_full_name(text: str) -> tuple[tuple[str, str], ...]:
    """Split a full name ('SMITH, JOHN A', 'Ms. Smith', 'John Smith Jr.') into parts."""
    h = HumanName(text)
    first, middle, last, suffix = h.first, h.middle, h.last, h.suffix
    if first and not last and (h.title or "," in text):
        # 'Ms. Smith' / 'Smith,': a lone word after a title is a surname.
        first, last = "", first
    parts = {"first": first, "middle": middle, "last": last, "suffix": suffix}
    return tuple((k, v.strip(" .,")) for k, v in parts.items() if v and v.strip(" .,"))


def name_from_findings(findings: Iterable[Finding]) -> dict[str, str]:
    """Name parts from one subject's (or one anchor's) name findings."""
    best: dict[str, tuple[float, str]] = {}
    fulls: list[tuple[float, str]] = []
    for f in findings:
        if f.category != "name" or not f.value:
            continue
        fld = (f.field or "full").lower()
        if fld in NAME_PARTS:
            if fld not in best or f.confidence > best[fld][0]:
                best[fld] = (f.confidence, f.value.strip())
        elif fld != "prefix":
            fulls.append((f.confidence, f.value.strip()))
    parts = {k: v for k, (_c, v) in best.items() if v}
    if fulls and not ("first" in parts and "last" in parts):
        fulls.sort(key=lambda cv: (-cv[0], -len(cv[1])))
        for k, v in parse_full_name(fulls[0][1]):
            parts.setdefault(k, v)
    if parts.get("first", "").lower().rstrip(".") in _TITLES:
        del parts["first"]
    return parts


def name_size(parts: dict[str, str]) -> tuple[int, int]:
    """How complete a name is: (parts present with first+last counting most, length)."""
    score = (2 if parts.get("first") and len(parts["first"]) > 1 else 0) + (
        3 if parts.get("last") else 0
    )
    score += 1 if parts.get("middle") else 0
    return score, sum(len(v) for v in parts.values())


def parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def truthy(value: str | None) -> bool | None:
    if value is None:
        return True  # a 'deceased' finding without a value is the flag itself
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    return None


def address_parts(findings: Iterable[Finding]) -> dict[str, str]:
    """Street/city/state/zip from address findings (parts, or a parsed full address)."""
    best: dict[str, tuple[float, str]] = {}
    fulls: list[str] = []
    for f in findings:
        if f.category != "address" or not f.value:
            continue
        fld = (f.field or "full").lower()
        if fld == "full":
            fulls.append(f.value)
        elif fld not in best or f.confidence > best[fld][0]:
            best[fld] = (f.confidence, f.value.strip())
    parts = {k: v for k, (_c, v) in best.items()}
    if fulls and not ("street" in parts and "zip" in parts):
        for k, v in parse_full_address(fulls[0]).items():
            parts.setdefault(k, v)
    if "line2" in parts and "street" in parts:
        parts["street"] = f"{parts['street']} {parts['line2']}"
    if "zip" in parts:
        m = _ZIP.search(parts["zip"])
        parts["zip"] = m.group(1) if m else parts["zip"]
    return {k: v for k, v in parts.items() if k in ("street", "city", "state", "zip") and v}


@lru_cache(maxsize=65536)
def _parse_full_address(text: str) -> tuple[tuple[str, str], ...]:
    t = " ".join(text.replace("\n", ", ").split())
    m = _ADDR_TAIL.match(t)
    if m:
        return tuple((k, v.strip(" ,")) for k, v in m.groupdict().items() if v)
    try:
        import usaddress

        tagged, _kind = usaddress.tag(t)
    except Exception:  # usaddress raises RepeatedLabelError on odd input
        m2 = _ZIP.search(t)
        return (("zip", m2.group(1)),) if m2 else ()
    street = " ".join(
        v
        for k, v in tagged.items()
        if k.startswith(("AddressNumber", "StreetName", "StreetNamePre", "StreetNamePost"))
        or k.startswith(("Occupancy", "USPSBox"))
    )
    out = {
        "street": street,
        "city": tagged.get("PlaceName", ""),
        "state": tagged.get("StateName", ""),
        "zip": tagged.get("ZipCode", ""),
    }
    return tuple((k, v.strip(" ,")) for k, v in out.items() if v.strip(" ,"))


def parse_full_address(text: str) -> dict[str, str]:
    return dict(_parse_full_address(text))


def first_value(findings: Iterable[Finding], category: str) -> str | None:
    """The most confident value of a category (first seen on ties)."""
    best: tuple[float, str] | None = None
    for f in findings:
        if f.category == category and f.value and (best is None or f.confidence > best[0]):
            best = (f.confidence, f.value.strip())
    return best[1] if best else None


def elements_of(findings: Iterable[Finding]) -> list[str]:
    return sorted({f.category for f in findings if f.category in ELEMENT_SET})


def has_identity(findings: list[Finding], name: dict[str, str]) -> bool:
    """Whether a group of findings identifies a person (a row of only codes does not)."""
    cats = {f.category for f in findings if f.value or f.category == "deceased"}
    has_last = bool(name.get("last"))
    has_first = bool(name.get("first"))
    linkable = {"dob", "address", "ssn_last4", "member_id", "mrn", "phone", "email"}
    if has_last and (has_first or cats & (linkable | {"ssn"})):
        return True
    if "ssn" in cats:
        return True
    strong = cats & {
        "member_id",
        "mrn",
        "email",
        "phone",
        "ssn_last4",
        "drivers_license",
        "passport",
    }
    context = cats & {"dob", "address"}
    if strong and (context or has_first or has_last):
        return True
    # A first name alone (a salutation) or a last name alone is not enough.
    return bool(has_first and cats & {"dob", "ssn_last4", "member_id", "mrn"})
