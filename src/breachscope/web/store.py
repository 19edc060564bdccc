"""The web app's own tables and its access to the case store.

The app opens the store for the length of one request and closes it again, so a pipeline
stage started from the command line can take the store between page loads. While a stage
holds it, pages answer "busy" (503) and refresh themselves.
"""

from __future__ import annotations

import atexit
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from breachscope.errors import BreachscopeError, StoreError
from breachscope.store import connect, cursor
from breachscope.store.keys import resolve_key

if TYPE_CHECKING:
    from breachscope.case import Case

WEB_TABLES: dict[str, str] = {
    "web_users": """
        CREATE TABLE IF NOT EXISTS web_users (
            username VARCHAR PRIMARY KEY,
            password_hash VARCHAR NOT NULL,   -- argon2id
            role VARCHAR NOT NULL,            -- admin | reviewer | viewer
            created_at TIMESTAMP NOT NULL
        )""",
    # Append-only: the app never updates or deletes a row. Each row carries the hash of the
    # previous one, so an edit made behind the app's back breaks the chain and shows.
    "audit_log": """
        CREATE TABLE IF NOT EXISTS audit_log (
            seq BIGINT PRIMARY KEY,
            logged_at TIMESTAMP NOT NULL,
            username VARCHAR NOT NULL,
            ip VARCHAR,
            action VARCHAR NOT NULL,          -- login, reveal, decide, download, qc_answer ...
            target VARCHAR,                   -- an id: individual, mention, item, file name
            detail VARCHAR,                   -- which field, which choice; never a value
            prev_hash VARCHAR NOT NULL,
            row_hash VARCHAR NOT NULL
        )""",
    # Which review-queue item a decision answered (decisions has no item column).
    "web_review_actions": """
        CREATE TABLE IF NOT EXISTS web_review_actions (
            item_id VARCHAR NOT NULL,
            decision_id VARCHAR NOT NULL,
            action VARCHAR NOT NULL,
            made_by VARCHAR NOT NULL,
            made_at TIMESTAMP NOT NULL
        )""",
    "qc_samples": """
        CREATE TABLE IF NOT EXISTS qc_samples (
            sample_id VARCHAR PRIMARY KEY,
            kind VARCHAR NOT NULL,            -- individuals | documents
            seed BIGINT NOT NULL,
            size INTEGER NOT NULL,
            population BIGINT NOT NULL,
            created_by VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL
        )""",
    "qc_items": """
        CREATE TABLE IF NOT EXISTS qc_items (
            sample_id VARCHAR NOT NULL,
            item_no INTEGER NOT NULL,
            target_id VARCHAR NOT NULL,       -- individual_id or doc_id
            stratum VARCHAR NOT NULL,         -- client / file type
            answered_by VARCHAR,
            answered_at TIMESTAMP,
            is_real BOOLEAN,                  -- individuals: a real data subject?
            listed_elements VARCHAR[],        -- elements the app listed when answered
            wrong_elements VARCHAR[],         -- listed but not exposed
            missed_elements VARCHAR[],        -- exposed but not listed
            found_real INTEGER,               -- documents: app's people who are real
            found_wrong INTEGER,              -- documents: app's people who are not
            missed_people INTEGER,            -- documents: real people the app missed
            note VARCHAR
        )""",
}


class StoreBusy(BreachscopeError):
    """A pipeline stage holds the case store; the page can be tried again shortly."""


def ensure_web_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the web app's tables when missing (never touches the pipeline's tables)."""
    for ddl in WEB_TABLES.values():
        con.execute(ddl)


# Every StoreAccess still alive, so that interpreter exit can close their files first.
_LIVE: weakref.WeakSet[StoreAccess] = weakref.WeakSet()


@atexit.register
def _close_all_at_exit() -> None:
    """Close every shared store connection before the interpreter finalises.

    A connection closed on the idle-release thread while the interpreter is finalising
    aborts the whole process ("terminate called without an active exception"): DuckDB's
    close gives up the GIL, and a daemon thread that asks for it back after finalisation has
    begun is ended by a forced unwind through DuckDB's C++ frames (duckdb/duckdb#13904).
    ``atexit`` runs before that, while every thread can still finish, so the release
    threads are stopped and the files closed (checkpointed) here, on the main thread.
    """
    for access in list(_LIVE):
        access.shutdown()


class StoreAccess:
    """Connections to one case store, shared while the app is busy, released when idle.

    Opening a DuckDB file costs tens of milliseconds, so requests share one open database
    (each gets its own cursor). After ``linger`` seconds without a request the file is
    closed, so a pipeline stage started from the command line can take it. While a stage
    holds it, opening is retried for ``wait_seconds`` and then reported as busy.
    """

    def __init__(
        self,
        path: Path,
        *,
        wait_seconds: float = 1.5,
        linger: float = 3.0,
        key: str | None = None,
    ) -> None:
        self.path = path
        self._key = key
        self.wait_seconds = wait_seconds
        self.linger = linger
        self._root: duckdb.DuckDBPyConnection | None = None
        self._active = 0
        self._last_used = 0.0
        self._lock = threading.Lock()
        self._reaper: threading.Thread | None = None
        self._stopping = threading.Event()
        _LIVE.add(self)

    @classmethod
    def for_case(cls, case: Case, **kw: Any) -> StoreAccess:
        """Access to a case's store with its encryption key (unless ``encrypt = false``).

        The key is resolved once, here, so a missing key fails at start-up with its own
        message instead of every page answering "busy".
        """
        key = None
        if case.settings.encrypt:
            key = resolve_key(case.store_path, case.settings.key_file or None)
        return cls(case.store_path, key=key, **kw)

    def _connect(self) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                con = connect(self.path, key=self._key)
                ensure_web_schema(con)
                return con
            except StoreError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        "the case store is in use by a running stage",
                        hint="this page will refresh when the stage lets go",
                    ) from None
                time.sleep(0.1)

    @contextmanager
    def open(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._lock:
            if self._root is None:
                self._root = self._connect()
            # Not .cursor(): on an encrypted store that would miss the attached catalog.
            cur = cursor(self._root)
            self._active += 1
            self._start_reaper()
        try:
            yield cur
        finally:
            cur.close()
            with self._lock:
                self._active -= 1
                self._last_used = time.monotonic()
                if self.linger <= 0:
                    self._release_locked()

    def close(self) -> None:
        """Close the shared connection now (tests, shutdown)."""
        with self._lock:
            self._release_locked()

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop the idle-release thread, wait for it, and close the shared connection.

        Called at interpreter exit (see ``_close_all_at_exit``). A request still inside
        ``open()`` keeps its connection; that one is closed by whoever ends the request.
        """
        self._stopping.set()
        reaper = self._reaper
        if reaper is not None and reaper is not threading.current_thread():
            reaper.join(timeout)
        self.close()

    def _release_locked(self) -> None:
        if self._root is not None and self._active == 0:
            self._root.close()
            self._root = None

    def _start_reaper(self) -> None:
        if self.linger <= 0 or (self._reaper is not None and self._reaper.is_alive()):
            return

        def reap() -> None:
            while not self._stopping.wait(min(1.0, self.linger)):
                with self._lock:
                    if self._root is None:
                        self._reaper = None
                        return
                    if self._active == 0 and time.monotonic() - self._last_used >= self.linger:
                        self._release_locked()
                        self._reaper = None
                        return

        self._reaper = threading.Thread(target=reap, name="store-release", daemon=True)
        self._reaper.start()


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [str(r[0]) for r in rows]


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    row = con.execute(sql, params or []).fetchone()
    return row[0] if row else None
