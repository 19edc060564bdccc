"""The Spark engine: same individuals as DuckDB, and a package that works without pyspark.

The equivalence test starts a JVM (``local[2]``) and is marked ``spark``; it skips when
pyspark or Java is missing. The other tests here are fast and run everywhere.
"""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from breachscope.case import Case, load_case
from breachscope.errors import BreachscopeError
from breachscope.pipeline import run_all, run_stage
from breachscope.resolve.engine import get_engine
from breachscope.spark import java_available
from breachscope.store import open_case_store
from breachscope.synth import generate_case

_NO_PYSPARK = """
import sys

class _Block:
    def find_spec(self, name, path=None, target=None):
        if name == "pyspark" or name.startswith("pyspark."):
            raise ImportError("blocked for the test")
        return None

sys.meta_path.insert(0, _Block())
import breachscope, breachscope.pipeline, breachscope.resolve, breachscope.spark
from breachscope.errors import BreachscopeError
from breachscope.resolve.engine import get_engine
try:
    get_engine("spark")
except BreachscopeError as exc:
    assert exc.hint and "spark" in exc.hint, exc.hint
    print("ok")
"""


def test_package_imports_and_fails_clearly_without_pyspark() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _NO_PYSPARK], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "ok", out.stderr


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(BreachscopeError):
        get_engine("hadoop")


def _partition(case: Case) -> set[frozenset[str]]:
    """Individuals as sets of mention ids: the answer up to the individuals' ids."""
    con = open_case_store(case, read_only=True)
    try:
        rows = con.execute("SELECT individual_id, mention_id FROM individual_mentions").fetchall()
    finally:
        con.close()
    groups: dict[str, set[str]] = defaultdict(set)
    for individual_id, mention_id in rows:
        groups[individual_id].add(mention_id)
    return {frozenset(g) for g in groups.values()}


@pytest.fixture(scope="module")
def spark_case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Case, Case]]:
    """A linked synthetic case, and a copy of its case file that asks for Spark."""
    pytest.importorskip("pyspark")
    if not java_available():
        pytest.skip("Java is not installed")
    out = tmp_path_factory.mktemp("spark") / "case"
    path = generate_case(out, people=150, seed=2)
    case = load_case(path)
    run_all(case, stages=("ingest", "detect", "link"))
    text = path.read_text(encoding="utf-8")
    assert "\n[settings]\n" in text
    spark_path = path.with_name("case-spark.toml")
    spark_path.write_text(
        text.replace("\n[settings]\n", '\n[settings]\nengine = "spark"\n', 1), encoding="utf-8"
    )
    spark = load_case(spark_path)
    assert spark.settings.engine == "spark"
    yield case, spark
    from pyspark.sql import SparkSession

    active: Any = SparkSession.getActiveSession()
    if active is not None:
        active.stop()


@pytest.mark.spark
def test_spark_and_duckdb_find_the_same_individuals(spark_case: tuple[Case, Case]) -> None:
    duck_case, spark_case_ = spark_case
    duck_counts = run_stage(duck_case, "resolve")
    on_duckdb = _partition(duck_case)
    spark_counts = run_stage(spark_case_, "resolve")
    on_spark = _partition(spark_case_)
    assert spark_counts["candidate_pairs"] == duck_counts["candidate_pairs"]
    assert spark_counts["individuals"] == duck_counts["individuals"] == len(on_spark)
    assert on_spark == on_duckdb


@pytest.mark.spark
def test_detect_map_writes_the_findings_detect_writes(
    spark_case: tuple[Case, Case], tmp_path: Path
) -> None:
    from breachscope.spark import get_spark_session
    from breachscope.spark.detect_map import detect_map, export_documents, load_findings

    case = spark_case[0]
    con = open_case_store(case)
    try:
        docs, rows = export_documents(con, tmp_path / "exchange")
        detect_map(get_spark_session(), docs, rows, str(tmp_path / "findings"))
        on_spark = load_findings(con, str(tmp_path / "findings"))
        on_duckdb = con.execute(
            "SELECT finding_id, category, field, value, confidence FROM findings"
        ).fetchall()
    finally:
        con.close()
    got = zip(
        *(on_spark.column(c).to_pylist() for c in ("finding_id", "category", "field", "value")),
        on_spark.column("confidence").to_pylist(),
        strict=True,
    )
    assert on_duckdb
    assert sorted(tuple(r) for r in got) == sorted(tuple(r) for r in on_duckdb)


def _store_rows(case: Case, sql: str) -> list[tuple[Any, ...]]:
    con = open_case_store(case, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


_FINDINGS = "SELECT * FROM findings ORDER BY finding_id"
_DONE = "SELECT file_id, sha256, version, n_findings FROM detect_done ORDER BY file_id"
_COUNTS = "SELECT file_id, n_findings FROM files ORDER BY file_id"


@pytest.mark.spark
def test_detect_stage_on_spark_writes_what_it_writes_on_duckdb(
    spark_case: tuple[Case, Case],
) -> None:
    """``engine = "spark"`` in the case file: the detect stage maps over the documents on
    Spark and leaves the store exactly as the DuckDB path left it (same store here)."""
    duck_case, spark_case_ = spark_case
    findings, done, counts = (_store_rows(duck_case, q) for q in (_FINDINGS, _DONE, _COUNTS))
    assert findings
    con = open_case_store(spark_case_)
    try:
        con.execute("DELETE FROM detect_done")  # every file is pending again
    finally:
        con.close()
    result = run_stage(spark_case_, "detect")
    assert result["files"] == len(done)
    assert result["findings"] == len(findings)
    assert result["failed_documents"] == 0
    assert _store_rows(spark_case_, _FINDINGS) == findings
    assert _store_rows(spark_case_, _DONE) == done
    assert _store_rows(spark_case_, _COUNTS) == counts
    # Nothing pending: a re-run maps nothing, and the exchange folder is gone.
    assert run_stage(spark_case_, "detect")["files"] == 0
    assert not list(spark_case_.store_path.parent.glob(".breachscope-detect-*"))
