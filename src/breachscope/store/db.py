"""Opening the case store (one DuckDB file per case) and small shared helpers."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    from breachscope.case import Case

from breachscope.errors import StoreError
from breachscope.store.keys import resolve_key
from breachscope.store.schema import SCHEMA_VERSION, TABLES


def stable_id(*parts: str, n: int = 16) -> str:
    """A short, stable identifier from its parts (paths, locators). Not a secret."""
    h = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).hexdigest()
    return h[:n]


def _httpfs_path() -> str | None:
    """DuckDB writes encrypted files only with httpfs's crypto; PyPI ships it packaged."""
    try:
        import duckdb_extension_httpfs
    except ImportError:
        return None
    base = Path(duckdb_extension_httpfs.__file__).parent / "extensions"
    found = sorted(base.glob(f"v{duckdb.__version__}/*.duckdb_extension"))
    return str(found[0]) if found else None


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def connect(
    path: str | Path, *, read_only: bool = False, key: str | None = None
) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) a case store and make sure every table exists.

    With ``key`` the store is an encrypted DuckDB file (AES-GCM), attached and made the
    default catalog so stages use plain table names; spill files are encrypted too.
    """
    p = Path(path)
    if read_only and not p.exists():
        raise StoreError(f"no case store at {p.name}", hint="run 'breachscope run CASE' first")
    try:
        if key is None:
            con = duckdb.connect(str(p), read_only=read_only)
        else:
            con = duckdb.connect(":memory:")
            ext = _httpfs_path()
            if ext is None:
                raise StoreError(
                    "encryption needs the duckdb-extension-httpfs package matching DuckDB "
                    f"{duckdb.__version__}",
                    hint="reinstall breachscope with its locked dependencies",
                )
            con.execute(f"LOAD '{ext}'")
            con.execute("SET temp_file_encryption = true")
            mode = ", READ_ONLY" if read_only else ""
            # ATTACH takes no parameters: quote both literals.
            con.execute(
                f"ATTACH {_sql_str(str(p))} AS store (ENCRYPTION_KEY {_sql_str(key)}{mode})"
            )
            con.execute("USE store")
    except duckdb.Error as exc:
        text = str(exc).lower()
        if "encrypt" in text or "key" in text:
            raise StoreError(
                f"cannot decrypt the case store {p.name}",
                hint="wrong key: check BREACHSCOPE_KEY / BREACHSCOPE_KEY_FILE",
            ) from None
        raise StoreError(
            f"cannot open the case store {p.name}: {type(exc).__name__}",
            hint="is another breachscope process using this case?",
        ) from None
    _bound_memory(con, p)
    if not read_only:
        ensure_schema(con)
    return con


def memory_limit() -> str:
    """The store connection's DuckDB memory limit: ``BREACHSCOPE_MEMORY_LIMIT`` or a default.

    DuckDB's own default is 80 % of RAM, and it keeps written blocks cached up to it, so a
    10 GB evidence file would grow the ingest process towards that. A quarter of RAM, at most
    2 GiB, bounds it; bigger queries spill to disk (encrypted when the store is).
    """
    env = os.environ.get("BREACHSCOPE_MEMORY_LIMIT", "").strip()
    if env:
        return env
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return "2GB"
    return f"{max(256, min(2048, total // 4 // 2**20))}MB"


def _bound_memory(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    try:
        con.execute(f"SET memory_limit = {_sql_str(memory_limit())}")
        # Spill beside the store, not in the working directory (an encrypted store is
        # attached to an in-memory database, whose default spill folder is ./.tmp).
        con.execute(f"SET temp_directory = {_sql_str(str(path) + '.tmp')}")
    except duckdb.Error as exc:
        raise StoreError(
            f"bad DuckDB memory limit: {type(exc).__name__}",
            hint="BREACHSCOPE_MEMORY_LIMIT takes a size such as 2GB or 512MB",
        ) from None


def open_case_store(case: Case, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the case's store, encrypted unless the case file says ``encrypt = false``."""
    key = None
    if case.settings.encrypt:
        key = resolve_key(case.store_path, case.settings.key_file or None, create=not read_only)
    return connect(case.store_path, read_only=read_only, key=key)


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A second cursor on the same store, looking at the same catalog.

    A cursor is a new DuckDB connection; on an encrypted store the case database is an
    attached catalog made the default with ``USE``, which a new cursor does not inherit.
    """
    row = con.execute("SELECT current_database(), current_schema()").fetchone()
    cur = con.cursor()
    if row:
        cur.execute(f'USE "{row[0]}"."{row[1]}"')
    return cur


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


def table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """True when the store has a table of that name (stages create their own side tables)."""
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
    ).fetchone()
    return bool(row and row[0])


def table_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def fetch_dicts(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    cols = [d[0] for d in cur.description or []]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
