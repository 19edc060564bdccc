"""Scope in the pipeline: a scoped generated case mines exactly the files the intruder touched."""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path

import pytest

from breachscope.case import Case, load_case
from breachscope.evaluate import evaluate_case
from breachscope.pipeline import run_all
from breachscope.scope.exposure import individual_access
from breachscope.store import open_case_store
from breachscope.synth import generate_case

STAGES = ("ingest", "detect", "link", "resolve")


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _files(case: Case) -> dict[str, tuple[str, str]]:
    con = open_case_store(case, read_only=True)
    try:
        rows = con.execute("SELECT path, status, reason FROM files WHERE depth = 0").fetchall()
    finally:
        con.close()
    return {p: (s, r) for p, s, r in rows}


def _set_scope(toml: Path, text: str | None) -> None:
    body = toml.read_text(encoding="utf-8")
    cut = body.find("\n[scope]\n")
    if cut >= 0:
        body = body[: cut + 1]
    toml.write_text(body + ("\n" + text if text else ""), encoding="utf-8")


@pytest.fixture(scope="module")
def scoped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("scoped")
    path = generate_case(out, people=200, seed=5, scope=True)
    run_all(load_case(path), stages=STAGES)
    return path


def test_the_mined_files_are_exactly_the_accessed_set(scoped: Path) -> None:
    case = load_case(scoped)
    truth = {r["path"]: r["access"] for r in _csv(scoped.parent / "truth" / "accessed.csv")}
    expected = {r["path"]: r for r in _csv(scoped.parent / "truth" / "files.csv")}
    files = _files(case)
    assert {p for p, (s, _r) in files.items() if s != "out_of_scope"} == set(truth)
    out = {p: r for p, (s, r) in files.items() if s == "out_of_scope"}
    assert out and all(r in ("not_accessed", "listed_only") for r in out.values())
    assert {p: r for p, r in out.items()} == {
        p: e["expected_reason"]
        for p, e in expected.items()
        if e["expected_status"] == "out_of_scope"
    }

    con = open_case_store(case, read_only=True)
    try:
        # Out-of-scope files were never read: no documents, no members, no findings.
        n = con.execute(
            "SELECT count(*) FROM documents d JOIN files f USING (file_id) "
            "WHERE split_part(f.path, '!', 1) IN (SELECT path FROM files WHERE status = 'out_of_scope')"
        ).fetchone()
        assert n == (0,)
        access = dict(con.execute("SELECT path, access FROM scope_access").fetchall())
        assert {p: access[p] for p in truth} == truth
        iid = con.execute(
            "SELECT individual_id FROM individuals ORDER BY individual_id LIMIT 1"
        ).fetchone()
        assert iid is not None
        facts = individual_access(con, iid[0])
        assert facts and all(f["access"] in ("viewed", "copied") for f in facts)
        assert all(f["path"] in truth and f["first_access"] is not None for f in facts)
    finally:
        con.close()

    report = json.loads((case.out_dir / "scope_report.json").read_text())
    assert report["totals"]["files_in_scope"] == len(truth)
    missing = _csv(case.out_dir / "scope_missing.csv")
    assert missing and len(missing) == report["totals"]["missing_from_evidence"]
    assert stat.S_IMODE((case.out_dir / "scope_missing.csv").stat().st_mode) == 0o600

    r = evaluate_case(case)
    assert r.file_status_accuracy == 1.0
    assert r.people_recall >= 0.97 and r.people_precision >= 0.97


def test_scope_removed_then_restored(scoped: Path) -> None:
    toml = scoped
    text = toml.read_text(encoding="utf-8")
    scope_text = text[text.index("\n[scope]\n") + 1 :]
    before = _files(load_case(toml))
    was_out = {p for p, (s, _r) in before.items() if s == "out_of_scope"}
    try:
        _set_scope(toml, None)
        case = load_case(toml)
        run_all(case, stages=("ingest",))
        after = _files(case)
        assert not any(s == "out_of_scope" for s, _r in after.values())
        assert {after[p][0] for p in was_out} <= {"processed", "skipped", "failed"}
        assert any(after[p][0] == "processed" for p in was_out)
        con = open_case_store(case, read_only=True)
        try:
            assert con.execute("SELECT count(*) FROM scope_access").fetchone() == (0,)
        finally:
            con.close()
        assert not (case.out_dir / "scope_report.json").exists()
    finally:
        _set_scope(toml, scope_text)
    # Scope back: the files read meanwhile are out of scope again, their content gone.
    case = load_case(toml)
    run_all(case, stages=("ingest", "detect"))
    assert _files(case) == before
    con = open_case_store(case, read_only=True)
    try:
        n = con.execute(
            "SELECT (SELECT count(*) FROM files WHERE depth > 0 AND split_part(path, '!', 1) IN "
            "(SELECT path FROM files WHERE status = 'out_of_scope')), "
            "(SELECT count(*) FROM findings WHERE file_id IN "
            "(SELECT file_id FROM files WHERE status = 'out_of_scope'))"
        ).fetchone()
        assert n == (0, 0)
    finally:
        con.close()
