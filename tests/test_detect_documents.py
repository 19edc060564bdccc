"""Text-document forms found with the third held-out set (``tests/heldout_cases3.py``):
OCR'd faxes, fixed-layout reports, letters, e-mail signatures, call and chat transcripts.
Each rule is checked beside look-alikes that must keep their old reading."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from breachscope.detect import detect_text
from breachscope.detect.findings import Finding
from breachscope.detect.person_names import split_name
from breachscope.detect.text_patterns import CREDENTIAL_AFTER

TODAY = dt.date(2025, 2, 6)


def _found(text: str) -> list[Finding]:
    return detect_text(text, today=TODAY)


def _names(text: str) -> dict[str, str]:
    return {f.field or "": f.value for f in _found(text) if f.category == "name"}


def _values(text: str, category: str) -> list[str]:
    return [f.value for f in _found(text) if f.category == category]


# --------------------------------------------------------------------------- credentials


@pytest.mark.parametrize(
    "text",
    [
        # "D.O.B." after a name is the birth-date label, not the credential D.O.
        "Patient Name: Teresa Kowalski-Reyes D.O.B. : 01/25/1966",
        "RE : KOWALSKI-REYES, TERESA          D.O.B.   01/25/1966",
        "Patient: Jane Roe DOB 01/25/1966",
    ],
)
def test_a_birth_date_label_is_not_a_credential(text: str) -> None:
    got = _found(text)
    assert any(f.category == "name" for f in got)
    assert not any(f.category == "provider" for f in got)


@pytest.mark.parametrize(
    ("after", "credential"),
    [
        (", MD", True),
        (", M.D. (covering)", True),
        ("  D.O.", True),
        (", PA-C", True),
        # Look-alikes: the credential's letters starting a longer word or label.
        (" D.O.B. 01/25/1966", False),
        (" DOB 01/25/1966", False),
        (", MDX", False),
        (" PAtient", False),
    ],
)
def test_a_credential_ends_its_word(after: str, credential: bool) -> None:
    assert (CREDENTIAL_AFTER.match(after) is not None) is credential


# --------------------------------------------------------------------------- OCR spacing


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("Address :  5170 Red Arrow Hwy , Lot 22\nStevensville , MI 49127", "Stevensville"),
        ("5170 Red Arrow Hwy\nStevensville , MI 49127", "Stevensville"),
        ("12 Oak St, Ames, IA 50010", "Ames"),
        # Look-alikes: no ZIP, or no street before the town.
        ("We called Lansing , MI about it.", None),
        ("Room 12 , Floor 3 , Lansing , MI", None),
        ("Lot 22 , Stevensville , MI", None),
    ],
)
def test_a_space_before_a_comma_in_an_address(text: str, city: str | None) -> None:
    cities = [f.value for f in _found(text) if f.category == "address" and f.field == "city"]
    assert cities == ([city] if city else [])


@pytest.mark.parametrize(
    ("text", "line2", "city"),
    [
        # A town starting with a unit word is the town, not a unit ("Ste" + "en").
        ("Home Address: 10808 N Ninth Pkwy, Steen, MN 56173", None, "Steen"),
        ("5170 Red Arrow Hwy\nStevensville, MI 49127", None, "Stevensville"),
        ("12 Oak St\nUnity, ME 04988", None, "Unity"),
        # Look-alikes: real units.
        ("12 Oak St Ste 4, Ames, IA 50010", "Ste 4", "Ames"),
        ("12 Oak St Apt 3B\nAmes, IA 50010", "Apt 3B", "Ames"),
        ("12 Oak St # 4, Ames, IA 50010", "# 4", "Ames"),
    ],
)
def test_a_unit_word_ends_its_word(text: str, line2: str | None, city: str) -> None:
    got = {f.field: f.value for f in _found(text) if f.category == "address"}
    assert (got.get("line2"), got.get("city")) == (line2, city)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        # A label with doubled spaces (OCR): the name is spaced the same way.
        ("Patient  Name :  Teresa  Kowalski-Reyes          D.O.B. :  01/25/1966",
         "Teresa", "Kowalski-Reyes"),
        ("Member  Name :  JOHN  SMITH    Member # :  884120973", "JOHN", "SMITH"),
        # Look-alikes: single-spaced labels, where two blanks end the name (a column gap).
        ("Patient Name: Teresa  Kowalski-Reyes", None, "Teresa"),
        ("Patient Name: John Smith  Insurance: Aetna", "John", "Smith"),
    ],
)  # fmt: skip
def test_a_doubly_spaced_label_keeps_a_doubly_spaced_name(
    text: str, first: str | None, last: str
) -> None:
    got = _names(text)
    assert (got.get("first"), got.get("last")) == (first, last)


# --------------------------------------------------------------------------- dot leaders


@pytest.mark.parametrize(
    ("text", "first", "last", "provider"),
    [
        ("Member ......: BERGSTROM, NILS E            Member ID: PHP70155290", "NILS",
         "BERGSTROM", None),
        ("Patient ....: Robert Mendez", "Robert", "Mendez", None),
        ("Ordering ....: Thornquist, Rebecca DO", None, None, "Rebecca Thornquist"),
        # Look-alikes: dot leaders before values that are no name.
        ("Total ......: 12", None, None, None),
        ("Member ......: 12/29/1952", None, None, None),
        ("Claim .......: 25011400218    DOS: 01/06/2025", None, None, None),
    ],
)  # fmt: skip
def test_labels_with_dot_leaders(
    text: str, first: str | None, last: str | None, provider: str | None
) -> None:
    got = _names(text)
    assert (got.get("first"), got.get("last")) == (first, last)
    provs = [f.value for f in _found(text) if f.category == "provider" and f.field == "name"]
    assert provs == ([provider] if provider else [])


# --------------------------------------------------------------------------- nicknames


@pytest.mark.parametrize(
    ("raw", "first", "middle", "last"),
    [
        ('Robert "Bob" Mendez', "Robert", None, "Mendez"),
        ("Mary \u201cMolly\u201d A. Fox", "Mary", "A", "Fox"),
        ('MENDEZ, ROBERT "BOB"', "ROBERT", None, "MENDEZ"),
        # Look-alikes: apostrophes and plain names are untouched.
        ("O'Neil, Kathleen M", "Kathleen", "M", "O'Neil"),
        ("D'Angelo Anthony", "D'Angelo", None, "Anthony"),
        ("Robert A Mendez", "Robert", "A", "Mendez"),
    ],
)
def test_a_quoted_nickname_is_no_name_part(
    raw: str, first: str, middle: str | None, last: str
) -> None:
    parts = split_name(raw)
    assert parts is not None
    assert (parts.first, parts.middle, parts.last) == (first, middle, last)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ('Patient: Robert "Bob" Mendez   MRN: 00642207', "Robert", "Mendez"),
        ("Patient: Mary \u201cMolly\u201d Fox", "Mary", "Fox"),
        # Look-alikes: quotes that are not between two parts.
        ('Patient: Robert Mendez "the elder"', "Robert", "Mendez"),
        ("Patient: Robert Mendez", "Robert", "Mendez"),
    ],
)
def test_a_labelled_name_with_a_nickname(text: str, first: str, last: str) -> None:
    got = _names(text)
    assert (got.get("first"), got.get("last")) == (first, last)
    spans = sorted((f.start or 0, f.end or 0) for f in _found(text) if f.category == "name")
    # The parts stay next to each other, so the linker reads one name.
    assert all(b[0] - a[1] <= 3 for a, b in itertools.pairwise(spans))


# --------------------------------------------------------------------------- person cues


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Seen with her mother Rosa today.", {"first": "Rosa"}),
        ("Pt. Kathleen Smith arrived at 9.", {"first": "Kathleen", "last": "Smith"}),
        ("Mrs. Garcia called back.", {"last": "Garcia"}),
        # Look-alikes: a cue word ends a sentence; the next sentence's first word is no name.
        ("9 y/o M with asthma, accompanied by mother. Using albuterol q4h.", {}),
        ("Discussed with the patient. Nurse will call.", {}),
        ("Spoke with his daughter. Called pharmacy after.", {}),
    ],
)
def test_a_person_cue_does_not_reach_across_a_sentence_end(
    text: str, names: dict[str, str]
) -> None:
    assert _names(text) == names


# --------------------------------------------------------------------------- departments


@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("Utilization Management\nPO Box 9120, Des Moines, IA 50306-9120", True),
        ("Appeals and Grievances\nPO Box 9120\nDes Moines, IA 50306", True),
        ("Enrollment Department\n12 Oak St\nAmes, IA 50010", True),
        # Look-alikes: people above their own address.
        ("MARGARET HARTLEY\nPO BOX 412\nAMES IA 50010-0412", False),
        ("Jane Appleton\n12 Oak St\nAmes, IA 50010", False),
        ("Billing address: Pero Stolar\n7 Elm St\nAmes, IA 50010", False),
    ],
)
def test_a_department_above_an_address_is_an_organisation(text: str, org: bool) -> None:
    got = _found(text)
    assert any(f.category == "organization" for f in got) is org
    assert any(f.category == "name" for f in got) is not org


# --------------------------------------------------------------------------- letterheads


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # A letterhead: the organisation's line, its street, its numbers.
        ("LAKESHORE REGIONAL HOSPITAL\n1450 Harbor View Dr, Muskegon MI 49440   "
         "Ph (231) 728-4100   Fax (231) 728-4177\nPatient: Jane Roe", []),
        ("Mercy Clinic\n12 Oak St\nAmes, IA 50010\nPh: 515-232-1111\n\nPatient: Jane Roe", []),
        # A staff signature under the organisation's line.
        ("Marcus Tillery\nPatient Financial Services | Lakeshore Regional Hospital\n"
         "(231) 728-4190", []),
        ("Dana Whitcombe, CCS\nSenior Coding Specialist | Meridian Revenue Cycle Partners\n"
         "D: (616) 949-3382 | F: (616) 949-3390\ndwhitcombe@meridianrcp.example", []),
        # Look-alikes: a person's own numbers, a form's field, a business card's address.
        ("John Carter\n12 Elm St, Ames, IA 50010   515-232-2222", ["+15152322222"]),
        ("Patient: Jane Doe\nInsurance: Aetna Health Plan\nPhone: (515) 232-1111",
         ["+15152321111"]),
        ("Mustafa Golorej\nHMN Financial Inc.\nUnit 9970 Box 1637\nDPO AA 57242\n"
         "(515) 232-3333 office", ["+15152323333"]),
        ("Home phone (231) 555-0199", ["+12315550199"]),
    ],
)  # fmt: skip
def test_letterhead_and_signature_numbers_are_withdrawn(text: str, kept: list[str]) -> None:
    assert _values(text, "phone") + _values(text, "email") == kept


# --------------------------------------------------------------------------- transcripts


@pytest.mark.parametrize(
    ("text", "dob"),
    [
        ("[00:00:15] Agent: Thank you. And your date of birth?\n"
         "[00:00:17] Caller: June 30th, 1987.", "1987-06-30"),
        ("19:02:40 Lindahl, Jenna (Prairie): Can you confirm your date of birth?\n"
         "19:03:02 Bao Nguyen: 12/3/90", "1990-12-03"),
        ("Rep: And your DOB?\nMary Jones: 4/5/1961", "1961-04-05"),
        # Look-alikes: a form's label, another question, a date inside a sentence.
        ("What is your birthday?\nNote: 01/02/1960 visit", None),
        ("[00:00:40] Agent: When was your date of service?\n[00:00:42] Caller: 12/19/2024",
         None),
        ("Agent: What is your date of birth?\nCaller: I was seen on 01/02/2020.", None),
    ],
)  # fmt: skip
def test_a_date_answering_a_birth_date_question(text: str, dob: str | None) -> None:
    assert _values(text, "dob") == ([dob] if dob else [])


@pytest.mark.parametrize(
    ("text", "category", "value"),
    [
        ("Member: NGUYEN, BAO  (PHP40271936)", "member_id", "PHP40271936"),
        ("Patient: Jane Doe (00123456)", "mrn", "00123456"),
        ("Subscriber: John Smith (W2877120455)", "member_id", "W2877120455"),
        # Look-alikes: brackets that hold no ID, or follow no subject's label.
        ("Member: John Smith (self)", None, None),
        ("Member: John Smith (2019)", None, None),
        ("Patient: Mary Lee (F)", None, None),
        ("Provider: Ann Fox (1234567)", None, None),
    ],
)
def test_an_id_in_brackets_after_a_labelled_name(
    text: str, category: str | None, value: str | None
) -> None:
    got = [(f.category, f.value) for f in _found(text) if f.category in ("member_id", "mrn")]
    assert got == ([(category, value)] if category else [])


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # A speaker tagged with the organisation or a role is its staff.
        ("Prairie Health Plan chat\n19:02:40 Lindahl, Jenna (Prairie): Hi! I can help.",
         set()),
        ("Tom Reed (Agent): Thanks for waiting.", set()),
        # Look-alikes: a member's own tag, a guest, a name with no tag.
        ("Mary Jones (Member): hello", {"Mary", "Jones"}),
        ("Tom Reed (Guest): hi", {"Tom", "Reed"}),
        ("Tom Reed: hi there", {"Tom", "Reed"}),
    ],
)  # fmt: skip
def test_a_tagged_chat_speaker_is_staff(text: str, names: set[str]) -> None:
    assert set(_names(text).values()) == names


# --------------------------------------------------------------------------- clinical words


@pytest.mark.parametrize(
    ("text", "category", "values"),
    [
        ("Diagnoses: Personal history of colonic polyps; benign neoplasm of ascending colon",
         "diagnosis", ["colonic polyps", "benign neoplasm"]),
        ("  20610   Arthrocentesis, aspiration and/or injection, major joint", "procedure",
         ["arthrocentesis"]),
        ("Procedures: 99214 Office or other outpatient visit", "procedure", ["99214"]),
        ("The request for comprehensive orthodontic treatment (D8080) was approved.",
         "procedure", ["comprehensive orthodontic treatment"]),
        # Look-alikes: numbers beside a plural that is no cue, words that are no condition.
        ("Procedures were explained. Call 20610 or room 99214.", "procedure", []),
        ("Benign findings; polyp-free margins per pathology.", "diagnosis", []),
        ("Room 99214 is on the second floor.", "procedure", []),
        ("The orthodontic office is closed on Fridays.", "procedure", []),
    ],
)  # fmt: skip
def test_clinical_words_and_the_procedures_cue(text: str, category: str, values: list[str]) -> None:
    assert _values(text, category) == values


@pytest.mark.parametrize(
    ("text", "tagged"),
    [
        # The plan in the sender's signature is the whole document's.
        ("* DOE, JANE - Member ID PHP1\n* Ann Fox, Member ID PHP2\n\nThanks,\nLena Brooks\n"
         "Enrollment Specialist, Prairie Health Plan\n", True),
        ("Sincerely,\nMember Services, Blue Horizon Health Plan", True),
        # Look-alikes: a plan in the body, a plan after the signature's blank line.
        ("Patient: Jane Doe\nInsurance: Prairie Health Plan\nThanks,\nLena", False),
        ("Thanks,\nLena\n\nPatient: Ann Fox\nPlan: Prairie Health Plan", False),
    ],
)  # fmt: skip
def test_a_plan_in_the_signature_is_the_documents(text: str, tagged: bool) -> None:
    plans = [f for f in _found(text) if f.category == "health_plan"]
    assert plans and all((f.subject == "document") is tagged for f in plans)
