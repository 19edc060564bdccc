"""The command line end to end on a small hand-made case (not the generator's)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from breachscope.cli import cli
from case_text import case_toml

CASE = case_toml("Test incident", plan=True)


@pytest.fixture
def small_case(tmp_path: Path) -> Path:
    ev = tmp_path / "evidence"
    (ev / "north").mkdir(parents=True)
    (ev / "plan").mkdir(parents=True)
    (ev / "north" / "patients.csv").write_text(
        "Patient Last,Patient First,Birth Date,Soc Sec #,Street,City,ST,Zip\n"
        "Quintero,Marisol,03/14/1961,512-44-3871,14 Alder Way,Tacoma,WA,98402\n"
        "Okafor,Chidi,1990-07-02,,77 Birch Rd,Boise,ID,83702\n",
        encoding="utf-8",
    )
    (ev / "plan" / "members.txt").write_text(
        "MEMBER_NAME|DOB|MEMBER_ID|PLAN\n"
        "QUINTERO, MARISOL|19610314|XZB400123456|Blue Lake Gold PPO\n",
        encoding="utf-8",
    )
    (ev / "north" / "empty.csv").write_bytes(b"")
    (tmp_path / "case.toml").write_text(CASE)
    return tmp_path


def test_check_good_and_bad(small_case: Path) -> None:
    r = CliRunner().invoke(cli, ["check", str(small_case)])
    assert r.exit_code == 0, r.output
    assert "2 client(s)" in r.output
    (small_case / "case.toml").write_text(CASE.replace('kind = "provider"', 'kind = "hospital"'))
    r = CliRunner().invoke(cli, ["check", str(small_case)])
    assert r.exit_code == 2
    assert "unknown kind 'hospital'" in r.output
    assert ":16:" in r.output


def test_unknown_case_path_is_one_line(tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["run", str(tmp_path / "nope")])
    assert r.exit_code == 2
    assert "case file not found" in r.output
    assert "Traceback" not in r.output


@pytest.mark.slow
def test_run_writes_outputs(small_case: Path) -> None:
    r = CliRunner().invoke(cli, ["run", "--quiet", str(small_case)])
    assert r.exit_code == 0, r.output
    assert "individuals:" in r.output
    out = small_case / "out"
    assert (out.stat().st_mode & 0o777) == 0o700
    with (out / "files.csv").open() as fh:
        files = {row["path"]: row for row in csv.DictReader(fh)}
    assert files["north/patients.csv"]["status"] == "processed"
    assert files["north/empty.csv"]["status"] in {"skipped", "failed"}
    assert files["north/empty.csv"]["reason"].startswith("empty")
    with (out / "individuals.csv").open() as fh:
        people = list(csv.DictReader(fh))
    assert ((out / "individuals.csv").stat().st_mode & 0o777) == 0o600
    by_last = {p["last_name"].upper(): p for p in people}
    assert set(by_last) == {"QUINTERO", "OKAFOR"}
    q = by_last["QUINTERO"]
    assert q["covered_entities"] == "north|plan"
    assert q["dob"] == "1961-03-14"
    assert q["state"] == "WA"
    assert {"name", "dob", "ssn", "address", "member_id", "health_plan"} <= set(
        q["elements"].split(";")
    )
    assert by_last["OKAFOR"]["state"] == "ID"
    assert "ssn" not in by_last["OKAFOR"]["elements"].split(";")
    # The store is encrypted: the SSN and the surname are not in the file's bytes.
    raw = (small_case / "case.duckdb").read_bytes()
    assert b"Quintero" not in raw and b"512443871" not in raw and b"512-44-3871" not in raw
    # explain: every element with where it was found, no values.
    qid = q["individual_id"]
    r = CliRunner().invoke(cli, ["explain", str(small_case), "--individual", qid])
    assert r.exit_code == 0, r.output
    assert "ssn (Social Security number)" in r.output
    assert "north/patients.csv [table, row 2, column 'Soc Sec #']" in r.output
    assert "512443871" not in r.output and "512-44-3871" not in r.output
    r = CliRunner().invoke(cli, ["explain", str(small_case), "--individual", "P-nope"])
    assert r.exit_code == 2 and "no individual" in r.output
    # review: a reviewer splits Quintero's two mentions; the split survives the re-run.
    from breachscope.case import load_case
    from breachscope.store import open_case_store

    con = open_case_store(load_case(small_case), read_only=True)
    mids = [
        m
        for (m,) in con.execute(
            "SELECT mention_id FROM individual_mentions WHERE individual_id = ? ORDER BY 1", [qid]
        ).fetchall()
    ]
    con.close()
    assert len(mids) == 2
    r = CliRunner().invoke(
        cli, ["review", str(small_case), "--split", *mids, "--by", "qa", "--apply"]
    )
    assert r.exit_code == 0, r.output
    with (out / "individuals.csv").open() as fh:
        assert [p["last_name"].upper() for p in csv.DictReader(fh)].count("QUINTERO") == 2
    r = CliRunner().invoke(cli, ["review", str(small_case), "--merge", *mids, "--apply"])
    assert r.exit_code == 0, r.output
    # Re-running is idempotent.
    r2 = CliRunner().invoke(cli, ["run", "--quiet", str(small_case)])
    assert r2.exit_code == 0, r2.output
    with (out / "individuals.csv").open() as fh:
        assert len(list(csv.DictReader(fh))) == 2
