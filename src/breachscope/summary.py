"""Counts for the end-of-run summary, read from the store (no PHI: counts and codes only)."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from breachscope.store.db import table_exists


@dataclass(frozen=True)
class CaseSummary:
    files: dict[str, int] = field(default_factory=dict)  # status -> count
    failed_reasons: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    findings: int = 0
    mentions: int = 0
    individuals: int = 0
    minors: int = 0
    deceased: int = 0
    review: int = 0
    by_client: dict[str, int] = field(default_factory=dict)
    by_state: dict[str, int] = field(default_factory=dict)
    by_element: dict[str, int] = field(default_factory=dict)


def _pairs(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, int]:
    return {str(k): int(v) for k, v in con.execute(sql).fetchall()}


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def case_summary(con: duckdb.DuckDBPyConnection) -> CaseSummary:
    """Summarise what the store holds now."""
    if not table_exists(con, "files"):
        return CaseSummary()
    return CaseSummary(
        files=_pairs(con, "SELECT status, count(*) FROM files GROUP BY 1 ORDER BY 1"),
        failed_reasons=_pairs(
            con,
            "SELECT split_part(reason, ':', 1), count(*) FROM files "
            "WHERE status <> 'processed' GROUP BY 1 ORDER BY 2 DESC",
        ),
        documents=_count(con, "SELECT count(*) FROM documents"),
        findings=_count(con, "SELECT count(*) FROM findings"),
        mentions=_count(con, "SELECT count(*) FROM mentions"),
        individuals=_count(con, "SELECT count(*) FROM individuals"),
        minors=_count(con, "SELECT count(*) FROM individuals WHERE is_minor"),
        deceased=_count(con, "SELECT count(*) FROM individuals WHERE is_deceased"),
        review=_count(con, "SELECT count(*) FROM review_queue"),
        by_client=_pairs(
            con,
            "SELECT coalesce(c, '(no client)'), count(*) FROM "
            "(SELECT unnest(CASE WHEN len(coalesce(client_ids, [])) = 0 THEN [NULL] "
            "ELSE client_ids END) AS c FROM individuals) GROUP BY 1 ORDER BY 2 DESC",
        ),
        by_state=_pairs(
            con,
            "SELECT coalesce(nullif(state, ''), '(unknown)'), count(*) FROM individuals "
            "GROUP BY 1 ORDER BY 2 DESC, 1",
        ),
        by_element=_pairs(
            con,
            "SELECT e, count(*) FROM (SELECT unnest(elements) AS e FROM individuals) "
            "GROUP BY 1 ORDER BY 2 DESC",
        ),
    )
