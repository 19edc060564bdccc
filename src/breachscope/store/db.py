"""Opening the case store (one DuckDB file per case) and small shared helpers."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from breachscope.errors import StoreError
from breachscope.store.schema import SCHEMA_VERSION, TABLES


def stable_id(*parts: str, n: int = 16) -> str:
    """A short, stable identifier from its parts (paths, locators). Not a secret."""
    h = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).hexdigest()
    return h[:n]


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) a case store and make sure every table exists."""
    p = Path(path)
    if read_only and not p.exists():
        raise StoreError(f"no case store at {p.name}", hint="run 'breachscope run CASE' first")
    try:
        con = duckdb.connect(str(p), read_only=read_only)
    except duckdb.IOException as exc:
        raise StoreError(
            f"cannot open the case store {p.name}: {type(exc).__name__}",
            hint="is another breachscope process using this case?",
        ) from None
    if not read_only:
        ensure_schema(con)
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in TABLES.values():
        con.execute(ddl)
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    elif int(row[0]) != SCHEMA_VERSION:
        raise StoreError(
            f"case store has schema version {row[0]}, this breachscope uses {SCHEMA_VERSION}",
            hint="re-run the pipeline into a new store",
        )


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All-or-nothing: a stage's writes land together or not at all."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    else:
        con.execute("COMMIT")


def record_stage(
    con: duckdb.DuckDBPyConnection, stage: str, started: dt.datetime, status: str, detail: str = ""
) -> None:
    con.execute(
        "INSERT INTO stage_runs VALUES (?, ?, ?, ?, ?)",
        [stage, started, dt.datetime.now(), status, detail],
    )


def table_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def fetch_dicts(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description or []]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
