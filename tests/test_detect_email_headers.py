"""E-mail forms: a quoted display name in a From/To/Cc header is the correspondent (staff),
as an unquoted one already was; the name under an e-mail's signature separator ("-- ",
two dashes and a space) is the writer's. A bare "--" between records separates records."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect.text import detect_text

TODAY = dt.date(2026, 1, 15)


def _names(text: str) -> set[str]:
    return {f.value for f in detect_text(text, today=TODAY) if f.category == "name"}


@pytest.mark.parametrize(
    ("text", "staff"),
    [
        ('From: "Ramos, Angela" <aramos@valleyclinic.example>\n\nSee below.', {"Angela", "Ramos"}),
        ('To: "Lee, Ann" <alee@example.org>\nSubject: claims\n\nok', {"Ann", "Lee"}),
        ("Cc: \u201cBrandt, Oskar\u201d\n\nThanks for the file.", {"Oskar", "Brandt"}),
        (
            "See the chart.\n-- \nAngela Ramos | Patient Accounts | 918-555-0100\n",
            {"Angela", "Ramos"},
        ),
        ("Done, attached.\n-- \nKevin O'Hara\nCoding Supervisor\n", {"Kevin", "O'Hara"}),
    ],
)
def test_correspondents_and_signatures_are_not_data_subjects(text: str, staff: set[str]) -> None:
    assert not staff & _names(text)


@pytest.mark.parametrize(
    ("text", "subjects"),
    [
        # Look-alikes: a bare "--" between records, a quoted name after a patient label,
        # a dash line that is not alone on its line.
        ("Records:\n--\nJohn Smith  DOB 01/02/1960\n--\nMary Jones  DOB 03/04/1970\n",
         {"John", "Smith", "Mary", "Jones"}),
        ('Patient: "Smith, John"  DOB 01/02/1960', {"John", "Smith"}),
        ("-- see note --\nPatient: Ana Lopez  DOB 04/05/1971", {"Ana", "Lopez"}),
        ("---\nPatient: Ana Lopez\n---", {"Ana", "Lopez"}),
        ('Member: "Nguyen, Bao" (PHP40271936)', {"Bao", "Nguyen"}),
    ],
)  # fmt: skip
def test_record_separators_and_quoted_patients_stay_subjects(text: str, subjects: set[str]) -> None:
    assert subjects <= _names(text)
