"""The link stage: findings → mentions (one per data subject per document)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import pyarrow as pa

from breachscope.case import Case
from breachscope.link.mentions import MENTION_COLUMNS, DocInfo, OrgMatcher, build_mention
from breachscope.link.model import Finding, Subject
from breachscope.link.tables import row_subjects
from breachscope.link.text import stream_subjects
from breachscope.progress import NullProgress, Progress
from breachscope.store import transaction

# Memory is bounded by these, not by the case: findings are read in Arrow batches of
# _READ_BATCH rows, mentions and links are written every _WRITE_MENTIONS / _WRITE_LINKS,
# document details are read file by file alongside the findings, and no other state
# outlives a file.
_READ_BATCH = 16_384
_WRITE_MENTIONS = 4_096
_WRITE_LINKS = 65_536

# One range of files at a time: DuckDB sorts a range (about 250 bytes a finding), never
# the whole table, so its memory follows _SORT_BATCH rather than the case.
_FINDINGS_SQL = """
    SELECT f.finding_id, f.doc_id, f.file_id, d.seq, f.row_no, coalesce(f.page, d.page),
           f.start_char, f.end_char, f.category, f.field, f.value, f.subject,
           f.confidence::DOUBLE, f.detector, d.kind
    FROM findings f JOIN documents d ON d.doc_id = f.doc_id
    WHERE f.file_id BETWEEN ? AND ?
    ORDER BY f.file_id, d.seq, f.row_no NULLS FIRST, f.start_char NULLS FIRST, f.end_char,
             f.finding_id
"""
_SORT_BATCH = 1_000_000
_FILE_COUNTS_SQL = "SELECT file_id, count(*) FROM findings GROUP BY file_id ORDER BY file_id"

# Documents in the findings' file order, so they can be read alongside them (a merge join).
_DOCS_SQL = """
    SELECT d.file_id, d.doc_id, f.path, d.locator, d.page, f.client_ids
    FROM documents d JOIN files f ON f.file_id = d.file_id
    ORDER BY d.file_id, d.doc_id
"""

_ARROW_TYPES: dict[str, pa.DataType] = {
    "row_no": pa.int32(),
    "page": pa.int32(),
    "client_ids": pa.list_(pa.string()),
    "dob": pa.date32(),
    "deceased": pa.bool_(),
    "date_of_death": pa.date32(),
    "elements": pa.list_(pa.string()),
    "n_findings": pa.int32(),
}


def _reader(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A second cursor, to read while the first writes. It must look at the same catalog
    (an encrypted store is an attached database made the default with USE)."""
    row = con.execute("SELECT current_database(), current_schema()").fetchone()
    cur = con.cursor()
    if row:
        cur.execute(f'USE "{row[0]}"."{row[1]}"')
    return cur


def _file_ranges(cur: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """Consecutive (first, last) file ids holding about _SORT_BATCH findings each."""
    ranges: list[tuple[str, str]] = []
    first: str | None = None
    last = ""
    n = 0
    for batch in cur.execute(_FILE_COUNTS_SQL).to_arrow_reader(_READ_BATCH):
        for file_id, count in zip(*(c.to_pylist() for c in batch.columns), strict=True):
            if first is not None and n + count > _SORT_BATCH:
                ranges.append((first, last))
                first, n = None, 0
            if first is None:
                first = file_id
            last, n = file_id, n + count
    if first is not None:
        ranges.append((first, last))
    return ranges


def _rows(con: duckdb.DuckDBPyConnection) -> Iterator[tuple[Finding, str]]:
    """Every finding with its document kind, in file / document / position order."""
    cur = _reader(con)
    try:
        for lo, hi in _file_ranges(cur):
            yield from _range_rows(cur, lo, hi)
    finally:
        cur.close()


def _range_rows(cur: duckdb.DuckDBPyConnection, lo: str, hi: str) -> Iterator[tuple[Finding, str]]:
    reader = cur.execute(_FINDINGS_SQL, [lo, hi]).to_arrow_reader(_READ_BATCH)
    for batch in reader:
        cols = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        del batch
        # Columns in ``Finding`` order, then the document's kind (``_FINDINGS_SQL``).
        make = Finding._make
        for r, kind in zip(zip(*cols[:14], strict=True), cols[14], strict=True):
            yield make(r), kind


class _Documents:
    """Document details for the file being linked, read in step with the findings.

    Both queries order by file id, so the documents of each file are read once, when the
    findings reach it; only one file's documents are held. A document the merge misses
    (it should not happen) is looked up on its own, so the result never depends on it.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, case: Case) -> None:
        self.con = con
        self.case = case
        self.cur = _reader(con)
        self.batches = iter(self.cur.execute(_DOCS_SQL).to_arrow_reader(_READ_BATCH))
        self.rows: Iterator[tuple[Any, ...]] = iter(())
        self.head: tuple[Any, ...] | None = None
        self.current: dict[str, DocInfo] = {}
        self._advance()

    def _advance(self) -> None:
        for r in self.rows:
            self.head = r
            return
        for batch in self.batches:
            cols = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
            self.rows = zip(*cols, strict=True)
            for r in self.rows:
                self.head = r
                return
        self.head = None

    def _info(self, row: tuple[Any, ...]) -> DocInfo:
        file_id, path, locator, page, clients = row
        client_ids = tuple(clients) if clients else tuple(self.case.clients_for_path(path))
        return DocInfo(file_id, path, locator, page, client_ids)

    def start_file(self, file_id: str) -> None:
        """Make ``file_id``'s documents current (skipping files without findings)."""
        self.current = {}
        while self.head is not None and self.head[0] < file_id:
            self._advance()
        while self.head is not None and self.head[0] == file_id:
            fid, doc_id, *rest = self.head
            self.current[doc_id] = self._info((fid, *rest))
            self._advance()

    def get(self, doc_id: str) -> DocInfo | None:
        info = self.current.get(doc_id)
        if info is not None:
            return info
        row = self.con.execute(
            """SELECT d.file_id, f.path, d.locator, d.page, f.client_ids
               FROM documents d JOIN files f ON f.file_id = d.file_id WHERE d.doc_id = ?""",
            [doc_id],
        ).fetchone()
        return None if row is None else self._info(row)

    def close(self) -> None:
        self.cur.close()


class _Writer:
    """Buffers mentions and their finding links; flushes in batches inside the transaction."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.mentions: list[dict[str, Any]] = []
        self.links: list[tuple[str, str]] = []
        # Mention ids of the current file: an id is (document, subject key) and a
        # document belongs to one file, so a repeat can only come from the same file.
        self.seen: set[str] = set()
        self.n_mentions = 0
        self.n_links = 0

    def add(self, mention: dict[str, Any], subject: Subject) -> None:
        mid = mention["mention_id"]
        if mid in self.seen:  # a repeated subject key: keep the first
            return
        self.seen.add(mid)
        self.mentions.append(mention)
        ids = {f.finding_id for f in subject.own} | {f.finding_id for f in subject.shared}
        self.links.extend((fid, mid) for fid in sorted(ids))
        if len(self.mentions) >= _WRITE_MENTIONS or len(self.links) >= _WRITE_LINKS:
            self.flush()

    def end_file(self) -> None:
        self.seen.clear()

    def flush(self) -> None:
        if self.mentions:
            table = pa.table(
                {
                    c: pa.array(
                        [m[c] for m in self.mentions], type=_ARROW_TYPES.get(c, pa.string())
                    )
                    for c in MENTION_COLUMNS
                }
            )
            self.mentions = []
            self.con.register("_link_mentions", table)
            self.con.execute(
                f"INSERT INTO mentions ({', '.join(MENTION_COLUMNS)}) "
                f"SELECT {', '.join(MENTION_COLUMNS)} FROM _link_mentions"
            )
            self.con.unregister("_link_mentions")
            self.n_mentions += table.num_rows
        if self.links:
            lt = pa.table(
                {
                    "finding_id": pa.array([a for a, _ in self.links], type=pa.string()),
                    "mention_id": pa.array([b for _, b in self.links], type=pa.string()),
                }
            )
            self.links = []
            self.con.register("_link_fm", lt)
            self.con.execute(
                "INSERT INTO finding_mentions SELECT finding_id, mention_id FROM _link_fm"
            )
            self.con.unregister("_link_fm")
            self.n_links += lt.num_rows


def run_link(
    case: Case, con: duckdb.DuckDBPyConnection, progress: Progress | None = None
) -> dict[str, int]:
    """Group findings into mentions: one per data subject per table row or text file.

    Replaces ``mentions`` and ``finding_mentions``. Findings stream from the store in file
    order and mentions are written in batches, so memory follows the largest file, not the
    case. Returns counts (no PHI).
    """
    progress = progress or NullProgress()
    orgs = OrgMatcher.for_case(case)
    n_files_row = con.execute("SELECT count(DISTINCT file_id) FROM findings").fetchone()
    progress.start("link", int(n_files_row[0]) if n_files_row else 0)
    stats = {"mentions": 0, "finding_links": 0, "table_rows": 0, "text_files": 0, "dropped": 0}

    with transaction(con):
        con.execute("DELETE FROM finding_mentions")
        con.execute("DELETE FROM mentions")
        w = _Writer(con)
        docs = _Documents(con, case)

        def emit(subjects: list[Subject]) -> None:
            for s in subjects:
                doc = docs.get(s.doc_id)
                if doc is None:
                    continue
                m = build_mention(s, doc, orgs)
                if m is None:
                    stats["dropped"] += 1
                else:
                    w.add(m, s)

        cur_file: str | None = None
        text_stream: list[Finding] = []
        row: list[Finding] = []
        row_key: tuple[str, int] | None = None
        doc_context: dict[str, list[Finding]] = {}

        def end_row() -> None:
            nonlocal row, row_key
            if row:
                stats["table_rows"] += 1
                emit(row_subjects(row, doc_context.get(row[0].doc_id, [])))
            row, row_key = [], None

        def end_file() -> None:
            nonlocal text_stream
            end_row()
            if text_stream:
                stats["text_files"] += 1
                emit(stream_subjects(text_stream))
            text_stream = []
            doc_context.clear()
            w.end_file()
            progress.advance()

        try:
            for f, kind in _rows(con):
                if f.file_id != cur_file:
                    if cur_file is not None:
                        end_file()
                    cur_file = f.file_id
                    docs.start_file(cur_file)
                if kind == "table" and f.row_no is not None:
                    key = (f.doc_id, f.row_no)
                    if key != row_key:
                        end_row()
                        row_key = key
                    row.append(f)
                elif kind == "table":
                    # A finding outside any row (a title cell): context for the whole sheet.
                    if f.category == "organization" or f.category == "health_plan":
                        doc_context.setdefault(f.doc_id, []).append(f)
                else:
                    text_stream.append(f)
            if cur_file is not None:
                end_file()
        finally:
            docs.close()
        w.flush()
        stats["mentions"] = w.n_mentions
        stats["finding_links"] = w.n_links
    progress.done()
    return stats
