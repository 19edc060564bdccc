"""`make test` runs the dependency audit; its verdict line is unambiguous.

The audit itself needs the network (pip-audit's vulnerability services); here its judging
of pip-audit's report is checked on hand-made reports: vulnerabilities fail the build,
an audit that checked nothing says SKIPPED (and fails in strict mode), a clean one PASSED.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_script", ROOT / "scripts" / "audit.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_make_test_runs_the_audit() -> None:
    text = (ROOT / "Makefile").read_text()
    test_line = re.search(r"^test:(.*)$", text, re.M)
    assert test_line and "audit" in test_line.group(1).split()
    assert "scripts/audit.py" in text


@pytest.mark.parametrize(
    ("report", "strict", "code", "verdict"),
    [
        ({"dependencies": [{"name": "a", "version": "1", "vulns": []}]}, False, 0, "PASSED"),
        (
            {"dependencies": [{"name": "a", "version": "1", "vulns": [{"id": "PYSEC-1"}]},
                              {"name": "b", "version": "2", "vulns": []}]},
            False, 1, "FAILED",
        ),
        ({"dependencies": [{"name": "a", "version": "1", "skip_reason": "not found"}]},
         False, 0, "SKIPPED"),
        ({"dependencies": [{"name": "a", "version": "1", "skip_reason": "not found"}]},
         True, 1, "SKIPPED"),
        ({"dependencies": []}, False, 0, "SKIPPED"),
    ],
)  # fmt: skip
def test_verdicts(
    report: dict[str, object],
    strict: bool,
    code: int,
    verdict: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _audit().judge(report, strict) == code
    lines = capsys.readouterr().out.strip().splitlines()
    assert any(line.startswith(f"audit: {verdict} - ") for line in lines), lines
    if verdict == "FAILED":
        assert "audit: a 1: PYSEC-1" in lines
