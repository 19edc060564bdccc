"""A condition's name heading a test of it ("HIV-1/2 Ag/Ab Screen  Nonreactive", "Hepatitis
C Antibody  Reactive") is a lab test, whatever the result, and no diagnosis: a letter must
not tell a person that an HIV diagnosis of theirs was exposed when a negative screen was."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


_PIECES = [" ", "\t", "  ", "-", "/", "1", "2", "1/2", "Ag", "ab", "IgG", "igm", "RNA", "dna",
           "virus", "antibody", "Antibodies", "antigen", "Screen", "screening", "test", "PCR",
           "NAAT", "viral load", "titer", "panel", "serology", "genotype", "quantitative",
           "and", "with", "\n", ",", ".", "x", "Type", "mellitus", "(", ":", "0"]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=6))
@settings(max_examples=3000, deadline=None)
def test_the_cheap_head_check_never_turns_a_test_away(pieces: list[str]) -> None:
    """``_TEST_HEAD`` is tried before ``_TEST_OF`` only to save time: wherever ``_TEST_OF``
    matches, it must match too."""
    from breachscope.detect.text_values import _TEST_HEAD, _TEST_OF

    after = "".join(pieces)
    if _TEST_OF.match(after):
        assert _TEST_HEAD.match(after), after
