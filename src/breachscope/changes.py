"""What changed since the previous run: the change report (``out/changes.json``).

At the end of every ``run`` the pipeline snapshots, into ``run_snapshots``, each
individual's elements and mentions, each obligation's outcome, and the processed files.
The report diffs the newest snapshot against the one before. Individual ids may change
when a new mention sorts before a known person's first one, so people are matched across
runs by shared mentions, not by id. The report holds ids, file paths and element names,
never values.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from breachscope.store.db import table_exists

SNAPSHOT_DDL = """
    CREATE TABLE IF NOT EXISTS run_snapshots (
        run_no INTEGER NOT NULL,
        taken_at TIMESTAMP NOT NULL,
        kind VARCHAR NOT NULL,      -- individual | obligation | file
        key VARCHAR NOT NULL,       -- individual_id | obligation_id | file path
        state VARCHAR,              -- obligation: triggered/count/due; file: sha256
        elements VARCHAR[],         -- individual: elements exposed
        mentions VARCHAR[]          -- individual: its mention ids
    )"""
KEEP_RUNS = 2  # the report needs only the newest snapshot and the one before


@dataclass
class ChangeReport:
    """Ids and names only. ``first_run``: no earlier snapshot to compare with."""

    run_no: int
    previous_run_no: int | None
    new_files: list[str] = field(default_factory=list)
    new_individuals: list[str] = field(default_factory=list)
    new_elements: dict[str, list[str]] = field(default_factory=dict)
    obligations_added: list[str] = field(default_factory=list)
    obligations_removed: list[str] = field(default_factory=list)
    obligations_changed: list[str] = field(default_factory=list)

    @property
    def first_run(self) -> bool:
        return self.previous_run_no is None

    def counts(self) -> dict[str, int]:
        return {
            "new_files": len(self.new_files),
            "new_individuals": len(self.new_individuals),
            "individuals_with_new_elements": len(self.new_elements),
            "changed_obligations": len(self.obligations_added)
            + len(self.obligations_removed)
            + len(self.obligations_changed),
        }

    def to_json(self) -> str:
        data = {"first_run": self.first_run, "counts": self.counts(), **asdict(self)}
        data["generated_at"] = dt.datetime.now().isoformat(timespec="seconds")
        return json.dumps(data, indent=2, sort_keys=False) + "\n"


def take_snapshot(con: duckdb.DuckDBPyConnection) -> int:
    """Record the current individuals, obligations and processed files; return the run no."""
    con.execute(SNAPSHOT_DDL)
    row = con.execute("SELECT coalesce(max(run_no), 0) + 1 FROM run_snapshots").fetchone()
    run_no = int(row[0]) if row else 1
    now = dt.datetime.now()
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "INSERT INTO run_snapshots "
            "SELECT ?, ?, 'individual', i.individual_id, NULL, coalesce(i.elements, []), "
            "  coalesce(list(im.mention_id ORDER BY im.mention_id) "
            "    FILTER (WHERE im.mention_id IS NOT NULL), []) "
            "FROM individuals i LEFT JOIN individual_mentions im USING (individual_id) "
            "GROUP BY i.individual_id, i.elements",
            [run_no, now],
        )
        if table_exists(con, "obligations"):
            con.execute(
                "INSERT INTO run_snapshots SELECT DISTINCT ?, ?, 'obligation', obligation_id, "
                "  concat_ws('|', triggered::VARCHAR, coalesce(triggered_count, 0)::VARCHAR, "
                "    coalesce(due::VARCHAR, ''), coalesce(due_text, '')), NULL, NULL "
                "FROM obligations",
                [run_no, now],
            )
        con.execute(
            "INSERT INTO run_snapshots SELECT ?, ?, 'file', path, sha256, NULL, NULL "
            "FROM files WHERE status = 'processed'",
            [run_no, now],
        )
        con.execute("DELETE FROM run_snapshots WHERE run_no <= ?", [run_no - KEEP_RUNS])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return run_no


def _snapshot(
    con: duckdb.DuckDBPyConnection, run_no: int, kind: str
) -> list[tuple[str, str | None, list[str] | None, list[str] | None]]:
    return [
        (str(r[0]), r[1], r[2], r[3])
        for r in con.execute(
            "SELECT key, state, elements, mentions FROM run_snapshots "
            "WHERE run_no = ? AND kind = ? ORDER BY key",
            [run_no, kind],
        ).fetchall()
    ]


def change_report(con: duckdb.DuckDBPyConnection, run_no: int) -> ChangeReport:
    """Diff snapshot ``run_no`` against the newest one before it."""
    con.execute(SNAPSHOT_DDL)
    row = con.execute("SELECT max(run_no) FROM run_snapshots WHERE run_no < ?", [run_no]).fetchone()
    prev = int(row[0]) if row and row[0] is not None else None
    report = ChangeReport(run_no=run_no, previous_run_no=prev)
    if prev is None:
        return report

    old_files = {k: s for k, s, _, _ in _snapshot(con, prev, "file")}
    report.new_files = [
        k for k, s, _, _ in _snapshot(con, run_no, "file") if old_files.get(k, "\0") != s
    ]

    # People are matched by the mentions they share with last run's people.
    old_people = _snapshot(con, prev, "individual")
    owner = {m: i for i, (_, _, _, ms) in enumerate(old_people) for m in ms or []}
    for pid, _, elements, mentions in _snapshot(con, run_no, "individual"):
        matched = {owner[m] for m in mentions or [] if m in owner}
        if not matched:
            report.new_individuals.append(pid)
            continue
        before = set().union(*(set(old_people[i][2] or []) for i in matched))
        added = sorted(set(elements or []) - before)
        if added:
            report.new_elements[pid] = added

    old_obl = {k: s for k, s, _, _ in _snapshot(con, prev, "obligation")}
    new_obl = {k: s for k, s, _, _ in _snapshot(con, run_no, "obligation")}
    report.obligations_added = sorted(new_obl.keys() - old_obl.keys())
    report.obligations_removed = sorted(old_obl.keys() - new_obl.keys())
    report.obligations_changed = sorted(
        k for k in new_obl.keys() & old_obl.keys() if new_obl[k] != old_obl[k]
    )
    return report


def write_change_report(out_dir: Path, report: ChangeReport) -> Path:
    """``out/changes.json``, private like every other deliverable."""
    from breachscope.notify.files import private_dir, write_private

    private_dir(out_dir)
    return write_private(out_dir / "changes.json", report.to_json())
