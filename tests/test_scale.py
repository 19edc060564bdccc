"""The scale benchmark's arithmetic and outputs, and the streamed deliverable writer.

The benchmark itself prints figures and is never a timed assertion: these tests check
its slope fit, projection and report on made-up figures, and (marked slow) that a tiny
run goes through every stage and writes the docs.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from breachscope.notify.files import PrivateCsv

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def scale() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench" / "scale.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _run(scale: ModuleType, people: int, per_person_cpu: float, files: int) -> dict[str, Any]:
    stages = []
    for name in scale.STAGES:
        cpu = per_person_cpu * people
        stages.append(
            {"stage": name, "wall_s": cpu / 1.5, "cpu_s": cpu, "cpu_main_s": cpu / 4,
             "rss_main_mib": 100.0,
             "rss_worker_mib": 50.0, "rss_tree_mib": 200.0, "result": {}}
        )  # fmt: skip
    stages.append(
        {"stage": "letters", "wall_s": 10.0, "cpu_s": 20.0, "rss_main_mib": 100.0,
         "rss_worker_mib": 300.0, "rss_tree_mib": 700.0,
         "result": {"letters_sampled": 100, "letters_total": people, "pages_sampled": 300}}
    )  # fmt: skip
    return {"people": people, "cores": 2, "stages": stages, "counts": {"files": files}}


def test_slope_is_one_for_linear_growth_and_two_for_quadratic(scale: ModuleType) -> None:
    xs = [1e4, 1e5, 1e6]
    assert scale.slope(xs, [2 * x for x in xs]) == pytest.approx(1.0)
    assert scale.slope(xs, [x * x for x in xs]) == pytest.approx(2.0)


def test_serial_share_is_the_stage_process_share_of_cpu(scale: ModuleType) -> None:
    assert scale._serial_share({"cpu_s": 10.0, "cpu_main_s": 10.0}) == pytest.approx(1.0)
    assert scale._serial_share({"cpu_s": 10.0, "cpu_main_s": 2.5}) == pytest.approx(0.25)
    assert scale._serial_share({"cpu_s": 10.0}) == pytest.approx(1.0)  # no split: all serial


def test_analysis_projects_linear_costs_and_writes_a_table_and_plot(
    scale: ModuleType, tmp_path: Path
) -> None:
    data = {"runs": {str(n): _run(scale, n, 1e-3, n // 5) for n in (10_000, 100_000)}}
    a = scale.analyse(data)
    assert a["slope_people"] == pytest.approx(1.0, abs=0.01)
    assert a["slope_files"] == pytest.approx(1.0, abs=0.01)
    # letters are projected from the sample: 20 CPU-s per 100 letters
    assert a["per"]["letters"]["cpu"] == [pytest.approx(2000.0), pytest.approx(20000.0)]
    # 1 ms per person and stage, 5.4 M people, 6 stages
    assert a["per"]["ingest"]["cpu_target_h"] == pytest.approx(5.4e6 * 1e-3 / 3600)
    assert a["target_wall_h"] < a["target_cpu_h"]
    table = scale.markdown(a)
    assert "| ingest |" in table and "| **pipeline with letter PDFs** |" in table
    assert "projected from 100 of 100,000" in table
    svg = scale.svg_plot(a)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert svg.count("<polyline") == len(scale.STAGES) + 2


@pytest.mark.slow
def test_tiny_scale_run_measures_every_stage(scale: ModuleType, tmp_path: Path) -> None:
    env = {**os.environ, "BREACHSCOPE_KEY_DIR": str(tmp_path / "keys")}
    keep, docs = tmp_path / "keep", tmp_path / "docs"
    docs.mkdir()
    for argv in (
        ["--sizes", "120,240", "--letters-sample", "4"],
        ["--report", "--docs", str(docs)],
    ):
        out = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "scale.py"), "--keep", str(keep), *argv],
            capture_output=True, text=True, timeout=900, cwd=ROOT, env=env, check=False,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr[-2000:]
    table = (keep / "scale-table.md").read_text()
    for name in scale.STAGES:
        assert f"| {name}" in table
    assert (docs / "scale.svg").read_text().startswith("<svg")


def test_private_csv_appears_whole_and_private(tmp_path: Path) -> None:
    target = tmp_path / "out" / "mail" / "mail_file.csv"
    with PrivateCsv(target, ("a", "b")) as w:
        w.write((1, None))
        w.write((True, ["x", "y"]))
        assert not target.exists()  # only renamed into place when complete
    assert target.read_text() == "a,b\n1,\ntrue,x|y\n"
    assert target.stat().st_mode & 0o777 == 0o600
    assert target.parent.stat().st_mode & 0o777 == 0o700
    with pytest.raises(RuntimeError), PrivateCsv(tmp_path / "half.csv", ("a",)) as w:
        w.write((1,))
        raise RuntimeError("interrupted")
    assert list(tmp_path.glob("*half*")) == []


def test_worker_side_finding_ids_match_the_store_sql() -> None:
    """The detect hot-spot fix moved the finding id from SQL into the workers: the two
    must agree on every shape of locator (row, span, half a span, none)."""
    import duckdb

    from breachscope.detect.findings import FINDING_ID_SQL
    from breachscope.detect.runner import finding_id

    rows = [
        ("d1", 12, None, None, "SSN", "ssn", None),
        ("d1", None, 5, 16, None, "name", "first"),
        ("d2", None, 5, None, None, "dob", None),
        ("d2", None, None, None, "", "address", "zip"),
        ("dé|3", 0, 1, 2, "Nom ß", "mrn", ""),
    ]
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE t (doc_id VARCHAR, row_no INTEGER, start_char INTEGER, end_char INTEGER,"
        " column_name VARCHAR, category VARCHAR, field VARCHAR)"
    )
    con.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    sql = [r[0] for r in con.execute(f"SELECT {FINDING_ID_SQL} FROM t").fetchall()]
    assert [finding_id(*r) for r in rows] == sql
