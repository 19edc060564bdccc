"""Scope restriction for ingest: only files the intruder viewed or copied are read.

With a ``[scope]`` table the accessed set is computed once per run from the walked
evidence (sizes included). Files not in scope are inventoried with status ``out_of_scope``
and the reason ``FileScope`` gives (``not_accessed``, ``listed_only``) without being
opened; archive members follow their outer file. The per-file access facts go to the
``scope_access`` table (replaced every run), the report to ``out/scope_report.json`` and
``out/scope_missing.csv``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

import duckdb

from breachscope.case import Case
from breachscope.store.db import table_exists, transaction

if TYPE_CHECKING:
    from breachscope.scope import AccessedSet

OUT_OF_SCOPE = "out_of_scope"
REPORT_FILE = "scope_report.json"
MISSING_FILE = "scope_missing.csv"
MISSING_HEADER = ("path", "access", "first_access", "last_access", "accounts")


def accessed_set(case: Case, files: Iterable[tuple[str, int]]) -> AccessedSet | None:
    """The case's accessed set over ``(path, size)`` of the files on disk; None without scope."""
    cfg = case.scope
    if cfg is None or not cfg.enabled:
        return None
    from breachscope.scope import compute_accessed_set  # the log parsers load only when used

    sizes = dict(files)
    return compute_accessed_set(cfg, sorted(sizes), sizes=sizes)


def _utc(t: dt.datetime | None) -> dt.datetime | None:
    return None if t is None else t.astimezone(dt.UTC).replace(tzinfo=None)


def store_access(con: duckdb.DuckDBPyConnection, accessed: AccessedSet | None) -> int:
    """Replace ``scope_access`` with the accessed set's rows (emptied without scope)."""
    rows = [] if accessed is None else accessed.rows()
    with transaction(con):
        con.execute("DELETE FROM scope_access")
        if rows:
            con.executemany(
                "INSERT INTO scope_access VALUES (?, ?, ?, ?, ?, ?)",
                [
                    [
                        r["path"],
                        r["access"],
                        _utc(r["first_access"]),  # type: ignore[arg-type]
                        _utc(r["last_access"]),  # type: ignore[arg-type]
                        r["accounts"],
                        r["tables"],
                    ]
                    for r in rows
                ],
            )
    return len(rows)


def _json_default(v: object) -> str:
    if isinstance(v, dt.datetime):
        return v.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, set | frozenset):
        return json.dumps(sorted(v))
    raise TypeError(type(v).__name__)


def write_reports(case: Case, accessed: AccessedSet | None) -> None:
    """``out/scope_report.json`` and ``out/scope_missing.csv`` (0600); removed without scope.

    The report holds counts, accounts, clients, log names and evidence paths — no file
    content. Paths are as sensitive as ``out/files.csv`` (file names may carry names).
    """
    from breachscope.notify.files import write_csv, write_private

    out = case.out_dir
    if accessed is None:
        for name in (REPORT_FILE, MISSING_FILE):
            (out / name).unlink(missing_ok=True)
        return
    report = dataclasses.asdict(accessed.report(case.clients_for_path))
    write_private(
        out / REPORT_FILE, json.dumps(report, indent=2, default=_json_default, sort_keys=True)
    )
    write_csv(
        out / MISSING_FILE,
        MISSING_HEADER,
        (
            [
                m.path,
                m.action,
                _json_default(m.first) if m.first else "",
                _json_default(m.last) if m.last else "",
                "|".join(sorted(m.accounts)),
            ]
            for m in accessed.files_missing_from_evidence()
        ),
    )


# --------------------------------------------------------------------------- tables

TABLES_META = "scope.tables:"
# Derived rows that must go when a table document goes (detect re-reads the file after).
_DERIVED = ("finding_mentions", "findings")


def table_key(name: str | None) -> str:
    """A database table name as the logs and the dumps spell it: case-folded, unquoted,
    without its schema (``"Public"."Members"`` and ``members`` are the same table)."""
    t = (name or "").strip().strip('`"[]').lower()
    return t.rsplit(".", 1)[-1].strip('`"[]')


def tables_signature(tables: frozenset[str] | None) -> str:
    """What a file's table filter was, to notice when the accessed tables change."""
    return "" if tables is None else ",".join(sorted({table_key(t) for t in tables}))


def restrict_tables(
    con: duckdb.DuckDBPyConnection, path: str, tables: frozenset[str] | None
) -> int:
    """Keep only the accessed tables of a database dump or database file.

    With database audit logs, a dump is in scope because some of its tables were read; the
    other tables were not accessed and are not mined. Their table documents (and anything
    derived from them) are removed; text documents stay. Returns the documents removed."""
    if tables is None:
        return 0
    keep = {table_key(t) for t in tables}
    rows = con.execute(
        """SELECT d.doc_id, d.sheet, d.locator FROM documents d JOIN files f USING (file_id)
           WHERE f.path = ? AND d.kind = 'table'""",
        [path],
    ).fetchall()
    drop = [
        doc_id
        for doc_id, sheet, locator in rows
        if table_key(sheet or locator.removeprefix("table ")) not in keep
    ]
    if not drop:
        return 0
    marks = ", ".join("?" for _ in drop)
    with transaction(con):
        for table in _DERIVED:
            if table_exists(con, table):
                if table == "finding_mentions":
                    con.execute(
                        f"DELETE FROM finding_mentions WHERE finding_id IN "
                        f"(SELECT finding_id FROM findings WHERE doc_id IN ({marks}))",
                        drop,
                    )
                else:
                    con.execute(f"DELETE FROM {table} WHERE doc_id IN ({marks})", drop)
        con.execute(f"DELETE FROM table_rows WHERE doc_id IN ({marks})", drop)
        con.execute(f"DELETE FROM documents WHERE doc_id IN ({marks})", drop)
        con.execute(
            "UPDATE files SET n_documents = (SELECT count(*) FROM documents d "
            "WHERE d.file_id = files.file_id) WHERE path = ?",
            [path],
        )
    return len(drop)
