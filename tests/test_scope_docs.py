"""docs/scope.md names every key and format, and its worked example holds."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo

from breachscope.scope import FORMAT_NAMES, compute_accessed_set, parse_scope
from breachscope.scope import synth_render as r
from breachscope.scope.config import KNOWN_KEYS, LOG_KEYS

DOC = Path(__file__).resolve().parents[1] / "docs" / "scope.md"
UTC = dt.UTC


def test_every_key_and_format_is_documented() -> None:
    text = DOC.read_text()
    for key in KNOWN_KEYS | LOG_KEYS:
        assert f"`{key}`" in text or f"{key} =" in text, key
    for name in FORMAT_NAMES:
        assert f"`{name}`" in text, name


def test_worked_example(tmp_path: Path) -> None:
    text = DOC.read_text()
    toml = re.search(r"`case.toml`:\n\n```toml\n(.*?)```", text, re.S)
    assert toml
    (tmp_path / "logs").mkdir()
    ny = ZoneInfo("America/New_York")

    def at(s: str) -> dt.datetime:
        return dt.datetime.strptime(s, "%m/%d/%Y %I:%M:%S %p").replace(tzinfo=ny).astimezone(UTC)

    host, logon, root = "FS01.corp.example", "0x5F3A21", "D:\\Shares\\Clients"
    events = [
        r.win_process(at("1/28/2025 10:15:00 PM"), host, "jdoe-adm", "CORP", logon,
                      "C:\\Program Files\\7-Zip\\7z.exe",
                      f'"C:\\Program Files\\7-Zip\\7z.exe" a -tzip C:\\Users\\Public\\p.zip {root}\\mercy\\claims'),
        r.win_read(at("1/28/2025 10:14:07 PM"), host, "jdoe-adm", "CORP", logon,
                   f"{root}\\mercy\\roster.csv", "C:\\Windows\\System32\\notepad.exe"),
        r.win_logon(at("1/28/2025 10:14:00 PM"), host, "jdoe-adm", "CORP", logon, "203.0.113.45"),
        r.win_read(at("1/29/2025 9:02:00 AM"), host, "mlopez", "CORP", "0x99",
                   f"{root}\\mercy\\roster.csv", "C:\\Windows\\System32\\notepad.exe"),
    ]  # fmt: skip
    (tmp_path / "logs" / "fs01-security.csv").write_text(r.win_csv(events, ny), encoding="utf-8")
    sftp = re.search(r"`logs/xfer01-auth.log`:\n\n```\n(.*?)```", text, re.S)
    assert sftp
    (tmp_path / "logs" / "xfer01-auth.log").write_text(sftp.group(1))

    cfg = parse_scope(tomllib.loads(toml.group(1))["scope"], tmp_path)
    assert cfg.problems == ()
    evidence = [
        "mercy/roster.csv",
        "mercy/claims/a.pdf",
        "mercy/claims/b.pdf",
        "lakeside/members.csv",
        "lakeside/plan.pdf",
    ]
    sizes = {p: 52344 if p == "lakeside/members.csv" else 9000 for p in evidence}
    got = compute_accessed_set(cfg, evidence, sizes=sizes)
    assert {p: f.action for p, f in got.files.items()} == {
        "mercy/roster.csv": "viewed",
        "mercy/claims/a.pdf": "copied",
        "mercy/claims/b.pdf": "copied",
        "lakeside/members.csv": "copied",
        "lakeside/plan.pdf": "listed",
    }
    roster = got.files["mercy/roster.csv"]
    assert roster.first == dt.datetime(2025, 1, 29, 3, 14, 7, tzinfo=UTC)
    assert roster.ips == {"203.0.113.45"} and roster.accounts == {"CORP\\jdoe-adm"}
    assert not got.status("lakeside/plan.pdf").in_scope
    assert [m.path for m in got.files_missing_from_evidence()] == ["lakeside/Q4 export.xlsx"]
