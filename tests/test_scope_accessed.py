"""The accessed set: window, actors, path mapping, labels, gaps, report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from breachscope.scope import Access, LogResult, compute_accessed_set, parse_scope
from breachscope.scope.config import ScopeConfig
from breachscope.scope.paths import normalise

UTC = dt.UTC
T0 = dt.datetime(2025, 1, 28, 3, 14, 7, tzinfo=UTC)
EVIDENCE = [
    "mercy/roster.csv",
    "mercy/claims.xlsx",
    "mercy/Jane Doe chart.pdf",
    "mercy/labs/a.hl7",
    "mercy/labs/b.hl7",
    "lakeside/members.csv",
    "lakeside/archive.zip",
    "lakeside/archive.zip!inner/c.csv",
    "db/claimsdb.sql",
    "db/public.providers.csv",
]
SIZES = {p: 1000 for p in EVIDENCE}


def _cfg(tmp_path: Path, **extra: object) -> ScopeConfig:
    raw: dict[str, object] = {
        "logs": [],
        "start": dt.datetime(2025, 1, 27, tzinfo=UTC),
        "end": dt.datetime(2025, 2, 6, 23, 59, 59, tzinfo=UTC),
        "accounts": ["svc_scan", "CORP\\jdoe-adm"],
        "ips": ["203.0.113.0/24", "198.51.100.7"],
        "path_map": [
            {"from": "\\\\fs01\\clients\\", "to": ""},
            {"from": "D:\\Shares\\Clients", "to": ""},
            {"from": "s3://acme-clients/", "to": ""},
            {"from": "/files/", "to": ""},
        ],
        **extra,
    }
    cfg = parse_scope(raw, tmp_path)
    assert [m for _, m in cfg.problems if "not found" not in m] == []
    return cfg


def _acc(path: str, action: str = "viewed", *, account: str = "svc_scan", ip: str = "",
         time: dt.datetime = T0, **kw: object) -> Access:  # fmt: skip
    return Access(time, account, ip, path, action, "test.log", 1, **kw)  # type: ignore[arg-type]


def _run(cfg: ScopeConfig, *accesses: Access, evidence: list[str] = EVIDENCE):  # type: ignore[no-untyped-def]
    lr = LogResult("test.log", formats=["test"], accesses=list(accesses))
    return compute_accessed_set(cfg, evidence, sizes=SIZES, log_results=[lr])


def test_window_and_actor_filter(tmp_path: Path) -> None:
    cfg = _cfg(tmp_path)
    end = dt.datetime(2025, 2, 6, 23, 59, 59, 999000, tzinfo=UTC)
    a = _run(
        cfg,
        _acc("D:\\Shares\\Clients\\mercy\\roster.csv", time=dt.datetime(2025, 1, 27, tzinfo=UTC)),
        _acc("D:\\Shares\\Clients\\mercy\\claims.xlsx", time=end),
        _acc("D:\\Shares\\Clients\\lakeside\\members.csv", time=end + dt.timedelta(milliseconds=1)),
        _acc("D:\\Shares\\Clients\\mercy\\labs\\a.hl7", account="mlopez", ip="10.1.2.3"),
        _acc("D:\\Shares\\Clients\\mercy\\labs\\b.hl7", account="nobody", ip="203.0.113.77"),
        _acc("/files/mercy/Jane%20Doe%20chart.pdf", account="CORP\\JDOE-ADM"),
    )
    assert a.accessed_paths() == {
        "mercy/roster.csv",
        "mercy/claims.xlsx",
        "mercy/labs/b.hl7",
        "mercy/Jane Doe chart.pdf",
    }
    assert a.counts["outside window"] == 1 and a.counts["other actor"] == 1


@pytest.mark.parametrize(
    "logged",
    [
        "\\\\fs01\\clients\\mercy\\roster.csv",
        "\\\\FS01\\CLIENTS\\MERCY\\ROSTER.CSV",
        "\\\\?\\UNC\\fs01\\clients\\mercy\\roster.csv",
        "D:\\Shares\\Clients\\mercy\\roster.csv",
        "\\??\\D:\\Shares\\Clients\\mercy\\roster.csv",
        "d:/shares/clients/mercy/./sub/../roster.csv",
        "s3://acme-clients/mercy/roster.csv",
        "/files/mercy/roster.csv",
        "/srv/elsewhere/mercy/roster.csv",  # no rule: matched by its tail
        "mercy/roster.csv",  # already relative
    ],
)
def test_path_forms_map_to_one_evidence_file(tmp_path: Path, logged: str) -> None:
    a = _run(_cfg(tmp_path), _acc(logged))
    assert a.accessed_paths() == {"mercy/roster.csv"}


def test_unmapped_paths_are_counted_not_guessed(tmp_path: Path) -> None:
    cfg = _cfg(tmp_path, suffix_match=False)
    a = _run(cfg, _acc("/srv/elsewhere/mercy/roster.csv"), _acc("C:\\Windows\\Temp\\x.dll"))
    assert a.accessed_paths() == set()
    assert a.counts["outside the evidence tree"] == 2
    assert a.unmapped == {"/srv/elsewhere/mercy": 1, "C:/Windows/Temp": 1}


def test_normalise() -> None:
    assert normalise("\\\\fs01\\clients\\\\a\\..\\b.csv") == "//fs01/clients/b.csv"
    assert normalise('"C:\\x\\y"') == "C:/x/y"
    assert normalise("S3://bkt/a//b") == "s3://bkt/a/b"


def test_labels_viewed_copied_listed(tmp_path: Path) -> None:
    cfg = _cfg(tmp_path)
    a = _run(
        cfg,
        _acc("/files/mercy/roster.csv", "copied"),  # HTTP 200 GET: transfer out
        _acc("/files/mercy/roster.csv", "viewed"),  # the stronger label stays
        _acc("/files/mercy/claims.xlsx", "copied", bytes_read=10),  # partial: a view
        _acc("/files/mercy/Jane Doe chart.pdf", "viewed", bytes_read=1000),  # read it all: a copy
        _acc("D:\\Shares\\Clients\\mercy", "viewed"),  # ReadData on a folder = a listing
    )
    labels = {p: r.action for p, r in a.files.items()}
    assert labels == {
        "mercy/roster.csv": "copied",
        "mercy/claims.xlsx": "viewed",
        "mercy/Jane Doe chart.pdf": "copied",
    }
    assert set(a.directories) == {"mercy"}
    assert a.accessed_paths() == set(labels)


def test_listing_exposes_names_only(tmp_path: Path) -> None:
    for include in (False, True):
        cfg = _cfg(tmp_path, include_listed=include)
        a = _run(cfg, _acc("\\\\fs01\\clients\\mercy\\labs", "listed"))
        assert {p: r.action for p, r in a.files.items()} == {
            "mercy/labs/a.hl7": "listed",
            "mercy/labs/b.hl7": "listed",
        }
        st = a.status("mercy/labs/a.hl7")
        assert st.in_scope is include
        assert st.reason == ("" if include else "listed_only")


def test_archive_or_transfer_of_a_folder_copies_everything_under_it(tmp_path: Path) -> None:
    cfg = _cfg(tmp_path)
    a = _run(
        cfg,
        _acc("D:\\Shares\\Clients\\mercy", "copied", recursive=True, detail="7z"),
        _acc("s3://acme-clients/lakeside/", "listed", recursive=True),
    )
    assert {p for p, r in a.files.items() if r.action == "copied"} == {
        "mercy/roster.csv", "mercy/claims.xlsx", "mercy/Jane Doe chart.pdf",
        "mercy/labs/a.hl7", "mercy/labs/b.hl7",
    }  # fmt: skip
    assert a.files["lakeside/members.csv"].action == "listed"


def test_wildcards_in_commands(tmp_path: Path) -> None:
    a = _run(_cfg(tmp_path), _acc("D:\\Shares\\Clients\\mercy\\*.CSV", "copied", detail="7z"))
    assert a.accessed_paths() == {"mercy/roster.csv"}


def test_files_missing_from_evidence(tmp_path: Path) -> None:
    a = _run(
        _cfg(tmp_path),
        _acc("\\\\fs01\\clients\\mercy\\Q4 export.xlsx", "copied"),
        _acc("\\\\fs01\\clients\\gone", "listed"),
        _acc("C:\\Users\\Public\\stage.zip", "copied"),  # outside the evidence tree: not a gap
    )
    assert [(m.path, m.action) for m in a.files_missing_from_evidence()] == [
        ("mercy/Q4 export.xlsx", "copied")
    ]
    rep = a.report()
    assert rep.missing_from_evidence[0]["path"] == "mercy/Q4 export.xlsx"
    assert rep.totals["missing_from_evidence"] == 1


def test_status_for_archive_members_and_unaccessed_files(tmp_path: Path) -> None:
    a = _run(_cfg(tmp_path), _acc("/files/lakeside/archive.zip", "copied", ip="203.0.113.5"))
    st = a.status("lakeside/archive.zip!inner/c.csv")
    assert st.in_scope and st.access == "copied" and st.first == T0 and st.accounts == ("svc_scan",)
    assert a.status("LAKESIDE/ARCHIVE.ZIP").in_scope
    assert a.status("mercy/roster.csv") == type(st)(False, "not_accessed")


def test_scope_off_keeps_everything(tmp_path: Path) -> None:
    a = compute_accessed_set(parse_scope(None, tmp_path), EVIDENCE)
    assert a.status("anything").in_scope


def test_database_tables_map_to_dumps(tmp_path: Path) -> None:
    cfg = _cfg(
        tmp_path,
        tables={
            "public.members": ["db/claimsdb.sql", "lakeside/members.csv"],
            "public.claims": ["db/claimsdb.sql"],
        },
    )
    a = _run(
        cfg,
        _acc("pg://claimsdb/public.members", table="claimsdb.public.members"),
        _acc("pg://claimsdb/public.claims", "copied", table="claimsdb.public.claims"),
        _acc("pg://claimsdb/public.providers", table="claimsdb.public.providers"),  # by file name
        _acc("pg://claimsdb/public.audit", table="claimsdb.public.audit"),  # no dump at all
    )
    st = a.status("db/claimsdb.sql")
    assert (
        st.in_scope
        and st.tables == frozenset({"public.members", "public.claims"})
        and st.access == "copied"
    )
    assert a.status("lakeside/members.csv").tables == frozenset({"public.members"})
    assert a.status("db/public.providers.csv").in_scope
    rep = a.report()
    assert [t["table"] for t in rep.tables] == [
        "claimsdb.public.audit", "claimsdb.public.claims", "claimsdb.public.members", "claimsdb.public.providers",
    ]  # fmt: skip
    assert rep.tables[0]["evidence_files"] == []


def test_whole_file_read_overrides_table_restriction(tmp_path: Path) -> None:
    cfg = _cfg(tmp_path, tables={"public.members": ["db/claimsdb.sql"]})
    a = _run(
        cfg,
        _acc("pg://claimsdb/public.members", table="claimsdb.public.members"),
        _acc("/files/db/claimsdb.sql", "copied"),
    )
    assert a.status("db/claimsdb.sql").tables is None


def test_paths_listed_in_the_case_file(tmp_path: Path) -> None:
    cfg = parse_scope({"paths": ["mercy/labs/**"]}, tmp_path)
    a = compute_accessed_set(cfg, EVIDENCE)
    assert a.accessed_paths() == {"mercy/labs/a.hl7", "mercy/labs/b.hl7"}


def test_report_per_day_account_client(tmp_path: Path) -> None:
    day2 = T0 + dt.timedelta(days=1)
    a = _run(
        _cfg(tmp_path),
        _acc("/files/mercy/roster.csv", "copied", account="corp\\jdoe-adm"),
        _acc("/files/mercy/claims.xlsx", "viewed", account="jdoe-adm", time=day2),
        _acc("/files/lakeside/members.csv", "copied", account="", ip="198.51.100.7", time=day2),
    )
    rep = a.report(lambda p: ["mercy-valley-health"] if p.startswith("mercy/") else [])
    assert rep.per_day == [
        {"day": "2025-01-28", "files": 1, "bytes": 1000},
        {"day": "2025-01-29", "files": 2, "bytes": 2000},
    ]
    assert rep.per_account == [
        {"account": "198.51.100.7", "files": 1, "bytes": 1000, "viewed": 0, "copied": 1},
        {"account": "CORP\\jdoe-adm", "files": 2, "bytes": 2000, "viewed": 1, "copied": 1},
    ]
    assert rep.per_client == [
        {"client": "(no client)", "files": 1, "bytes": 1000, "copied": 1, "viewed": 0},
        {"client": "mercy-valley-health", "files": 2, "bytes": 2000, "copied": 1, "viewed": 1},
    ]
    assert rep.totals["files_in_scope"] == 3 and rep.totals["copied"] == 2
    rows = a.rows()
    assert rows[0]["path"] == "lakeside/members.csv" and rows[0]["sources"] == ["test.log:1"]


def test_end_to_end_from_log_files(tmp_path: Path) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "access.log").write_text(
        '203.0.113.5 - - [28/Jan/2025:03:14:07 +0000] "GET /files/mercy/Jane%20Doe%20chart.pdf HTTP/1.1" 200 1000 "-" "curl"\n'
        '10.0.0.9 - mlopez [28/Jan/2025:03:14:07 +0000] "GET /files/mercy/roster.csv HTTP/1.1" 200 1000 "-" "curl"\n'
    )
    cfg = _cfg(tmp_path, logs=["logs/access.log", "logs/absent.log"])
    assert cfg.problems  # the absent log is a case-file problem …
    a = compute_accessed_set(cfg, EVIDENCE)  # … and, if run anyway, a counted one
    assert a.accessed_paths() == {"mercy/Jane Doe chart.pdf"}
    assert [lr.formats for lr in a.logs] == [["web"], []]
    assert "cannot open: FileNotFoundError" in a.logs[1].malformed
