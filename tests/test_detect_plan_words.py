""" "Medicare" and "Medicaid" both open an ID label ("Medicare #", "Medicaid ID") and name a
plan. The label group matched first and, with no ID after it, the plan was lost."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect.text import detect_text

TODAY = dt.date(2026, 1, 15)


def _found(text: str) -> set[tuple[str, str | None, str]]:
    return {(f.category, f.field, f.value) for f in detect_text(text, today=TODAY)}


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("She has Medicare Advantage through her employer.", "Medicare Advantage"),
        ("Her Medicaid was cancelled in March.", "Medicaid"),
        ("He is enrolled in MEDICAID since 2019.", "MEDICAID"),
        ("Coverage changed to medicare part d last year.", "medicare part d"),
        ("Welcome to Lakeview Medicaid Managed Care.", "Medicaid"),
    ],
)
def test_a_plan_word_with_no_id_after_it_is_the_plan(text: str, plan: str) -> None:
    assert ("health_plan", None, plan) in _found(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Look-alikes: the same words heading an ID keep reading the ID, not a plan.
        ("Medicare #: 1EG4-TE5-MK73", ("member_id", "mbi", "1EG4TE5MK73")),
        ("Medicaid ID 123456789", ("member_id", "medicaid", "123456789")),
        ("MEDICAID NO. 44120987", ("member_id", "medicaid", "44120987")),
        ("medicare number: 5TW4QX2NK71", ("member_id", "mbi", "5TW4QX2NK71")),
        ("Medicaid # 00981234", ("member_id", "medicaid", "00981234")),
    ],
)
def test_the_same_words_heading_an_id_read_the_id(
    text: str, expected: tuple[str, str, str]
) -> None:
    found = _found(text)
    assert expected in found
    assert not any(c == "health_plan" for c, _, _ in found)


@pytest.mark.parametrize(
    "text",
    [
        "Medical records were requested.",  # not the word
        "Dr. Medina reviewed the chart.",
        "Medicareplus Clinic",
        "Medicaids",
    ],
)
def test_no_plan_without_the_plan_word(text: str) -> None:
    assert not any(c == "health_plan" for c, _, _ in _found(text))
