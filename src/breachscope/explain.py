"""Why an individual is on the list: each exposed element, where it was found, and why.

Values are never returned: a reviewer opens the file at the locator (or uses the web app,
which masks and audits). Everything here is read from the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from breachscope.categories import ELEMENT_SET, PLAIN_WORDS
from breachscope.errors import BreachscopeError
from breachscope.store import fetch_dicts


@dataclass(frozen=True)
class Evidence:
    path: str
    locator: str
    row_no: int | None
    page: int | None
    column: str | None
    detector: str
    confidence: float
    explanation: str


@dataclass
class Explanation:
    individual_id: str
    name: str
    state: str
    clients: list[str]
    n_mentions: int
    elements: dict[str, list[Evidence]] = field(default_factory=dict)
    mentions: list[dict[str, Any]] = field(default_factory=list)


def explain_individual(con: duckdb.DuckDBPyConnection, individual_id: str) -> Explanation:
    """Every exposed element of one individual with the evidence behind it."""
    rows = fetch_dicts(con, "SELECT * FROM individuals WHERE individual_id = ?", [individual_id])
    if not rows:
        raise BreachscopeError(
            f"no individual '{individual_id}'", hint="take the id from out/individuals.csv"
        )
    ind = rows[0]
    name = " ".join(x for x in (ind["first_name"], ind["last_name"]) if x)
    out = Explanation(
        individual_id=individual_id,
        name=name,
        state=ind["state"] or "",
        clients=list(ind["client_ids"] or []),
        n_mentions=int(ind["n_mentions"] or 0),
    )
    out.mentions = fetch_dicts(
        con,
        """SELECT m.mention_id, m.path, m.locator, m.row_no, m.page, m.elements,
                  im.match_probability
           FROM individual_mentions im JOIN mentions m USING (mention_id)
           WHERE im.individual_id = ? ORDER BY m.path, m.row_no NULLS LAST, m.page""",
        [individual_id],
    )
    found = fetch_dicts(
        con,
        """SELECT f.category, m.path, d.locator, f.row_no, f.page, f.column_name,
                  f.detector, f.confidence, f.explanation
           FROM individual_mentions im
           JOIN finding_mentions fm USING (mention_id)
           JOIN findings f ON f.finding_id = fm.finding_id
           JOIN mentions m ON m.mention_id = fm.mention_id
           JOIN documents d ON d.doc_id = f.doc_id
           WHERE im.individual_id = ?
           ORDER BY f.category, m.path, f.row_no NULLS LAST, f.page, f.start_char""",
        [individual_id],
    )
    for f in found:
        if f["category"] not in ELEMENT_SET:
            continue
        out.elements.setdefault(f["category"], []).append(
            Evidence(
                path=f["path"],
                locator=f["locator"],
                row_no=f["row_no"],
                page=f["page"],
                column=f["column_name"],
                detector=f["detector"],
                confidence=float(f["confidence"]),
                explanation=f["explanation"],
            )
        )
    return out


def format_explanation(e: Explanation, *, per_element: int = 5) -> str:
    """Plain text for the terminal (no values, only where and why)."""
    lines = [
        f"{e.individual_id}  {e.name}  state {e.state or '(unknown)'}  "
        f"clients {', '.join(e.clients) or '(none)'}  mentions {e.n_mentions}",
    ]
    for cat, evs in sorted(e.elements.items()):
        lines.append(f"\n{cat} ({PLAIN_WORDS.get(cat, cat)}): {len(evs)} finding(s)")
        for ev in evs[:per_element]:
            where = ev.locator
            if ev.row_no is not None:
                where += f", row {ev.row_no}"
            if ev.column:
                where += f", column '{ev.column}'"
            lines.append(
                f"  {ev.path} [{where}]  {ev.detector} {ev.confidence:.2f}: {ev.explanation}"
            )
        if len(evs) > per_element:
            lines.append(f"  … and {len(evs) - per_element} more")
    return "\n".join(lines)
