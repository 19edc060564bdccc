"""SQLite database files with the stdlib ``sqlite3``, opened read-only and immutable.

Each table (views and SQLite's own tables left out) is one table document,
``locator='table NAME'``, ``sheet=NAME``; ``row_no`` is the 1-based position in the table
scan (SQLite tables have no header row: ``header_row`` 0). BLOBs are kept when they
decode as UTF-8 text and dropped otherwise; numbers and dates are rendered as text.
"""

from __future__ import annotations

import sqlite3

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter
from breachscope.ingest.model import FileSkipped
from breachscope.ingest.readers.jsondoc import render
from breachscope.ingest.registry import ReadContext, Source

BATCH = 20_000


def _cell(v: object) -> str | None:
    if isinstance(v, bytes):
        try:
            return v.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return render(v)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_sqlite(src: Source, ctx: ReadContext, out: Emitter) -> None:
    uri = src.path.resolve().as_uri() + "?mode=ro&immutable=1"
    try:
        con = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        raise FileProblem("corrupt", "unreadable SQLite database") from None
    try:
        con.text_factory = lambda b: b.decode("utf-8", "replace")
        try:
            tables = [
                r[0]
                for r in con.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
                )
            ]
        except sqlite3.DatabaseError as exc:
            if "encrypt" in str(exc).lower() or "not a database" in str(exc).lower():
                raise FileProblem(
                    "encrypted" if "encrypt" in str(exc).lower() else "corrupt"
                ) from None
            raise FileProblem("corrupt", "damaged SQLite database") from None
        bad = 0
        for name in tables:
            try:
                cur = con.execute(f"SELECT * FROM {_quote(name)}")
            except sqlite3.Error:  # e.g. a virtual table whose module is missing
                bad += 1
                continue
            columns = [d[0] for d in cur.description or ()]
            if not columns:
                continue
            tw = out.table(f"table {name}", sheet=name)
            tw.start(columns, 0)
            row = 0
            try:
                while batch := cur.fetchmany(BATCH):
                    cols = list(zip(*[[_cell(v) for v in r] for r in batch], strict=True))
                    tw.add_rows(range(row + 1, row + len(batch) + 1), cols)
                    row += len(batch)
            except sqlite3.DatabaseError:
                bad += 1
            tw.close()
        if bad and bad == len(tables):
            raise FileProblem("corrupt", "no SQLite table could be read")
        if not tables:
            raise FileSkipped("empty")
    finally:
        con.close()
