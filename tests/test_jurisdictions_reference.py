"""Each jurisdiction's thresholds and deadlines against the researched reference.

``REFERENCE`` is ../shared/reference/jurisdictions.json reduced to the numbers the engine
uses: (individual-notice days, [(regulator min residents, regulator days) …], CRA min
residents, credit-monitoring months, vendor-to-owner days). "more than N" is N + 1.
``DIVERGES`` lists where a data file deliberately differs, with the reason.
When the reference JSON is present it is re-read and must still agree with the table.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from breachscope.assess import assess_scenario
from breachscope.jurisdictions import CODES, load

TODAY = dt.date(2026, 6, 1)  # after every dated change in the files
REF_JSON = Path(__file__).resolve().parents[2] / "shared" / "reference" / "jurisdictions.json"

REFERENCE: dict[
    str, tuple[int | None, list[tuple[int, int | None]], int | None, int | None, int | None]
] = {
    "AL": (45, [(1001, 45)], 1001, None, 10),
    "AK": (None, [(1, None)], 1001, None, None),
    "AZ": (45, [(1001, 45), (1001, 45)], 1001, None, None),
    "AR": (None, [(1001, 45)], None, None, None),
    "CA": (30, [(501, 15)], None, 12, None),
    "CO": (30, [(500, 30)], 1001, None, None),
    "CT": (60, [(1, None)], None, 24, None),
    "DE": (60, [(501, None)], None, 12, None),
    "DC": (None, [(50, None)], 1001, 18, None),
    "FL": (30, [(500, 30)], 1001, None, 10),
    "GA": (None, [], 10001, None, 1),
    "GU": (None, [], None, None, None),
    "HI": (None, [(1001, None)], 1001, None, None),
    "ID": (None, [(1, 1)], None, None, None),
    "IL": (None, [(501, None), (1, 5)], None, None, None),
    "IN": (45, [(1, 45)], 1001, None, None),
    "IA": (None, [(501, 5)], None, None, None),
    "KS": (None, [], 1001, None, None),
    "KY": (None, [], 1001, None, None),
    "LA": (60, [(1, 10)], None, None, None),
    "ME": (30, [(1, None)], 1001, None, None),
    "MD": (45, [(1, None)], 1000, None, 10),
    "MA": (None, [(1, None)], None, 18, None),
    "MI": (None, [], 1001, None, None),
    "MN": (None, [], 501, None, None),
    "MS": (None, [], None, None, None),
    "MO": (None, [(1001, None)], 1001, None, None),
    "MT": (None, [(1, None)], None, None, None),
    "NE": (None, [(1, None)], None, None, None),
    "NV": (None, [], 1001, None, None),
    "NH": (None, [(1, None)], 1001, None, None),
    "NJ": (None, [(1, None)], 1001, None, None),
    "NM": (45, [(1001, 45)], 1001, None, None),
    "NY": (30, [(1, None), (1, None), (1, 5)], 5001, None, 30),
    "NC": (None, [(1, None)], 1001, None, None),
    "ND": (None, [(251, None)], None, None, None),
    "OH": (45, [], 1001, None, None),
    "OK": (None, [(500, 60)], None, None, None),
    "OR": (45, [(251, 45)], 1001, None, 10),
    "PA": (None, [(501, None)], 501, 12, None),
    "PR": (None, [(1, 10)], None, None, None),
    "RI": (45, [(501, None)], 501, None, None),
    "SC": (None, [(1001, None)], 1001, None, None),
    "SD": (60, [(251, None)], 1, None, None),
    "TN": (45, [], 1001, None, 45),
    "TX": (60, [(250, 30)], 10001, None, None),
    "VI": (None, [], None, None, None),
    "UT": (None, [(500, None)], 1000, None, None),
    "VT": (45, [(1, None)], 1001, None, None),
    "VA": (None, [(1, None), (1001, None)], 1001, None, None),
    "WA": (30, [(501, 30)], None, None, None),
    "WV": (None, [], 1001, None, None),
    "WI": (45, [], 1001, None, None),
    "WY": (None, [], None, None, None),
}

# Deliberate differences between the data files and the reference numbers.
DIVERGES = {
    # "OCABR names the CRAs … there is no numeric threshold": every breach -> 1.
    ("MA", "cra"): 1,
    # Reference deadline_days is null but its text says "within 14 business days of discovery".
    ("VT", "regulator_days"): {(1, None): (1, 14)},
}
# Regulators the files add to the reference's list (split out of its prose).
ADDED = {"CA-REG-2", "WA-REG-2"}


def test_table_matches_reference_json():
    if not REF_JSON.exists():
        pytest.skip("reference JSON not present")
    ref = json.loads(REF_JSON.read_text(encoding="utf-8"))
    for e in ref["jurisdictions"]:
        regs = [(r["threshold_min_residents"], r["deadline_days"]) for r in e["regulator_notice"]]
        cra = e["cra_notice_threshold"]["min_residents"] if e["cra_notice_threshold"] else None
        cm = e["credit_monitoring"]["months"] if e["credit_monitoring"] else None
        assert REFERENCE[e["code"]] == (
            e["individual_deadline_days"],
            regs,
            cra,
            cm,
            e["vendor_to_owner"]["days"],
        )


@pytest.mark.parametrize("code", CODES)
def test_numbers_match_reference(code):
    j = load(code)
    ind_days, regs, cra, cm, vendor = REFERENCE[code]
    ind = j.individual_notice_at(TODAY)
    assert ind is not None and ind.days == ind_days
    fixes: dict = DIVERGES.get((code, "regulator_days"), {})  # type: ignore[assignment]
    expected = [fixes.get(r, r) for r in regs]
    got = [(r.min_residents, r.days) for r in j.regulators_at(TODAY) if r.id not in ADDED]
    assert sorted(got, key=str) == sorted(expected, key=str)
    c = j.cra_notice_at(TODAY)
    assert (c.min_residents if c else None) == DIVERGES.get((code, "cra"), cra)
    m = j.credit_monitoring_at(TODAY)
    assert (m.months if m else None) == cm
    v = j.vendor_to_owner_at(TODAY)
    assert (v.days if v else None) == vendor


def _records(code: str, n: int, *, hipaa: bool = False) -> list[dict]:
    return assess_scenario(
        {
            "discovery_date": TODAY,
            "role": "covered_entity",
            "hipaa": hipaa,
            "elements": ["name", "ssn", "drivers_license", "bank_account", "username_password"],
            "residents": {code: n},
        }
    )


def _regulator_triggered(records: list[dict], rule_id: str) -> bool:
    hits = [r for r in records if r["obligation"] == "regulator_notice" and r["rule_id"] == rule_id]
    assert len(hits) == 1, rule_id
    return bool(hits[0]["triggered"])


@pytest.mark.parametrize("code", CODES)
def test_thresholds_at_the_boundary(code):
    """Exactly the minimum triggers; one fewer does not ("more than 500" -> 501)."""
    j = load(code)
    if j.scope_limit:
        recs = _records(code, 100_000)
        assert not any(r["triggered"] for r in recs)
        return
    for reg in j.regulators_at(TODAY):
        if reg.audience not in ("all", "non_hipaa_entities", "hipaa_entities"):
            continue
        hipaa = reg.audience == "hipaa_entities"
        if hipaa and j.hipaa.effect == "statute_inapplicable":
            continue
        assert _regulator_triggered(_records(code, reg.min_residents, hipaa=hipaa), reg.rule_id)
        if reg.min_residents > 1:
            assert not _regulator_triggered(
                _records(code, reg.min_residents - 1, hipaa=hipaa), reg.rule_id
            )
    cra = j.cra_notice_at(TODAY)
    if cra is not None:
        for n, expect in ((cra.min_residents, True), (cra.min_residents - 1, False)):
            if n < 1:
                continue
            hits = [r for r in _records(code, n) if r["obligation"] == "cra_notice"]
            assert len(hits) == 1 and hits[0]["triggered"] is expect, (code, n)


@pytest.mark.parametrize("code", CODES)
def test_individual_deadline_from_the_file(code):
    j = load(code)
    recs = _records(code, 10)
    ind = [r for r in recs if r["obligation"] == "individual_notice"]
    assert len(ind) == 1
    rule = j.individual_notice_at(TODAY)
    assert rule is not None
    if j.scope_limit:
        assert not ind[0]["triggered"]
        return
    assert ind[0]["triggered"] and ind[0]["citation"] and ind[0]["rule_id"].startswith(code)
    if rule.days is None:
        assert ind[0]["due"] == ""
    else:
        assert ind[0]["due"] == (TODAY + dt.timedelta(days=rule.days)).isoformat()
