"""Who gets a letter: one recipient per individual and covered entity (client).

A person found in two clients' files gets a letter from each, listing what *that* client's
files held about them (from their mentions), never what the other client's held.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import duckdb

from breachscope.categories import ELEMENT_SET, ELEMENTS
from breachscope.store.db import stable_id

UNATTRIBUTED = "unattributed"
_ORDER = {e: i for i, e in enumerate(ELEMENTS)}


@dataclass(frozen=True)
class Recipient:
    """One letter's person: an individual as seen by one covered entity."""

    individual_id: str
    client_id: str
    first_name: str
    middle_name: str
    last_name: str
    suffix: str
    dob: dt.date | None
    street: str
    city: str
    state: str
    zip: str
    is_minor: bool
    is_deceased: bool
    elements: tuple[str, ...]

    @property
    def letter_id(self) -> str:
        return "L" + stable_id(self.client_id, self.individual_id, n=10).upper()

    @property
    def full_name(self) -> str:
        parts = [self.first_name, self.middle_name, self.last_name]
        name = " ".join(p for p in parts if p)
        return f"{name}, {self.suffix}" if self.suffix and name else name or "Current Resident"

    @property
    def deliverable(self) -> bool:
        """A first-class letter can be addressed (street, city or ZIP, and state or ZIP)."""
        return bool(self.street and self.zip and (self.city or self.state))

    @property
    def addressee(self) -> str:
        if self.is_deceased:
            return "deceased"
        return "minor" if self.is_minor else "adult"


def sort_elements(elements: object) -> tuple[str, ...]:
    """Exposed elements in the vocabulary's order, unknown kinds dropped."""
    items = elements if isinstance(elements, (list, tuple, set, frozenset)) else ()
    return tuple(sorted({str(e) for e in items if e in ELEMENT_SET}, key=_ORDER.__getitem__))


_SQL = """
WITH per_client AS (
    SELECT i.individual_id,
           unnest(CASE WHEN len(coalesce(i.client_ids, [])) = 0 THEN ['unattributed']
                       ELSE i.client_ids END) AS client_id
    FROM individuals i
),
mention_elements AS (
    SELECT individual_id, client_id, list_distinct(flatten(list(elements))) AS els
    FROM (
        SELECT im.individual_id, unnest(m.client_ids) AS client_id, m.elements
        FROM individual_mentions im JOIN mentions m ON m.mention_id = im.mention_id
        WHERE m.elements IS NOT NULL
    )
    GROUP BY 1, 2
)
SELECT i.individual_id, pc.client_id,
       coalesce(i.first_name, ''), coalesce(i.middle_name, ''), coalesce(i.last_name, ''),
       coalesce(i.suffix, ''), i.dob,
       coalesce(i.street, ''), coalesce(i.city, ''), coalesce(i.state, ''), coalesce(i.zip, ''),
       i.is_minor, i.is_deceased,
       coalesce(i.elements, []),
       me.els
FROM per_client pc
JOIN individuals i ON i.individual_id = pc.individual_id
LEFT JOIN mention_elements me
       ON me.individual_id = pc.individual_id AND me.client_id = pc.client_id
{where}
ORDER BY pc.client_id, coalesce(i.zip, ''), i.individual_id
"""


def _recipient(row: tuple[object, ...]) -> Recipient:
    own = sort_elements(row[13])
    seen = sort_elements(row[14]) if row[14] is not None else ()
    # What this client's files held, as far as the resolved record still has it.
    mine = tuple(e for e in seen if e in own) or own
    return Recipient(
        individual_id=str(row[0]),
        client_id=str(row[1]),
        first_name=str(row[2]).strip(),
        middle_name=str(row[3]).strip(),
        last_name=str(row[4]).strip(),
        suffix=str(row[5]).strip(),
        dob=row[6] if isinstance(row[6], dt.date) else None,
        street=str(row[7]).strip(),
        city=str(row[8]).strip(),
        state=str(row[9]).strip().upper(),
        zip=str(row[10]).strip(),
        is_minor=bool(row[11]),
        is_deceased=bool(row[12]),
        elements=mine,
    )


def iter_recipients(
    con: duckdb.DuckDBPyConnection, *, individual_id: str | None = None, chunk: int = 5000
) -> Iterator[Recipient]:
    """Every (individual, client) pair, ordered by client then individual; streamed."""
    where = "WHERE i.individual_id = ?" if individual_id is not None else ""
    cur = con.execute(_SQL.format(where=where), [individual_id] if individual_id else [])
    while True:
        rows = cur.fetchmany(chunk)
        if not rows:
            return
        for row in rows:
            yield _recipient(row)


def age_on(dob: dt.date | None, day: dt.date) -> int | None:
    if dob is None:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
