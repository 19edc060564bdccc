"""The jurisdiction data files: every one loads, validates and is documented."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from breachscope.categories import ELEMENT_SET
from breachscope.jurisdictions import (
    CODES,
    JurisdictionDataError,
    data_dir,
    load,
    load_all,
    load_hipaa,
    parse_hipaa,
    parse_jurisdiction,
)
from breachscope.jurisdictions.docs import render

DOCS = Path(__file__).resolve().parents[1] / "docs" / "jurisdictions.md"


def test_54_jurisdictions_plus_hipaa_ship_as_package_data():
    files = sorted(p.stem for p in data_dir().glob("*.toml"))
    assert len(CODES) == 54
    assert files == sorted([c.lower() for c in CODES] + ["hipaa"])
    assert {"DC", "PR", "GU", "VI"} <= set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_every_jurisdiction_loads_and_validates(code):
    j = load(code)
    assert j.code == code
    assert j.statute and j.citation and j.sources
    assert j.confidence in ("high", "medium", "low")
    assert j.individual_notice and j.personal_information
    for pi in j.personal_information:
        for combo in (*pi.with_identifier, *pi.standalone):
            assert combo <= ELEMENT_SET
        assert pi.with_identifier or pi.standalone
    # One version in force on any day from 2000 on: the engine never falls between versions.
    for day in (dt.date(2000, 1, 1), dt.date(2025, 2, 6), dt.date(2026, 6, 1)):
        assert j.pi_at(day) is not None
        assert j.individual_notice_at(day) is not None
    for r in j.regulators:
        assert r.rule_id.startswith(f"{code}-")
        assert r.citation


def test_hipaa_rules_load():
    h = load_hipaa()
    assert h.rule("individuals").days == 60
    assert h.rule("media").threshold == 501
    assert h.rule("hhs_large").threshold == 500
    assert h.rule("hhs_small").anchor == "calendar_year_end"
    assert h.rule("ba_to_ce").days == 60
    assert all(r.id.startswith("H-") and r.citation for r in h.rules.values())


def _ca() -> dict:
    return tomllib.loads((data_dir() / "ca.toml").read_text(encoding="utf-8"))


def test_bad_file_lists_every_problem():
    data = _ca()
    data["confidence"] = "certain"
    data["personal_information"][0]["with_identifier"].append(["ssn", "shoe_size"])
    data["regulators"][1]["min_residents"] = "lots"
    data["individual_notice"][1]["in_force_from"] = dt.date(
        2025, 6, 1
    )  # overlaps the older version
    data["surprise"] = 1
    with pytest.raises(JurisdictionDataError) as exc:
        parse_jurisdiction(data, "ca.toml")
    problems = exc.value.problems
    text = "\n".join(problems)
    assert len(problems) >= 5
    assert "confidence" in text and "shoe_size" in text and "min_residents" in text
    assert "overlap" in text and "surprise" in text
    assert "ca.toml" in str(exc.value)


def test_deadline_needs_an_anchor_and_sources_are_required():
    data = _ca()
    data["sources"] = []
    data["regulators"][0]["days"] = 10  # with anchor 'with_individual_notice'
    with pytest.raises(JurisdictionDataError) as exc:
        parse_jurisdiction(data, "ca.toml")
    text = str(exc.value)
    assert "sources" in text and "cannot count from" in text


def test_bad_hipaa_file_is_rejected():
    data = tomllib.loads((data_dir() / "hipaa.toml").read_text(encoding="utf-8"))
    del data["rules"]["media"]
    data["rules"]["individuals"]["id"] = "X-1"
    with pytest.raises(JurisdictionDataError) as exc:
        parse_hipaa(data)
    assert "rules.media" in str(exc.value) and "H-" in str(exc.value)


def test_docs_table_lists_every_jurisdiction_and_is_current():
    text = DOCS.read_text(encoding="utf-8")
    for code in CODES:
        assert f"| **{code}** |" in text, f"{code} missing from docs/jurisdictions.md"
    assert text == render(), (
        "docs/jurisdictions.md is stale: python -m breachscope.jurisdictions.docs > docs/jurisdictions.md"
    )


def test_unverified_entries_are_listed_in_docs():
    text = DOCS.read_text(encoding="utf-8")
    js = load_all()
    for j in js.values():
        if j.unverified:
            assert f"### {j.code} —" in text
    assert any(j.unverified for j in js.values())
