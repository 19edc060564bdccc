"""The append-only audit log: who did what, when, to which record. Never a PHI value."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass

import duckdb

GENESIS = "0" * 64
# One writer at a time within the process: each entry chains to the one before it.
_lock = threading.Lock()


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: dt.datetime
    username: str
    ip: str
    action: str
    target: str
    detail: str


def _row_hash(prev: str, seq: int, at: dt.datetime, *fields: str) -> str:
    text = "\x1f".join((prev, str(seq), at.isoformat(), *fields))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record(
    con: duckdb.DuckDBPyConnection,
    username: str,
    action: str,
    target: str = "",
    detail: str = "",
    ip: str = "",
) -> int:
    """Append one entry; returns its sequence number.

    ``detail`` names fields and choices (``field=ssn``), never the values themselves.
    """
    with _lock:
        return _append(con, username, action, target, detail, ip)


def _append(
    con: duckdb.DuckDBPyConnection, username: str, action: str, target: str, detail: str, ip: str
) -> int:
    con.execute("BEGIN TRANSACTION")
    try:
        last = con.execute(
            "SELECT seq, row_hash FROM audit_log ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        seq = int(last[0]) + 1 if last else 1
        prev = str(last[1]) if last else GENESIS
        at = dt.datetime.now()
        h = _row_hash(prev, seq, at, username, ip, action, target, detail)
        con.execute(
            "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [seq, at, username, ip, action, target, detail, prev, h],
        )
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return seq


def entries(
    con: duckdb.DuckDBPyConnection,
    *,
    before: int | None = None,
    username: str = "",
    action: str = "",
    limit: int = 100,
) -> list[AuditEntry]:
    """Newest first, keyset-paged by sequence number."""
    where = ["1 = 1"]
    params: list[object] = []
    if before is not None:
        where.append("seq < ?")
        params.append(before)
    if username:
        where.append("username = ?")
        params.append(username)
    if action:
        where.append("action = ?")
        params.append(action)
    rows = con.execute(
        "SELECT seq, logged_at, username, coalesce(ip, ''), action, coalesce(target, ''), "
        f"coalesce(detail, '') FROM audit_log WHERE {' AND '.join(where)} "
        "ORDER BY seq DESC LIMIT ?",
        [*params, limit],
    ).fetchall()
    return [AuditEntry(int(r[0]), r[1], str(r[2]), r[3], r[4], r[5], r[6]) for r in rows]


def verify_chain(con: duckdb.DuckDBPyConnection) -> tuple[bool, int]:
    """(intact, number of entries): recomputes every row hash in order."""
    prev = GENESIS
    n = 0
    cur = con.execute(
        "SELECT seq, logged_at, username, coalesce(ip, ''), action, coalesce(target, ''), "
        "coalesce(detail, ''), prev_hash, row_hash FROM audit_log ORDER BY seq"
    )
    while batch := cur.fetchmany(10_000):
        for seq, at, user, ip, action, target, detail, p, h in batch:
            if p != prev or _row_hash(prev, seq, at, user, ip, action, target, detail) != h:
                return False, n
            prev = h
            n += 1
    return True, n
