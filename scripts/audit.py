"""`make audit` (part of `make test`): pip-audit over the locked requirements.

pip-audit needs a vulnerability service (PyPI's JSON API, or OSV). Where neither answers,
it either fails with a connection error or skips every package ("not found on PyPI"),
which would read as a clean audit. This script tells those cases apart and ends with one
line saying which it was:

* ``audit: FAILED - N of M packages with known vulnerabilities`` (each listed above) -> exit 1
* ``audit: PASSED - M packages checked, none with known vulnerabilities`` -> exit 0
* ``audit: SKIPPED - ...`` nothing could be checked (no network) -> exit 0, or exit 1 with
  ``--strict`` / ``BREACHSCOPE_AUDIT_STRICT=1`` (for CI runners that do have the network)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
TIMEOUT_SECONDS = 600


def _skipped(why: str, strict: bool) -> int:
    print(f"audit: SKIPPED - {why}; run 'make audit' where PyPI or osv.dev is reachable")
    if strict:
        print("audit: strict mode: an audit that could not run fails the build")
        return 1
    return 0


def main() -> int:
    strict = "--strict" in sys.argv[1:] or os.environ.get("BREACHSCOPE_AUDIT_STRICT") == "1"
    with tempfile.TemporaryDirectory() as tmp:
        req, report = Path(tmp) / "requirements.txt", Path(tmp) / "audit.json"
        subprocess.run(
            [
                str(BIN / "uv"),
                "export",
                "--frozen",
                "--all-extras",
                "--all-groups",
                "--no-emit-project",
                "--format",
                "requirements-txt",
                "--quiet",
                "--output-file",
                str(req),
            ],
            check=True,
        )
        # The lock pins every version with hashes: no resolving, no pip.
        try:
            proc = subprocess.run(
                [
                    str(BIN / "pip-audit"),
                    "--requirement",
                    str(req),
                    "--require-hashes",
                    "--disable-pip",
                    "--progress-spinner",
                    "off",
                    "--format",
                    "json",
                    "--output",
                    str(report),
                    "--timeout",
                    "20",
                ],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
            )
        except subprocess.TimeoutExpired:
            return _skipped(f"pip-audit did not finish in {TIMEOUT_SECONDS} s", strict)
        if not report.exists() or not report.read_text().strip():
            return _skipped(
                f"pip-audit could not reach a vulnerability service (exit {proc.returncode})",
                strict,
            )
        data = json.loads(report.read_text())
    return judge(data, strict)


def judge(data: dict[str, Any], strict: bool = False) -> int:
    """Print the verdict on a pip-audit JSON report; returns the exit code."""
    deps = data.get("dependencies", [])
    checked = [d for d in deps if "skip_reason" not in d]
    vulnerable = [d for d in checked if d.get("vulns")]
    if not checked:
        return _skipped(
            f"none of {len(deps)} locked packages could be checked (the vulnerability "
            "service is unreachable from here)",
            strict,
        )
    for d in vulnerable:
        ids = ", ".join(v.get("id", "?") for v in d["vulns"])
        print(f"audit: {d['name']} {d['version']}: {ids}")
    skipped = len(deps) - len(checked)
    also = f" ({skipped} could not be checked)" if skipped else ""
    if vulnerable:
        print(
            f"audit: FAILED - {len(vulnerable)} of {len(checked)} packages with known "
            f"vulnerabilities{also}"
        )
        return 1
    print(f"audit: PASSED - {len(checked)} packages checked, none with known vulnerabilities{also}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
