"""The detect stage: documents → findings, in batches, over a process pool.

Idempotent and incremental: a file is (re)processed when it has no ``detect_done`` marker,
when its content hash changed, or when the detector version changed; its old findings
are deleted first. Memory is bounded: documents and rows stream from DuckDB in chunks, at
most a few batches are in flight, and findings go to the store in batches (nothing holds
the run's findings: see ``_write``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import multiprocessing as mp
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from breachscope.case import Case
from breachscope.detect.columns import SAMPLE, TablePlan, plan_table, table_segments
from breachscope.detect.findings import (
    BATCH_COLUMNS,
    FINDING_ID_SQL,
    Finding,
    add_finding,
    extend_batch,
    findings_from_batch,
    new_batch,
    to_arrow,
)
from breachscope.detect.table import read_columns
from breachscope.detect.text import detect_text, is_ocr_locator, warm_up
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
# A task is plain data so that it pickles to a worker process.
Task = tuple[Any, ...]


# --------------------------------------------------------------------------- worker side


def detect_table(columns: list[str], rows: Rows, today: dt.date) -> tuple[TablePlan, list[Finding]]:
    """Plan and read one whole table (small tables, tests)."""
    found = new_batch()
    plan: TablePlan | None = None
    for headers, seg in table_segments(columns, rows):
        p = plan_table(headers, seg[: SAMPLE + 12], today)
        plan = plan or p
        extend_batch(found, read_columns(p, seg, today))
    if plan is None:
        plan = plan_table(columns, [], today)
    return plan, findings_from_batch(found)


def _work(task: Task) -> tuple[pa.Table, int]:
    """Run one task; returns its findings as an Arrow table and the number of failed
    documents. Arrow, not Python lists: it pickles as a few buffers, so the parent
    spends no CPU rebuilding millions of objects and holds no more than the bytes."""
    kind = task[0]
    out = new_batch()
    failed = 0
    if kind == "text":
        _, docs, today = task
        for doc_id, file_id, page, text, ocr in docs:
            try:
                found = detect_text(text or "", today=today, ocr=ocr)
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
                for headers, seg in table_segments(list(columns or []), rows):
                    plan = plan_table(headers, seg[: SAMPLE + 12], today)
                    extend_batch(out, read_columns(plan, seg, today, doc_id, file_id))
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
    return _keyed(out), failed


def finding_id(
    doc_id: str,
    row_no: int | None,
    start: int | None,
    end: int | None,
    column_name: str | None,
    category: str,
    field: str | None,
) -> str:
    """``FINDING_ID_SQL`` in Python, value for value (``concat_ws`` skips a NULL locator),
    so the workers key their own findings and the parent only appends."""
    if row_no is not None:
        locator: str | None = f"r{row_no}"
    elif start is not None and end is not None:
        locator = f"c{start}-{end}"
    else:
        locator = None
    parts = [doc_id, locator, column_name or "", category, field or ""]
    text = "\x1f".join(p for p in parts if p is not None)
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:20]


_ID_CON: duckdb.DuckDBPyConnection | None = None


def _finding_ids(table: pa.Table) -> pa.Array:
    """``finding_id`` of every row of a findings table, computed by DuckDB from
    ``FINDING_ID_SQL`` (the same value, ``tests/test_scale.py``) in this process, one
    thread: hashing millions of findings one by one in Python cost ten times the table
    read that found them."""
    global _ID_CON
    if _ID_CON is None:
        _ID_CON = duckdb.connect()
        _ID_CON.execute("SET threads = 1")
    con = _ID_CON
    con.register("_detect_ids", table)
    try:
        out = con.execute(f"SELECT {FINDING_ID_SQL} AS finding_id FROM _detect_ids").arrow()
        ids = out.read_all() if isinstance(out, pa.RecordBatchReader) else out  # lazy
    finally:
        con.unregister("_detect_ids")
    if ids.num_rows != table.num_rows:
        raise RuntimeError("detect: finding ids do not match the findings")
    return pc.cast(ids.column(0).combine_chunks(), pa.string())


_NIBBLE_SHIFT = np.arange(60, -1, -4, dtype=np.uint64)  # 16 hex digits, first is highest


def _may_repeat(ids: pa.StringArray) -> bool:
    """Whether an id may occur twice: exact when False. The first 16 hex digits of each
    20-digit id as a 64-bit number, sorted (hashing the strings cost more than the ids);
    equal numbers, or an id of another length, send the caller to the exact check."""
    n = len(ids)
    if n < 2:
        return False
    offsets = np.frombuffer(ids.buffers()[1], dtype=np.int32)[ids.offset : ids.offset + n + 1]
    if ids.null_count or int(offsets[-1] - offsets[0]) != 20 * n:
        return True
    data = np.frombuffer(ids.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    hexes = data.reshape(n, 20)[:, :16]
    nibbles = ((hexes & 0x0F) + 9 * (hexes >> 6)).astype(np.uint64)  # '0'-'9', 'a'-'f'
    key = np.bitwise_or.reduce(nibbles << _NIBBLE_SHIFT, axis=1)
    key.sort()
    return bool((key[1:] == key[:-1]).any())


def _keyed(b: dict[str, list[Any]]) -> pa.Table:
    """A task's findings with their ``finding_id``, one row per id (the most confident),
    as the store keeps them. Ids never repeat across tasks: a document is one task, or
    row chunks whose ids differ by row number."""
    table = to_arrow(b)
    if not table.num_rows:
        return table.add_column(0, "finding_id", pa.array([], type=pa.string()))
    ids = _finding_ids(table)
    if _may_repeat(ids):
        id_list = ids.to_pylist()
        confidence = table.column("confidence").to_pylist()
        best: dict[str, int] = {}
        for i, fid in enumerate(id_list):
            j = best.get(fid)
            if j is None or confidence[i] > confidence[j]:
                best[fid] = i
        keep = pa.array(sorted(best.values()), type=pa.int64())
        table = table.take(keep)
        ids = ids.take(keep)
    return table.add_column(0, "finding_id", ids)


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
    """Tasks in document order, each with the number of documents it completes.

    The document list streams from its own cursor (``fetchmany``), so not even the
    documents' metadata is held whole; texts and rows are read per task."""
    reader = store_cursor(con)
    lister = store_cursor(con)
    lister.execute(
        "CREATE OR REPLACE TEMP TABLE _detect_files AS SELECT unnest(?::VARCHAR[]) AS file_id",
        [file_ids],
    )
    lister.execute(
        """
        SELECT d.doc_id, d.file_id, d.kind, d.page, d.columns, coalesce(d.n_rows, -1),
               coalesce(length(d.text), 0)
        FROM documents d JOIN _detect_files p ON p.file_id = d.file_id
        ORDER BY d.file_id, d.seq
        """
    )
    docs = (row for chunk in iter(lambda: lister.fetchmany(10_000), []) for row in chunk)
    text_batch: list[tuple[str, str, int | None]] = []
    text_chars = 0
    table_batch: list[tuple[str, str, list[str]]] = []
    table_rows = 0

    def flush_text() -> Iterator[tuple[Task, int]]:
        nonlocal text_batch, text_chars
        if not text_batch:
            return
        ids = [d[0] for d in text_batch]
        texts = {
            doc_id: (text or "", is_ocr_locator(locator))
            for doc_id, text, locator in reader.execute(
                "SELECT doc_id, text, locator FROM documents"
                " WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
                [ids],
            ).fetchall()
        }
        yield (
            ("text", [(i, f, p, *texts.get(i, ("", False))) for i, f, p in text_batch], today),
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
    lister.close()
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
    # The chunks stay the Arrow record batches DuckDB returns: ``read_columns`` reads them
    # as they are (no Python string per cell), and they pickle to a worker as buffers.
    pending: pa.RecordBatch | None = None
    for batch in cur.to_arrow_reader(ROW_CHUNK):
        if not batch.num_rows:
            continue
        if pending is not None:
            yield ("chunk", doc_id, file_id, plan, pending, today), 0
        pending = batch
    yield ("chunk", doc_id, file_id, plan, [] if pending is None else pending, today), 1
    cur.close()


def _write(con: duckdb.DuckDBPyConnection, batch: pa.Table) -> int:
    """Append a batch of keyed findings (``_keyed``) to ``findings``.

    Straight into the store table, not a staging table: an in-memory staging table held
    every finding of the run in RAM (2.8 GB at 100,000 people). ``findings`` has no
    index, so appends are cheap; a run that dies half-way leaves findings only for files
    without a ``detect_done`` marker, which the next run deletes before detecting them.
    Ids are computed and de-duplicated in the workers: doing it here in SQL (md5 and a
    window per batch) was two thirds of this process's CPU, the serial part of the stage.
    """
    n = int(batch.num_rows)
    if not n:
        return 0
    con.register("_detect_batch", batch)
    try:
        names = ", ".join(BATCH_COLUMNS)
        con.execute(
            f"""
            INSERT INTO findings (finding_id, {names})
            SELECT finding_id, {names} FROM _detect_batch
            """
        )
    finally:
        con.unregister("_detect_batch")
    return n


def _worker_start(parent_pid: int) -> None:
    """Pool initializer: die with the parent, then build what text detection otherwise
    builds on its first documents (``text.warm_up``: lazy loads and re2 DFA states, well
    under a second). The warm-up only saves time: if it fails, the worker goes on."""
    die_with_parent(parent_pid)
    try:
        warm_up()
    except Exception as exc:  # never a reason to fail the stage; no text in the message
        log.debug("detect worker warm-up skipped: %s", type(exc).__name__)


def _run_pool(
    con: duckdb.DuckDBPyConnection,
    pending: list[str],
    today: dt.date,
    workers: int,
    absorb: Callable[[tuple[pa.Table, int], int], None],
) -> None:
    """Tasks over a spawn pool, at most two per worker in flight (bounded memory)."""
    ctx = mp.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=ctx,
        initializer=_worker_start,
        initargs=(os.getpid(),),
    ) as pool:
        window: list[tuple[Future[tuple[pa.Table, int]], int]] = []
        for task, n_done in _tasks(con, pending, today):
            window.append((pool.submit(_work, task), n_done))
            while len(window) >= 2 * workers:
                fut, k = window.pop(0)
                absorb(fut.result(), k)
        for fut, k in window:
            absorb(fut.result(), k)


def run_detect(
    case: Case, con: duckdb.DuckDBPyConnection, progress: Progress | None = None
) -> dict[str, int]:
    """Detect elements in every document not yet processed; returns counts (no PHI).

    With ``engine = "spark"`` the per-document work runs as a Spark map
    (``breachscope.spark.detect_map``); the findings land in the same tables.
    """
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
    buf: list[pa.Table] = []
    buffered = 0
    failed = 0

    def flush() -> None:
        nonlocal buf, buffered
        if buf:
            _write(con, pa.concat_tables(buf))
        buf, buffered = [], 0

    def absorb(result: tuple[pa.Table, int], n_done: int) -> None:
        nonlocal buffered, failed
        batch, bad = result
        failed += bad
        if batch.num_rows:
            buf.append(batch)
            buffered += batch.num_rows
        if buffered >= FLUSH_ROWS:
            flush()
        if n_done:
            progress.advance(n_done)

    if case.settings.engine == "spark":
        # Same staging table, same publish and bookkeeping below: only the map moves.
        from breachscope.spark.detect_map import detect_on_spark

        failed = detect_on_spark(
            con, pending, today=today, stage_table="findings", work_dir=case.store_path.parent
        )
        progress.advance(n_docs)
    elif workers <= 1 or n_docs < 50:
        for task, n_done in _tasks(con, pending, today):
            absorb(_work(task), n_done)
    else:
        _run_pool(con, pending, today, workers, absorb)
    flush()
    row = con.execute(
        "SELECT count(*) FROM findings WHERE file_id IN (SELECT unnest(?::VARCHAR[]))", [pending]
    ).fetchone()
    written = int(row[0]) if row else 0

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
