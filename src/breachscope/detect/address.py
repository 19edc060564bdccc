"""Postal addresses split into street / line2 / city / state / zip.

A fast regular shape (``street[, unit], city, ST 12345``) handles the common case; anything
else goes to usaddress (a CRF parser that ships its model in the package).
"""

from __future__ import annotations

import re
from functools import lru_cache

from breachscope.detect.normalize import state_code, zip5

_FAST = re.compile(
    r"(?P<street>\d+[A-Za-z]?\s+[^,\n]+?|P\.?\s?O\.?\s?Box\s+\d+)"
    r"(?:[,\s]+(?P<line2>(?:Apt|Apartment|Unit|Suite|Ste|Bldg|Fl|Floor|Rm|Room|Lot|#)\.?\s*#?\s*[A-Za-z0-9\-]+))?"
    r"\s*[,\n]\s*(?P<city>[A-Za-z][A-Za-z .'\-]*?)\s*,?\s+(?P<state>[A-Za-z]{2})\.?"
    r"\s+(?P<zip>\d{5}(?:-?\d{4})?)\s*(?:,?\s*(?:USA|US|United States))?",
    re.I,
)
_UNIT_IN_STREET = re.compile(
    r"^(?P<street>.+?)\s+(?P<line2>(?:Apt|Apartment|Unit|Suite|Ste|Bldg|Rm|Room|Lot|#)\.?\s*#?\s*[A-Za-z0-9\-]+)$",
    re.I,
)
_SPACES = re.compile(r"\s+")


def _tidy(s: str | None) -> str | None:
    if not s:
        return None
    t = _SPACES.sub(" ", s).strip(" ,.")
    return t or None


@lru_cache(maxsize=65536)
def parse_address(raw: str) -> dict[str, str] | None:
    """Parts of a one-string US address, or None when it is not one.

    Keys are a subset of street, line2, city, state, zip (state as a 2-letter code, ZIP as
    5 digits). A bare street line returns only ``street`` (and ``line2``).
    """
    s = raw.strip()
    if not s or len(s) > 200:
        return None
    m = _FAST.fullmatch(s)
    if m:
        st = state_code(m["state"])
        z = zip5(m["zip"])
        if st and z:
            out: dict[str, str] = {}
            street, line2 = _tidy(m["street"]), _tidy(m["line2"])
            if street and not line2:
                u = _UNIT_IN_STREET.match(street)
                if u:
                    street, line2 = _tidy(u["street"]), _tidy(u["line2"])
            if street:
                out["street"] = street
            if line2:
                out["line2"] = line2
            city = _tidy(m["city"])
            if city:
                out["city"] = city
            out["state"] = st
            out["zip"] = z
            return out
    return _usaddress(s)


def _usaddress(s: str) -> dict[str, str] | None:
    try:
        import usaddress

        tagged, kind = usaddress.tag(s.replace("\n", ", "))
    except Exception:
        return None
    if kind not in ("Street Address", "PO Box", "Intersection"):
        return None
    street_keys = (
        "AddressNumberPrefix", "AddressNumber", "AddressNumberSuffix", "StreetNamePreModifier",
        "StreetNamePreDirectional", "StreetNamePreType", "StreetName", "StreetNamePostType",
        # A rural route's or highway contract's box, as USPS writes it: "RR 2 BOX 145".
        "StreetNamePostDirectional", "StreetNamePostModifier", "USPSBoxGroupType",
        "USPSBoxGroupID", "USPSBoxType", "USPSBoxID", "BuildingName",
    )  # fmt: skip
    line2_keys = ("OccupancyType", "OccupancyIdentifier", "SubaddressType", "SubaddressIdentifier")
    street = _tidy(" ".join(tagged[k] for k in street_keys if k in tagged))
    if not street or not any(ch.isdigit() for ch in street):
        return None
    out: dict[str, str] = {"street": street}
    line2 = _tidy(" ".join(tagged[k] for k in line2_keys if k in tagged))
    if line2:
        out["line2"] = line2
    city = _tidy(tagged.get("PlaceName"))
    if city:
        out["city"] = city
    st = state_code(tagged.get("StateName", "")) if tagged.get("StateName") else None
    if st:
        out["state"] = st
    z = zip5(tagged.get("ZipCode", "")) if tagged.get("ZipCode") else None
    if z:
        out["zip"] = z
    return out
