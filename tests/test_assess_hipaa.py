"""HIPAA obligations from what-if scenarios: roles, thresholds, dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from breachscope.assess import assess_scenario

D = dt.date(2025, 2, 6)  # the Episource-like discovery date


def run(**kw: Any) -> list[dict]:
    scenario: dict[str, Any] = {
        "discovery_date": D,
        "role": "covered_entity",
        "hipaa": True,
        "elements": ["name", "dob", "diagnosis"],
        "residents": {"CA": 100},
    }
    scenario.update(kw)
    return assess_scenario(scenario)


def find(records: list[dict], obligation: str, regime: str = "HIPAA", **match: Any) -> list[dict]:
    return [
        r
        for r in records
        if r["obligation"] == obligation
        and r["regime"] == regime
        and all(r[k] == v for k, v in match.items())
    ]


def one(records: list[dict], obligation: str, regime: str = "HIPAA", **match: Any) -> dict:
    hits = find(records, obligation, regime, **match)
    assert len(hits) == 1, (obligation, regime, match, len(hits))
    return hits[0]


def test_every_record_cites_its_rule():
    recs = run(role="business_associate", residents={"CA": 600, "TX": 300, "IL": 40})
    assert recs
    for r in recs:
        assert r["citation"] and r["rule_id"], r
        assert r["recipient"] in {
            "individuals", "covered_entity", "hhs", "media", "attorney_general", "regulator",
            "consumer_reporting_agencies",
        }  # fmt: skip
        assert r["due"] == "" or dt.date.fromisoformat(r["due"])


def test_presumed_breach_is_recorded():
    r = one(run(), "breach_determination")
    assert r["triggered"] and r["rule_id"] == "H-2.2" and "presumed" in r["triggered_by"]


def test_individual_notice_60_calendar_days_no_weekend_rollover():
    # 2025-02-08 + 60 days = 2025-04-09; 2025-02-01 + 60 = 2025-04-02 ... pick one landing on a Sunday
    recs = run(discovery_date=dt.date(2025, 2, 4))  # + 60 = 2025-04-05, a Saturday
    r = one(recs, "individual_notice", jurisdiction="CA")
    assert r["due"] == "2025-04-05" and r["rule_id"] == "H-3.2" and r["day_kind"] == "calendar"


def test_covered_entity_role_has_no_ba_notice():
    recs = run(role="covered_entity")
    assert not find(recs, "notice_to_covered_entity")


def test_business_associate_notifies_the_covered_entity_within_60_days():
    recs = run(role="business_associate", residents={"CA": 600, "TX": 300})
    r = one(recs, "notice_to_covered_entity")
    assert r["duty_holder"] == "business_associate" and r["recipient"] == "covered_entity"
    assert r["due"] == "2025-04-07" and r["rule_id"] == "H-6.2" and r["triggered_count"] == 900
    assert any("identification of each individual" in c for c in r["content_requirements"])
    # ... and the covered entity's own duties are computed on its behalf
    assert one(recs, "individual_notice", jurisdiction="CA")["duty_holder"] == "covered_entity"
    assert one(recs, "hhs_notice")["triggered"]


def test_baa_contract_deadline_shortens_ba_notice():
    r = one(run(role="business_associate", baa_days=10), "notice_to_covered_entity")
    assert r["due"] == "2025-02-16"


def test_state_vendor_clock_is_earliest_binding_for_the_ba():
    recs = run(role="business_associate", elements=["name", "ssn"], residents={"FL": 50, "CA": 10})
    hipaa = one(recs, "notice_to_covered_entity")
    fl = one(recs, "notice_to_covered_entity", regime="FL")
    assert fl["due"] == "2025-02-16"  # Fla. Stat. § 501.171(6)(a): 10 days
    assert fl["earliest_binding"] and not hipaa["earliest_binding"]


@pytest.mark.parametrize(("n", "large"), [(499, False), (500, True), (501, True)])
def test_hhs_500_or_more_with_individual_notice(n, large):
    r = one(run(residents={"CA": n}), "hhs_notice")
    if large:
        assert r["rule_id"] == "H-5.2" and r["due"] == "2025-04-07"
    else:
        assert r["rule_id"] == "H-5.3" and r["due"] == "2026-03-01"


def test_hhs_threshold_counts_all_states_together():
    r = one(run(residents={"CA": 300, "TX": 300}), "hhs_notice")
    assert r["rule_id"] == "H-5.2" and r["triggered_count"] == 600


@pytest.mark.parametrize(
    ("discovery", "due"),
    [
        (dt.date(2023, 3, 1), "2024-02-29"),  # 2024 is a leap year
        (dt.date(2024, 11, 30), "2025-03-01"),
        (dt.date(2024, 1, 2), "2025-03-01"),
        (dt.date(2027, 6, 1), "2028-02-29"),
    ],
)
def test_annual_log_deadline_across_leap_years(discovery, due):
    r = one(run(discovery_date=discovery, residents={"TX": 20}), "hhs_notice")
    assert r["rule_id"] == "H-5.3" and r["due"] == due


@pytest.mark.parametrize(("n", "triggered"), [(500, False), (501, True)])
def test_media_more_than_500_residents_of_one_state(n, triggered):
    r = one(run(residents={"CA": n}), "media_notice", jurisdiction="CA")
    assert r["triggered"] is triggered and r["recipient"] == "media"
    assert r["due"] == ("2025-04-07" if triggered else "")


def test_media_is_per_state_not_national():
    recs = run(residents={"CA": 300, "TX": 300})
    assert not any(r["triggered"] for r in find(recs, "media_notice"))
    recs = run(residents={"CA": 501, "TX": 300})
    assert one(recs, "media_notice", jurisdiction="CA")["triggered"]
    assert not one(recs, "media_notice", jurisdiction="TX")["triggered"]


@pytest.mark.parametrize(("unreachable", "rule"), [(9, "H-3.9"), (10, "H-3.10")])
def test_substitute_notice_fewer_than_10_vs_10_or_more(unreachable, rule):
    r = one(run(residents={"CA": 100}, unreachable={"CA": unreachable}), "substitute_notice")
    assert r["rule_id"] == rule and r["triggered_count"] == unreachable
    if rule == "H-3.10":
        assert "90 days" in r["due_text"]
        assert any("toll-free" in c for c in r["content_requirements"])


def test_minors_and_deceased():
    recs = run(residents={"CA": 100}, minors={"CA": 7}, deceased={"CA": 3})
    m = one(recs, "notice_to_parent_or_guardian")
    assert m["triggered_count"] == 7 and m["rule_id"] == "H-3.7"
    k = one(recs, "notice_to_next_of_kin")
    assert k["triggered_count"] == 3 and k["rule_id"] == "H-3.6"


def test_written_law_enforcement_delay_moves_every_deadline():
    recs = run(
        role="business_associate",
        residents={"CA": 600},
        law_enforcement_delay={"kind": "written", "start": D, "until": dt.date(2025, 3, 8)},
    )
    assert one(recs, "individual_notice", jurisdiction="CA")["due"] == "2025-05-07"  # 60 + 30
    assert one(recs, "media_notice", jurisdiction="CA")["due"] == "2025-05-07"
    assert one(recs, "notice_to_covered_entity")["due"] == "2025-05-07"
    assert "law-enforcement" in one(recs, "individual_notice", jurisdiction="CA")["due_text"]


def test_oral_law_enforcement_delay_is_at_most_30_days():
    recs = run(law_enforcement_delay={"kind": "oral", "start": D, "until": dt.date(2025, 6, 1)})
    assert one(recs, "individual_notice", jurisdiction="CA")["due"] == "2025-05-07"


def test_low_probability_risk_assessment_ends_hipaa_duties():
    factors = {
        "nature_and_extent": "names only",
        "unauthorized_person": "another covered entity",
        "acquired_or_viewed": "not opened",
        "mitigation": "returned and attested destroyed",
    }
    recs = run(risk_assessment={**factors, "outcome": "low_probability"})
    d = one(recs, "breach_determination")
    assert not d["triggered"] and d["rule_id"] == "H-2.3"
    assert not find(recs, "individual_notice") and not find(recs, "hhs_notice")


def test_incomplete_risk_assessment_stays_a_breach():
    recs = run(risk_assessment={"nature_and_extent": "names", "outcome": "low_probability"})
    d = one(recs, "breach_determination")
    assert d["triggered"] and "unknown" in d["triggered_by"]
    assert one(recs, "hhs_notice")["triggered"]


def test_encrypted_phi_with_safe_key_is_not_unsecured():
    recs = run(encrypted=True, elements=["name", "ssn"])
    d = one(recs, "breach_determination")
    assert not d["triggered"] and d["rule_id"] == "H-2.7"
    assert not find(recs, "hhs_notice")
    assert not one(recs, "individual_notice", regime="CA")["triggered"]  # state safe harbor too
    recs = run(encrypted=True, key_compromised=True, elements=["name", "ssn"])
    assert one(recs, "breach_determination")["triggered"]
    ca = one(recs, "individual_notice", regime="CA")
    assert ca["triggered"] and "key" in ca["triggered_by"]


def test_non_hipaa_data_gets_state_duties_only():
    recs = run(hipaa=False, elements=["name", "ssn"])
    assert not [r for r in recs if r["regime"] == "HIPAA"]
    assert one(recs, "individual_notice", regime="CA")["triggered"]


def test_unknown_state_is_reported_never_dropped():
    recs = run(residents={"CA": 10, "unknown": 4})
    u = one(recs, "state_unknown", regime="unknown")
    assert u["triggered_count"] == 4 and u["jurisdiction"] == "unknown"
    assert one(recs, "individual_notice", jurisdiction="unknown")["triggered_count"] == 4
