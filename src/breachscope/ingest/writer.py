"""Writing ingest results to the case store: one transaction per file.

A file's documents, table rows and ``files`` row land together or not at all, so a run
that stops half-way resumes without losing or doubling work. An archive's own row is
written after all of its members, and re-doing an archive first deletes everything
recorded under it, so a half-read archive is read again whole.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from breachscope.ingest.emit import SEALED_PART
from breachscope.ingest.model import FAILED, Outcome, TablePart
from breachscope.store import spill as sealed
from breachscope.store.db import table_exists, transaction

# Tables holding rows of later stages that are keyed by file_id and go stale with the file
# (detect's per-file marker too, so a re-read file's new documents are detected again).
DOWNSTREAM = ("findings", "detect_done")


@dataclass(frozen=True)
class FileRow:
    file_id: str
    path: str
    parent_id: str | None
    depth: int
    size: int | None
    sha256: str | None
    detected_type: str
    status: str
    reason: str
    client_ids: list[str]
    n_documents: int


@dataclass(frozen=True)
class Known:
    sha256: str | None
    status: str
    reason: str


class IngestWriter:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        # An encrypted store encrypts its own temp files; the run's spills follow suit.
        self.spill_key = sealed.arm(_encrypts_temp_files(con))

    # ------------------------------------------------------------------ reading state

    def known_files(self) -> dict[str, Known]:
        """Files on disk (depth 0) already in the inventory."""
        rows = self.con.execute(
            "SELECT path, sha256, status, reason FROM files WHERE depth = 0"
        ).fetchall()
        return {r[0]: Known(r[1], r[2], r[3]) for r in rows}

    def paths_with_encrypted_parts(self) -> set[str]:
        """Top-level paths where the file or one of its members failed as encrypted."""
        rows = self.con.execute(
            "SELECT DISTINCT split_part(path, '!', 1) FROM files "
            "WHERE status = 'failed' AND reason LIKE 'encrypted%'"
        ).fetchall()
        return {r[0] for r in rows}

    def get_meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def counts(self) -> dict[str, int]:
        rows = self.con.execute("SELECT status, count(*) FROM files GROUP BY status").fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    # ------------------------------------------------------------------ deleting

    def _delete_where(self, where: str, params: Sequence[object]) -> None:
        """Delete files matching ``where`` (over ``files``) and everything derived from them."""
        ids = f"SELECT file_id FROM files WHERE {where}"
        self.con.execute(
            f"DELETE FROM table_rows WHERE doc_id IN (SELECT doc_id FROM documents WHERE file_id IN ({ids}))",
            list(params),
        )
        self.con.execute(f"DELETE FROM documents WHERE file_id IN ({ids})", list(params))
        for table in DOWNSTREAM:
            if table_exists(self.con, table):
                self.con.execute(f"DELETE FROM {table} WHERE file_id IN ({ids})", list(params))
        self.con.execute(f"DELETE FROM files WHERE {where}", list(params))

    def forget(self, path: str) -> None:
        """Remove a file, and everything recorded under it if it was an archive."""
        prefix = path + "!"
        with transaction(self.con):
            self._delete_where("path = ? OR starts_with(path, ?)", [path, prefix])

    def forget_members(self, path: str) -> None:
        """Remove what an earlier (maybe interrupted) run recorded under an archive."""
        prefix = path + "!"
        row = self.con.execute(
            "SELECT count(*) FROM files WHERE starts_with(path, ?)", [prefix]
        ).fetchone()
        if row and row[0]:
            with transaction(self.con):
                self._delete_where("starts_with(path, ?)", [prefix])

    # ------------------------------------------------------------------ writing

    def write(self, row: FileRow, outcome: Outcome | None, replace: bool) -> None:
        """One file's documents, rows and inventory entry, in one transaction."""
        self.write_batch([(row, outcome, replace)])

    def write_batch(self, items: Sequence[tuple[FileRow, Outcome | None, bool]]) -> None:
        """Several files in one transaction (each file whole, so a stop loses no half file).

        A commit costs milliseconds on disk; batching makes thousands of small files cheap.
        """
        if not items:
            return
        with transaction(self.con):
            stale = [row.file_id for row, _o, replace in items if replace]
            if stale:
                marks = ", ".join("?" * len(stale))
                self._delete_where(f"file_id IN ({marks})", stale)
            kept = [o for _row, o, _r in items if o is not None and o.status != FAILED]
            self._insert_documents(kept)
            self._insert_rows([p for o in kept for p in o.tables])
            now = dt.datetime.now()
            files = pa.Table.from_pylist(
                [{**asdict(row), "n_findings": None, "ingested_at": now} for row, _o, _r in items],
                schema=FILES_SCHEMA,
            )
            self._insert_arrow("files", FILES_COLUMNS, FILES_COLUMNS, files)

    def _insert_documents(self, outcomes: Sequence[Outcome]) -> None:
        cols = "doc_id, file_id, seq, kind, locator, page, sheet, text, columns, header_row, n_rows"
        inline = [o.documents for o in outcomes if o.documents is not None]
        if inline:
            self._insert_arrow("documents", cols, cols, pa.concat_tables(inline))
        parts = [p for o in outcomes for p in o.documents_parquet]
        plain = [p for p in parts if not p.endswith(SEALED_PART)]
        if plain:
            self.con.execute(
                f"INSERT INTO documents ({cols}) SELECT {cols} FROM read_parquet(?)", [plain]
            )
        for p in parts:
            if p.endswith(SEALED_PART):
                self._insert_sealed("documents", cols, cols, p)

    def _insert_rows(self, parts: Sequence[TablePart]) -> None:
        by_width: dict[int, list[pa.Table]] = {}
        for part in parts:
            if part.inline is not None and part.inline.num_rows:
                ids = pa.array([part.doc_id] * part.inline.num_rows, pa.string())
                by_width.setdefault(part.width, []).append(part.inline.append_column("doc_id", ids))
            if part.parquet:
                select = f"'{part.doc_id}' AS doc_id, row_no, {_cells(part.width)}"
                plain = [p for p in part.parquet if not p.endswith(SEALED_PART)]
                if plain:
                    self.con.execute(
                        "INSERT INTO table_rows (doc_id, row_no, cells) "
                        f"SELECT {select} FROM read_parquet(?)",
                        [plain],
                    )
                for p in part.parquet:
                    if p.endswith(SEALED_PART):
                        self._insert_sealed("table_rows", "doc_id, row_no, cells", select, p)
        for width, tables in by_width.items():
            select = f"doc_id, row_no, {_cells(width)}"
            self._insert_arrow(
                "table_rows", "doc_id, row_no, cells", select, pa.concat_tables(tables)
            )

    def _insert_sealed(self, table: str, cols: str, select: str, part: str) -> None:
        """Stream a sealed Arrow part into the store, decrypting batch by batch in memory."""
        name = f"_ingest_{uuid.uuid4().hex}"
        try:
            if self.spill_key is None:
                raise sealed.SealError("a sealed part without the run's key")
            with sealed.SealedReader(part, self.spill_key) as src:
                self.con.register(name, pa.ipc.open_stream(src))
                try:
                    self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {select} FROM {name}")
                finally:
                    self.con.unregister(name)
        except (sealed.SealError, pa.ArrowException, OSError) as exc:
            # As a store error, so the stage records this file as not storable and goes on.
            msg = f"sealed part unreadable ({type(exc).__name__})"
            raise duckdb.InvalidInputException(msg) from None

    def _insert_arrow(self, table: str, cols: str, select: str, data: pa.Table) -> None:
        name = f"_ingest_{uuid.uuid4().hex}"
        self.con.register(name, data)
        try:
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {select} FROM {name}")
        finally:
            self.con.unregister(name)


def _encrypts_temp_files(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        row = con.execute("SELECT current_setting('temp_file_encryption')").fetchone()
    except duckdb.Error:
        return False
    return bool(row and row[0])


def _cells(width: int) -> str:
    return "[" + ", ".join(f"c{j}" for j in range(width)) + "]::VARCHAR[]"


FILES_COLUMNS = (
    "file_id, path, parent_id, depth, size, sha256, detected_type, status, reason, "
    "client_ids, n_documents, n_findings, ingested_at"
)
FILES_SCHEMA = pa.schema(
    [
        ("file_id", pa.string()),
        ("path", pa.string()),
        ("parent_id", pa.string()),
        ("depth", pa.int32()),
        ("size", pa.int64()),
        ("sha256", pa.string()),
        ("detected_type", pa.string()),
        ("status", pa.string()),
        ("reason", pa.string()),
        ("client_ids", pa.list_(pa.string())),
        ("n_documents", pa.int32()),
        ("n_findings", pa.int32()),
        ("ingested_at", pa.timestamp("us")),
    ]
)


def remove_parts(outcome: Outcome) -> None:
    """Delete the Parquet parts of an outcome once they are in the store."""
    for p in (*outcome.documents_parquet, *(q for t in outcome.tables for q in t.parquet)):
        Path(p).unlink(missing_ok=True)
