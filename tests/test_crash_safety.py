"""Crash safety: SIGKILL the run in the middle of stages, resume, and get the same answer.

An uninterrupted run of a small synthetic case gives the reference outputs. A second copy
is killed (``BREACHSCOPE_TEST_KILL_AT=stage:seconds``, see pipeline.py) inside ingest,
detect, resolve and notify in turn, each time resuming from what the last kill left; a
final plain ``breachscope run`` must then write the same individuals, files and
obligations as the reference, with nothing processed twice or lost.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from breachscope.case import load_case
from breachscope.store import open_case_store
from breachscope.synth import generate_case

pytestmark = pytest.mark.slow

EXE = str(Path(sys.executable).parent / "breachscope")
OUTPUTS = ("individuals.csv", "files.csv", "obligations.csv")
# Columns that record when, not what.
VOLATILE = {"generated_at", "created_at", "processed_at", "ingested_at", "run_at", "mtime"}
KILLS = ("ingest:3", "detect:2", "resolve:1", "notify:4")
RUN_TAG = "BREACHSCOPE_CRASH_TEST_RUN"
TABLES = (
    ("files", "file_id"),
    ("documents", "doc_id"),
    ("findings", "finding_id"),
    ("mentions", "mention_id"),
    ("individuals", "individual_id"),
    ("obligations", None),
)


def _run(case_dir: Path, kill_at: str = "") -> tuple[int, str]:
    """Run the CLI; output goes to a file, so orphaned workers cannot hold a pipe open."""
    tag = uuid.uuid4().hex
    env = {k: v for k, v in os.environ.items() if k != "BREACHSCOPE_TEST_KILL_AT"}
    env[RUN_TAG] = tag
    if kill_at:
        env["BREACHSCOPE_TEST_KILL_AT"] = kill_at
    log = case_dir.parent / f"run-{tag}.log"
    with log.open("w") as fh:
        p = subprocess.run(
            [EXE, "run", "--quiet", str(case_dir / "case.toml")],
            stdout=fh,
            stderr=subprocess.STDOUT,
            env=env,
            timeout=1200,
        )
    if p.returncode == -signal.SIGKILL:
        # Workers must die with the run (pdeathsig): none may go on computing or writing.
        deadline = time.monotonic() + 5
        while (alive := _tagged(tag)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive, f"workers outlived the killed run ({kill_at}): {alive}"
    return p.returncode, log.read_text(errors="replace")[-2000:]


def _tagged(tag: str) -> list[int]:
    """Processes still alive whose environment carries this run's tag."""
    found = []
    needle = f"{RUN_TAG}={tag}".encode()
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if needle in (proc / "environ").read_bytes() and "Z" not in _state(proc):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def _state(proc: Path) -> str:
    stat_text = (proc / "stat").read_text()
    return stat_text.rsplit(")", 1)[1].split()[0]


def _rows(path: Path) -> list[tuple[tuple[str, str], ...]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [
            tuple(sorted((k, v) for k, v in r.items() if k not in VOLATILE))
            for r in csv.DictReader(fh)
        ]
    return sorted(rows)


def _counts(case_dir: Path) -> dict[str, tuple[int, int]]:
    """Rows and distinct keys per table: equal pairs mean nothing is duplicated."""
    case = load_case(case_dir / "case.toml")
    con = open_case_store(case, read_only=True)
    try:
        got = {}
        for table, key in TABLES:
            row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
            n = int(row[0]) if row else 0
            if key:
                row = con.execute(f"SELECT count(DISTINCT {key}) FROM {table}").fetchone()
                distinct = int(row[0]) if row else 0
            else:
                row = con.execute(
                    f"SELECT count(*) FROM (SELECT DISTINCT * FROM {table})"
                ).fetchone()
                distinct = int(row[0]) if row else 0
            got[table] = (n, distinct)
        return got
    finally:
        con.close()


def test_killed_and_resumed_run_matches_uninterrupted(tmp_path: Path) -> None:
    generate_case(tmp_path / "src", people=150, seed=3)
    ref, crashed = tmp_path / "ref", tmp_path / "crashed"
    shutil.copytree(tmp_path / "src", ref)
    shutil.copytree(tmp_path / "src", crashed)

    code, out = _run(ref)
    assert code == 0, out

    killed = 0
    for point in KILLS:
        code, out = _run(crashed, point)
        # A run that finished before its kill point still counts as a resume step.
        assert code in (0, -signal.SIGKILL), (point, code, out)
        killed += code == -signal.SIGKILL
    assert killed >= 3, "the kill points should land inside the stages"

    code, out = _run(crashed)
    assert code == 0, out

    for name in OUTPUTS:
        assert _rows(crashed / "out" / name) == _rows(ref / "out" / name), name
    ref_counts, crashed_counts = _counts(ref), _counts(crashed)
    assert crashed_counts == ref_counts
    for table, (n, distinct) in crashed_counts.items():
        assert n == distinct, f"duplicated rows in {table}"
    # The same deliverables, and no half-written leftovers beside them.
    ref_files = sorted(p.relative_to(ref / "out") for p in (ref / "out").rglob("*"))
    crashed_files = sorted(p.relative_to(crashed / "out") for p in (crashed / "out").rglob("*"))
    assert crashed_files == ref_files
    # No ingest scratch left in the case folder.
    leftovers = {p.name for p in crashed.iterdir()} - {p.name for p in ref.iterdir()}
    assert leftovers == set(), leftovers
