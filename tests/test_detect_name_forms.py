"""Name forms found missing on the generated demo case (session 4), each with look-alikes:
LAST, FIRST after a prose cue, a suffix before the comma, and LAST FIRST in mixed case."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect import detect_text
from breachscope.detect.person_names import split_name

TODAY = dt.date(2026, 1, 15)


def _name_fields(text: str) -> dict[str, str]:
    return {f.field or "": f.value for f in detect_text(text, today=TODAY) if f.category == "name"}


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("For patient Marvin, Mickey (DOB 12/15/1981), the record documents Z00.00.",
         "Mickey", "Marvin"),
        ("For patient Reyes, Robert (DOB 09/21/2009), the record documents a visit.",
         "Robert", "Reyes"),
        ("Query about patient Golden, Nola: please clarify.", "Nola", "Golden"),
    ],
)  # fmt: skip
def test_last_first_after_a_person_cue(text: str, first: str, last: str) -> None:
    got = _name_fields(text)
    assert (got.get("first"), got.get("last")) == (first, last)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        # A single name after the cue, a comma, then no name: the cue's reading stands.
        ("I told my son Peter, who was sad, to call.", "Peter"),
        ("call me Matilde, please", "Matilde"),
    ],
)
def test_single_name_after_a_cue_then_a_comma(text: str, first: str) -> None:
    got = _name_fields(text)
    assert got.get("first") == first
    assert "last" not in got


@pytest.mark.parametrize(
    ("text", "first", "last", "suffix"),
    [
        ("For patient TARNOWSKI SR, GREGORY (DOB 10/21/1949), the record documents CKD.",
         "GREGORY", "TARNOWSKI", "SR"),
        ("Patient seen: Smith Jr., John A on 1/2/2024", "John", "Smith", "Jr"),
        ("MCFARLAND II, CHRISTOPHER  DOB 01/02/1970", "CHRISTOPHER", "MCFARLAND", "II"),
    ],
)  # fmt: skip
def test_suffix_before_the_comma(text: str, first: str, last: str, suffix: str) -> None:
    got = _name_fields(text)
    assert (got.get("first"), got.get("last"), got.get("suffix")) == (first, last, suffix)


@pytest.mark.parametrize(
    ("raw", "first", "last"),
    [
        # Mixed-case LAST FIRST, where the census lists leave no doubt.
        ("Keck Andy", "Andy", "Keck"),
        ("Garcia Maria", "Maria", "Garcia"),
        ("KECK ANDY", "ANDY", "KECK"),
        # Read as written: either order is plausible, or the first word is a given name.
        ("Andy Keck", "Andy", "Keck"),
        ("Hadley Thomas", "Hadley", "Thomas"),
        ("Lee Jordan", "Lee", "Jordan"),
        ("Jordan Lee", "Jordan", "Lee"),
        ("Nguyen Thomas", "Nguyen", "Thomas"),
    ],
)
def test_two_word_name_order(raw: str, first: str, last: str) -> None:
    p = split_name(raw)
    assert p is not None
    assert (p.first, p.last) == (first, last)


def test_labelled_last_first_without_comma() -> None:
    got = _name_fields("Pt: Keck Andy   DOB 10/1/37   Chart# 083888-23")
    assert (got.get("first"), got.get("last")) == ("Andy", "Keck")


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        # The census lists write O'Neil as ONEIL: apostrophes are not part of the key.
        ("Pt's wife, Maureen O'Neil, can be reached at home.", "Maureen", "O'Neil"),
        ("D'Angelo Smith called.", "D'Angelo", "Smith"),
        # After a subject cue a known surname is enough for LAST, FIRST, even with a given
        # name the 1990 lists lack.
        ("Patient O'Neil, Seamus P. (MRN 00-448-1123) was seen today.", "Seamus", "O'Neil"),
    ],
)
def test_apostrophe_names(text: str, first: str, last: str) -> None:
    got = _name_fields(text)
    assert (got.get("first"), got.get("last")) == (first, last)


@pytest.mark.parametrize(
    "text",
    [
        "Rock 'n' Roll Clinic",
        "The doctor's notes were reviewed.",
        "member Smith, The Plan (ID 4)",  # the word after the comma is not a given name
    ],
)
def test_apostrophe_and_comma_look_alikes(text: str) -> None:
    assert "first" not in _name_fields(text)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("the verses from Patricia Anderson's Cautionary Tales", "Patricia", "Anderson"),
        ("Linda: \"I'm Lauren's daughter\".", "Lauren", None),
    ],
)
def test_possessive_is_not_part_of_the_name(text: str, first: str, last: str | None) -> None:
    got = _name_fields(text)
    assert got.get("first") == first
    assert got.get("last") == last
    assert not any(v.endswith("'s") for v in got.values())


@pytest.mark.parametrize(
    ("text", "last"),
    [
        ("Dear Mr. O\u2019Brien,", "O'Brien"),  # Word's typographic apostrophe
        ("Patient: O\u2019Neil, Seamus", "O'Neil"),
    ],
)
def test_typographic_apostrophe_in_a_name(text: str, last: str) -> None:
    assert _name_fields(text).get("last") == last


@pytest.mark.parametrize("word", ["Seen", "Done", "Read", "Given"])
def test_form_field_words_are_not_speakers(word: str) -> None:
    # "Seen: Smith Jr., John A": the field's word is not a person (the name after it is).
    got = _name_fields(f"{word}: Smith Jr., John A on 1/2/2024")
    assert got.get("last") == "Smith"
    assert word not in got.values()


def test_a_speakers_given_name_is_still_read() -> None:
    assert _name_fields('Juan: "Who are you?"').get("first") == "Juan"
