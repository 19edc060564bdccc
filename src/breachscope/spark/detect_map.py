"""Detection as a Spark map: documents (Parquet) in, findings (Parquet) out.

The driver keeps the case store. It exports the documents to Parquet on storage the
executors can read (``export_documents``), ``detect_map`` runs detect's per-document
functions on the executors — text documents through ``mapInArrow``, table documents
grouped by document through ``applyInArrow`` (a table is planned from its first rows,
as on DuckDB) — and writes the same finding columns the DuckDB path writes, without the
``finding_id``, which the store derives on load (``load_findings``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
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
from breachscope.detect.text import detect_text

# The findings' Spark schema, spelled from the Arrow one so the two cannot drift.
_SPARK_TYPES = {pa.string(): "string", pa.int32(): "int", pa.float64(): "double"}
FINDINGS_DDL = ", ".join(f"{f.name} {_SPARK_TYPES[f.type]}" for f in ARROW_SCHEMA)


def export_documents(con: duckdb.DuckDBPyConnection, out_dir: Path | str) -> tuple[str, str]:
    """Write ``documents`` and ``table_rows`` as Parquet under ``out_dir`` (shared storage
    on a cluster); returns their paths. The files hold evidence text: keep them where the
    case store's own protections apply."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    docs, rows = out / "documents.parquet", out / "table_rows.parquet"
    con.execute(
        "COPY (SELECT doc_id, file_id, kind, page, text, columns FROM documents ORDER BY doc_id)"
        f" TO '{docs}' (FORMAT parquet)"
    )
    con.execute(
        "COPY (SELECT doc_id, row_no, cells FROM table_rows ORDER BY doc_id, row_no)"
        f" TO '{rows}' (FORMAT parquet)"
    )
    return str(docs), str(rows)


def _text_partition(batches: Iterator[pa.RecordBatch], today: dt.date) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        out = new_batch()
        for doc_id, file_id, page, text in zip(
            *(batch.column(c).to_pylist() for c in ("doc_id", "file_id", "page", "text")),
            strict=True,
        ):
            for f in detect_text(text or "", today=today):
                add_finding(out, doc_id, file_id, page, f)
        yield from to_arrow(out).to_batches()


def _table_group(table: pa.Table, today: dt.date) -> pa.Table:
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
    plan = plan_table(columns, rows[: SAMPLE + 12], today)
    extend_batch(out, read_columns(plan, rows, today, doc_id, file_id))
    return to_arrow(out)


def detect_map(
    spark: Any,
    documents_path: str,
    table_rows_path: str,
    out_path: str,
    *,
    today: dt.date | None = None,
) -> None:
    """Run detection over exported documents on Spark; write findings Parquet to
    ``out_path`` (overwritten). ``today`` fixes the date rules (minors, future dates)."""
    day = today or dt.date.today()
    docs = spark.read.parquet(documents_path)
    text = docs.where("kind <> 'table'").select("doc_id", "file_id", "page", "text")
    text_findings = text.mapInArrow(functools.partial(_text_partition, today=day), FINDINGS_DDL)
    rows = spark.read.parquet(table_rows_path)
    tables = (
        docs.where("kind = 'table'").select("doc_id", "file_id", "columns").join(rows, "doc_id")
    )
    table_findings = tables.groupBy("doc_id").applyInArrow(
        functools.partial(_table_group, today=day), FINDINGS_DDL
    )
    text_findings.unionByName(table_findings).write.mode("overwrite").parquet(out_path)


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
