"""Access facts behind an individual's exposures (HIPAA risk factor: acquired or viewed?).

Nothing extra is stored per individual: ``individual_mentions`` → ``mentions.path`` (the
outer file, before ``!``, for archive members) → ``scope_access`` gives, per evidence file
that exposed the person, how the intruder touched it and when.
"""

from __future__ import annotations

from typing import Any

import duckdb

_SQL = """
SELECT s.path, s.access, s.first_access, s.last_access, s.accounts, s.tables,
       count(DISTINCT m.mention_id) AS n_mentions
FROM individual_mentions im
JOIN mentions m USING (mention_id)
JOIN scope_access s ON s.path = split_part(m.path, '!', 1)
WHERE im.individual_id = ?
GROUP BY ALL
ORDER BY s.first_access NULLS LAST, s.path
"""


def individual_access(con: duckdb.DuckDBPyConnection, individual_id: str) -> list[dict[str, Any]]:
    """One dict per accessed evidence file holding a mention of the individual.

    Keys: ``path`` (evidence file on disk), ``access`` (``viewed`` | ``copied``, or
    ``listed`` when listed files are mined), ``first_access`` / ``last_access`` (naive UTC
    datetimes), ``accounts``, ``tables`` (database dumps: the tables read; None: the whole
    file) and ``n_mentions``. Ordered by first access. Empty when the case has no
    ``[scope]`` (every file mined, no access facts) or the individual is unknown.
    """
    cur = con.execute(_SQL, [individual_id])
    cols = [d[0] for d in cur.description or ()]
    return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
