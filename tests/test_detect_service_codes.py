"""A bill's or an explanation of benefits' service line: the service in words, then its
CPT code in brackets with no code word ("Office visit, est pt (99214)"). The code is read
as a procedure; a ZIP, a count or a number in brackets elsewhere is not."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect.text import detect_text

TODAY = dt.date(2026, 1, 15)

EOB = (
    "EXPLANATION OF BENEFITS - THIS IS NOT A BILL\n"
    "Patient: Rosa Villanueva   Claim: 2025011400871\n"
    "Date(s) of service   Service                          Billed    Allowed   You owe\n"
    "12/20/2024           Office visit, est pt (99214)     245.00    118.42    30.00\n"
    "12/20/2024           X-ray knee 3 views (73562)        96.00     41.10     0.00\n"
)


def _codes(text: str) -> set[str]:
    return {
        f.value
        for f in detect_text(text, today=TODAY)
        if f.category == "procedure" and f.field == "cpt"
    }


def test_an_eobs_service_lines() -> None:
    assert _codes(EOB) == {"99214", "73562"}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Office visit, est pt (99214)", "99214"),
        ("ER visit level 4 (99284)", "99284"),
        ("Flu vaccine (90686)", "90686"),
        ("Colonoscopy with biopsy (45380)", "45380"),
        ("Knee arthroscopy (29881)", "29881"),
        ("MRI brain without contrast (70551)", "70551"),
    ],
)
def test_a_service_then_its_code_in_brackets(text: str, code: str) -> None:
    assert code in _codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Please visit our Springfield office (62704)",  # a ZIP after the verb "visit"
        "visit us at 12 Main St, Springfield, IL (62704)",  # a ZIP after an address
        "labs drawn (12345)",  # no service word
        "Office visit (00042)",  # below the CPT range
        "Office visit 99214",  # no brackets, no code word: left to the context rules
        "He was seen for an exam (2 of 3)",  # no five digits
        "Office visit, est pt (99214-25)",  # a modifier: not this rule's shape
    ],
)
def test_look_alikes_are_no_service_codes(text: str) -> None:
    assert _codes(text) == set()
