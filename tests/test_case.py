"""The case file: accepted exactly as documented; every problem listed with its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from breachscope.case import glob_to_regex, load_case
from breachscope.errors import CaseFileError

GOOD = """\
evidence = "evidence"                 # root of the copied files, relative to this file

[incident]
name = "Unauthorized access to the file servers"
discovery_date = 2025-02-06
access_start = 2025-01-27
access_end = 2025-02-06

[reporting_entity]
name = "Example Coding Services, LLC"
role = "business_associate"           # or "covered_entity"

[[clients]]
id = "mercy-valley-health"            # used in outputs
name = "Mercy Valley Health System"
kind = "provider"                     # provider | health_plan | clearinghouse | other
covered_entity = true
paths = ["mercy-valley-health/**"]    # globs under the evidence root
"""


def make_case(
    tmp_path: Path, text: str, files: tuple[str, ...] = ("mercy-valley-health/a.csv",)
) -> Path:
    for f in files:
        p = tmp_path / "evidence" / f
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x\n")
    case = tmp_path / "case.toml"
    case.write_text(text)
    return case


def test_issue_example_is_accepted_exactly(tmp_path: Path) -> None:
    case = load_case(make_case(tmp_path, GOOD))
    assert case.incident.discovery_date == dt.date(2025, 2, 6)
    assert case.reporting_entity.role == "business_associate"
    assert [c.id for c in case.clients] == ["mercy-valley-health"]
    assert case.clients[0].covered_entity is True
    assert case.evidence == (tmp_path / "evidence").resolve()
    assert case.clients_for_path("mercy-valley-health/a.csv") == ["mercy-valley-health"]
    assert case.clients_for_path("mercy-valley-health/x.zip!inner/y.csv") == ["mercy-valley-health"]
    assert case.clients_for_path("other/a.csv") == []


def test_case_folder_is_accepted(tmp_path: Path) -> None:
    make_case(tmp_path, GOOD)
    assert load_case(tmp_path).path.name == "case.toml"


def test_every_problem_is_listed_with_its_line(tmp_path: Path) -> None:
    bad = """\
evidence = "evidence"

[incident]
name = "x"
access_start = "last tuesday"

[reporting_entity]
name = "Vendor"
role = "processor"

[[clients]]
id = "a"
name = "A"
kind = "hospital"
covered_entity = "yes"
paths = ["nothing-here/**"]
"""
    with pytest.raises(CaseFileError) as err:
        load_case(make_case(tmp_path, bad))
    problems = err.value.problems
    text = "\n".join(f"{line}: {msg}" for line, msg in problems)
    assert "3: missing key 'incident.discovery_date'" in text
    assert "5: 'incident.access_start' must be a date" in text
    assert "9: 'reporting_entity.role' must be one of" in text
    assert "14: client 'a': unknown kind 'hospital'" in text
    assert "15: 'clients.covered_entity' must be true/false" in text
    assert "16: client 'a': glob 'nothing-here/**' matches no evidence file" in text
    assert len(problems) == 6
    # The CLI's one message names the file and each line.
    assert f"{tmp_path / 'case.toml'}:14:" in str(err.value)


def test_missing_sections_and_clients(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError) as err:
        load_case(make_case(tmp_path, 'evidence = "evidence"\n'))
    msgs = [m for _, m in err.value.problems]
    assert "missing key 'incident'" in msgs
    assert "missing key 'reporting_entity'" in msgs
    assert "missing key 'clients'" in msgs


def test_overlapping_globs(tmp_path: Path) -> None:
    text = (
        GOOD
        + """
[[clients]]
id = "plan"
name = "Plan"
kind = "health_plan"
covered_entity = true
paths = ["**/*.csv"]
"""
    )
    with pytest.raises(CaseFileError) as err:
        load_case(make_case(tmp_path, text))
    ((line, msg),) = err.value.problems
    assert "overlapping paths" in msg and "'mercy-valley-health' and 'plan'" in msg
    assert line == 25  # the second client's paths line


def test_missing_evidence_and_syntax_error(tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    case.write_text(GOOD.replace('"evidence"', '"nope"', 1))
    with pytest.raises(CaseFileError) as err:
        load_case(case)
    assert any("evidence folder 'nope' does not exist" in m for _, m in err.value.problems)
    case.write_text("evidence = \n[incident\n")
    with pytest.raises(CaseFileError) as err:
        load_case(case)
    assert err.value.problems[0][0] == 1


def test_duplicate_ids_and_unknown_keys(tmp_path: Path) -> None:
    text = GOOD.replace(
        'paths = ["mercy-valley-health/**"]',
        'paths = ["mercy-valley-health/a.csv"]\ncolour = "red"',
    )
    text += text[text.index("[[clients]]") :].replace("a.csv", "b.csv")
    with pytest.raises(CaseFileError) as err:
        load_case(
            make_case(
                tmp_path, text, files=("mercy-valley-health/a.csv", "mercy-valley-health/b.csv")
            )
        )
    msgs = [m for _, m in err.value.problems]
    assert "client id 'mercy-valley-health' is used twice" in msgs
    assert msgs.count("client 'mercy-valley-health': unknown key 'colour'") == 2


@pytest.mark.parametrize(
    ("glob", "path", "hit"),
    [
        ("mercy/**", "mercy/a/b/c.csv", True),
        ("mercy/**", "mercyx/a.csv", False),
        ("mercy", "mercy/a.csv", True),
        ("*.csv", "a.csv", True),
        ("*.csv", "dir/a.csv", False),
        ("**/*.csv", "dir/a.csv", True),
        ("**/*.csv", "a.csv", True),
        ("Plan/claims_20??.xlsx", "plan/CLAIMS_2024.xlsx", True),
        ("plan/[ab]*.txt", "plan/c.txt", False),
    ],
)
def test_globs(glob: str, path: str, hit: bool) -> None:
    assert bool(glob_to_regex(glob).match(path)) is hit
