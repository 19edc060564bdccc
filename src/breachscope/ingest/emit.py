"""Where readers put what they extract: text documents, table rows, archive members.

Output stays in memory up to ``spill_bytes``, then goes to Parquet parts in the work folder,
so a 10 GB file never sits in a worker's memory. Table rows travel in wide form
(``row_no, c0 .. cN``); the parent turns them into ``cells`` lists inside DuckDB.

With a ``spill_key`` (the store is encrypted) parts are sealed Arrow IPC streams instead
(:mod:`breachscope.store.spill`, ``part-*.arrows.sealed``), and archive members a reader
hands over as plaintext files are sealed on arrival.
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from breachscope.ingest.model import Member, TablePart
from breachscope.store import spill as sealed

SEALED_PART = ".arrows.sealed"


class BinaryWriter(Protocol):
    def write(self, data: bytes, /) -> int: ...
    def close(self) -> None: ...


DOCUMENT_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("file_id", pa.string()),
        ("seq", pa.int32()),
        ("kind", pa.string()),
        ("locator", pa.string()),
        ("page", pa.int32()),
        ("sheet", pa.string()),
        ("text", pa.string()),
        ("columns", pa.list_(pa.string())),
        ("header_row", pa.int32()),
        ("n_rows", pa.int32()),
    ]
)


def wide_schema(width: int) -> pa.Schema:
    fields = [pa.field("row_no", pa.int32())]
    fields += [pa.field(f"c{j}", pa.string()) for j in range(width)]
    return pa.schema(fields)


class _Spiller:
    """Collects Arrow batches of one schema; writes Parquet parts past a size."""

    def __init__(
        self, schema: pa.Schema, work_dir: Path, spill_bytes: int, key: bytes | None = None
    ) -> None:
        self.schema = schema
        self.work_dir = work_dir
        self.spill_bytes = spill_bytes
        self.key = key
        self.batches: list[pa.RecordBatch] = []
        self.held = 0
        self.parts: list[str] = []
        self.widths: dict[str, int] = {}  # part -> columns after row_no

    def add(self, batch: pa.RecordBatch) -> None:
        if batch.num_rows == 0:
            return
        self.batches.append(batch)
        self.held += batch.nbytes
        if self.held >= self.spill_bytes:
            self.spill()

    def spill(self) -> None:
        if not self.batches:
            return
        self.work_dir.mkdir(parents=True, exist_ok=True)
        if self.key is None:
            part = self.work_dir / f"part-{uuid.uuid4().hex}.parquet"
            pq.write_table(pa.Table.from_batches(self.batches, self.schema), part)
        else:
            part = self.work_dir / f"part-{uuid.uuid4().hex}{SEALED_PART}"
            sink = sealed.SealedWriter(part, self.key)
            try:
                with pa.ipc.new_stream(sink, self.schema) as stream:
                    for batch in self.batches:
                        stream.write_batch(batch)
            except BaseException:
                sink.abort()
                part.unlink(missing_ok=True)
                raise
            sink.close()
        self.parts.append(str(part))
        self.widths[str(part)] = len(self.schema) - 1
        self.batches, self.held = [], 0

    def table(self) -> pa.Table | None:
        if not self.batches:
            return None
        return pa.Table.from_batches(self.batches, self.schema)


class TableWriter:
    """Rows of one table document. ``add_rows`` takes row numbers and column-major cells."""

    def __init__(self, out: Emitter, seq: int, locator: str, sheet: str | None) -> None:
        self.out = out
        self.seq = seq
        self.doc_id = f"{out.file_id}:{seq}"
        self.locator = locator
        self.sheet = sheet
        self.columns: tuple[str, ...] = ()
        self.header_row = 0
        self.n_rows = 0
        self._spiller: _Spiller | None = None

    def start(self, columns: Sequence[str], header_row: int) -> None:
        self.columns = tuple(columns)
        self.header_row = header_row
        self._spiller = _Spiller(
            wide_schema(len(self.columns)),
            self.out.work_dir,
            self.out.spill_bytes,
            self.out.spill_key,
        )

    def add_rows(self, row_nos: Sequence[int], columns: Sequence[Sequence[str | None]]) -> None:
        """Append rows given column by column (every column as long as ``row_nos``)."""
        if not row_nos:
            return
        arrays: list[pa.Array] = [pa.array(row_nos, pa.int32())]
        arrays += [pa.array(col, pa.string()) for col in columns]
        self.add_batch(pa.RecordBatch.from_arrays(arrays, schema=self._schema()))

    def add_batch(self, batch: pa.RecordBatch) -> None:
        """Append a batch already in wide form (``row_no, c0..``)."""
        assert self._spiller is not None, "start() first"
        self.n_rows += batch.num_rows
        self._spiller.add(batch)

    def _schema(self) -> pa.Schema:
        assert self._spiller is not None, "start() first"
        return self._spiller.schema

    def widen(self, extra: str) -> None:
        """Add a last column (for cells beyond the header's width); earlier rows lack it."""
        assert self._spiller is not None
        self._spiller.spill()
        self.columns = (*self.columns, extra)
        self._spiller.schema = wide_schema(len(self.columns))

    def discard(self) -> None:
        """Drop everything written so far (a fast path gave up; the slow one starts over)."""
        if self._spiller is not None:
            for p in self._spiller.parts:
                Path(p).unlink(missing_ok=True)
        self._spiller = None
        self.n_rows = 0

    def close(self) -> None:
        parts: list[TablePart] = []
        sp = self._spiller
        if sp is not None and (sp.parts or sp.batches):
            # Parts written before a widen() have fewer columns: each keeps its own width.
            for p in sp.parts:
                parts.append(TablePart(self.doc_id, sp.widths[p], parquet=(p,)))
            inline = sp.table()
            if inline is not None:
                parts.append(TablePart(self.doc_id, len(self.columns), inline=inline))
        self.out._close_table(self, parts)


class Emitter:
    """Collects one file's output. Readers call ``text``, ``table``, ``member``."""

    def __init__(
        self, file_id: str, work_dir: Path, spill_bytes: int, spill_key: bytes | None = None
    ) -> None:
        self.file_id = file_id
        self.work_dir = work_dir
        self.spill_bytes = spill_bytes
        self.spill_key = spill_key  # seal temp files with this per-run key (encrypted store)
        self._seq = 0
        self._docs = _Spiller(DOCUMENT_SCHEMA, work_dir, spill_bytes, spill_key)
        self._pending: dict[int, dict[str, Any]] = {}
        self._n_docs = 0
        self.tables: list[TablePart] = []
        self.members: list[Member] = []
        self.status: tuple[str, str] | None = None  # override (archive with every member locked)
        self.expanded = 0

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _doc(self, row: dict[str, Any]) -> None:
        self._n_docs += 1
        self._docs.add(pa.RecordBatch.from_pylist([row], schema=DOCUMENT_SCHEMA))

    def text(
        self, locator: str, text: str, page: int | None = None, sheet: str | None = None
    ) -> None:
        seq = self._next_seq()
        self._doc(
            {
                "doc_id": f"{self.file_id}:{seq}",
                "file_id": self.file_id,
                "seq": seq,
                "kind": "text",
                "locator": locator,
                "page": page,
                "sheet": sheet,
                "text": text,
                "columns": None,
                "header_row": None,
                "n_rows": None,
            }
        )

    def table(self, locator: str, sheet: str | None = None) -> TableWriter:
        """A new table document; call ``start(columns, header_row)``, add rows, ``close()``."""
        return TableWriter(self, self._next_seq(), locator, sheet)

    def _close_table(self, t: TableWriter, parts: list[TablePart]) -> None:
        self.tables.extend(parts)
        self._doc(
            {
                "doc_id": t.doc_id,
                "file_id": self.file_id,
                "seq": t.seq,
                "kind": "table",
                "locator": t.locator,
                "page": None,
                "sheet": t.sheet,
                "text": None,
                "columns": list(t.columns),
                "header_row": t.header_row,
                "n_rows": t.n_rows,
            }
        )

    def member(self, m: Member) -> None:
        if self.spill_key is not None and m.source and not sealed.is_sealed(m.source):
            m = self._seal_member(m)
        self.members.append(m)

    def _seal_member(self, m: Member) -> Member:
        """A reader that extracted a member in plaintext itself: seal it right away.

        Readers should write members through :meth:`member_file` instead; this keeps the
        plaintext's life to the extraction of one member.
        """
        assert m.source is not None and self.spill_key is not None
        dest = self.work_dir / f"m-{uuid.uuid4().hex}.sealed"
        try:
            sealed.seal_file(m.source, dest, self.spill_key)
        except BaseException:
            dest.unlink(missing_ok=True)
            raise
        finally:
            Path(m.source).unlink(missing_ok=True)
        return dataclasses.replace(m, source=str(dest))

    def member_file(self) -> tuple[Path, BinaryWriter]:
        """A new temp file for an extracted member: sealed when the run seals its temp files.

        Returns its path and a writable file object; the caller closes it (or aborts it and
        removes the path on failure).
        """
        self.work_dir.mkdir(parents=True, exist_ok=True)
        if self.spill_key is None:
            dest = self.work_dir / f"m-{uuid.uuid4().hex}"
            fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            return dest, os.fdopen(fd, "wb")
        dest = self.work_dir / f"m-{uuid.uuid4().hex}.sealed"
        return dest, sealed.SealedWriter(dest, self.spill_key)

    @property
    def n_documents(self) -> int:
        return self._n_docs

    def documents(self) -> tuple[pa.Table | None, tuple[str, ...]]:
        return self._docs.table(), tuple(self._docs.parts)
