"""Counts per covered entity, made in one pass over the recipients (no PHI kept)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import duckdb

from breachscope.notify.people import age_on, iter_recipients

AGE_GROUPS = ("0-17", "18-39", "40-64", "65+", "unknown")


def age_group(age: int | None) -> str:
    if age is None:
        return "unknown"
    if age < 18:
        return "0-17"
    if age < 40:
        return "18-39"
    return "40-64" if age < 65 else "65+"


@dataclass
class ClientStats:
    client_id: str
    individuals: int = 0
    minors: int = 0
    deceased: int = 0
    undeliverable: int = 0
    substitute: int = 0  # undeliverable and living (H-3.6)
    by_state: Counter[str] = field(default_factory=Counter)
    by_element: Counter[str] = field(default_factory=Counter)
    by_age: Counter[str] = field(default_factory=Counter)


def client_stats(con: duckdb.DuckDBPyConnection, day: dt.date) -> dict[str, ClientStats]:
    """Per client: people, minors, deceased, unreachable, and counts by state/element/age."""
    out: dict[str, ClientStats] = {}
    for r in iter_recipients(con):
        s = out.get(r.client_id)
        if s is None:
            s = out[r.client_id] = ClientStats(r.client_id)
        s.individuals += 1
        s.minors += r.is_minor
        s.deceased += r.is_deceased
        if not r.deliverable:
            s.undeliverable += 1
            s.substitute += not r.is_deceased
        s.by_state[r.state or "unknown"] += 1
        s.by_element.update(r.elements)
        s.by_age[age_group(age_on(r.dob, day))] += 1
    return out


def totals(con: duckdb.DuckDBPyConnection, day: dt.date) -> ClientStats:
    """The same counts over unique individuals (a person in two clients counts once)."""
    t = ClientStats("all")
    rows = con.execute(
        "SELECT coalesce(state, ''), coalesce(elements, []), dob, is_minor, is_deceased, "
        "coalesce(street, '') <> '' AND coalesce(zip, '') <> '' FROM individuals"
    ).fetchall()
    for state, elements, dob, minor, deceased, deliverable in rows:
        t.individuals += 1
        t.minors += bool(minor)
        t.deceased += bool(deceased)
        if not deliverable:
            t.undeliverable += 1
            t.substitute += not deceased
        t.by_state[str(state).upper() or "unknown"] += 1
        t.by_element.update(str(e) for e in elements)
        t.by_age[age_group(age_on(dob, day))] += 1
    return t
