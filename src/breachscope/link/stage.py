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

_BATCH = 50_000

_FINDINGS_SQL = """
    SELECT f.finding_id, f.doc_id, f.file_id, d.seq, f.row_no, coalesce(f.page, d.page),
           f.start_char, f.end_char, f.category, f.field, f.value, f.subject,
           f.confidence, f.detector, d.kind
    FROM findings f JOIN documents d ON d.doc_id = f.doc_id
    ORDER BY f.file_id, d.seq, f.row_no NULLS FIRST, f.start_char NULLS FIRST, f.end_char,
             f.finding_id
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


def _rows(con: duckdb.DuckDBPyConnection) -> Iterator[tuple[Finding, str]]:
    # A second cursor reads while the first writes; it must look at the same catalog
    # (an encrypted store is an attached database made the default with USE).
    row = con.execute("SELECT current_database(), current_schema()").fetchone()
    cur = con.cursor()
    try:
        if row:
            cur.execute(f'USE "{row[0]}"."{row[1]}"')
        reader = cur.execute(_FINDINGS_SQL).to_arrow_reader(_BATCH)
        for batch in reader:
            cols = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
            for r in zip(*cols, strict=True):
                yield (
                    Finding(
                        finding_id=r[0],
                        doc_id=r[1],
                        file_id=r[2],
                        seq=r[3],
                        row_no=r[4],
                        page=r[5],
                        start_char=r[6],
                        end_char=r[7],
                        category=r[8],
                        field=r[9],
                        value=r[10],
                        subject=r[11],
                        confidence=float(r[12]),
                        detector=r[13],
                    ),
                    r[14],
                )
    finally:
        cur.close()


class _Writer:
    """Buffers mentions and their finding links; flushes in batches inside the transaction."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.mentions: list[dict[str, Any]] = []
        self.links: list[tuple[str, str]] = []
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
        if len(self.mentions) >= _BATCH:
            self.flush()

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
            self.con.register("_link_mentions", table)
            self.con.execute(
                f"INSERT INTO mentions ({', '.join(MENTION_COLUMNS)}) "
                f"SELECT {', '.join(MENTION_COLUMNS)} FROM _link_mentions"
            )
            self.con.unregister("_link_mentions")
            self.n_mentions += len(self.mentions)
            self.mentions = []
        if self.links:
            lt = pa.table(
                {
                    "finding_id": pa.array([a for a, _ in self.links], type=pa.string()),
                    "mention_id": pa.array([b for _, b in self.links], type=pa.string()),
                }
            )
            self.con.register("_link_fm", lt)
            self.con.execute(
                "INSERT INTO finding_mentions SELECT finding_id, mention_id FROM _link_fm"
            )
            self.con.unregister("_link_fm")
            self.n_links += len(self.links)
            self.links = []


def _doc_info(con: duckdb.DuckDBPyConnection, case: Case) -> dict[str, DocInfo]:
    rows = con.execute(
        """SELECT d.doc_id, d.file_id, f.path, d.locator, d.page, f.client_ids
           FROM documents d JOIN files f ON f.file_id = d.file_id"""
    ).fetchall()
    info: dict[str, DocInfo] = {}
    for doc_id, file_id, path, locator, page, client_ids in rows:
        clients = tuple(client_ids) if client_ids else tuple(case.clients_for_path(path))
        info[doc_id] = DocInfo(file_id, path, locator, page, clients)
    return info


def run_link(
    case: Case, con: duckdb.DuckDBPyConnection, progress: Progress | None = None
) -> dict[str, int]:
    """Group findings into mentions: one per data subject per table row or text file.

    Replaces ``mentions`` and ``finding_mentions``. Returns counts (no PHI).
    """
    progress = progress or NullProgress()
    docs = _doc_info(con, case)
    orgs = OrgMatcher.for_case(case)
    n_files_row = con.execute("SELECT count(DISTINCT file_id) FROM findings").fetchone()
    progress.start("link", int(n_files_row[0]) if n_files_row else 0)
    stats = {"mentions": 0, "finding_links": 0, "table_rows": 0, "text_files": 0, "dropped": 0}

    with transaction(con):
        con.execute("DELETE FROM finding_mentions")
        con.execute("DELETE FROM mentions")
        w = _Writer(con)

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
            progress.advance()

        for f, kind in _rows(con):
            if f.file_id != cur_file:
                if cur_file is not None:
                    end_file()
                cur_file = f.file_id
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
        w.flush()
        stats["mentions"] = w.n_mentions
        stats["finding_links"] = w.n_links
    progress.done()
    return stats
