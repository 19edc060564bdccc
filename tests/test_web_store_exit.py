"""The web app's shared store connection and interpreter exit.

A DuckDB connection closed on a daemon thread while the interpreter finalises aborts the
process ("terminate called without an active exception", duckdb/duckdb#13904). The idle
release thread of ``StoreAccess`` did exactly that when a process ended within ``linger``
seconds of its last request: CI's pytest run aborted after its last web test had passed.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from breachscope.web.store import StoreAccess, _close_all_at_exit

# The main thread waits until the release thread is inside DuckDB's close (the file has a
# large write-ahead log, so the close checkpoints for a while) and then lets the
# interpreter exit at once: the moment that used to abort.
EXIT_DURING_RELEASE = textwrap.dedent(
    """
    import sys, threading
    from pathlib import Path
    from breachscope.web import store

    closing = threading.Event()
    real_release = store.StoreAccess._release_locked

    def release(self):
        closing.set()
        real_release(self)

    store.StoreAccess._release_locked = release
    access = store.StoreAccess(Path(sys.argv[1]), linger=0.05)
    with access.open() as con:
        con.execute("CREATE TABLE t AS SELECT range AS i, 'row ' || range AS s FROM range(400000)")
        con.execute("INSERT INTO t SELECT range, 'more' FROM range(200000)")
    closing.wait(10)
    print("exiting")
    """
)


def test_exit_while_the_idle_connection_is_being_released(tmp_path: Path) -> None:
    for attempt in range(3):
        db = tmp_path / f"store{attempt}.duckdb"
        done = subprocess.run(
            [sys.executable, "-c", EXIT_DURING_RELEASE, str(db)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, (done.returncode, done.stderr[-500:])
        assert done.stdout.strip() == "exiting"
        assert "terminate called" not in done.stderr
        # The table made it to the file: the close finished (nothing lost at exit).
        again = StoreAccess(db, linger=0)
        with again.open() as con:
            assert con.execute("SELECT count(*) FROM t").fetchone() == (600_000,)


def test_exit_hook_stops_the_release_thread_and_closes_the_file(tmp_path: Path) -> None:
    access = StoreAccess(tmp_path / "s.duckdb", linger=30)
    with access.open() as con:
        con.execute("CREATE TABLE t (i INTEGER)")
    reaper = access._reaper
    assert reaper is not None and reaper.is_alive()
    assert access._root is not None

    _close_all_at_exit()

    assert not reaper.is_alive()
    assert access._root is None
    # The file is free again: a pipeline stage (another connection) can open it.
    again = StoreAccess(tmp_path / "s.duckdb", linger=0)
    with again.open() as con:
        assert con.execute("SELECT count(*) FROM t").fetchone() == (0,)
