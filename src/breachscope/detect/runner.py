"""The detect stage: documents → findings, in batches, over a process pool.

Idempotent and incremental: a file is (re)processed when it has no ``detect_done`` marker,
when its content hash changed, or when the detector version changed; its old findings
are deleted first. Memory is bounded: rows are streamed from DuckDB in chunks, at most a
few batches are in flight, and findings are written in batches.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing as mp
import os
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import duckdb

from breachscope.case import Case
from breachscope.detect.columns import SAMPLE, TablePlan, plan_table
from breachscope.detect.findings import (
    BATCH_COLUMNS,
    FINDING_ID_SQL,
    Finding,
    add_finding,
    batch_len,
    extend_batch,
    findings_from_batch,
    new_batch,
    to_arrow,
)
from breachscope.detect.table import read_columns
from breachscope.detect.text import detect_text
from breachscope.progress import NullProgress, Progress
from breachscope.store.db import cursor as store_cursor
from breachscope.workers import die_with_parent

log = logging.getLogger(__name__)


def _code_version() -> str:
    """Detector version: changes whenever a detector module changes, so upgraded detection
    re-runs over every file instead of mixing old and new findings."""
    import hashlib
    from pathlib import Path

    h = hashlib.blake2b(digest_size=6)
    for f in sorted(Path(__file__).parent.glob("*.py")):
        h.update(f.read_bytes())
    return "1." + h.hexdigest()


DETECT_VERSION = _code_version()
ROW_CHUNK = 20_000  # table rows per task
TEXT_CHARS = 2_000_000  # characters of text per task
TEXT_DOCS = 500  # documents per text task
FLUSH_ROWS = 100_000  # findings per INSERT

DONE_DDL = """
CREATE TABLE IF NOT EXISTS detect_done (
    file_id VARCHAR PRIMARY KEY,
    sha256 VARCHAR,
    version VARCHAR,
    n_findings INTEGER,
    detected_at TIMESTAMP
)"""

Rows = list[tuple[int, list[str | None]]]
Batch = dict[str, list[Any]]
# A task is plain data so that it pickles to a worker process.
Task = tuple[Any, ...]


# --------------------------------------------------------------------------- worker side


def detect_table(columns: list[str], rows: Rows, today: dt.date) -> tuple[TablePlan, list[Finding]]:
    """Plan and read one whole table (small tables, tests)."""
    plan = plan_table(columns, rows[: SAMPLE + 12], today)
    return plan, findings_from_batch(read_columns(plan, rows, today))


def _work(task: Task) -> tuple[Batch, int]:
    """Run one task; returns a columnar batch of findings and the number of failed documents."""
    kind = task[0]
    out = new_batch()
    failed = 0
    if kind == "text":
        _, docs, today = task
        for doc_id, file_id, page, text in docs:
            try:
                found = detect_text(text or "", today=today)
            except Exception as exc:
                failed += 1
                log.warning("detect: text document failed (%s)", type(exc).__name__)
                continue
            for f in found:
                add_finding(out, doc_id, file_id, page, f)
    elif kind == "tables":
        _, tables, today = task
        for doc_id, file_id, columns, rows in tables:
            try:
                plan = plan_table(list(columns or []), rows[: SAMPLE + 12], today)
                extend_batch(out, read_columns(plan, rows, today, doc_id, file_id))
            except Exception as exc:
                failed += 1
                log.warning("detect: table document failed (%s)", type(exc).__name__)
    elif kind == "chunk":
        _, doc_id, file_id, plan, rows, today = task
        try:
            extend_batch(out, read_columns(plan, rows, today, doc_id, file_id))
        except Exception as exc:
            failed += 1
            log.warning("detect: table chunk failed (%s)", type(exc).__name__)
    return out, failed


# --------------------------------------------------------------------------- parent side


def _pending_files(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        """
        SELECT DISTINCT d.file_id
        FROM documents d
        LEFT JOIN files f ON f.file_id = d.file_id
        LEFT JOIN detect_done x ON x.file_id = d.file_id
        WHERE x.file_id IS NULL
           OR x.version IS DISTINCT FROM ?
           OR x.sha256 IS DISTINCT FROM f.sha256
        ORDER BY d.file_id
        """,
        [DETECT_VERSION],
    ).fetchall()
    return [r[0] for r in rows]


def _tasks(
    con: duckdb.DuckDBPyConnection, file_ids: list[str], today: dt.date
) -> Iterator[tuple[Task, int]]:
    """Tasks in document order, each with the number of documents it completes."""
    reader = store_cursor(con)
    reader.execute(
        "CREATE OR REPLACE TEMP TABLE _detect_files AS SELECT unnest(?::VARCHAR[]) AS file_id",
        [file_ids],
    )
    docs = reader.execute(
        """
        SELECT d.doc_id, d.file_id, d.kind, d.page, d.columns, coalesce(d.n_rows, -1),
               coalesce(length(d.text), 0)
        FROM documents d JOIN _detect_files p ON p.file_id = d.file_id
        ORDER BY d.file_id, d.seq
        """
    ).fetchall()
    text_batch: list[tuple[str, str, int | None]] = []
    text_chars = 0
    table_batch: list[tuple[str, str, list[str]]] = []
    table_rows = 0

    def flush_text() -> Iterator[tuple[Task, int]]:
        nonlocal text_batch, text_chars
        if not text_batch:
            return
        ids = [d[0] for d in text_batch]
        texts = dict(
            reader.execute(
                "SELECT doc_id, text FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
                [ids],
            ).fetchall()
        )
        yield (
            ("text", [(i, f, p, texts.get(i) or "") for i, f, p in text_batch], today),
            len(text_batch),
        )
        text_batch, text_chars = [], 0

    def flush_tables() -> Iterator[tuple[Task, int]]:
        nonlocal table_batch, table_rows
        if not table_batch:
            return
        ids = [d[0] for d in table_batch]
        rows_by_doc: dict[str, Rows] = {i: [] for i in ids}
        for doc_id, row_no, cells in reader.execute(
            "SELECT doc_id, row_no, cells FROM table_rows WHERE doc_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY doc_id, row_no",
            [ids],
        ).fetchall():
            rows_by_doc[doc_id].append((row_no, cells or []))
        yield (
            ("tables", [(i, f, cols, rows_by_doc[i]) for i, f, cols in table_batch], today),
            len(table_batch),
        )
        table_batch, table_rows = [], 0

    for doc_id, file_id, kind, page, columns, n_rows, n_chars in docs:
        if kind == "table":
            cols = list(columns or [])
            if 0 <= n_rows <= ROW_CHUNK:
                if table_rows + n_rows > ROW_CHUNK:
                    yield from flush_tables()
                table_batch.append((doc_id, file_id, cols))
                table_rows += max(n_rows, 1)
            else:
                yield from _big_table(con, doc_id, file_id, cols, today)
        else:
            if text_chars + n_chars > TEXT_CHARS or len(text_batch) >= TEXT_DOCS:
                yield from flush_text()
            text_batch.append((doc_id, file_id, page))
            text_chars += n_chars
    yield from flush_text()
    yield from flush_tables()
    reader.close()


def _big_table(
    con: duckdb.DuckDBPyConnection, doc_id: str, file_id: str, columns: list[str], today: dt.date
) -> Iterator[tuple[Task, int]]:
    """A large table: planned once from its first rows, then read in streamed chunks."""
    cur = store_cursor(con)
    sample: Rows = [
        (rn, cells or [])
        for rn, cells in cur.execute(
            "SELECT row_no, cells FROM table_rows WHERE doc_id = ? ORDER BY row_no LIMIT ?",
            [doc_id, SAMPLE + 12],
        ).fetchall()
    ]
    plan = plan_table(columns, sample, today)
    if not plan.columns:
        yield ("chunk", doc_id, file_id, plan, [], today), 1
        cur.close()
        return
    cur.execute("SELECT row_no, cells FROM table_rows WHERE doc_id = ? ORDER BY row_no", [doc_id])
    batches = cur.fetch_record_batch(ROW_CHUNK)
    pending: Rows | None = None
    for batch in batches:
        rows: Rows = list(
            zip(
                batch.column(0).to_pylist(),
                (c or [] for c in batch.column(1).to_pylist()),
                strict=True,
            )
        )
        if pending is not None:
            yield ("chunk", doc_id, file_id, plan, pending, today), 0
        pending = rows
    yield ("chunk", doc_id, file_id, plan, pending or [], today), 1
    cur.close()


_STAGE_DDL = """
CREATE OR REPLACE TEMP TABLE _detect_stage AS
SELECT * FROM findings WHERE false
"""


def _write(con: duckdb.DuckDBPyConnection, batch: Batch) -> int:
    """Append a batch to the run's staging table (no index: cheap appends)."""
    n = batch_len(batch)
    if not n:
        return 0
    con.register("_detect_batch", to_arrow(batch))
    try:
        names = ", ".join(BATCH_COLUMNS)
        con.execute(
            f"""
            INSERT INTO _detect_stage (finding_id, {names})
            SELECT {FINDING_ID_SQL} AS fid, {names} FROM _detect_batch
            QUALIFY row_number() OVER (PARTITION BY fid ORDER BY confidence DESC) = 1
            """
        )
    finally:
        con.unregister("_detect_batch")
    return n


def _publish(con: duckdb.DuckDBPyConnection) -> int:
    """Move staged findings into ``findings`` in one sorted insert (cheapest for its key index)."""
    row = con.execute("SELECT count(*) FROM _detect_stage").fetchone()
    n = int(row[0]) if row else 0
    if n:
        con.execute("INSERT INTO findings SELECT * FROM _detect_stage ORDER BY finding_id")
    con.execute("DROP TABLE IF EXISTS _detect_stage")
    return n


def run_detect(
    case: Case, con: duckdb.DuckDBPyConnection, progress: Progress | None = None
) -> dict[str, int]:
    """Detect elements in every document not yet processed; returns counts (no PHI)."""
    progress = progress or NullProgress()
    today = dt.date.today()
    con.execute(DONE_DDL)
    # Findings of files that no longer have documents (ingest re-run) are stale.
    con.execute(
        "DELETE FROM findings WHERE file_id NOT IN (SELECT DISTINCT file_id FROM documents)"
    )
    pending = _pending_files(con)
    n_docs_row = con.execute(
        "SELECT count(*) FROM documents WHERE file_id IN (SELECT unnest(?::VARCHAR[]))", [pending]
    ).fetchone()
    n_docs = int(n_docs_row[0]) if n_docs_row else 0
    progress.start("detect", n_docs)
    con.execute("DELETE FROM findings WHERE file_id IN (SELECT unnest(?::VARCHAR[]))", [pending])
    con.execute("DELETE FROM detect_done WHERE file_id IN (SELECT unnest(?::VARCHAR[]))", [pending])

    workers = case.settings.workers or (os.cpu_count() or 1)
    con.execute(_STAGE_DDL)
    buf = new_batch()
    written = 0
    failed = 0

    def absorb(result: tuple[Batch, int], n_done: int) -> None:
        nonlocal written, failed, buf
        batch, bad = result
        failed += bad
        extend_batch(buf, batch)
        if batch_len(buf) >= FLUSH_ROWS:
            written += _write(con, buf)
            buf = new_batch()
        if n_done:
            progress.advance(n_done)

    tasks = _tasks(con, pending, today)
    if workers <= 1 or n_docs < 50:
        for task, n_done in tasks:
            absorb(_work(task), n_done)
    else:
        ctx = mp.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            window: list[tuple[Future[tuple[Batch, int]], int]] = []
            for task, n_done in tasks:
                window.append((pool.submit(_work, task), n_done))
                while len(window) >= 2 * workers:
                    fut, k = window.pop(0)
                    absorb(fut.result(), k)
            for fut, k in window:
                absorb(fut.result(), k)
    written += _write(con, buf)
    written = _publish(con)

    if pending:
        con.execute(
            """
            INSERT INTO detect_done
            SELECT p.file_id, f.sha256, ?, coalesce(c.n, 0), now()
            FROM (SELECT unnest(?::VARCHAR[]) AS file_id) p
            LEFT JOIN files f ON f.file_id = p.file_id
            LEFT JOIN (SELECT file_id, count(*) AS n FROM findings GROUP BY file_id) c ON c.file_id = p.file_id
            """,
            [DETECT_VERSION, pending],
        )
    con.execute(
        """
        UPDATE files SET n_findings = coalesce(
            (SELECT count(*) FROM findings f WHERE f.file_id = files.file_id), 0)
        WHERE status = 'processed' OR file_id IN (SELECT file_id FROM detect_done)
        """
    )
    progress.done()
    log.info(
        "detect: %d files, %d documents, %d findings, %d failed",
        len(pending),
        n_docs,
        written,
        failed,
    )
    return {
        "files": len(pending),
        "documents": n_docs,
        "findings": written,
        "failed_documents": failed,
    }
