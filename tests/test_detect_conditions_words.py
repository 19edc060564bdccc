"""Diagnoses written in words beyond the first dictionary: renal, neurological,
infectious, oncological and metabolic conditions a coding vendor's charts name, and words
that only look like them."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect.text import detect_text

TODAY = dt.date(2026, 1, 15)


def _dx(text: str) -> set[str]:
    return {
        f.value
        for f in detect_text(text, today=TODAY)
        if f.category == "diagnosis" and f.field is None
    }


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("IMPRESSION: L4-5 disc herniation.", "disc herniation"),
        ("Hx: ESRD on HD, hyperkalemia.", "hyperkalemia"),
        ("Known Graves' disease, on methimazole.", "graves' disease"),
        ("EGD showed Barrett's esophagus.", "barrett's esophagus"),
        ("Admitted with RSV bronchiolitis.", "bronchiolitis"),
        ("Stage 3 pressure ulcer of the sacrum.", "pressure ulcer"),
        ("History of opioid overdose in 2023.", "opioid overdose"),
        ("Dx: myasthenia gravis", "myasthenia gravis"),
        ("Positive for Clostridioides difficile toxin.", "clostridioides difficile"),
        ("Postpartum depression, EPDS 17.", "postpartum depression"),
    ],
)
def test_a_condition_in_words(text: str, term: str) -> None:
    assert term in _dx(text)


@pytest.mark.parametrize(
    "text",
    [
        "Member rewards cards were mailed in March.",  # "ards" inside words
        "Mr. Graves called about his bill.",  # a surname, no disease
        "The bell rang at noon; Bell Street is closed.",  # no palsy
        "Please block the heart-shaped balloon order.",  # no heart block
        "Standards of care were reviewed.",
    ],
)
def test_words_that_only_look_like_conditions(text: str) -> None:
    assert _dx(text) == set()
