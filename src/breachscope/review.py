"""The review queue and reviewer decisions (shared by the CLI and the web app's model).

Decisions are stored in ``decisions`` keyed by mention ids, which are stable across runs,
so the resolve stage re-applies them every time it runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from breachscope.errors import BreachscopeError
from breachscope.store import fetch_dicts, stable_id

KINDS = ("merge", "split", "confirm")


def review_queue(con: duckdb.DuckDBPyConnection, limit: int = 50) -> list[dict[str, Any]]:
    """Open items, most uncertain first, with the two sides' names and locators."""
    return fetch_dicts(
        con,
        """SELECT q.item_id, q.kind, q.score, q.reason, q.individual_id,
                  q.mention_a, a.first_name AS a_first, a.last_name AS a_last, a.path AS a_path,
                  a.locator AS a_locator, a.row_no AS a_row,
                  q.mention_b, b.first_name AS b_first, b.last_name AS b_last, b.path AS b_path,
                  b.locator AS b_locator, b.row_no AS b_row
           FROM review_queue q
           LEFT JOIN mentions a ON a.mention_id = q.mention_a
           LEFT JOIN mentions b ON b.mention_id = q.mention_b
           ORDER BY abs(coalesce(q.score, 0.5) - 0.5), q.item_id
           LIMIT ?""",
        [limit],
    )


def _known(con: duckdb.DuckDBPyConnection, mention_id: str) -> bool:
    row = con.execute("SELECT 1 FROM mentions WHERE mention_id = ?", [mention_id]).fetchone()
    return row is not None


def decide(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    mention_a: str,
    mention_b: str | None = None,
    *,
    made_by: str = "cli",
    note: str = "",
) -> str:
    """Record a merge / split of two mentions, or confirm one individual as it is."""
    if kind not in KINDS:
        raise BreachscopeError(f"unknown decision '{kind}'", hint=f"use one of {', '.join(KINDS)}")
    if kind in ("merge", "split") and not mention_b:
        raise BreachscopeError(f"a {kind} needs two mention ids")
    for m in (mention_a, mention_b):
        if m and not _known(con, m):
            raise BreachscopeError(
                f"no mention '{m}'", hint="take mention ids from 'breachscope review CASE'"
            )
    now = dt.datetime.now()
    did = stable_id("decision", kind, mention_a, mention_b or "", now.isoformat())
    con.execute(
        "INSERT INTO decisions (decision_id, kind, mention_a, mention_b, finding_id, note, "
        "made_by, made_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)",
        [did, kind, mention_a, mention_b, note, made_by, now],
    )
    return did
