"""The [scope] table: accepted exactly as the issue shows; every problem listed with its key."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from breachscope.case import _Lines
from breachscope.scope import parse_scope
from breachscope.scope.config import ScopeConfig

ISSUE_EXAMPLE = r"""
[scope]
logs = ["logs/fs01-security.csv", "logs/smbd_audit.log"]   # relative to the case file
start = 2025-01-27T00:00:00Z
end = 2025-02-06T23:59:59Z
accounts = ["svc_scan", "CORP\\jdoe-adm"]                   # attacker's accounts
ips = ["203.0.113.0/24", "198.51.100.7"]                    # attacker's addresses
[[scope.path_map]]                                          # log path -> evidence path
from = "\\\\fs01\\clients\\"
to = ""                                                     # relative to the evidence root
"""

UTC = dt.UTC


def _case(
    tmp_path: Path,
    text: str,
    logs: tuple[str, ...] = ("logs/fs01-security.csv", "logs/smbd_audit.log"),
) -> ScopeConfig:
    for rel in logs:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x\n")
    data = tomllib.loads(text)
    return parse_scope(data.get("scope"), tmp_path, _Lines(text))


def test_issue_example_is_accepted_exactly(tmp_path: Path) -> None:
    cfg = _case(tmp_path, ISSUE_EXAMPLE)
    assert cfg.problems == ()
    assert cfg.enabled
    assert [s.label for s in cfg.logs] == ["logs/fs01-security.csv", "logs/smbd_audit.log"]
    assert cfg.logs[0].path == (tmp_path / "logs/fs01-security.csv").resolve()
    assert cfg.start == dt.datetime(2025, 1, 27, tzinfo=UTC)
    assert cfg.end == dt.datetime(2025, 2, 6, 23, 59, 59, tzinfo=UTC)
    assert [a.text for a in cfg.accounts] == ["svc_scan", "CORP\\jdoe-adm"]
    assert [str(n) for n in cfg.ips] == ["203.0.113.0/24", "198.51.100.7/32"]
    assert [(r.source, r.target) for r in cfg.path_map] == [("\\\\fs01\\clients\\", "")]
    # The log's options default to UTC and learn the window (for syslog stamps without year).
    assert cfg.logs[0].options.around == dt.datetime(2025, 2, 1, 11, 59, 59, 500000, tzinfo=UTC)


def test_no_scope_table_means_scope_off(tmp_path: Path) -> None:
    cfg = parse_scope(None, tmp_path)
    assert not cfg.enabled and cfg.problems == ()


@pytest.mark.parametrize(
    ("logged", "expected"),
    [
        ("jdoe-adm", True),
        ("corp\\JDOE-ADM", True),
        ("CORP\\jdoe-adm", True),
        ("corp.example\\jdoe-adm", True),
        ("jdoe-adm@corp.example", True),
        ("OTHER\\jdoe-adm", False),
        ("jdoe", False),
        ("svc_scan", True),
        ("CORP\\SVC_SCAN", True),  # listed without a domain: any domain
        ("arn:aws:iam::111122223333:user/svc_scan", True),
        ("arn:aws:sts::111122223333:assumed-role/Ops/svc_scan", True),
        ("arn:aws:iam::111122223333:user/svc_scanner", False),
        ("", False),
    ],
)
def test_account_matching_is_case_insensitive_and_domain_optional(
    tmp_path: Path, logged: str, expected: bool
) -> None:
    cfg = _case(tmp_path, ISSUE_EXAMPLE)
    assert cfg.account_matches(logged) is expected


@pytest.mark.parametrize(
    ("ip", "expected"),
    [
        ("203.0.113.0", True),
        ("203.0.113.254", True),
        ("203.0.114.1", False),
        ("198.51.100.7", True),
        ("198.51.100.8", False),
        ("::ffff:203.0.113.9", True),
        ("2001:db8::1", False),
        ("-", False),
        ("", False),
    ],
)
def test_addresses_and_networks(tmp_path: Path, ip: str, expected: bool) -> None:
    cfg = _case(tmp_path, ISSUE_EXAMPLE)
    assert cfg.ip_matches(ip) is expected


def test_window_is_inclusive_and_end_covers_its_whole_second(tmp_path: Path) -> None:
    cfg = _case(tmp_path, ISSUE_EXAMPLE)
    assert cfg.in_window(dt.datetime(2025, 1, 27, tzinfo=UTC))
    assert not cfg.in_window(dt.datetime(2025, 1, 26, 23, 59, 59, 999999, tzinfo=UTC))
    assert cfg.in_window(dt.datetime(2025, 2, 6, 23, 59, 59, tzinfo=UTC))
    assert cfg.in_window(dt.datetime(2025, 2, 6, 23, 59, 59, 999999, tzinfo=UTC))
    assert not cfg.in_window(dt.datetime(2025, 2, 7, tzinfo=UTC))


def test_offsets_are_converted_and_dates_mean_whole_days(tmp_path: Path) -> None:
    text = ISSUE_EXAMPLE.replace("2025-01-27T00:00:00Z", "2025-01-26T19:00:00-05:00").replace(
        "2025-02-06T23:59:59Z", "2025-02-06"
    )
    cfg = _case(tmp_path, text)
    assert cfg.problems == ()
    assert cfg.start == dt.datetime(2025, 1, 27, tzinfo=UTC)
    assert cfg.in_window(dt.datetime(2025, 2, 6, 23, 59, 59, 999999, tzinfo=UTC))
    assert not cfg.in_window(dt.datetime(2025, 2, 7, tzinfo=UTC))


def test_every_problem_is_listed_with_its_key_and_line(tmp_path: Path) -> None:
    text = """\
[scope]
logs = ["logs/missing.log", { path = "logs/a.log", timezone = "Mars/Olympus", format = "nope" }]
start = 2025-01-27T00:00:00
end = "yesterday"
accounts = ["svc_scan", 7]
ips = ["203.0.113.0/33", "not-an-ip"]
color = "red"

[[scope.path_map]]
to = "/abs"

[[scope.path_map]]
from = "\\\\\\\\fs01\\\\x"
to = "../up"
"""
    cfg = _case(tmp_path, text, logs=("logs/a.log",))
    msgs = [m for _, m in cfg.problems]
    assert "log file 'logs/missing.log' not found" in msgs
    assert any("unknown timezone 'Mars/Olympus'" in m for m in msgs)
    assert any("unknown format 'nope'" in m for m in msgs)
    assert any("needs a UTC offset" in m for m in msgs)
    assert any("'scope.end' must be a date-time" in m for m in msgs)
    assert any("'scope.accounts' must be a list of strings" in m for m in msgs)
    assert any("'203.0.113.0/33' is not an IP" in m for m in msgs)
    assert any("'not-an-ip' is not an IP" in m for m in msgs)
    assert "unknown key 'scope.color'" in msgs
    keys = [k for k, _ in cfg.problems]
    assert ("scope", "path_map", "0", "from") in keys
    assert ("scope", "path_map", "1", "to") in keys
    lines = dict((m, line) for line, m in cfg.located_problems)
    assert lines["unknown key 'scope.color'"] == 7
    assert lines["log file 'logs/missing.log' not found"] == 2
    assert lines["scope.path_map entry 2: 'to' must be relative to the evidence root"] == 14
    assert lines["scope.path_map entry 1: 'from' must be a non-empty string"] == 9


def test_actors_are_required_unless_match_any(tmp_path: Path) -> None:
    base = (
        '[scope]\nlogs = ["logs/a.log"]\nstart = 2025-01-27T00:00:00Z\nend = 2025-02-06T23:59:59Z\n'
    )
    cfg = _case(tmp_path, base, logs=("logs/a.log",))
    assert any("give 'scope.accounts' or 'scope.ips'" in m for _, m in cfg.problems)
    cfg = _case(tmp_path, base + "match_any = true\n", logs=("logs/a.log",))
    assert cfg.problems == ()
    assert cfg.actor_matches("anyone", "")


def test_window_is_required_with_logs_and_ordered(tmp_path: Path) -> None:
    text = '[scope]\nlogs = ["logs/a.log"]\naccounts = ["x"]\nstart = 2025-02-07T00:00:00Z\n'
    cfg = _case(tmp_path, text, logs=("logs/a.log",))
    assert any("missing key 'scope.end'" in m for _, m in cfg.problems)
    text += "end = 2025-02-01T00:00:00Z\n"
    cfg = _case(tmp_path, text, logs=("logs/a.log",))
    assert any("before 'scope.start'" in m for _, m in cfg.problems)


def test_optional_keys(tmp_path: Path) -> None:
    options = 'include_listed = true\nsuffix_match = false\npaths = ["mercy/**"]\n'
    text = (
        ISSUE_EXAMPLE.replace("[[scope.path_map]]", options + "[[scope.path_map]]", 1)
        + """
[scope.tables]
"public.members" = ["db/members*.csv"]
"claimsdb.public.claims" = "db/claims.sql"
"""
    )
    cfg = _case(tmp_path, text)
    assert cfg.problems == ()
    assert cfg.include_listed and not cfg.suffix_match
    assert cfg.paths == ("mercy/**",)
    assert cfg.tables == (
        ("public.members", ("db/members*.csv",)),
        ("claimsdb.public.claims", ("db/claims.sql",)),
    )


def test_paths_alone_are_a_scope(tmp_path: Path) -> None:
    cfg = parse_scope({"paths": ["a/**"]}, tmp_path)
    assert cfg.problems == () and cfg.enabled
    assert parse_scope({}, tmp_path).problems
