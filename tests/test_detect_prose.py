"""Names, phones and addresses in unlabelled prose: tables of inputs with expected values,
and at least as many look-alikes that must not be found."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect import detect_text

T = dt.date(2025, 3, 1)


def _found(text: str, category: str) -> set[tuple[str | None, str]]:
    return {(f.field, f.value) for f in detect_text(text, today=T) if f.category == category}


# (text, category, field, value): the value must be found.
POSITIVES = [
    ("I met John Smith yesterday.", "name", "last", "Smith"),
    ("Dr. Adams examined Peter Parker today.", "name", "first", "Peter"),
    ("Dr. Adams examined Peter Parker today.", "name", "last", "Parker"),
    ("Kathryn is a very sympathetic person.", "name", "first", "Kathryn"),
    ("I'm so jealous! said Edda to Kristina", "name", "first", "Kristina"),
    ("Sometimes people call me Matilde", "name", "first", "Matilde"),
    ("My son Peter broke his arm.", "name", "first", "Peter"),
    ("José Núñez was admitted on Monday.", "name", "last", "Núñez"),
    ("Jørgen Egede explained the delay.", "name", "first", "Jørgen"),
    ("Notes: SMITH, JOHN seen in clinic.", "name", "first", "JOHN"),
    ("Please call me on +44 20 7946 0958 after noon.", "phone", None, "+442079460958"),
    ("Tel 0049 30 1234567", "phone", None, "+49301234567"),
    ("Member Jane Roe, 212-867-0147", "phone", None, "+12128670147"),
    ("Can someone call me on 077 5149 6820?", "phone", None, "07751496820"),
    ("0493 50 35 13 office", "phone", None, "0493503513"),
    ("9329229780 mobile", "phone", None, "+19329229780"),
    ("reach me at (847)915-6194x8218", "phone", None, "+18479156194"),
    ("Margaret lives at 12 Oak St, Springfield.", "address", "city", "Springfield"),
    ("Margaret lives at 12 Oak St, Springfield.", "address", "street", "12 Oak St"),
    ("Send it to 99 Main Street, Suite 4 please", "address", "line2", "Suite 4"),
    ("She lives in Dayton, Ohio with her aunt.", "address", "city", "Dayton"),
    ("She lives in Dayton, Ohio with her aunt.", "address", "state", "OH"),
    ("moved to Springfield, Illinois in 2019", "address", "state", "IL"),
    ("My address is 6710 Lindenweg 26.", "address", "street", "6710 Lindenweg 26"),
    ("Ship to 14 Kastanienallee 9, Suite 12 today", "address", "line2", "Suite 12"),
    ("Ship it to PSC 4410, Box 2210 APO AE 09021", "address", "zip", "09021"),
    ("Ship it to PSC 4410, Box 2210 APO AE 09021", "address", "state", "AE"),
    ("Aune Lindqvist\n\n1217 Heiligenweg 58\n Suite 890", "name", "last", "Lindqvist"),
    ("Mr. Þórðarson called back.", "name", "last", "Þórðarson"),
    ("Patient: María T Higgins", "name", "first", "María"),
    ("What's your last name? Halvorsen", "name", "last", "Halvorsen"),
    ("Please stop sending messages to 0612 44 83 05", "phone", None, "0612448305"),
    ("Nobody is answering at 0643-6220971", "phone", None, "06436220971"),
]


@pytest.mark.parametrize(("text", "category", "field", "value"), POSITIVES)
def test_found(text: str, category: str, field: str | None, value: str) -> None:
    assert (field, value) in _found(text, category)


# (text, category, value or None): that value (None: anything) must not be found.
NEGATIVES = [
    ("Dr. Adams examined Peter Parker today.", "name", "Adams"),  # the provider
    ("Dr. Adams examined Peter Parker today.", "provider", "Peter Parker"),
    ("Seen by Dr. Sarah Connor, MD today", "name", None),
    ("Metformin was started last week.", "name", None),  # drug, capitalised
    ("Lisinopril is taken daily.", "name", None),
    ("Blood Pressure was taken", "name", None),
    ("Please log in to the Patient Portal to see results.", "name", None),
    ("Dear Valued Member,", "name", None),
    ("In March we moved the clinic.", "name", None),  # month
    ("April was a busy month.", "name", None),
    ("She moved here from France", "name", None),  # place
    ("Our offices are at the corner of Vambola 6 and Kruse Route", "name", None),
    ("Medicare is the primary payer.", "name", None),  # payer
    ("This is Internal Medicine calling.", "name", None),
    ("Blue Cross Blue Shield has approved the claim.", "name", None),
    ("The Emergency Department was busy.", "name", None),
    ("Coder: Linda Jones reviewed it", "name", None),  # staff
    ("MRN 555 123 4567", "phone", None),  # identifier label attached
    ("Member ID: 212-867-0147", "phone", None),
    ("Policy # 0049 30 1234567", "phone", None),
    ("keep getting address 86.146.93.221 blocked", "phone", None),  # IP address
    ("eGFR 91 mL/min/1.73m2 60-120 33914-3", "phone", None),  # lab range and LOINC
    ("Visit on 2024-03-05 and 2024 03 05", "phone", None),  # dates
    ("Invoice 2024 0315 7788 paid", "phone", None),  # grouped digits without a phone word
    ("Claim 123 456 789 was denied", "phone", None),
    ("ZIP 62704-1234 on file", "phone", None),
    ("Call us at 1-800-555-0199", "phone", None),  # the organisation's toll-free line
    ("SSN 219-45-6780", "phone", None),
    ("The patient walked 12 blocks, Springfield was cold.", "address", None),
    ("Thanks, Virginia", "address", None),  # a closing, no place word before
    ("I spoke to Dr. Smith, MD today", "address", None),  # a credential, not Maryland
    ("Back to Normal, Ohio was fine", "address", None),  # 'Normal': an ordinary word
    ("Take 2 Tablets 3 times daily", "address", None),  # numbered things, not streets
    ("The meeting is at 10 Conference Room 4", "address", None),
    ("Lot 12 Block 4 Suite 3", "address", None),
    ("Kastanienallee 9 Suite 12", "address", None),  # no house number first
    ("Ship to FPO AA 123", "address", None),  # military code without a ZIP
    ("Call me on 61 54 78", "phone", None),  # too short for a phone
    ("Invoice 0643-6220971 paid", "phone", None),  # trunk-0 number, no phone word
    ("Messages to 2024 03 05 were lost", "phone", None),  # a date after the cue
    ("What's your name? I forgot", "name", None),
    ("Mr. Þórðarson called back.", "provider", None),
    ("I used to work for Phoenix Global Mining Ltd as a checker.", "name", None),  # a firm
    ("The Limited Orchestra was founded in 1985.", "name", None),
]


@pytest.mark.parametrize(("text", "category", "value"), NEGATIVES)
def test_not_found(text: str, category: str, value: str | None) -> None:
    got = {v for _f, v in _found(text, category)}
    if value is None:
        assert not got, got
    else:
        assert value not in got


def test_more_negatives_than_positives() -> None:
    assert len(NEGATIVES) >= len(POSITIVES)


def test_escaped_line_breaks_are_breaks() -> None:
    text = r"Name: Oliver Karlsen\nPhone:\n819-570-4173\nE-mail:\nok@example.org"
    found = detect_text(text, today=T)
    assert ("phone", "+18195704173") in {(f.category, f.value) for f in found}
    for f in found:  # spans index the text as given
        assert f.start is not None and f.end is not None and f.end <= len(text)


def test_prose_name_spans_point_at_the_name() -> None:
    text = "Yesterday Kathryn is said to have called."
    for f in detect_text(text, today=T):
        if f.category == "name":
            assert text[f.start or 0 : f.end or 0] == f.value


# (text, how many times the surname must be found): a full name found in prose is found
# again where it is written in full; its surname alone is not (a street, a firm).
PROPAGATION = [
    ("Jørgen Egede explained the delay. Later the nurse phoned Jørgen Egede again.", 2),
    ("Jørgen Egede explained the delay. Egede Street is closed.", 1),
    ("Jørgen Egede explained the delay. The Egede Group sent flowers.", 1),
    ("Dr. Egede examined Jørgen Olsen. Jørgen Egede is his cousin.", 0),  # a provider's name
]


@pytest.mark.parametrize(("text", "times"), PROPAGATION)
def test_prose_names_propagate_in_full_only(text: str, times: int) -> None:
    found = [f for f in detect_text(text, today=T) if f.category == "name" and f.value == "Egede"]
    assert len(found) == times, found
