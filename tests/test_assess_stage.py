"""The assess stage against a case store, and what-if scenario files."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from breachscope.assess import AssessInputError, assess_scenario, run_assess, write_obligations
from breachscope.case import Case, Client, Incident, ReportingEntity, Settings
from breachscope.store import connect

D = dt.date(2025, 2, 6)


def _case(tmp_path: Path, role: str = "business_associate", raw: dict | None = None) -> Case:
    return Case(
        path=tmp_path / "case.toml",
        evidence=tmp_path / "evidence",
        incident=Incident(name="test", discovery_date=D, access_start=None, access_end=None),
        reporting_entity=ReportingEntity(name="Vendor LLC", role=role),
        clients=(
            Client(
                id="north",
                name="North Clinic",
                kind="provider",
                covered_entity=True,
                paths=("north/**",),
            ),
            Client(
                id="shop", name="Gift Shop", kind="other", covered_entity=False, paths=("shop/**",)
            ),
        ),
        settings=Settings(),
        raw=raw or {},
    )


def _person(
    con,
    pid,
    state,
    clients,
    elements,
    *,
    minor=False,
    deceased=False,
    street="1 Main St",
    zip_="00000",
):
    con.execute(
        "INSERT INTO individuals (individual_id, state, street, zip, is_minor, is_deceased, client_ids, elements)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [pid, state, street, zip_, minor, deceased, clients, elements],
    )


@pytest.fixture
def store(tmp_path: Path):
    con = connect(tmp_path / "case.duckdb")
    phi = ["name", "address", "dob", "ssn", "diagnosis"]
    con.execute(
        "INSERT INTO individuals (individual_id, state, street, zip, is_minor, is_deceased, client_ids, elements)"
        " SELECT 'ca' || i, 'CA', '1 Main St', '00000', false, false, ['north'], ? FROM range(501) t(i)",
        [phi],
    )
    for i in range(12):
        _person(con, f"tx{i}", "TX", ["north"], phi, street="" if i < 11 else "2 Elm")
    _person(con, "kid", "MA", ["north"], phi, minor=True)
    _person(con, "late", "MA", ["north"], phi, deceased=True, street="")
    _person(con, "nowhere", None, ["north"], ["name", "diagnosis"])
    _person(con, "both", "CT", ["north", "shop"], ["name", "ssn"])
    _person(con, "stray", "NY", [], ["name", "ssn"])
    yield con
    con.close()


def test_run_assess_writes_table_and_files(tmp_path: Path, store):
    case = _case(tmp_path)
    summary = run_assess(case, store)
    assert summary["clients"] == 3  # north, shop, unattributed
    assert summary["individuals"] == 501 + 12 + 2 + 1 + 1 + 1 + 1
    n = store.execute("SELECT count(*) FROM obligations").fetchone()[0]
    assert n == summary["obligations"] > 0
    rows = store.execute(
        "SELECT client_id, regime, jurisdiction, obligation, triggered, triggered_count, due, citation "
        "FROM obligations ORDER BY seq"
    ).fetchall()
    assert all(r[7] for r in rows)
    media = [r for r in rows if r[3] == "media_notice" and r[2] == "CA"]
    assert media and media[0][4] and media[0][5] == 501
    hhs = [r for r in rows if r[0] == "north" and r[3] == "hhs_notice"]
    assert hhs[0][5] == 517 and hhs[0][6] == dt.date(2025, 4, 7)
    # 11 TX residents + the deceased MA resident without an address: 11 unreachable (>= 10)
    sub = [r for r in rows if r[0] == "north" and r[1] == "HIPAA" and r[3] == "substitute_notice"]
    assert sub[0][5] == 11
    assert next(r for r in rows if r[3] == "notice_to_parent_or_guardian")[5] == 1
    assert next(r for r in rows if r[3] == "state_unknown")[5] == 1
    # the non-covered-entity client gets state duties only
    assert not [r for r in rows if r[0] == "shop" and r[1] == "HIPAA"]
    assert next(
        r for r in rows if r[0] == "shop" and r[1] == "CT" and r[3] == "credit_monitoring_offer"
    )[4]
    out = tmp_path / "out"
    assert (out.stat().st_mode & 0o777) == 0o700
    assert ((out / "obligations.json").stat().st_mode & 0o777) == 0o600
    data = json.loads((out / "obligations.json").read_text())
    assert len(data) == n and data[0]["obligation_id"]
    with (out / "obligations.csv").open() as fh:
        assert len(list(csv.DictReader(fh))) == n


def test_run_assess_is_idempotent(tmp_path: Path, store):
    case = _case(tmp_path)
    first = run_assess(case, store)
    second = run_assess(case, store)
    assert first == second
    assert store.execute("SELECT count(*) FROM obligations").fetchone()[0] == first["obligations"]
    paths = write_obligations(case, store, tmp_path / "elsewhere")
    assert {p.name for p in paths} == {"obligations.csv", "obligations.json"}


def test_case_assess_table_is_read_and_checked(tmp_path: Path, store):
    raw = {"assess": {"law_enforcement_delay": {"kind": "written", "until": dt.date(2025, 3, 8)}}}
    run_assess(_case(tmp_path, raw=raw), store)
    due = store.execute(
        "SELECT due FROM obligations WHERE regime = 'HIPAA' AND obligation = 'individual_notice' LIMIT 1"
    ).fetchone()[0]
    assert due == dt.date(2025, 5, 7)
    bad = {"assess": {"encrypted": "yes", "colour": 1}}
    with pytest.raises(AssessInputError) as exc:
        run_assess(_case(tmp_path, raw=bad), store)
    assert len(exc.value.problems) == 2


SCENARIO = """\
discovery_date = 2025-02-06
role = "business_associate"      # or "covered_entity"
hipaa = true
elements = ["name", "ssn", "dob", "diagnosis"]
encrypted = false
[residents]
CA = 600
TX = 300
"""


def test_scenario_file(tmp_path: Path):
    f = tmp_path / "scenario.toml"
    f.write_text(SCENARIO)
    recs = assess_scenario(f)
    assert recs == assess_scenario(str(f))
    assert json.dumps(recs)  # JSON-ready
    kinds = {(r["regime"], r["obligation"], r["jurisdiction"]) for r in recs if r["triggered"]}
    assert ("HIPAA", "media_notice", "CA") in kinds
    assert ("HIPAA", "notice_to_covered_entity", "") in kinds
    assert ("TX", "regulator_notice", "TX") in kinds
    assert ("CA", "credit_monitoring_offer", "CA") in kinds


def test_bad_scenario_lists_every_problem(tmp_path: Path):
    f = tmp_path / "bad.toml"
    f.write_text(
        'discovery_date = "Feb 6"\nrole = "vendor"\nhipaa = "yes"\n'
        'elements = ["name", "shoe_size"]\ncolour = 1\n[residents]\nCA = -3\nZZ = 4\n[minors]\nTX = 2\n'
    )
    with pytest.raises(AssessInputError) as exc:
        assess_scenario(f)
    text = str(exc.value)
    assert len(exc.value.problems) == 8, exc.value.problems
    for needle in (
        "discovery_date",
        "role",
        "hipaa",
        "shoe_size",
        "colour",
        "residents.CA",
        "ZZ",
        "minors.TX",
    ):
        assert needle in text


def test_missing_and_unparsable_scenarios(tmp_path: Path):
    with pytest.raises(AssessInputError, match="not found"):
        assess_scenario(tmp_path / "none.toml")
    (tmp_path / "x.toml").write_text("discovery_date = [")
    with pytest.raises(AssessInputError, match="not valid TOML"):
        assess_scenario(tmp_path / "x.toml")
    with pytest.raises(AssessInputError) as exc:
        assess_scenario({})
    assert len(exc.value.problems) == 3  # discovery_date, elements, residents
