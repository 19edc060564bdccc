"""The best record of an individual: the name, address, state and DOB to notify with."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from breachscope.resolve.normalize import Person, first_keys, name_token, street_key, zip5

STATES: dict[str, str] = {
    "ALABAMA": "AL", "ALASKA": "AK", "ARIZONA": "AZ", "ARKANSAS": "AR", "CALIFORNIA": "CA",
    "COLORADO": "CO", "CONNECTICUT": "CT", "DELAWARE": "DE", "DISTRICT OF COLUMBIA": "DC",
    "FLORIDA": "FL", "GEORGIA": "GA", "HAWAII": "HI", "IDAHO": "ID", "ILLINOIS": "IL",
    "INDIANA": "IN", "IOWA": "IA", "KANSAS": "KS", "KENTUCKY": "KY", "LOUISIANA": "LA",
    "MAINE": "ME", "MARYLAND": "MD", "MASSACHUSETTS": "MA", "MICHIGAN": "MI",
    "MINNESOTA": "MN", "MISSISSIPPI": "MS", "MISSOURI": "MO", "MONTANA": "MT",
    "NEBRASKA": "NE", "NEVADA": "NV", "NEW HAMPSHIRE": "NH", "NEW JERSEY": "NJ",
    "NEW MEXICO": "NM", "NEW YORK": "NY", "NORTH CAROLINA": "NC", "NORTH DAKOTA": "ND",
    "OHIO": "OH", "OKLAHOMA": "OK", "OREGON": "OR", "PENNSYLVANIA": "PA",
    "RHODE ISLAND": "RI", "SOUTH CAROLINA": "SC", "SOUTH DAKOTA": "SD", "TENNESSEE": "TN",
    "TEXAS": "TX", "UTAH": "UT", "VERMONT": "VT", "VIRGINIA": "VA", "WASHINGTON": "WA",
    "WEST VIRGINIA": "WV", "WISCONSIN": "WI", "WYOMING": "WY", "PUERTO RICO": "PR",
    "GUAM": "GU", "VIRGIN ISLANDS": "VI", "US VIRGIN ISLANDS": "VI",
    "AMERICAN SAMOA": "AS", "NORTHERN MARIANA ISLANDS": "MP", "WASHINGTON DC": "DC",
}  # fmt: skip
STATE_CODES = frozenset(STATES.values())


def state_code(value: str | None) -> str:
    """'il', 'Ill.', 'Illinois' → 'IL'; '' when not a US state or territory."""
    if not value:
        return ""
    t = " ".join(value.upper().replace(".", " ").replace(",", " ").split())
    if t in STATE_CODES:
        return t
    return STATES.get(t, "")


@lru_cache(maxsize=1)
def _zip_tables() -> tuple[dict[str, str], dict[str, str]]:
    import zipcodes

    exact: dict[str, str] = {}
    prefix: dict[str, Counter[str]] = {}
    for z in zipcodes.list_all():  # type: ignore[no-untyped-call]
        code, st = z.get("zip_code"), z.get("state")
        if code and st:
            exact[code] = st
            prefix.setdefault(code[:3], Counter())[st] += 1
    return exact, {p: c.most_common(1)[0][0] for p, c in prefix.items()}


def zip_state(z: str | None) -> str:
    """State of a ZIP code (exact, else by its 3-digit prefix); '' when unknown."""
    z5 = zip5(z)
    if not z5:
        return ""
    exact, prefix = _zip_tables()
    return exact.get(z5) or prefix.get(z5[:3], "")


def age_on(dob: dt.date, day: dt.date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _display(values: Sequence[str]) -> str:
    """The most common spelling, preferring mixed case over ALL CAPS on ties."""
    c = Counter(values)
    return max(c, key=lambda v: (c[v], not v.isupper(), v))


def _best_first(mentions: Sequence[dict[str, Any]]) -> str | None:
    by_key: dict[str, list[str]] = {}
    for m in mentions:
        raw = (m.get("first_name") or "").strip()
        key = name_token(raw)
        if key:
            by_key.setdefault(key, []).append(raw)
    if not by_key:
        return None
    full = {k: v for k, v in by_key.items() if len(k) > 1} or by_key

    def score(k: str) -> tuple[int, int, int, str]:
        # A formal name another candidate is a nickname of (ROBERT for BOB) wins.
        formal = sum(1 for o in full if o != k and k in first_keys(o))
        nickname = any(o != k and o in first_keys(k) for o in full)
        return (int(formal > 0 and not nickname), len(full[k]), len(k), k)

    best = max(full, key=score)
    return _display(full[best])


def _best_part(
    mentions: Sequence[dict[str, Any]], col: str, prefer_long: bool = False
) -> str | None:
    by_key: dict[str, list[str]] = {}
    for m in mentions:
        raw = (m.get(col) or "").strip()
        key = name_token(raw) if col != "suffix" else raw.upper().strip(".")
        if key:
            by_key.setdefault(key, []).append(raw)
    if not by_key:
        return None
    best = max(by_key, key=lambda k: ((len(k) > 1) if prefer_long else 0, len(by_key[k]), k))
    return _display(by_key[best])


def _best_dob(people: Sequence[Person]) -> dt.date | None:
    c = Counter(p.dob for p in people if p.dob)
    if not c:
        return None
    return max(c, key=lambda d: (c[d], -abs(d.toordinal())))


def _address(
    mentions: Sequence[dict[str, Any]],
    dates: Sequence[dt.date | None],
    people: Sequence[Person] | None = None,
) -> dict[str, Any]:
    """Most recent when every candidate is dated, else the best supported (its mentions
    and the ZIP-only mentions with its ZIP), then the most complete, then the latest dated.

    ``people`` (the mentions' normalised forms, in order) saves normalising the street and
    ZIP a second time."""
    keys = (
        [(p.street, p.zip) for p in people]
        if people is not None
        else [(street_key(m.get("street")), zip5(m.get("zip"))) for m in mentions]
    )
    cands: dict[tuple[str, str], dict[str, Any]] = {}
    for m, d, (st, z) in zip(mentions, dates, keys, strict=True):
        if not (st or z or m.get("state") or m.get("city")):
            continue
        key = (st, z) if st or z else ("", (m.get("city") or "").upper())
        c = cands.setdefault(key, {"n": 0, "date": None, "rows": []})
        c["n"] += 1
        c["rows"].append(m)
        if d and (c["date"] is None or d > c["date"]):
            c["date"] = d
    if not cands:
        return {}

    def completeness(rows: list[dict[str, Any]]) -> int:
        return max(sum(1 for f in ("street", "city", "state", "zip") if r.get(f)) for r in rows)

    def support(k: tuple[str, str]) -> int:
        # Its own mentions plus those that corroborate it without a street of their own: a
        # payment row or a lab result with only the ZIP says where the person lives now.
        st, z = k
        n: int = cands[k]["n"]
        if st and z:
            n += sum(c["n"] for (ost, oz), c in cands.items() if not ost and oz == z)
        return n

    streeted = [k for k in cands if k[0]] or list(cands)
    all_dated = all(cands[k]["date"] for k in streeted) and len(streeted) > 1
    best = max(
        streeted,
        key=lambda k: (
            cands[k]["date"] if all_dated else dt.date.min,
            support(k),
            completeness(cands[k]["rows"]),
            cands[k]["date"] or dt.date.min,
            k,
        ),
    )
    rows = cands[best]["rows"]
    out: dict[str, Any] = {}
    for f in ("street", "city", "state", "zip"):
        vals = [str(r[f]).strip() for r in rows if r.get(f)]
        out[f] = _display(vals) if vals else None
    out["_others"] = [cands[k]["rows"][0] for k in cands if k != best]
    return out


def best_record(
    mentions: Sequence[dict[str, Any]],
    people: Sequence[Person],
    dates: Sequence[dt.date | None],
    discovery_date: dt.date,
) -> dict[str, Any]:
    """The notification record of one individual from its mentions."""
    addr = _address(mentions, dates, people)
    state, source = state_code(addr.get("state")), "address"
    if not state and addr.get("zip"):
        state, source = zip_state(addr.get("zip")), "zip"
    if not state:
        for other in addr.get("_others", []):
            state, source = state_code(other.get("state")), "address"
            if not state and other.get("zip"):
                state, source = zip_state(other.get("zip")), "zip"
            if state:
                break
    if not state:
        source = "none"
    dob = _best_dob(people)
    deceased = any(m.get("deceased") is True or m.get("date_of_death") for m in mentions)
    minor = dob is not None and dob <= discovery_date and age_on(dob, discovery_date) < 18
    zip_value = zip5(addr.get("zip")) or addr.get("zip")
    return {
        "first_name": _best_first(mentions),
        "middle_name": _best_part(mentions, "middle_name", prefer_long=True),
        "last_name": _best_part(mentions, "last_name"),
        "suffix": _best_part(mentions, "suffix"),
        "dob": dob,
        "street": addr.get("street"),
        "city": addr.get("city"),
        "state": state or None,
        "zip": zip_value or None,
        "state_source": source,
        "is_minor": bool(minor),
        "is_deceased": bool(deceased),
        "client_ids": sorted({c for m in mentions for c in (m.get("client_ids") or [])}),
        "elements": sorted({e for m in mentions for e in (m.get("elements") or [])}),
        "n_mentions": len(mentions),
        "n_documents": len({m["doc_id"] for m in mentions}),
    }
