"""Mailing addresses in USPS Publication 28 style: upper case, standard abbreviations.

Only the formatting a print vendor expects before its own CASS/NCOA pass: upper case, no
punctuation except ``#``, ``-`` and ``/``, standard street suffixes (Pub. 28 App. C1),
directionals (App. B) and secondary unit designators (App. C2), ZIP+4 kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUFFIXES: dict[str, str] = {
    "ALLEY": "ALY",
    "AVENUE": "AVE",
    "AV": "AVE",
    "AVEN": "AVE",
    "BOULEVARD": "BLVD",
    "BOUL": "BLVD",
    "BRANCH": "BR",
    "BRIDGE": "BRG",
    "CENTER": "CTR",
    "CENTRE": "CTR",
    "CIRCLE": "CIR",
    "CIRC": "CIR",
    "COURT": "CT",
    "COURTS": "CTS",
    "COVE": "CV",
    "CREEK": "CRK",
    "CRESCENT": "CRES",
    "CROSSING": "XING",
    "DRIVE": "DR",
    "DRIV": "DR",
    "EXPRESSWAY": "EXPY",
    "EXTENSION": "EXT",
    "FREEWAY": "FWY",
    "GARDENS": "GDNS",
    "GROVE": "GRV",
    "HEIGHTS": "HTS",
    "HIGHWAY": "HWY",
    "HILL": "HL",
    "HOLLOW": "HOLW",
    "JUNCTION": "JCT",
    "LAKE": "LK",
    "LANDING": "LNDG",
    "LANE": "LN",
    "LOOP": "LOOP",
    "MANOR": "MNR",
    "MEADOWS": "MDWS",
    "MOUNT": "MT",
    "MOUNTAIN": "MTN",
    "PARKWAY": "PKWY",
    "PARKWY": "PKWY",
    "PIKE": "PIKE",
    "PLACE": "PL",
    "PLAZA": "PLZ",
    "POINT": "PT",
    "RIDGE": "RDG",
    "ROAD": "RD",
    "ROUTE": "RTE",
    "SQUARE": "SQ",
    "STREET": "ST",
    "STR": "ST",
    "STRT": "ST",
    "TERRACE": "TER",
    "TRAIL": "TRL",
    "TURNPIKE": "TPKE",
    "VALLEY": "VLY",
    "VIEW": "VW",
    "VILLAGE": "VLG",
    "WAY": "WAY",
}
DIRECTIONALS: dict[str, str] = {
    "NORTH": "N",
    "SOUTH": "S",
    "EAST": "E",
    "WEST": "W",
    "NORTHEAST": "NE",
    "NORTHWEST": "NW",
    "SOUTHEAST": "SE",
    "SOUTHWEST": "SW",
}
UNITS: dict[str, str] = {
    "APARTMENT": "APT",
    "BUILDING": "BLDG",
    "DEPARTMENT": "DEPT",
    "FLOOR": "FL",
    "LOT": "LOT",
    "NUMBER": "#",
    "NO": "#",
    "ROOM": "RM",
    "SUITE": "STE",
    "UNIT": "UNIT",
    "SPACE": "SPC",
    "TRAILER": "TRLR",
}
_UNIT_ABBR = set(UNITS.values()) | {"APT", "STE", "#"}
_PO_BOX = re.compile(r"^P\s*O\s*BOX\b|^POST OFFICE BOX\b|^POB\b")
_ZIP = re.compile(r"^(\d{5})(?:-?(\d{4}))?$")


@dataclass(frozen=True)
class MailAddress:
    line1: str
    line2: str
    city: str
    state: str
    zip: str

    @property
    def last_line(self) -> str:
        return " ".join(p for p in (self.city, self.state, self.zip) if p)


def normalise_zip(z: str) -> str:
    """'021391234' and '02139-1234' -> '02139-1234'; '2139' -> '02139'; junk -> ''."""
    digits = re.sub(r"[^\d-]", "", z.strip())
    if re.fullmatch(r"\d{4}", digits):  # spreadsheets drop New England's leading zero
        digits = "0" + digits
    m = _ZIP.match(digits)
    if not m:
        return ""
    return f"{m.group(1)}-{m.group(2)}" if m.group(2) else m.group(1)


def _clean(text: str) -> str:
    t = text.upper().replace("\u2019", "'")
    t = re.sub(r"[^A-Z0-9#/\- ]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def normalise_street(street: str) -> tuple[str, str]:
    """USPS-style delivery line; a unit after a comma or on a second line is kept apart."""
    parts = [p for p in re.split(r"[\n,]", street) if p.strip()]
    if not parts:
        return ("", "")
    line1 = _street_line(parts[0])
    rest = " ".join(_street_line(p, first_is_unit=True) for p in parts[1:])
    if rest and rest.split(" ", 1)[0] in _UNIT_ABBR:
        # Pub. 28 puts the secondary unit on the delivery line.
        return (f"{line1} {rest}".strip(), "")
    return (line1, rest)


def _street_line(text: str, *, first_is_unit: bool = False) -> str:
    t = _clean(text)
    if _PO_BOX.match(t):
        return "PO BOX " + _PO_BOX.sub("", t).strip()
    words = t.split(" ")
    out: list[str] = []
    for i, w in enumerate(words):
        last = i == len(words) - 1
        nxt = words[i + 1] if i + 1 < len(words) else ""
        # "500 South Street": the directional is the street's name, not a prefix.
        only_suffix_left = i + 2 == len(words) and nxt in SUFFIXES
        if w in DIRECTIONALS and (
            (i == 1 and not only_suffix_left) or (last and i > 1) or nxt in _UNIT_ABBR
        ):
            out.append(DIRECTIONALS[w])
        elif w in UNITS and not last and (i > 0 or first_is_unit):
            out.append(UNITS[w])
        elif (
            w in SUFFIXES
            and i > 1
            and (last or nxt in UNITS or nxt in _UNIT_ABBR or nxt in DIRECTIONALS)
        ):
            out.append(SUFFIXES[w])
        else:
            out.append(w)
    return " ".join(out).replace("# ", "#")


def mail_address(street: str, city: str, state: str, zip_code: str) -> MailAddress:
    line1, line2 = normalise_street(street)
    return MailAddress(line1, line2, _clean(city), _clean(state)[:2], normalise_zip(zip_code))
