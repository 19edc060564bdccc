"""State-law obligations: monitoring, regulator deadlines, dated rules, HIPAA deeming."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from breachscope.assess import assess_scenario
from breachscope.assess.dates import add_business_days, federal_holidays, year_end_plus

D = dt.date(2025, 2, 6)  # Thursday


def run(**kw: Any) -> list[dict]:
    scenario: dict[str, Any] = {
        "discovery_date": D,
        "role": "covered_entity",
        "hipaa": False,
        "elements": ["name", "ssn", "dob"],
        "residents": {"CA": 100},
    }
    scenario.update(kw)
    return assess_scenario(scenario)


def find(records: list[dict], regime: str, obligation: str, **match: Any) -> list[dict]:
    return [
        r
        for r in records
        if r["regime"] == regime
        and r["obligation"] == obligation
        and all(r[k] == v for k, v in match.items())
    ]


def one(records: list[dict], regime: str, obligation: str, **match: Any) -> dict:
    hits = find(records, regime, obligation, **match)
    assert len(hits) == 1, (regime, obligation, match, [h["rule_id"] for h in hits])
    return hits[0]


# --------------------------------------------------------------------------- dates


def test_business_days_skip_weekends_only_by_default():
    assert add_business_days(dt.date(2025, 4, 7), 5) == dt.date(2025, 4, 14)
    # Memorial Day 2025-05-26 counts unless holidays are asked for.
    assert add_business_days(dt.date(2025, 5, 23), 1) == dt.date(2025, 5, 26)
    assert add_business_days(dt.date(2025, 5, 23), 1, holidays=True) == dt.date(2025, 5, 27)
    assert dt.date(2025, 7, 4) in federal_holidays(2025)
    assert dt.date(2021, 12, 31) in federal_holidays(2021)  # 2022-01-01 is a Saturday


def test_year_end_plus_60():
    assert year_end_plus(dt.date(2023, 7, 1), 60) == dt.date(2024, 2, 29)
    assert year_end_plus(dt.date(2025, 7, 1), 60) == dt.date(2026, 3, 1)


# --------------------------------------------------------------------------- PI test


def test_state_pi_test_needs_name_plus_element():
    recs = run(elements=["name", "dob", "diagnosis"], residents={"TX": 10, "NJ": 10})
    # TX: health information identifying the person counts (standalone); NJ: it does not.
    assert one(recs, "TX", "individual_notice")["triggered"]
    nj = one(recs, "NJ", "individual_notice")
    assert not nj["triggered"] and "none with elements" in nj["triggered_by"]


def test_payment_card_alone_vs_with_code():
    recs = run(elements=["name", "payment_card"], residents={"MA": 10, "TX": 10})
    assert one(recs, "MA", "individual_notice")["triggered"]  # card number alone
    assert not one(recs, "TX", "individual_notice")["triggered"]  # needs the access code
    recs = run(elements=["name", "payment_card", "username_password"], residents={"TX": 10})
    assert one(recs, "TX", "individual_notice")["triggered"]


def test_dc_counts_phone_or_address_as_identifier():
    recs = run(elements=["phone", "ssn"], residents={"DC": 10, "MD": 10})
    assert one(recs, "DC", "individual_notice")["triggered"]
    assert not one(recs, "MD", "individual_notice")["triggered"]


# --------------------------------------------------------------------------- credit monitoring


@pytest.mark.parametrize(
    ("code", "months"), [("CT", 24), ("DE", 12), ("DC", 18), ("MA", 18), ("CA", 12), ("PA", 12)]
)
def test_credit_monitoring_states(code, months):
    r = one(run(residents={code: 40}), code, "credit_monitoring_offer")
    assert r["triggered"] and r["credit_monitoring_months"] == months and r["triggered_count"] == 40
    assert r["recipient"] == "individuals" and r["citation"]
    none = one(
        run(
            elements=["name", "drivers_license"]
            if code != "PA"
            else ["name", "username_password", "payment_card"],
            residents={code: 40},
        ),
        code,
        "credit_monitoring_offer",
    )
    if code not in ("CA",):
        assert not none["triggered"]


def test_credit_monitoring_survives_hipaa_deeming():
    recs = run(hipaa=True, residents={"CT": 40, "MA": 40})
    assert one(recs, "CT", "credit_monitoring_offer")["triggered"]
    ma = one(recs, "MA", "credit_monitoring_offer")
    assert ma["triggered"] and ma["due"] == "2025-04-07"  # offered in the HIPAA letter


def test_no_monitoring_outside_those_states():
    recs = run(residents={"NY": 40, "TX": 40})
    assert not find(recs, "NY", "credit_monitoring_offer") and not find(
        recs, "TX", "credit_monitoring_offer"
    )


def test_pa_monitoring_and_ag_notice_start_2024_09_26():
    before = run(discovery_date=dt.date(2024, 9, 1), residents={"PA": 600})
    after = run(discovery_date=dt.date(2024, 10, 1), residents={"PA": 600})
    assert not find(before, "PA", "credit_monitoring_offer") and not find(
        before, "PA", "regulator_notice"
    )
    assert not one(before, "PA", "cra_notice")["triggered"]  # more than 1,000 then
    assert one(after, "PA", "credit_monitoring_offer")["triggered"]
    assert one(after, "PA", "regulator_notice")["triggered"]
    assert one(after, "PA", "cra_notice")["triggered"]  # more than 500 now


# --------------------------------------------------------------------------- regulators


def test_illinois_ag_5_business_days_after_hhs_filing():
    recs = run(hipaa=True, residents={"IL": 600})
    r = one(recs, "IL", "regulator_notice")
    assert (
        r["rule_id"] == "IL-REG-2" and r["anchor"] == "hhs_filing" and r["day_kind"] == "business"
    )
    assert r["due"] == "2025-04-14"  # HHS due Mon 2025-04-07 + 5 business days
    # < 500: HHS annual report due Sun 2026-03-01 -> Fri 2026-03-06
    r = one(run(hipaa=True, residents={"IL": 20}), "IL", "regulator_notice")
    assert r["due"] == "2026-03-06"
    # a HIPAA breach counts even without 'personal information' under PIPA
    r = one(
        run(hipaa=True, elements=["name", "mrn"], residents={"IL": 3}), "IL", "regulator_notice"
    )
    assert r["triggered"] and r["triggered_count"] == 3


def test_illinois_non_hipaa_ag_more_than_500():
    assert not one(run(residents={"IL": 500}), "IL", "regulator_notice")["triggered"]
    r = one(run(residents={"IL": 501}), "IL", "regulator_notice")
    assert r["triggered"] and r["rule_id"] == "IL-REG-1"


def test_new_york_ag_after_hhs_and_with_notice():
    recs = run(hipaa=True, residents={"NY": 10})
    hhs_based = one(recs, "NY", "regulator_notice", rule_id="NY-REG-3")
    assert hhs_based["due"] == "2026-03-06" and hhs_based["day_kind"] == "business"
    ag = one(recs, "NY", "regulator_notice", rule_id="NY-REG-1")
    # "with notice": HIPAA notice is deemed to satisfy NY's individual duty, so HIPAA's date
    assert ag["triggered"] and ag["due"] == "2025-04-07"
    ag = one(run(residents={"NY": 10}), "NY", "regulator_notice", rule_id="NY-REG-1")
    assert ag["due"] == "2025-03-08"  # non-HIPAA: NY's own 30 days


def test_iowa_5_business_days_after_consumer_notice():
    r = one(run(hipaa=True, residents={"IA": 501}), "IA", "regulator_notice")
    assert r["triggered"] and r["due"] == "2025-04-14"
    r = one(run(residents={"IA": 501}), "IA", "regulator_notice")
    assert r["triggered"] and r["due"] == "" and "5 business days" in r["due_text"]
    assert not one(run(residents={"IA": 500}), "IA", "regulator_notice")["triggered"]


def test_vermont_preliminary_notice_14_business_days():
    r = one(run(residents={"VT": 1}), "VT", "regulator_notice")
    assert r["due"] == "2025-02-26" and r["day_kind"] == "business"


def test_texas_ag_30_days_since_sb_768():
    r = one(run(residents={"TX": 250}), "TX", "regulator_notice")
    assert r["due"] == "2025-03-08" and r["rule_id"] == "TX-REG-1@2023-09-01"
    assert not one(run(residents={"TX": 249}), "TX", "regulator_notice")["triggered"]
    old = one(
        run(discovery_date=dt.date(2023, 6, 1), residents={"TX": 250}), "TX", "regulator_notice"
    )
    assert old["due"] == "2023-07-31" and old["rule_id"] == "TX-REG-1"


def test_maryland_ag_before_individual_notice():
    r = one(run(residents={"MD": 5}), "MD", "regulator_notice")
    assert r["anchor"] == "before_individual_notice" and r["due"] == "2025-03-23"  # MD's 45 days


def test_washington_hipaa_entities_notify_ag_on_hitech_timing():
    r = one(run(hipaa=True, residents={"WA": 501}), "WA", "regulator_notice")
    assert r["rule_id"] == "WA-REG-2" and r["due"] == "2025-04-07"
    r = one(run(residents={"WA": 501}), "WA", "regulator_notice")
    assert r["rule_id"] == "WA-REG-1" and r["due"] == "2025-03-08"


# --------------------------------------------------------------------------- dated rules


def test_california_sb_446_2025_vs_2026():
    old = run(hipaa=True, residents={"CA": 600})
    new = run(hipaa=True, discovery_date=dt.date(2026, 2, 6), residents={"CA": 600})
    ind_old = one(old, "CA", "individual_notice")
    ind_new = one(new, "CA", "individual_notice")
    assert ind_old["due"] == "" and ind_old["rule_id"] == "CA-IND"
    assert ind_new["due"] == "2026-03-08" and ind_new["rule_id"] == "CA-IND@2026-01-01"
    # the state's 30 days now bind before HIPAA's 60
    assert ind_new["earliest_binding"]
    assert not one(new, "HIPAA", "individual_notice", jurisdiction="CA")["earliest_binding"]
    assert one(old, "HIPAA", "individual_notice", jurisdiction="CA")["earliest_binding"]
    ag_new = one(new, "CA", "regulator_notice", rule_id="CA-REG-1@2026-01-01")
    assert ag_new["due"] == "2026-03-23"  # 15 days after the 30-day notice
    assert one(old, "CA", "regulator_notice", rule_id="CA-REG-1")["due"] == "2025-04-07"


def test_new_york_health_data_amendment():
    before = run(elements=["name", "diagnosis"], residents={"NY": 10})
    after = run(
        elements=["name", "diagnosis"], discovery_date=dt.date(2025, 4, 1), residents={"NY": 10}
    )
    assert not one(before, "NY", "individual_notice")["triggered"]
    r = one(after, "NY", "individual_notice")
    assert r["triggered"] and r["due"] == "2025-05-01"


def test_oklahoma_ag_notice_from_2026():
    assert not find(run(residents={"OK": 600}), "OK", "regulator_notice")
    r = one(
        run(hipaa=True, discovery_date=dt.date(2026, 2, 6), residents={"OK": 500}),
        "OK",
        "regulator_notice",
    )
    assert r["triggered"] and r["due"] == "2026-06-06"  # 60 days after HIPAA's 2026-04-07
    assert not one(
        run(discovery_date=dt.date(2026, 2, 6), residents={"OK": 499}), "OK", "regulator_notice"
    )["triggered"]


# --------------------------------------------------------------------------- HIPAA effect


def test_massachusetts_letter_prohibitions():
    r = one(run(residents={"MA": 10}), "MA", "individual_notice")
    assert any("nature of the breach" in p for p in r["prohibitions"])
    assert any("number of Massachusetts residents" in p for p in r["prohibitions"])
    # still visible when HIPAA notice is deemed to satisfy the duty
    r = one(run(hipaa=True, residents={"MA": 10}), "MA", "individual_notice")
    assert not r["triggered"] and r["prohibitions"]
    assert one(run(hipaa=True, residents={"MA": 10}), "MA", "regulator_notice")["triggered"]


def test_statute_inapplicable_to_hipaa_entities():
    recs = run(hipaa=True, residents={"AZ": 2000})
    assert [r["obligation"] for r in recs if r["regime"] == "AZ"] == ["individual_notice"]
    assert not one(recs, "AZ", "individual_notice")["triggered"]
    recs = run(hipaa=False, residents={"AZ": 2000})
    assert len([r for r in find(recs, "AZ", "regulator_notice") if r["triggered"]]) == 2


def test_texas_has_no_hipaa_carve_out():
    recs = run(hipaa=True, residents={"TX": 300})
    assert one(recs, "TX", "individual_notice")["triggered"]
    assert one(recs, "TX", "regulator_notice")["triggered"]


def test_georgia_reaches_only_information_brokers():
    r = one(run(residents={"GA": 20000}), "GA", "individual_notice")
    assert not r["triggered"] and "information brokers" in r["triggered_by"]


def test_encryption_safe_harbor_and_key_compromise():
    assert not one(run(encrypted=True, residents={"TX": 300}), "TX", "individual_notice")[
        "triggered"
    ]
    r = one(
        run(encrypted=True, key_compromised=True, residents={"FL": 300}), "FL", "individual_notice"
    )
    assert r["triggered"] and "not verified" in r["triggered_by"]  # FL's key rule is unverified


def test_no_harm_determination_alaska_tells_the_ag():
    recs = run(residents={"AK": 10}, no_harm_states=["AK"])
    assert not one(recs, "AK", "individual_notice")["triggered"]
    assert one(recs, "AK", "regulator_notice")["triggered"]


def test_ba_role_vendor_duties_per_state():
    recs = run(
        role="business_associate", residents={"GA": 10, "MD": 10, "NY": 10, "AZ": 10}, hipaa=True
    )
    assert one(recs, "MD", "notice_to_covered_entity")["due"] == "2025-02-16"
    assert one(recs, "NY", "notice_to_covered_entity")["due"] == "2025-03-08"
    assert not find(
        recs, "AZ", "notice_to_covered_entity"
    )  # statute inapplicable to HIPAA entities
    earliest = [
        r for r in recs if r["obligation"] == "notice_to_covered_entity" and r["earliest_binding"]
    ]
    assert [r["regime"] for r in earliest] == ["MD"]
