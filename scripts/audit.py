"""`make audit`: pip-audit over the locked requirements, tolerant of having no network.

pip-audit needs a vulnerability service (PyPI's JSON API, or OSV). Where neither answers,
it either fails with a connection error or skips every package ("not found on PyPI"),
which would read as a clean audit. This script tells those cases apart: vulnerabilities
found -> exit 1; nothing could be checked -> a clear message and exit 0; otherwise the
number of packages checked.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

BIN = Path(sys.executable).parent


def main() -> int:
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
        )
        if not report.exists() or not report.read_text().strip():
            print(
                "audit: SKIPPED - pip-audit could not reach a vulnerability service "
                f"(exit {proc.returncode}); run 'make audit' where PyPI or osv.dev is reachable"
            )
            return 0
        data = json.loads(report.read_text())
    deps = data.get("dependencies", [])
    checked = [d for d in deps if "skip_reason" not in d]
    vulnerable = [d for d in checked if d.get("vulns")]
    if not checked:
        print(
            f"audit: SKIPPED - none of {len(deps)} locked packages could be checked (the "
            "vulnerability service is unreachable from here); run 'make audit' with network"
        )
        return 0
    for d in vulnerable:
        ids = ", ".join(v.get("id", "?") for v in d["vulns"])
        print(f"audit: {d['name']} {d['version']}: {ids}")
    skipped = len(deps) - len(checked)
    print(
        f"audit: {len(checked)} packages checked, {skipped} skipped, "
        f"{len(vulnerable)} with known vulnerabilities"
    )
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
