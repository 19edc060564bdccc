"""Read-side queries for the pages. Values come back raw; templates mask them."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from breachscope.store import fetch_dicts, table_exists
from breachscope.web.store import scalar, table_columns

PAGE = 50
STAGE_ORDER = ("ingest", "detect", "link", "resolve", "assess", "notify")


# --------------------------------------------------------------------------- dashboard


def age_groups(con: duckdb.DuckDBPyConnection, discovery: dt.date) -> list[tuple[str, int]]:
    """People by age at the discovery date (minors as the resolver flagged them)."""
    rows = con.execute(
        """
        SELECT CASE
            WHEN is_minor THEN 'under 18'
            WHEN dob IS NULL THEN 'age unknown'
            WHEN dob > CAST(? AS DATE) - INTERVAL 18 YEAR THEN 'under 18'
            WHEN dob > CAST(? AS DATE) - INTERVAL 40 YEAR THEN '18-39'
            WHEN dob > CAST(? AS DATE) - INTERVAL 65 YEAR THEN '40-64'
            ELSE '65 and over' END AS g, count(*)
        FROM individuals GROUP BY 1
        """,
        [discovery, discovery, discovery],
    ).fetchall()
    got = {str(g): int(n) for g, n in rows}
    order = ("under 18", "18-39", "40-64", "65 and over", "age unknown")
    return [(g, got[g]) for g in order if g in got]


def stage_status(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The latest run of each stage; a run with no finish time is still going."""
    if not table_exists(con, "stage_runs"):
        return []
    rows = fetch_dicts(
        con,
        """
        SELECT stage, status, started_at, finished_at, detail,
               count(*) OVER (PARTITION BY stage) AS runs
        FROM stage_runs
        QUALIFY row_number() OVER (PARTITION BY stage ORDER BY started_at DESC NULLS LAST) = 1
        """,
    )
    for r in rows:
        r["running"] = r["finished_at"] is None or r["status"] == "running"
    rank = {s: i for i, s in enumerate(STAGE_ORDER)}
    return sorted(rows, key=lambda r: rank.get(str(r["stage"]), 99))


def obligation_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    return table_columns(con, "obligations") if table_exists(con, "obligations") else []


PREFERRED_OBLIGATION_COLUMNS = (
    "client_id",
    "regime",
    "jurisdiction",
    "obligation",
    "recipient",
    "agency",
    "due",
    "due_text",
    "earliest_binding",
    "triggered",
    "triggered_count",
    "triggered_by",
    "credit_monitoring_months",
    "citation",
)


def obligations(
    con: duckdb.DuckDBPyConnection,
    *,
    client: str = "",
    jurisdiction: str = "",
    limit: int | None = None,
    due_only: bool = False,
    triggered_only: bool = True,
) -> tuple[list[str], list[dict[str, Any]]]:
    """(columns to show, rows) nearest deadline first; empty when assess has not run."""
    cols = obligation_columns(con)
    if not cols:
        return [], []
    show = [c for c in PREFERRED_OBLIGATION_COLUMNS if c in cols]
    where, params = ["1 = 1"], []
    client_col = "client_id" if "client_id" in cols else None
    if client and client_col:
        where.append(f"CAST({client_col} AS VARCHAR) = ?")
        params.append(client)
    if jurisdiction and "jurisdiction" in cols:
        where.append("CAST(jurisdiction AS VARCHAR) = ?")
        params.append(jurisdiction)
    if triggered_only and "triggered" in cols:
        where.append("triggered")
    if due_only and "due" in cols:
        where.append("due IS NOT NULL AND CAST(due AS VARCHAR) <> ''")
    order = []
    if "due" in cols:
        order.append("CAST(nullif(CAST(due AS VARCHAR), '') AS VARCHAR) ASC NULLS LAST")
    if "seq" in cols:
        order.append("seq")
    if client_col:
        order.append(client_col)
    if "jurisdiction" in cols:
        order.append("jurisdiction")
    sql = f"SELECT * FROM obligations WHERE {' AND '.join(where)}"
    if order:
        sql += " ORDER BY " + ", ".join(order)
    if limit:
        sql += f" LIMIT {int(limit)}"
    return show, fetch_dicts(con, sql, params)


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


# --------------------------------------------------------------------------- files


@dataclass(frozen=True)
class FilesFilter:
    status: str = ""
    type: str = ""
    q: str = ""


def files_facets(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, int]]]:
    return {
        "status": [
            (str(a), int(b))
            for a, b in con.execute(
                "SELECT status, count(*) FROM files GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall()
        ],
        "type": [
            (str(a), int(b))
            for a, b in con.execute(
                "SELECT coalesce(detected_type, 'unknown'), count(*) FROM files "
                "GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall()
        ],
        "reasons": [
            (str(a), int(b))
            for a, b in con.execute(
                "SELECT split_part(reason, ':', 1), count(*) FROM files "
                "WHERE status <> 'processed' GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall()
        ],
    }


def files_page(
    con: duckdb.DuckDBPyConnection, f: FilesFilter, *, after: str = "", limit: int = PAGE
) -> tuple[list[dict[str, Any]], str, int]:
    """(rows, cursor for the next page or '', total matching). Ordered by path."""
    where, params = ["1 = 1"], []
    if f.status == "exceptions":
        where.append("status <> 'processed'")
    elif f.status:
        where.append("status = ?")
        params.append(f.status)
    if f.type:
        where.append("coalesce(detected_type, 'unknown') = ?")
        params.append(f.type)
    if f.q:
        where.append("path ILIKE ? ESCAPE '\\'")
        params.append("%" + _like(f.q) + "%")
    total = int(scalar(con, f"SELECT count(*) FROM files WHERE {' AND '.join(where)}", params))
    if after:
        path, _, fid = after.rpartition("\x1f")
        where.append("(path > ? OR (path = ? AND file_id > ?))")
        params += [path, path, fid]
    rows = fetch_dicts(
        con,
        f"SELECT file_id, path, depth, size, detected_type, status, reason, client_ids, "
        f"n_documents, n_findings FROM files WHERE {' AND '.join(where)} "
        f"ORDER BY path, file_id LIMIT ?",
        [*params, limit + 1],
    )
    nxt = ""
    if len(rows) > limit:
        rows = rows[:limit]
        nxt = f"{rows[-1]['path']}\x1f{rows[-1]['file_id']}"
    return rows, nxt, total


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --------------------------------------------------------------------------- people


@dataclass(frozen=True)
class PeopleFilter:
    q: str = ""
    client: str = ""
    state: str = ""
    element: str = ""
    minor: str = ""
    deceased: str = ""
    review: str = ""

    def active(self) -> bool:
        return any(
            (self.q, self.client, self.state, self.element, self.minor, self.deceased, self.review)
        )


@dataclass
class PeoplePage:
    rows: list[dict[str, Any]]
    total: int
    next_after: str = ""
    prev_before: str = ""
    search_kind: str = ""
    notes: list[str] = field(default_factory=list)


PEOPLE_COLUMNS = (
    "individual_id, first_name, middle_name, last_name, suffix, dob, city, state, zip, "
    "is_minor, is_deceased, client_ids, elements, n_mentions, n_documents, needs_review"
)


def _looks_like_id(q: str) -> bool:
    return " " not in q and "," not in q and any(ch.isdigit() for ch in q)


def _sql_list(values: list[str]) -> str:
    """A literal IN-list. DuckDB probes the primary-key index for literal lists, which a
    bound list parameter does not get; values are quoted, never interpolated raw."""
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def ids_for_identifier(
    con: duckdb.DuckDBPyConnection, q: str, *, allow_ssn: bool, limit: int = 1000
) -> tuple[list[str], str]:
    """Individuals whose mentions carry this member ID, MRN (or, for reviewers, SSN).

    One equality per column (an OR across columns defeats DuckDB's zone maps), then the
    mentions' individuals by a literal list.
    """
    ident = q.upper()
    digits = "".join(ch for ch in q if ch.isdigit())
    probes: list[tuple[str, str]] = [("member_id", ident), ("mrn", ident)]
    kind = "id"
    if allow_ssn and len(digits) == 9 and len(q) in (9, 11):
        probes.append(("ssn", digits))
        kind = "id_or_ssn"
    mention_ids: list[str] = []
    for col, value in probes:
        mention_ids += [
            str(r[0])
            for r in con.execute(
                f"SELECT mention_id FROM mentions WHERE {col} = ? LIMIT ?", [value, limit]
            ).fetchall()
        ]
    ids = [q]
    if mention_ids:
        ids += [
            str(r[0])
            for r in con.execute(
                "SELECT DISTINCT individual_id FROM individual_mentions "
                f"WHERE mention_id IN {_sql_list(sorted(set(mention_ids)))}"
            ).fetchall()
        ]
    return sorted(set(ids)), kind


def people_where(
    f: PeopleFilter, *, id_matches: list[str] | None = None
) -> tuple[list[str], list[Any]]:
    """SQL conditions for a people search (``id_matches``: the ids an ID search found)."""
    where: list[str] = []
    params: list[Any] = []
    q = f.q.strip()
    if q and id_matches is not None:
        where.append(f"individual_id IN {_sql_list(id_matches)}")
    elif q:
        if "," in q:
            last, _, first = q.partition(",")
            cond = "lower(last_name) LIKE ? ESCAPE '\\'"
            params.append(_like(last.strip().lower()) + "%")
            if first.strip():
                cond += " AND lower(first_name) LIKE ? ESCAPE '\\'"
                params.append(_like(first.strip().split()[0].lower()) + "%")
            where.append(f"({cond})")
        else:
            toks = q.lower().split()
            a = _like(toks[0]) + "%"
            if len(toks) == 1:
                where.append(
                    "(lower(last_name) LIKE ? ESCAPE '\\' OR lower(first_name) LIKE ? ESCAPE '\\')"
                )
                params += [a, a]
            else:
                b = _like(toks[-1]) + "%"
                where.append(
                    "((lower(first_name) LIKE ? ESCAPE '\\' AND lower(last_name) LIKE ? ESCAPE '\\') "
                    "OR (lower(last_name) LIKE ? ESCAPE '\\' AND lower(first_name) LIKE ? ESCAPE '\\'))"
                )
                params += [a, b, a, b]
    if f.client:
        if f.client == "(none)":
            where.append("len(coalesce(client_ids, [])) = 0")
        else:
            where.append("list_contains(client_ids, ?)")
            params.append(f.client)
    if f.state:
        if f.state == "(unknown)":
            where.append("coalesce(state, '') = ''")
        else:
            where.append("state = ?")
            params.append(f.state)
    if f.element:
        where.append("list_contains(elements, ?)")
        params.append(f.element)
    for flag, col in (
        (f.minor, "is_minor"),
        (f.deceased, "is_deceased"),
        (f.review, "needs_review"),
    ):
        if flag == "yes":
            where.append(f"coalesce({col}, false)")
        elif flag == "no":
            where.append(f"NOT coalesce({col}, false)")
    return where, params


def people_page(
    con: duckdb.DuckDBPyConnection,
    f: PeopleFilter,
    *,
    after: str = "",
    before: str = "",
    limit: int = PAGE,
    allow_ssn: bool = False,
    count: bool = True,
) -> PeoplePage:
    """One page of people ordered by individual_id, keyset-paged in both directions.

    ``WHERE individual_id > ?`` + ``ORDER BY individual_id LIMIT n`` costs the same on page
    20,000 as on page 1, unlike OFFSET. The page's ids are found first (one narrow
    column), then their rows by primary key, so only 50 rows are ever materialised.
    """
    kind = ""
    id_matches: list[str] | None = None
    q = f.q.strip()
    if q:
        if _looks_like_id(q):
            id_matches, kind = ids_for_identifier(con, q, allow_ssn=allow_ssn)
        else:
            kind = "name"
    where, params = people_where(f, id_matches=id_matches)
    base = " AND ".join(where) or "1 = 1"
    total = (
        int(scalar(con, f"SELECT count(*) FROM individuals WHERE {base}", params)) if count else -1
    )
    backwards = bool(before)
    cursor = before or after
    cond = base
    if cursor:
        cond += " AND individual_id " + ("< ?" if backwards else "> ?")
    ids = [
        str(r[0])
        for r in con.execute(
            f"SELECT individual_id FROM individuals WHERE {cond} "
            f"ORDER BY individual_id {'DESC' if backwards else 'ASC'} LIMIT ?",
            [*params, *([cursor] if cursor else []), limit + 1],
        ).fetchall()
    ]
    more = len(ids) > limit
    ids = sorted(ids[:limit])
    rows = (
        fetch_dicts(
            con,
            f"SELECT {PEOPLE_COLUMNS} FROM individuals WHERE individual_id IN {_sql_list(ids)} "
            "ORDER BY individual_id",
        )
        if ids
        else []
    )
    page = PeoplePage(rows, total, search_kind=kind)
    if backwards:
        page.next_after = ids[-1] if ids else ""
        page.prev_before = ids[0] if ids and more else ""
    else:
        page.next_after = ids[-1] if ids and more else ""
        page.prev_before = ids[0] if ids and after else ""
    return page


def people_facets(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    states = [
        str(r[0])
        for r in con.execute(
            "SELECT DISTINCT state FROM individuals WHERE coalesce(state, '') <> '' ORDER BY 1"
        ).fetchall()
    ]
    return {"states": states}


# --------------------------------------------------------------------------- person


def person(con: duckdb.DuckDBPyConnection, individual_id: str) -> dict[str, Any] | None:
    rows = fetch_dicts(con, "SELECT * FROM individuals WHERE individual_id = ?", [individual_id])
    return rows[0] if rows else None


def person_mentions(
    con: duckdb.DuckDBPyConnection, individual_id: str, limit: int = 500
) -> list[dict[str, Any]]:
    return fetch_dicts(
        con,
        """
        SELECT m.*, im.match_probability, f.detected_type
        FROM individual_mentions im
        JOIN mentions m ON m.mention_id = im.mention_id
        LEFT JOIN files f ON f.file_id = m.file_id
        WHERE im.individual_id = ?
        ORDER BY m.path, m.row_no NULLS LAST, m.page NULLS LAST, m.mention_id
        LIMIT ?
        """,
        [individual_id, limit],
    )


def person_findings(
    con: duckdb.DuckDBPyConnection, individual_id: str, per_category: int = 8
) -> dict[str, dict[str, Any]]:
    """Per category: how many findings, and the first few with where and why they matched."""
    rows = fetch_dicts(
        con,
        """
        WITH f AS (
            SELECT fi.finding_id, fi.category, fi.field, fi.detector, fi.confidence,
                   fi.explanation, fi.column_name, fi.row_no, fi.page, m.path, m.locator,
                   row_number() OVER (PARTITION BY fi.category
                                      ORDER BY fi.confidence DESC, fi.finding_id) AS rn,
                   count(*) OVER (PARTITION BY fi.category) AS n
            FROM individual_mentions im
            JOIN finding_mentions fm ON fm.mention_id = im.mention_id
            JOIN findings fi ON fi.finding_id = fm.finding_id
            JOIN mentions m ON m.mention_id = im.mention_id
            WHERE im.individual_id = ?
        )
        SELECT * FROM f WHERE rn <= ? ORDER BY category, rn
        """,
        [individual_id, per_category],
    )
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = out.setdefault(r["category"], {"n": int(r["n"]), "findings": []})
        entry["findings"].append(r)
    return out


def best_identifier(mentions: list[dict[str, Any]], field_name: str) -> Any:
    """The value of a mention-level field seen most often across a person's mentions."""
    counts: dict[Any, int] = {}
    for m in mentions:
        v = m.get(field_name)
        if v not in (None, ""):
            counts[v] = counts.get(v, 0) + 1
    return max(counts.items(), key=lambda kv: (kv[1], str(kv[0])))[0] if counts else None


def mention(con: duckdb.DuckDBPyConnection, mention_id: str) -> dict[str, Any] | None:
    rows = fetch_dicts(con, "SELECT * FROM mentions WHERE mention_id = ?", [mention_id])
    return rows[0] if rows else None


def mentions_by_id(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not ids:
        return {}
    rows = fetch_dicts(con, "SELECT * FROM mentions WHERE mention_id IN (SELECT unnest(?))", [ids])
    return {r["mention_id"]: r for r in rows}


def mention_belongs(con: duckdb.DuckDBPyConnection, individual_id: str, mention_id: str) -> bool:
    return bool(
        scalar(
            con,
            "SELECT count(*) FROM individual_mentions WHERE individual_id = ? AND mention_id = ?",
            [individual_id, mention_id],
        )
    )


# --------------------------------------------------------------------------- review queue


def review_items(
    con: duckdb.DuckDBPyConnection,
    *,
    status: str = "open",
    kind: str = "",
    offset: int = 0,
    limit: int = 25,
) -> tuple[list[dict[str, Any]], int]:
    where, params = ["1 = 1"], []
    if status == "open":
        where.append("a.item_id IS NULL")
    elif status == "decided":
        where.append("a.item_id IS NOT NULL")
    if kind:
        where.append("r.kind = ?")
        params.append(kind)
    latest = (
        "(SELECT item_id, action, made_by, made_at FROM web_review_actions "
        "QUALIFY row_number() OVER (PARTITION BY item_id ORDER BY made_at DESC) = 1)"
    )
    cond = " AND ".join(where)
    total = int(
        scalar(
            con,
            f"SELECT count(*) FROM review_queue r LEFT JOIN {latest} a USING (item_id) "
            f"WHERE {cond}",
            params,
        )
    )
    rows = fetch_dicts(
        con,
        f"SELECT r.*, a.action, a.made_by, a.made_at FROM review_queue r "
        f"LEFT JOIN {latest} a USING (item_id) WHERE {cond} "
        "ORDER BY r.score DESC NULLS LAST, r.item_id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return rows, total


def review_item(con: duckdb.DuckDBPyConnection, item_id: str) -> dict[str, Any] | None:
    rows = fetch_dicts(con, "SELECT * FROM review_queue WHERE item_id = ?", [item_id])
    return rows[0] if rows else None


def cluster_mentions(
    con: duckdb.DuckDBPyConnection, individual_id: str, limit: int = 50
) -> list[dict[str, Any]]:
    return person_mentions(con, individual_id, limit)


def finding_detail(con: duckdb.DuckDBPyConnection, finding_id: str) -> dict[str, Any] | None:
    return findings_by_id(con, [finding_id]).get(finding_id)


def findings_by_id(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Findings with their file path and locator, several at once (one scan, not one each)."""
    if not ids:
        return {}
    rows = fetch_dicts(
        con,
        "WITH fi AS (SELECT * FROM findings WHERE finding_id IN (SELECT unnest(?))) "
        "SELECT fi.finding_id, fi.category, fi.field, fi.detector, fi.confidence, "
        "fi.explanation, fi.column_name, fi.row_no, fi.page, f.path, d.locator "
        "FROM fi LEFT JOIN files f ON f.file_id = fi.file_id "
        "LEFT JOIN documents d ON d.doc_id = fi.doc_id",
        [ids],
    )
    return {r["finding_id"]: r for r in rows}


# --------------------------------------------------------------------------- deliverables


@dataclass(frozen=True)
class Deliverable:
    rel: str
    name: str
    is_dir: bool
    size: int
    modified: dt.datetime
    entries: int = 0


def list_deliverables(
    out_dir: Path, sub: str = "", *, offset: int = 0, limit: int = 200
) -> tuple[list[Deliverable], int]:
    """One folder of out/, folders first; never follows a link out of out/."""
    base = resolve_inside(out_dir, sub) if sub else out_dir.resolve()
    if base is None or not base.is_dir():
        return [], 0
    with os.scandir(base) as it:
        entries = sorted(
            (e for e in it if not e.name.startswith(".") and not e.is_symlink()),
            key=lambda e: (not e.is_dir(follow_symlinks=False), e.name),
        )
    out: list[Deliverable] = []
    for e in entries[offset : offset + limit]:
        st = e.stat(follow_symlinks=False)
        is_dir = e.is_dir(follow_symlinks=False)
        n = 0
        if is_dir:
            with os.scandir(e.path) as sub_it:
                n = sum(1 for x in sub_it if not x.name.startswith("."))
        rel = Path(e.path).resolve().relative_to(out_dir.resolve()).as_posix()
        out.append(
            Deliverable(
                rel,
                e.name,
                is_dir,
                0 if is_dir else st.st_size,
                dt.datetime.fromtimestamp(st.st_mtime),
                n,
            )
        )
    return out, len(entries)


def resolve_inside(out_dir: Path, rel: str) -> Path | None:
    """The path ``rel`` under out/, or None if it would leave out/ (``..``, links)."""
    if not rel or "\x00" in rel or rel.startswith(("/", "\\")):
        return None
    root = out_dir.resolve()
    target = (root / rel).resolve()
    try:
        target.relative_to(root)
    except ValueError:
        return None
    return target


@dataclass(frozen=True)
class Letter:
    rel: str  # path under out/
    label: str


class LetterIndex:
    """A person's letters under out/letters.

    The notify stage batches letters into PDFs and lists each letter in
    ``letters/manifest.csv`` (batch_file, first_page, last_page, individual_id); without a
    manifest, files whose name holds the individual's id count. Re-read when they change.
    """

    def __init__(self, out_dir: Path, ttl: float = 60.0) -> None:
        self.root = out_dir / "letters"
        self.ttl = ttl
        self._by_person: dict[str, list[Letter]] = {}
        self._files: list[str] = []
        self._stamp: tuple[float, float] = (-1.0, 0.0)
        self._lock = threading.Lock()

    def _reload(self) -> None:
        manifest = self.root / "manifest.csv"
        by_person: dict[str, list[Letter]] = {}
        files: list[str] = []
        if manifest.is_file():
            import csv

            with manifest.open(encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    iid, rel = row.get("individual_id") or "", row.get("batch_file") or ""
                    if not iid or not rel:
                        continue
                    a, b = row.get("first_page") or "", row.get("last_page") or ""
                    pages = f", page {a}" if a == b else f", pages {a}–{b}"
                    label = f"{rel}{pages if a else ''} ({row.get('client_id') or ''})"
                    by_person.setdefault(iid, []).append(Letter(rel, label))
        else:
            for dirpath, _dirs, names in os.walk(self.root, followlinks=False):
                for name in names:
                    if not name.startswith("."):
                        full = Path(dirpath) / name
                        files.append(full.relative_to(self.root.parent).as_posix())
        self._by_person, self._files = by_person, sorted(files)

    def for_individual(self, individual_id: str) -> list[Letter]:
        if not individual_id or not self.root.is_dir():
            return []
        with self._lock:
            manifest = self.root / "manifest.csv"
            mtime = max(
                self.root.stat().st_mtime, manifest.stat().st_mtime if manifest.exists() else 0.0
            )
            now = time.monotonic()
            if mtime != self._stamp[0] or now - self._stamp[1] > self.ttl:
                self._reload()
                self._stamp = (mtime, now)
            if self._by_person:
                return list(self._by_person.get(individual_id, []))
            files = self._files
        return [Letter(f, f) for f in files if individual_id in f.rsplit("/", 1)[-1]]
