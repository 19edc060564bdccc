"""Detection as a Spark map: documents (Parquet) in, findings (Parquet) out.

The driver keeps the case store. It exports the documents to Parquet on storage the
executors can read (``export_documents``), ``detect_map`` runs detect's per-document
functions on the executors — text documents through ``mapInArrow``, table documents
grouped by document through ``applyInArrow`` (a table is planned from its first rows,
as on DuckDB) — and writes the same finding columns the DuckDB path writes, without the
``finding_id``, which the store derives on load (``load_findings``).

``detect_on_spark`` is what ``run_detect`` calls when the case's engine is ``spark``: it
exports only the files still to detect to an exchange folder, runs the map, stages the
findings into the store in one streamed ``INSERT`` and removes the exchange folder.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from breachscope.detect.columns import SAMPLE, plan_table
from breachscope.detect.findings import (
    ARROW_SCHEMA,
    BATCH_COLUMNS,
    FINDING_ID_SQL,
    add_finding,
    extend_batch,
    new_batch,
    to_arrow,
)
from breachscope.detect.table import read_columns
from breachscope.detect.text import detect_text, is_ocr_locator

log = logging.getLogger(__name__)

EXCHANGE_ENV = "BREACHSCOPE_SPARK_EXCHANGE_DIR"

# The findings' Spark schema, spelled from the Arrow one so the two cannot drift.
_SPARK_TYPES = {pa.string(): "string", pa.int32(): "int", pa.float64(): "double"}
FINDINGS_DDL = ", ".join(f"{f.name} {_SPARK_TYPES[f.type]}" for f in ARROW_SCHEMA)


def export_documents(
    con: duckdb.DuckDBPyConnection,
    out_dir: Path | str,
    file_ids: Sequence[str] | None = None,
) -> tuple[str, str]:
    """Write ``documents`` and ``table_rows`` (of ``file_ids`` only, when given) as Parquet
    under ``out_dir`` (shared storage on a cluster); returns their paths. The files hold
    evidence text: keep them where the case store's own protections apply."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    docs, rows = out / "documents.parquet", out / "table_rows.parquet"
    where = ""
    if file_ids is not None:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _spark_files AS SELECT unnest(?::VARCHAR[]) AS file_id",
            [list(file_ids)],
        )
        where = " WHERE file_id IN (SELECT file_id FROM _spark_files)"
    con.execute(
        "COPY (SELECT doc_id, file_id, kind, page, text, columns, locator FROM documents"
        f"{where} ORDER BY doc_id) TO '{docs}' (FORMAT parquet)"
    )
    con.execute(
        "COPY (SELECT doc_id, row_no, cells FROM table_rows"
        f" WHERE doc_id IN (SELECT doc_id FROM documents{where})"
        f" ORDER BY doc_id, row_no) TO '{rows}' (FORMAT parquet)"
    )
    if file_ids is not None:
        con.execute("DROP TABLE IF EXISTS _spark_files")
    return str(docs), str(rows)


def _text_partition(
    batches: Iterator[pa.RecordBatch], today: dt.date, failed: Any = None
) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        out = new_batch()
        cols = ("doc_id", "file_id", "page", "text", "locator")
        for doc_id, file_id, page, text, locator in zip(
            *(batch.column(c).to_pylist() for c in cols), strict=True
        ):
            try:
                found = detect_text(text or "", today=today, ocr=is_ocr_locator(locator))
            except Exception as exc:  # a bad document is counted and skipped, as on DuckDB
                _count_failure(failed, "text document", exc)
                continue
            for f in found:
                add_finding(out, doc_id, file_id, page, f)
        yield from to_arrow(out).to_batches()


def _table_group(table: pa.Table, today: dt.date, failed: Any = None) -> pa.Table:
    """One table document: all its rows, in order, as the DuckDB path reads it."""
    table = table.sort_by("row_no")
    doc_id = table.column("doc_id")[0].as_py()
    file_id = table.column("file_id")[0].as_py()
    columns = list(table.column("columns")[0].as_py() or [])
    rows = list(
        zip(
            table.column("row_no").to_pylist(),
            (c or [] for c in table.column("cells").to_pylist()),
            strict=True,
        )
    )
    out = new_batch()
    try:
        plan = plan_table(columns, rows[: SAMPLE + 12], today)
        extend_batch(out, read_columns(plan, rows, today, doc_id, file_id))
    except Exception as exc:
        _count_failure(failed, "table document", exc)
        out = new_batch()
    return to_arrow(out)


def _count_failure(failed: Any, what: str, exc: Exception) -> None:
    # The type only: the message may quote evidence content.
    log.warning("detect on spark: %s failed (%s)", what, type(exc).__name__)
    if failed is not None:
        failed.add(1)


def detect_map(
    spark: Any,
    documents_path: str,
    table_rows_path: str,
    out_path: str,
    *,
    today: dt.date | None = None,
) -> int:
    """Run detection over exported documents on Spark; write findings Parquet to
    ``out_path`` (overwritten). ``today`` fixes the date rules (minors, future dates).
    Returns the number of documents that failed (counted and skipped, as on DuckDB)."""
    day = today or dt.date.today()
    failed = spark.sparkContext.accumulator(0)
    docs = spark.read.parquet(documents_path)
    text = docs.where("kind <> 'table'")
    if "locator" not in docs.columns:  # an export written before locators were exported
        from pyspark.sql import functions as F

        text = text.withColumn("locator", F.lit(None).cast("string"))
    text = text.select("doc_id", "file_id", "page", "text", "locator")
    # Parquet splits follow bytes, so a case's text can arrive as one or two partitions;
    # spread it over every core the session has.
    text = text.repartition(max(2 * spark.sparkContext.defaultParallelism, 1))
    text_findings = text.mapInArrow(
        functools.partial(_text_partition, today=day, failed=failed), FINDINGS_DDL
    )
    rows = spark.read.parquet(table_rows_path)
    tables = (
        docs.where("kind = 'table'").select("doc_id", "file_id", "columns").join(rows, "doc_id")
    )
    table_findings = tables.groupBy("doc_id").applyInArrow(
        functools.partial(_table_group, today=day, failed=failed), FINDINGS_DDL
    )
    text_findings.unionByName(table_findings).write.mode("overwrite").parquet(out_path)
    return int(failed.value)


def load_findings(con: duckdb.DuckDBPyConnection, findings_path: str) -> pa.Table:
    """Findings Parquet as the store keeps them: with ``finding_id``, one row per id
    (the most confident), exactly as the DuckDB path stages them."""
    names = ", ".join(BATCH_COLUMNS)
    return con.execute(
        f"""
        SELECT {FINDING_ID_SQL} AS finding_id, {names}
        FROM read_parquet('{Path(findings_path) / "*.parquet"}')
        QUALIFY row_number() OVER (PARTITION BY finding_id ORDER BY confidence DESC) = 1
        ORDER BY finding_id
        """
    ).to_arrow_table()


def stage_findings(con: duckdb.DuckDBPyConnection, table: str, findings_path: str) -> int:
    """Append findings Parquet to ``table`` (``findings`` in the detect stage), one row per id,
    streamed by DuckDB rather than collected on the driver; returns the rows added."""
    names = ", ".join(BATCH_COLUMNS)
    before = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    con.execute(
        f"""
        INSERT INTO {table} (finding_id, {names})
        SELECT {FINDING_ID_SQL} AS fid, {names}
        FROM read_parquet('{Path(findings_path) / "*.parquet"}')
        QUALIFY row_number() OVER (PARTITION BY fid ORDER BY confidence DESC) = 1
        """
    )
    after = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(after[0] if after else 0) - int(before[0] if before else 0)


def _spark_path(spark: Any, path: Path) -> str:
    """A local path as Spark should read it: plain in local mode; ``file://`` on a cluster,
    where a bare path would mean the cluster's default filesystem (HDFS)."""
    from breachscope.spark.session import is_local

    return str(path) if is_local(spark) else path.resolve().as_uri()


def detect_on_spark(
    con: duckdb.DuckDBPyConnection,
    file_ids: Sequence[str],
    *,
    today: dt.date,
    stage_table: str,
    work_dir: Path,
    spark: Any = None,
) -> int:
    """Detect the documents of ``file_ids`` on Spark into ``stage_table``.

    The exchange folder is ``$BREACHSCOPE_SPARK_EXCHANGE_DIR`` (a mount every executor
    sees at the same path, on a cluster) or, by default, a private folder in ``work_dir``
    (beside the case store, so the evidence text stays under its protections). It is
    removed afterwards, whatever happens. Returns the number of failed documents.
    """
    from breachscope.spark.session import get_spark_session

    if not file_ids:
        return 0
    session = spark if spark is not None else get_spark_session()
    base = os.environ.get(EXCHANGE_ENV, "").strip() or str(work_dir)
    Path(base).mkdir(parents=True, exist_ok=True)
    exchange = Path(tempfile.mkdtemp(prefix=".breachscope-detect-", dir=base))
    try:
        os.chmod(exchange, 0o700)
        docs, rows = export_documents(con, exchange / "in", file_ids)
        out = exchange / "findings"
        failed = detect_map(
            session,
            _spark_path(session, Path(docs)),
            _spark_path(session, Path(rows)),
            _spark_path(session, out),
            today=today,
        )
        stage_findings(con, stage_table, str(out))
        return failed
    finally:
        shutil.rmtree(exchange, ignore_errors=True)
