"""50 concurrent reviewers for ten seconds against a real `breachscope serve`: no errors.

Correctness under concurrency, not speed: every login, page, search and audited reveal of
50 simultaneous sessions answers without a failure, and the server is still up afterwards.
Runs ``bench/web_load.py`` (locust, headless) on a small synthetic store; the full-size run
and its latency figures are in docs/security.md.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("locust") is None and not Path(sys.executable).with_name("locust").exists(),
    reason="locust (dev dependency) not installed",
)
def test_fifty_sessions_without_errors(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    env = {**os.environ, "BREACHSCOPE_KEY_DIR": str(tmp_path / "keys")}
    env.pop("BREACHSCOPE_KEY", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "web_load.py"), "--people", "500",
         "--users", "50", "--seconds", "10", "--spawn-rate", "50", "--accounts", "2",
         "--stop-timeout", "1",
         "--json", str(out)],
        capture_output=True, text=True, timeout=240, cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    assert out.exists(), done.stderr[-3000:]
    res = json.loads(out.read_text())
    total = res["total"]
    assert res["server_alive"]
    assert total["failures"] == 0, res["failures"]
    by_name = {s["name"]: s["requests"] for s in res["stats"]}
    assert by_name.get("GET /login") == 50  # every session started
    # Logins queue for argon2 (a few at a time); on a busy machine not all finish in 10 s.
    assert by_name.get("POST /login", 0) >= 1
    assert total["requests"] > 50
    assert done.returncode == 0, done.stdout[-2000:]
