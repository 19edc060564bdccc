"""Parquet with pyarrow: one ``table`` document, read batch by batch (never whole).

Columns are rendered as text the way an analyst reads them: dates ISO, whole-number
floats without ``.0``, nested structs flattened to ``a.b`` columns, lists and maps as
JSON. ``row_no`` is the 1-based row index (Parquet has no header row: ``header_row`` 0).
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter
from breachscope.ingest.model import FileSkipped
from breachscope.ingest.readers.jsondoc import render
from breachscope.ingest.registry import ReadContext, Source

BATCH_ROWS = 65_536


def _flat_names(field: pa.Field, prefix: str = "") -> list[str]:
    name = f"{prefix}{field.name}"
    if pa.types.is_struct(field.type):
        return [
            n
            for i in range(field.type.num_fields)
            for n in _flat_names(field.type.field(i), name + ".")
        ]
    return [name]


def _as_text(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    t = col.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return (
            pc.cast(col, pa.string())
            if not pa.types.is_string(t)
            else (col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col)
        )
    if pa.types.is_floating(t):
        return pa.array([render(v) for v in col.to_pylist()], pa.string())
    if pa.types.is_nested(t) or pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return pa.array([_nested(v) for v in col.to_pylist()], pa.string())
    try:
        return pc.cast(col, pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.array([render(v) for v in col.to_pylist()], pa.string())


def _nested(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bytes):
        try:
            return v.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return json.dumps(v, default=str, ensure_ascii=False)


def read_parquet(src: Source, ctx: ReadContext, out: Emitter) -> None:
    try:
        pf = pq.ParquetFile(str(src.path))
        schema = pf.schema_arrow
    except (pa.ArrowException, OSError) as exc:
        reason = "encrypted" if "encrypt" in str(exc).lower() else "corrupt"
        raise FileProblem(
            reason, "" if reason == "encrypted" else "unreadable Parquet file"
        ) from None
    columns = [n for f in schema for n in _flat_names(f)]
    if not columns:
        raise FileSkipped("empty")
    table = out.table("table")
    table.start(columns, 0)
    row = 0
    try:
        for batch in pf.iter_batches(batch_size=BATCH_ROWS):
            flat = pa.Table.from_batches([batch]).flatten()
            n = flat.num_rows
            cols = [_as_text(flat.column(j)) for j in range(flat.num_columns)]
            table.add_rows(range(row + 1, row + n + 1), cols)
            row += n
    except (pa.ArrowException, OSError):
        table.discard()
        raise FileProblem("corrupt", "damaged Parquet data pages") from None
    table.close()
