"""Documentation keeps up with the code: a command or a case-file key missing from the docs fails."""

from __future__ import annotations

import re
from pathlib import Path

from breachscope.cli import cli

ROOT = Path(__file__).parents[1]


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"`breachscope {name}" in readme, f"command {name} missing from README.md"


def test_every_case_file_key_is_documented() -> None:
    doc = (ROOT / "docs" / "case-file.md").read_text(encoding="utf-8")
    source = (ROOT / "src" / "breachscope" / "case.py").read_text(encoding="utf-8")
    keys = set(re.findall(r'c\.get\(\s*\w+,\s*\([^)]*\),\s*"(\w+)"', source))
    assert keys, "no keys found: the check itself is broken"
    for key in sorted(keys):
        assert re.search(rf"\b{key}\b", doc), (
            f"case-file key '{key}' missing from docs/case-file.md"
        )


def test_readme_starts_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text(encoding="utf-8").split("---", 1)[0]
    assert "make demo" in head and "make test" in head
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
