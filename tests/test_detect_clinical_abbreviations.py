"""Problem-list abbreviations a clinician writes every day ("Hx: T2DM w/ neuropathy, HTN,
HLD, OSA on CPAP") are diagnoses. Short words that are also names or everyday words are
left out of the list (Aki, pad, gad, dm)."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect.text import detect_text

TODAY = dt.date(2026, 1, 15)


def _diagnoses(text: str) -> set[str]:
    return {f.value for f in detect_text(text, today=TODAY) if f.category == "diagnosis"}


@pytest.mark.parametrize(
    ("text", "dx"),
    [
        ("Hx: T2DM w/ neuropathy, HTN, HLD.", {"t2dm", "htn", "hld"}),
        ("PMH significant for OSA on CPAP and MDD.", {"osa", "mdd"}),
        ("Known HFrEF (EF 30%), on GDMT.", {"hfref"}),
        ("Problem list: DM2, A-fib, PVD, HCV (treated).", {"dm2", "a-fib", "pvd", "hcv"}),
        ("History of NIDDM since 2004.", {"niddm"}),
    ],
)
def test_problem_list_abbreviations_are_diagnoses(text: str, dx: set[str]) -> None:
    assert dx <= _diagnoses(text)


@pytest.mark.parametrize(
    "text",
    [
        "Aki Tanaka called about her bill.",  # a given name, not acute kidney injury
        "The note pad was left at the desk.",
        "Gad Levi is the billing contact.",
        "Send me a DM when the file is ready.",
        "Osaka office: 2nd floor.",  # the abbreviation only as a whole word
        "The HLDG account is closed.",  # the letters inside a longer word
    ],
)
def test_look_alikes_are_not_diagnoses(text: str) -> None:
    assert not _diagnoses(text)
