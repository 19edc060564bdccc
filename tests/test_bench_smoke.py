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
