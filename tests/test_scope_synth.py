"""Generated logs → parse → accessed set reproduces the generator's truth exactly."""

from __future__ import annotations

import datetime as dt
import random
import tomllib
from pathlib import Path

import pytest

from breachscope.case import _Lines
from breachscope.scope import compute_accessed_set, parse_scope
from breachscope.scope.synth_logs import write_logs

UTC = dt.UTC
WINDOW = (dt.datetime(2025, 1, 27, tzinfo=UTC), dt.datetime(2025, 2, 6, 23, 59, 59, tzinfo=UTC))
ACCOUNTS = ["svc_scan", "CORP\\jdoe-adm"]
IPS = ["203.0.113.0/24", "198.51.100.7"]


def _evidence(root: Path, seed: int) -> list[str]:
    rng = random.Random(seed)
    clients = ["mercy-valley-health", "lakeside-health-plan", "orchid clinic"]
    kinds = ["claims", "rosters", "charts/2024", "labs"]
    names = [
        "members",
        "claims_q4",
        "Patient Chart 0042",
        "résumé-coding",
        "lab%20results",
        "export+1",
    ]
    paths = sorted(
        {f"{rng.choice(clients)}/{rng.choice(kinds)}/{rng.choice(names)}{rng.randint(0, 9)}{rng.choice(['.csv', '.pdf', '.xlsx', '.hl7'])}" for _ in range(40)}
        | {"mercy-valley-health/old/a.csv", "mercy-valley-health/old/b.csv", "readme.txt"}
    )  # fmt: skip
    for p in paths:
        f = root / p
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(b"x" * rng.randint(0, 3000))
    return paths


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_round_trip_reproduces_the_true_accessed_set(tmp_path: Path, seed: int) -> None:
    evidence_root = tmp_path / "evidence"
    evidence = _evidence(evidence_root, seed)
    rng = random.Random(seed)
    accessed = set(rng.sample(evidence, len(evidence) // 3)) | {
        "mercy-valley-health/old/a.csv",
        "mercy-valley-health/old/b.csv",
    }
    truth = write_logs(
        tmp_path / "logs", evidence, accessed, seed, WINDOW, ACCOUNTS, IPS,
        case_dir=tmp_path, evidence_root=evidence_root,
    )  # fmt: skip
    assert truth["accessed"] == accessed

    # The snippet goes into case.toml as it is.
    text = truth["scope_toml"]
    cfg = parse_scope(tomllib.loads(text)["scope"], tmp_path, _Lines(text))
    assert cfg.problems == ()
    sizes = {p: (evidence_root / p).stat().st_size for p in evidence}
    assert sizes == truth["sizes"]
    result = compute_accessed_set(cfg, evidence, sizes=sizes)

    assert result.accessed_paths() == truth["accessed"]
    assert {p: result.files[p].action for p in result.accessed_paths()} == truth["labels"]
    assert {p for p, r in result.files.items() if r.action == "listed"} == truth["listed_only"]
    assert {m.path: m.action for m in result.files_missing_from_evidence()} == truth[
        "missing_from_evidence"
    ]
    for table, path in truth["tables"].items():
        assert table in (result.status(path).tables or set())
    # Staff did touch accessed files, and the intruder was busy outside the window.
    assert result.counts["other actor"] > 0 and result.counts["outside window"] > 0
    # Every format is exercised, and each log carries malformed lines that were skipped.
    formats = {f for lr in result.logs for f in lr.formats}
    assert formats == {
        "windows-csv",
        "windows-xml",
        "samba",
        "sftp",
        "auditd",
        "web",
        "s3",
        "cloudtrail",
        "pgaudit",
    }
    assert all(lr.n_malformed > 0 for lr in result.logs if lr.formats != ["cloudtrail"])
    assert all(result.status(p).in_scope for p in accessed)
    assert not any(result.status(p).in_scope for p in set(evidence) - accessed)


def test_same_seed_same_logs(tmp_path: Path) -> None:
    evidence = _evidence(tmp_path / "evidence", 5)
    accessed = set(evidence[:10])
    a = write_logs(tmp_path / "a", evidence, accessed, 5, WINDOW, ACCOUNTS, IPS, case_dir=tmp_path)
    b = write_logs(tmp_path / "b", evidence, accessed, 5, WINDOW, ACCOUNTS, IPS, case_dir=tmp_path)
    for name in sorted(p.name for p in (tmp_path / "a").iterdir()):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert a["labels"] == b["labels"]


def test_ip_only_and_date_window(tmp_path: Path) -> None:
    evidence = _evidence(tmp_path / "evidence", 9)
    accessed = set(evidence[::4])
    window = (dt.date(2025, 1, 27), dt.date(2025, 2, 6))
    truth = write_logs(
        tmp_path / "logs", evidence, accessed, 9, window, [], ["203.0.113.0/24"], case_dir=tmp_path
    )
    cfg = parse_scope(tomllib.loads(truth["scope_toml"])["scope"], tmp_path)
    assert cfg.problems == ()
    result = compute_accessed_set(cfg, evidence, sizes=truth["sizes"])
    assert result.accessed_paths() == accessed


def test_bad_requests_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_logs(tmp_path, ["a.csv"], {"b.csv"}, 1, WINDOW, ACCOUNTS, IPS)
    with pytest.raises(ValueError):
        write_logs(tmp_path, ["a.csv"], {"a.csv"}, 1, WINDOW, [], [])


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(100, 130))
def test_round_trip_over_random_windows_and_actors(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    evidence = _evidence(tmp_path / "evidence", seed)
    accessed = set(rng.sample(evidence, rng.randint(0, len(evidence))))
    start = dt.datetime(
        2024, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), tzinfo=UTC
    )
    end = start + dt.timedelta(days=rng.randint(0, 20), seconds=rng.randint(0, 86400))
    if rng.random() < 0.3:
        end = end.replace(microsecond=500000)
    accounts = rng.choice([["svc_scan"], ["CORP\\jdoe-adm", "svc_scan"], [], ["jdoe@corp.example"]])
    ips = rng.choice([["203.0.113.0/24"], ["198.51.100.7"], []]) if accounts else ["2001:db8::/32"]
    truth = write_logs(
        tmp_path / "logs", evidence, accessed, seed, (start, end), accounts, ips, case_dir=tmp_path
    )
    cfg = parse_scope(tomllib.loads(truth["scope_toml"])["scope"], tmp_path)
    assert cfg.problems == ()
    result = compute_accessed_set(cfg, evidence, sizes=truth["sizes"])
    assert result.accessed_paths() == accessed
    assert {p: result.files[p].action for p in accessed} == truth["labels"]
    assert {p for p, r in result.files.items() if r.action == "listed"} == truth["listed_only"]
