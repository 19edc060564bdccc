"""CI smoke test of the detection benchmark (breachscope only; no Presidio needed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_detect_bench_small_prints_a_table(tmp_path: Path) -> None:
    env = {**os.environ, "BREACHSCOPE_KEY_DIR": str(tmp_path / "keys")}
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "detect_vs_presidio.py"), "--small",
         "--breachscope-only"],
        capture_output=True, text=True, timeout=300, cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    assert "| category | Presidio entity |" in out.stdout
    assert "| ssn | US_SSN |" in out.stdout
    assert "chars/CPU-s" in out.stdout
    assert "tables:" in out.stdout


@pytest.mark.slow
def test_formats_memory_bench_small_prints_a_table(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "formats_memory.py"), "--gb", "0.02",
         "--dir", str(tmp_path)],
        capture_output=True, text=True, timeout=600, cwd=ROOT, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    assert "| breachscope ingest (2 workers) |" in out.stdout
    assert "peak RSS, ingest process tree" in out.stdout
    assert "processed 1, skipped 0, failed 0" in out.stdout
    assert list(tmp_path.iterdir()) == []  # the big file and the store are deleted


@pytest.mark.slow
def test_detect_tables_bench_small_prints_ratio() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "detect_tables.py"), "--rows", "3000",
         "--repeat", "1", "--death-from", "1000"],
        capture_output=True, text=True, timeout=300, cwd=ROOT, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    assert (
        "| table detection (plan + column reads of the Arrow chunks + Arrow findings) |"
        in out.stdout
    )
    assert "| stage tasks (the same through `runner._work`, + finding ids) |" in out.stdout
    assert "plain read / detect =" in out.stdout
    assert "date_of_death" in out.stdout  # the column blank in the first 1,000 rows
