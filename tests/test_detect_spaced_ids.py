"""Member IDs printed in groups, as cards print them ("XEH 771 209 441", "W 1234 5678 01"):
after a member-ID label, groups one space apart are one ID when the first group alone is
too short to be it. Dates, times, counts and words after an ID are not groups of it."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect.text import detect_text

TODAY = dt.date(2026, 1, 15)


def _ids(text: str) -> set[str]:
    return {f.value for f in detect_text(text, today=TODAY) if f.category == "member_id"}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Ins ID: XEH 771 209 441", "XEH771209441"),
        ("Member ID: W 1234 5678 01", "W1234567801"),
        ("Member ID: U4429 1870 01, Cigna Open Access", "U4429187001"),
        ("Subscriber ID: JQX 2281 0034 (self)", "JQX22810034"),
        ("Medicaid ID 41 2290 1187 3", "4122901187"),
        ("Policy #: BCX 4401 773 on file", "BCX4401773"),
    ],
)
def test_an_id_printed_in_groups_is_one_id(text: str, value: str) -> None:
    assert value in _ids(text)


@pytest.mark.parametrize(
    ("text", "value", "not_value"),
    [
        # Look-alikes: what follows an ID that stands alone is not part of it.
        ("Member ID: 12345678 12 visits", "12345678", "1234567812"),
        ("Member ID 88120934 01/02/1960", "88120934", None),
        ("Member ID W99834410 10:30 appt", "W99834410", None),
        ("Member #: AB 12 of 3", None, "AB12"),
        ("Group # 0071123 Plan 55", "0071123", "0071123 55"),
        ("Member ID: XEH 771 209 441 and spouse", "XEH771209441", None),
    ],
)
def test_what_follows_an_id_is_not_part_of_it(
    text: str, value: str | None, not_value: str | None
) -> None:
    ids = _ids(text)
    if value:
        assert value in ids
    if not_value:
        assert not_value not in ids
    assert not any(len(v) > 14 for v in ids)


@pytest.mark.parametrize(
    ("text", "category", "value"),
    [
        # A sign and a colon both ending the label; "MR #" as hospitals write it.
        ("MRN#: E-0044817", "mrn", "E0044817"),
        ("MR#: 00-44-817", "mrn", "0044817"),
        ("MR # 4471120", "mrn", "4471120"),
        ("Acct #: HX8812093", "mrn", "HX8812093"),
        ("Member ID#: W99834410", "member_id", "W99834410"),
    ],
)
def test_labels_ending_in_a_sign_and_a_colon(text: str, category: str, value: str) -> None:
    found = {(f.category, f.value) for f in detect_text(text, today=TODAY)}
    assert (category, value) in found


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Smith was seen.",  # the title, not a record label
        "MR. JONES called.",
        "Mr Lee: 4471120 units",
        "MRI # 2 of 3",
        "Mrs. Ortiz # 2",
    ],
)
def test_titles_are_not_record_labels(text: str) -> None:
    assert not any(f.category == "mrn" for f in detect_text(text, today=TODAY))
