"""Value pools the generator draws from: census names, nicknames, real ZIP codes, streets.

Everything is loaded once per process and cached; nothing here holds a real person's data
(the census lists are name frequencies, the ZIP list is the public USPS table).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from importlib import resources

from breachscope.given_names import nicknamer

# 50 states and DC. Territories are left out: their addresses follow other conventions.
STATES: tuple[str, ...] = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
    "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
    "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VT", "VA", "WA", "WV", "WI", "WY",
)  # fmt: skip

STREET_NAMES: tuple[str, ...] = (
    "Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill", "Park", "Main",
    "Church", "Mill", "River", "Spring", "Ridge", "Meadow", "Sunset", "Highland", "Forest",
    "Valley", "Lincoln", "Jefferson", "Franklin", "Madison", "Jackson", "Walnut", "Chestnut",
    "Willow", "Birch", "Hickory", "Sycamore", "Magnolia", "Dogwood", "Laurel", "Aspen",
    "Juniper", "Cherry", "Poplar", "Spruce", "Cypress", "Holly", "Orchard", "Prairie",
    "Country Club", "Lakeview", "Fairview", "Greenwood", "Woodland", "Brookside", "Stonegate",
    "Timber", "Heritage", "Canyon", "Harbor", "Beacon", "Summit", "Liberty", "Union", "Market",
    "College", "School", "Railroad", "Water", "Front", "Bridge", "Grove", "Garden", "Pleasant",
    "Quail Run", "Deer Path", "Fox Hollow", "Eagle", "Cardinal", "Meadowlark", "Second",
    "Third", "Fourth", "Fifth", "Ninth", "12th", "Kingston", "Wexford", "Ashford", "Briar",
)  # fmt: skip

# (abbreviation, full word) per USPS Publication 28.
STREET_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("St", "Street"), ("Ave", "Avenue"), ("Rd", "Road"), ("Dr", "Drive"), ("Ln", "Lane"),
    ("Ct", "Court"), ("Blvd", "Boulevard"), ("Way", "Way"), ("Pl", "Place"),
    ("Cir", "Circle"), ("Ter", "Terrace"), ("Pkwy", "Parkway"), ("Trl", "Trail"),
)  # fmt: skip

# Names that carry diacritics in some people's records (and lose them in older systems).
ACCENTED: dict[str, str] = {
    "Pena": "Peña", "Munoz": "Muñoz", "Nunez": "Núñez", "Ibanez": "Ibáñez", "Lopez": "López",
    "Gonzalez": "González", "Rodriguez": "Rodríguez", "Hernandez": "Hernández",
    "Martinez": "Martínez", "Perez": "Pérez", "Sanchez": "Sánchez", "Ramirez": "Ramírez",
    "Gomez": "Gómez", "Diaz": "Díaz", "Jimenez": "Jiménez", "Alvarez": "Álvarez",
    "Jose": "José", "Maria": "María", "Ramon": "Ramón", "Andres": "Andrés", "Ines": "Inés",
}  # fmt: skip

# Nicknames that do not share the first letter but are what people are actually called.
COMMON_CROSS_NICKS: frozenset[str] = frozenset(
    {"bob", "bobby", "bill", "billy", "dick", "rick", "ted", "ned", "jack", "peggy", "polly",
     "sally", "molly", "betty", "bess", "hank", "chuck", "jim", "jimmy", "liz", "beth", "tony",
     "kate", "patsy", "sandy", "sue", "trish", "nan", "meg", "jenny"}
)  # fmt: skip


def name_case(raw: str) -> str:
    """Census spelling (``MCDONALD``) to the way people write it (``McDonald``)."""
    s = raw.strip().title()
    if s.startswith("Mc") and len(s) > 3:
        s = "Mc" + s[2].upper() + s[3:]
    if s.startswith("O") and s[1:] in {
        "Brien",
        "Connor",
        "Neal",
        "Neil",
        "Donnell",
        "Malley",
        "Hara",
        "Reilly",
        "Leary",
        "Rourke",
    }:
        s = "O'" + s[1:]
    return s


@dataclass(frozen=True)
class NamePool:
    names: tuple[str, ...]
    cum: tuple[float, ...]

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.names, cum_weights=self.cum, k=1)[0]


def _load_names(file: str, limit: int) -> NamePool:
    text = resources.files("names").joinpath(file).read_text(encoding="ascii")
    names: list[str] = []
    cum: list[float] = []
    total = 0.0
    for line in text.splitlines()[:limit]:
        parts = line.split()
        if len(parts) < 2 or not parts[0].isalpha() or len(parts[0]) < 2:
            continue
        # The tail of the list has frequency 0.000; give it a floor so it can appear.
        total += max(float(parts[1]), 0.0008)
        names.append(name_case(parts[0]))
        cum.append(total)
    return NamePool(tuple(names), tuple(cum))


@cache
def first_names(sex: str) -> NamePool:
    return _load_names("dist.female.first" if sex == "F" else "dist.male.first", 2500)


@cache
def last_names() -> NamePool:
    return _load_names("dist.all.last", 30000)


@cache
def nicknames_for(first: str) -> tuple[str, ...]:
    """Everyday nicknames of a first name (Robert → Bob, Rob …), capitalised, sorted."""
    out = []
    for n in nicknamer().nicknames_of(first.lower()):
        if len(n) < 3 or not n.isalpha():
            continue
        if n[0] == first[0].lower() or n in COMMON_CROSS_NICKS:
            out.append(n.capitalize())
    return tuple(sorted(out))


@dataclass(frozen=True)
class ZipInfo:
    zip: str
    city: str
    state: str
    area_codes: tuple[str, ...]


@cache
def zips_by_state() -> dict[str, tuple[ZipInfo, ...]]:
    """Real, active, standard ZIP codes with their USPS city, by state."""
    import zipcodes

    by: dict[str, list[ZipInfo]] = {s: [] for s in STATES}
    for z in zipcodes.list_all():  # type: ignore[no-untyped-call]
        if z["zip_code_type"] != "STANDARD" or not z["active"] or z["state"] not in by:
            continue
        by[z["state"]].append(
            ZipInfo(z["zip_code"], z["city"], z["state"], tuple(z.get("area_codes") or ()))
        )
    return {s: tuple(sorted(v, key=lambda x: x.zip)) for s, v in by.items() if v}
