"""QC sampling: a defensible accuracy statement for the people list and exposed elements.

A sample is stratified by client and file type with proportional allocation (each stratum
gets its share of the sample, at least one item when it has any), so the sample is
self-weighting and pooled proportions estimate the population's. Items are chosen by a
seeded hash order: the same seed over the same data always draws the same items.

Intervals are Wilson score intervals at 95 %. They treat judged items as independent;
people found in the same document are not quite independent, so treat the interval as a
good approximation rather than an exact bound (the page says so).
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass
from typing import Any

import duckdb

from breachscope.store import fetch_dicts
from breachscope.web.store import scalar

Z95 = 1.959963984540054
KINDS = ("individuals", "documents")


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float, float]:
    """(estimate, low, high) of a proportion k/n by the Wilson score interval."""
    if n <= 0:
        return 0.0, 0.0, 1.0
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return p, max(0.0, centre - half), min(1.0, centre + half)


def allocate(strata: dict[str, int], size: int) -> dict[str, int]:
    """Proportional allocation by largest remainder.

    Every non-empty stratum gets at least one item when the sample is big enough for
    that; the total is always exactly ``min(size, population)``.
    """
    total = sum(strata.values())
    if total == 0 or size <= 0:
        return {}
    size = min(size, total)
    live = {s: n for s, n in strata.items() if n > 0}
    quotas = {s: size * n / total for s, n in live.items()}
    floor_one = size >= len(live)
    alloc = {s: min(n, max(1 if floor_one else 0, math.floor(quotas[s]))) for s, n in live.items()}
    while sum(alloc.values()) > size:  # the minimum of one pushed us over: trim the largest
        big = max(alloc, key=lambda s: (alloc[s], s))
        alloc[big] -= 1
    left = size - sum(alloc.values())
    for s in sorted(live, key=lambda s: (quotas[s] - math.floor(quotas[s]), live[s]), reverse=True):
        if left <= 0:
            break
        if alloc[s] < live[s]:
            alloc[s] += 1
            left -= 1
    while left > 0:  # remainders exhausted: fill wherever room is left
        for s in live:
            if left > 0 and alloc[s] < live[s]:
                alloc[s] += 1
                left -= 1
    return {s: k for s, k in alloc.items() if k > 0}


_POPULATION_SQL = {
    "individuals": """
        WITH ft AS (
            SELECT im.individual_id, min(coalesce(f.detected_type, 'unknown')) AS ftype
            FROM individual_mentions im
            JOIN mentions m ON m.mention_id = im.mention_id
            LEFT JOIN files f ON f.file_id = m.file_id
            GROUP BY 1
        )
        SELECT i.individual_id AS target_id,
               coalesce(i.client_ids[1], '(no client)') || ' / ' || coalesce(ft.ftype, 'unknown')
                   AS stratum
        FROM individuals i LEFT JOIN ft ON ft.individual_id = i.individual_id
    """,
    "documents": """
        SELECT d.doc_id AS target_id,
               coalesce(f.client_ids[1], '(no client)') || ' / ' ||
               coalesce(f.detected_type, 'unknown') AS stratum
        FROM documents d JOIN files f ON f.file_id = d.file_id
        WHERE f.status = 'processed'
    """,
}


def draw_sample(
    con: duckdb.DuckDBPyConnection, kind: str, size: int, seed: int, created_by: str
) -> str:
    """Draw and store a stratified sample; returns its id."""
    if kind not in KINDS:
        raise ValueError(kind)
    pop = _POPULATION_SQL[kind]
    strata = {
        str(s): int(n)
        for s, n in con.execute(f"SELECT stratum, count(*) FROM ({pop}) GROUP BY 1").fetchall()
    }
    alloc = allocate(strata, size)
    sample_id = uuid.uuid4().hex[:12]
    population = sum(strata.values())
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "INSERT INTO qc_samples VALUES (?, ?, ?, ?, ?, ?, ?)",
            [sample_id, kind, seed, sum(alloc.values()), population, created_by, dt.datetime.now()],
        )
        con.execute(
            f"""
            INSERT INTO qc_items (sample_id, item_no, target_id, stratum)
            WITH pop AS ({pop}),
            alloc AS (SELECT unnest(?) AS stratum, unnest(?) AS k),
            ranked AS (
                SELECT pop.*, row_number() OVER (
                    PARTITION BY pop.stratum ORDER BY md5(pop.target_id || ':' || ?)) AS rn
                FROM pop
            )
            SELECT ?, row_number() OVER (ORDER BY md5(r.target_id || ':' || ?)),
                   r.target_id, r.stratum
            FROM ranked r JOIN alloc a ON a.stratum = r.stratum
            WHERE r.rn <= a.k
            """,
            [list(alloc), list(alloc.values()), str(seed), sample_id, str(seed)],
        )
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return sample_id


def samples(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return fetch_dicts(
        con,
        """
        SELECT s.*, count(i.answered_at) AS answered
        FROM qc_samples s LEFT JOIN qc_items i ON i.sample_id = s.sample_id
        GROUP BY ALL ORDER BY s.created_at DESC
        """,
    )


def sample(con: duckdb.DuckDBPyConnection, sample_id: str) -> dict[str, Any] | None:
    rows = fetch_dicts(con, "SELECT * FROM qc_samples WHERE sample_id = ?", [sample_id])
    return rows[0] if rows else None


def items(con: duckdb.DuckDBPyConnection, sample_id: str) -> list[dict[str, Any]]:
    return fetch_dicts(
        con, "SELECT * FROM qc_items WHERE sample_id = ? ORDER BY item_no", [sample_id]
    )


def item(con: duckdb.DuckDBPyConnection, sample_id: str, item_no: int) -> dict[str, Any] | None:
    rows = fetch_dicts(
        con, "SELECT * FROM qc_items WHERE sample_id = ? AND item_no = ?", [sample_id, item_no]
    )
    return rows[0] if rows else None


@dataclass(frozen=True)
class Estimate:
    name: str
    k: int
    n: int
    estimate: float
    low: float
    high: float
    basis: str


def estimates(con: duckdb.DuckDBPyConnection) -> list[Estimate]:
    """Precision and recall of the people list and of exposed elements, over every answer."""
    ind = con.execute(
        """
        SELECT count(*) FILTER (WHERE is_real),
               count(*) FILTER (WHERE is_real IS NOT NULL),
               sum(len(coalesce(listed_elements, []))) FILTER (WHERE is_real),
               sum(len(coalesce(wrong_elements, []))) FILTER (WHERE is_real),
               sum(len(coalesce(missed_elements, []))) FILTER (WHERE is_real)
        FROM qc_items i JOIN qc_samples s ON s.sample_id = i.sample_id
        WHERE s.kind = 'individuals' AND i.answered_at IS NOT NULL
        """
    ).fetchone()
    doc = con.execute(
        """
        SELECT sum(found_real), sum(found_wrong), sum(missed_people)
        FROM qc_items i JOIN qc_samples s ON s.sample_id = i.sample_id
        WHERE s.kind = 'documents' AND i.answered_at IS NOT NULL
        """
    ).fetchone()
    real, judged, listed, wrong, missed = (int(x or 0) for x in (ind or (0, 0, 0, 0, 0)))
    d_real, d_wrong, d_missed = (int(x or 0) for x in (doc or (0, 0, 0)))
    right = listed - wrong
    out = []
    for name, k, n, basis in (
        (
            "People list: precision",
            real + d_real,
            judged + d_real + d_wrong,
            "sampled people judged real, plus people found in sampled documents judged real",
        ),
        (
            "People list: recall",
            d_real,
            d_real + d_missed,
            "real people in sampled documents that the app found",
        ),
        (
            "Exposed elements: precision",
            right,
            listed,
            "elements listed for sampled real people that reviewers confirmed",
        ),
        (
            "Exposed elements: recall",
            right,
            right + missed,
            "elements reviewers saw exposed that the app had listed",
        ),
    ):
        est, lo, hi = wilson(k, n)
        out.append(Estimate(name, k, n, est, lo, hi, basis))
    return out


def population_size(con: duckdb.DuckDBPyConnection, kind: str) -> int:
    """How many items a sample of this kind draws from (cheap: no strata)."""
    if kind == "individuals":
        return int(scalar(con, "SELECT count(*) FROM individuals") or 0)
    return int(
        scalar(
            con,
            "SELECT count(*) FROM documents d JOIN files f ON f.file_id = d.file_id "
            "WHERE f.status = 'processed'",
        )
        or 0
    )
