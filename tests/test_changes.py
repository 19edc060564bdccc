"""The change report: a re-run after new evidence arrived says who and what is new."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from breachscope.case import load_case
from breachscope.changes import change_report, take_snapshot
from breachscope.cli import cli
from breachscope.store import connect, open_case_store
from breachscope.synth import generate_case


def _store() -> duckdb.DuckDBPyConnection:
    return connect(":memory:")


def _person(
    con: duckdb.DuckDBPyConnection, pid: str, elements: list[str], mentions: list[str]
) -> None:
    con.execute(
        "INSERT INTO individuals (individual_id, is_minor, is_deceased, elements) "
        "VALUES (?, false, false, ?)",
        [pid, elements],
    )
    for m in mentions:
        con.execute("INSERT INTO individual_mentions VALUES (?, ?, 1.0)", [pid, m])


def test_diff_matches_people_by_mentions_not_ids() -> None:
    con = _store()
    _person(con, "Pa", ["name", "dob"], ["m1", "m2"])
    _person(con, "Pb", ["name"], ["m3"])
    first = change_report(con, take_snapshot(con))
    assert first.first_run and first.counts()["new_individuals"] == 0
    con.execute("DELETE FROM individuals")
    con.execute("DELETE FROM individual_mentions")
    # Pa's id changed (a new, earlier mention joined it) and it gained an SSN; Pb is as
    # before; Pc is new.
    _person(con, "Pz", ["name", "dob", "ssn"], ["m0", "m1", "m2"])
    _person(con, "Pb", ["name"], ["m3"])
    _person(con, "Pc", ["name", "mrn"], ["m9"])
    report = change_report(con, take_snapshot(con))
    assert not report.first_run
    assert report.new_individuals == ["Pc"]
    assert report.new_elements == {"Pz": ["ssn"]}
    # Only the newest two snapshots are kept.
    take_snapshot(con)
    row = con.execute("SELECT count(DISTINCT run_no) FROM run_snapshots").fetchone()
    assert row is not None and row[0] == 2


@pytest.mark.slow
def test_rerun_with_new_evidence_reports_changes_and_keeps_decisions(tmp_path: Path) -> None:
    case_path = generate_case(tmp_path / "case", people=60, seed=5)
    evidence = tmp_path / "case" / "evidence"
    held = tmp_path / "held"
    tables = sorted(p for p in evidence.rglob("*.csv") if p.stat().st_size > 200)
    moved = [tables[0], tables[len(tables) // 2]]
    for p in moved:
        dest = held / p.relative_to(evidence)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(p, dest)

    r = CliRunner().invoke(cli, ["run", "--quiet", str(case_path)])
    assert r.exit_code == 0, r.output
    first = json.loads((tmp_path / "case" / "out" / "changes.json").read_text())
    assert first["first_run"] is True
    assert "changes:" not in r.output

    case = load_case(case_path)
    con = open_case_store(case)
    try:
        row = con.execute("SELECT mention_id FROM mentions ORDER BY mention_id LIMIT 1").fetchone()
        assert row
        con.execute(
            "INSERT INTO decisions VALUES ('d-keep', 'confirm', ?, NULL, NULL, 'kept', 'alice', "
            "now())",
            [row[0]],
        )
    finally:
        con.close()

    for p in moved:
        shutil.move(held / p.relative_to(evidence), p)
    r = CliRunner().invoke(cli, ["run", "--quiet", str(case_path)])
    assert r.exit_code == 0, r.output
    assert "changes:" in r.output and "new file(s)" in r.output

    out = tmp_path / "case" / "out" / "changes.json"
    assert (out.stat().st_mode & 0o777) == 0o600
    report = json.loads(out.read_text())
    assert report["first_run"] is False
    moved_paths = {p.relative_to(evidence).as_posix() for p in moved}
    assert moved_paths <= set(report["new_files"])
    assert set(report["new_files"]) - moved_paths == set(), "only the returned files are new"

    con = open_case_store(case, read_only=True)
    try:
        people_in_moved = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT im.individual_id FROM individual_mentions im "
                "JOIN mentions m USING (mention_id) WHERE list_contains(?, m.path)",
                [sorted(moved_paths)],
            ).fetchall()
        }
        decision = con.execute("SELECT note FROM decisions WHERE decision_id = 'd-keep'").fetchone()
    finally:
        con.close()
    assert decision == ("kept",)
    assert people_in_moved, "the moved files name people"
    changed = set(report["new_individuals"]) | set(report["new_elements"])
    # Everyone in the returned files is either new or was already known with the same
    # elements; at least some are reported, and nobody outside those files is.
    assert changed, report["counts"]
    assert changed <= people_in_moved
