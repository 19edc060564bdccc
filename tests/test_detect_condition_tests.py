"""A condition's name heading a test of it ("HIV-1/2 Ag/Ab Screen  Nonreactive", "Hepatitis
C Antibody  Reactive") is a lab test, whatever the result, and no diagnosis: a letter must
not tell a person that an HIV diagnosis of theirs was exposed when a negative screen was."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect.text import detect_text

TODAY = dt.date(2026, 1, 15)


def _found(text: str) -> set[tuple[str, str]]:
    return {(f.category, f.value) for f in detect_text(text, today=TODAY)}


@pytest.mark.parametrize(
    ("text", "test"),
    [
        ("HIV-1/2 Ag/Ab Screen      Nonreactive", "HIV-1/2 Ag/Ab Screen"),
        ("Hepatitis C Antibody      Reactive", "Hepatitis C Antibody"),
        ("COVID-19 PCR: not detected", "COVID-19 PCR"),
        ("Lyme disease titer 1:256", "Lyme disease titer"),
        ("Diabetes screening due in March.", "Diabetes screening"),
        ("HIV test offered and declined.", "HIV test"),
    ],
)
def test_a_test_of_a_condition_is_no_diagnosis(text: str, test: str) -> None:
    found = _found(text)
    assert ("test_result", test) in found
    assert not any(c == "diagnosis" for c, _ in found)


@pytest.mark.parametrize(
    ("text", "dx"),
    [
        # Look-alikes: the condition itself, with other words after it.
        ("History of HIV, on Biktarvy.", "hiv"),
        ("Hepatitis C, treated 2019.", "hepatitis c"),
        ("Hx of asthma; asthma action plan given.", "asthma"),
        ("Dx: COPD. Tested negative for flu.", "copd"),
        ("Type 2 diabetes, testing glucose at home twice daily.", "type 2 diabetes"),
        ("Known HIV positive since 2011.", "hiv"),
    ],
)
def test_the_condition_itself_is_a_diagnosis(text: str, dx: str) -> None:
    assert ("diagnosis", dx) in _found(text)
