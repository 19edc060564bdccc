"""Linking in text documents, found with the third held-out set: a nickname names the same
person in one file, contact details before the first name are that person's, and a
health plan named before anybody is the plan of everyone in the file."""

from __future__ import annotations

import pytest

from breachscope.link.model import Finding, Subject
from breachscope.link.text import same_given_name, stream_subjects


def _f(i: int, start: int, category: str, field: str | None, value: str,
       detector: str = "text.label") -> Finding:  # fmt: skip
    return Finding(
        f"f{i}", "d1", "file1", 0, None, None, start, start + len(value), category, field,
        value, None, 0.9, detector,
    )  # fmt: skip


def _cats(s: Subject) -> set[str]:
    return {f.category for f in s.own} | {
        f.category for f in s.shared if f.category != "organization"
    }


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("BOB", "ROBERT", True),
        ("PEGGY", "MARGARET", True),
        ("BILL", "WILLIAM", True),
        # Look-alikes: other names, a longer form that is another name, initials.
        ("ROBERT", "ROBERTA", False),
        ("BOB", "BILL", False),
        ("JOHN", "JANE", False),
        ("R", "ROBERT", False),
    ],
)
def test_same_given_name(a: str, b: str, same: bool) -> None:
    assert same_given_name(a, b) is same


def test_a_nickname_later_in_the_file_is_the_same_person() -> None:
    subs = stream_subjects(
        [
            _f(1, 10, "name", "last", "MENDEZ", "text.dictionary"),
            _f(2, 18, "name", "first", "ROBERT", "text.dictionary"),
            _f(3, 30, "dob", None, "1958-03-07", "text.pattern"),
            _f(4, 400, "name", "first", "Bob", "text.dictionary"),
            _f(5, 404, "name", "last", "Mendez", "text.dictionary"),
        ]
    )
    assert len(subs) == 1


@pytest.mark.parametrize(
    ("first2", "n"),
    [("Roberta", 2), ("Maria", 2), ("Robert", 1), ("R", 1)],
)
def test_other_given_names_with_the_surname_stay_apart(first2: str, n: int) -> None:
    subs = stream_subjects(
        [
            _f(1, 10, "name", "last", "MENDEZ"),
            _f(2, 18, "name", "first", "ROBERT"),
            _f(4, 400, "name", "first", first2, "text.dictionary"),
            _f(5, 404 + len(first2) - 3, "name", "last", "Mendez", "text.dictionary"),
        ]
    )
    assert len(subs) == n


def test_contact_details_before_the_name_are_the_first_persons() -> None:
    # An intake form or a call log gives the number first ("Cell: …" then "Patient: …",
    # "inbound call from … Caller Ana Lopez"). A letterhead's or a signature's numbers are
    # withdrawn by detection, which sees the layout (tests/test_detect_documents.py).
    subs = stream_subjects(
        [
            _f(1, 5, "phone", None, "+15552013344", "text.pattern"),
            _f(2, 30, "email", None, "ana.lopez71@example.com", "text.pattern"),
            _f(3, 90, "name", "last", "LOPEZ"),
            _f(4, 98, "name", "first", "ANA"),
            _f(5, 120, "dob", None, "1971-04-05", "text.pattern"),
        ]
    )
    (s,) = subs
    assert {"phone", "email", "dob"} <= _cats(s)


def test_a_file_that_names_nobody_keeps_its_numbers() -> None:
    subs = stream_subjects(
        [
            _f(1, 5, "phone", None, "+16169493382", "text.pattern"),
            _f(2, 40, "ssn", None, "311482290", "text.pattern"),
        ]
    )
    assert [sorted(_cats(s)) for s in subs] == [["phone", "ssn"]]


def test_identifiers_before_the_name_still_go_to_the_first_person() -> None:
    # Only contact details are the sender's: an MRN above the name is the patient's.
    subs = stream_subjects(
        [
            _f(1, 5, "mrn", None, "00731942"),
            _f(2, 40, "name", "last", "ONEIL"),
            _f(3, 46, "name", "first", "KATHLEEN"),
        ]
    )
    (s,) = subs
    assert "mrn" in _cats(s)


def test_a_plan_named_before_anybody_is_everyones() -> None:
    subs = stream_subjects(
        [
            _f(1, 5, "health_plan", None, "PRAIRIE HEALTH PLAN", "text.pattern"),
            _f(2, 60, "name", "last", "BERGSTROM"),
            _f(3, 71, "name", "first", "NILS"),
            _f(4, 300, "name", "last", "MACAULAY"),
            _f(5, 310, "name", "first", "FERGUS"),
            _f(6, 330, "health_plan", None, "Medicare", "text.label"),
        ]
    )
    assert [("health_plan" in _cats(s)) for s in subs] == [True, True]
    # A plan named after a person stays that person's.
    assert [[f.value for f in s.own if f.category == "health_plan"] for s in subs] == [
        [],
        ["Medicare"],
    ]


def test_a_plan_tagged_document_is_everyones_wherever_it_is() -> None:
    plan = Finding(
        "f9", "d1", "file1", 0, None, None, 500, 519, "health_plan", None,
        "Prairie Health Plan", "document", 0.9, "text.pattern",
    )  # fmt: skip
    subs = stream_subjects(
        [
            _f(1, 10, "name", "last", "FONTAINE-ROY"),
            _f(2, 24, "name", "first", "DELIA"),
            _f(3, 100, "name", "first", "Ethan", "text.dictionary"),
            _f(4, 106, "name", "last", "Park", "text.dictionary"),
            plan,
        ]
    )
    assert [("health_plan" in _cats(s)) for s in subs] == [True, True]
    assert all(plan not in s.own for s in subs)
