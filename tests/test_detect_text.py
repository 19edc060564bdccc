"""Free-text detection: a chart, a letter, a two-patient note, providers, look-alikes."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect import Finding, detect_text

T = dt.date(2025, 3, 1)

CHART = """MERCY VALLEY HEALTH SYSTEM
Discharge Summary

Patient: SMITH, JOHN A          MRN: 00482913
DOB: 03/14/1956   Sex: M   Admit Date: 01/02/2025
SSN: 123-45-6780   Phone: (617) 555-2368
Member ID: XYZ884512003   Insurance: Blue Cross Blue Shield
Medicare ID: 1EG4-TE5-MK73
Attending: Dr. Sarah Connor, MD   NPI: 1234567893

Diagnoses: E11.9 Type 2 diabetes mellitus; I10 hypertension
Medications: metformin 500 mg twice daily, lisinopril 10 mg
Labs: HbA1c 7.2 %, Glucose: 145 mg/dL
Imaging: MRI of the lumbar spine showed mild stenosis.
Procedure: colonoscopy performed (CPT 45378).
Mr. Smith tolerated the procedure well. John Smith will follow up.

Electronically signed by Sarah Connor, MD
Coder: Linda Jones
"""

LETTER = """Example Coding Services, LLC
500 Commerce Drive, Suite 200
Dallas, TX 75201

Jane Q. Public
42 Wallaby Way Apt 3
Springfield, IL 62704

January 5, 2025

Dear Ms. Public:

We are writing about an incident. If you have questions, call us at (800) 555-0199 or
write to privacy@example-coding.com.
Your date of birth (07/04/1980) and Social Security number ending in 6789 were involved.

Sincerely,
Privacy Office
"""

TWO_PATIENTS = """Progress note - two patients seen today.
Patient Name: Robert Brown  DOB: 1970-02-11
Pt: Maria Garcia DOB 5/6/1990
Subscriber: Carlos Garcia   Group #: 55012
Ms. Garcia reports her husband is well. Referred by Dr. Kim.
"""


def _got(text: str) -> set[tuple[str, str | None, str]]:
    return {(f.category, f.field, f.value) for f in detect_text(text, today=T)}


def _by(text: str, category: str) -> list[Finding]:
    return [f for f in detect_text(text, today=T) if f.category == category]


def test_chart() -> None:
    got = _got(CHART)
    expected = {
        ("name", "last", "SMITH"), ("name", "first", "JOHN"), ("name", "middle", "A"),
        ("mrn", None, "00482913"), ("dob", None, "1956-03-14"), ("gender", None, "M"),
        ("service_date", None, "2025-01-02"), ("ssn", None, "123456780"),
        ("phone", None, "+16175552368"), ("member_id", "member", "XYZ884512003"),
        ("health_plan", None, "Blue Cross Blue Shield"), ("member_id", "mbi", "1EG4TE5MK73"),
        ("provider", "name", "Sarah Connor"), ("provider", "npi", "1234567893"),
        ("diagnosis", "icd10", "E11.9"), ("diagnosis", "icd10", "I10"),
        ("medication", None, "metformin"), ("medication", None, "lisinopril"),
        ("test_result", "lab", "hba1c 7.2 %"), ("test_result", "lab", "glucose 145 mg/dL"),
        ("imaging", None, "mri lumbar spine"), ("procedure", None, "colonoscopy"),
        ("procedure", "cpt", "45378"),
    }  # fmt: skip
    assert expected <= got
    # the coder is staff, the attending a provider: neither is a data subject's name
    names = {f.value for f in _by(CHART, "name")}
    assert not names & {"Linda", "Jones", "Sarah", "Connor"}
    labelled = [f for f in _by(CHART, "name") if f.detector == "text.label"]
    assert {f.field for f in labelled} == {"first", "middle", "last"}
    assert any(f.detector == "text.propagated" for f in _by(CHART, "name"))


def test_letter_with_addressee_block_and_salutation() -> None:
    found = detect_text(LETTER, today=T)
    addressee = {
        (f.field, f.value) for f in found if f.detector == "text.addressee" and f.category == "name"
    }
    assert addressee == {("first", "Jane"), ("middle", "Q"), ("last", "Public")}
    assert ("last", "Public") in {
        (f.field, f.value) for f in found if f.detector == "text.salutation"
    }
    addr = {(f.field, f.value) for f in found if f.category == "address"}
    assert {
        ("street", "42 Wallaby Way"),
        ("line2", "Apt 3"),
        ("city", "Springfield"),
        ("state", "IL"),
        ("zip", "62704"),
    } == addr
    got = {(f.category, f.value) for f in found}
    assert ("dob", "1980-07-04") in got and ("ssn_last4", "6789") in got
    # the sender's letterhead is an organisation, its toll-free line and role mailbox are not the person's
    assert ("organization", "Example Coding Services, LLC") in got
    assert not [f for f in found if f.category in ("phone", "email", "ssn")]


def test_note_with_two_patients_and_a_subscriber() -> None:
    found = detect_text(TWO_PATIENTS, today=T)
    labelled = [
        (f.field, f.value, f.subject)
        for f in found
        if f.detector == "text.label" and f.category == "name"
    ]
    assert ("first", "Robert", None) in labelled and ("last", "Brown", None) in labelled
    assert ("first", "Maria", None) in labelled and ("last", "Garcia", None) in labelled
    assert ("first", "Carlos", "subscriber") in labelled
    dobs = [f.value for f in found if f.category == "dob"]
    assert dobs == ["1970-02-11", "1990-05-06"]
    assert ("provider", "Kim") in {(f.category, f.value) for f in found}
    assert ("member_id", "group", "55012") in {(f.category, f.field, f.value) for f in found}
    # spans point at the values
    for f in found:
        assert (
            f.start is not None and f.end is not None and 0 <= f.start < f.end <= len(TWO_PATIENTS)
        )


POSITIVES = [
    ("SSN: 219-45-6780", "ssn", "219456780"),
    ("social security no 219456780", "ssn", "219456780"),
    ("Card on file 5555 5555 5555 4444", "payment_card", "5555555555554444"),
    ("Routing number: 021000021", "bank_account", "021000021"),
    ("Bank account # 000123456789", "bank_account", "000123456789"),
    ("DEA AB1234563", "provider", "AB1234563"),
    ("Medicare beneficiary 1EG4-TE5-MK73", "member_id", "1EG4TE5MK73"),
    ("Policy #: PLN-55-7781", "member_id", "PLN557781"),
    ("Driver's License: D1234567", "drivers_license", "D1234567"),
    ("Passport No. 512345678", "passport", "512345678"),
    ("Date of death: 02/01/2025", "date_of_death", "2025-02-01"),
    ("born on March 3, 1948", "dob", "1948-03-03"),
    ("email jdoe@mail.example.org", "email", "jdoe@mail.example.org"),
    ("Assessment: J45.909 asthma", "diagnosis", "J45.909"),
    ("Rx: atorvastatin 40 mg", "medication", "atorvastatin"),
    ("NDC 0002-3227-30", "medication", "0002322730"),
    ("CT of the abdomen and pelvis", "imaging", "ct abdomen"),
    ("mammogram was normal", "imaging", "mammogram"),
    ("status post appendectomy", "procedure", "appendectomy"),
    ("WBC 11.2 K/uL", "test_result", "wbc 11.2 K/uL"),
    ("Username: jdoe77", "username_password", "jdoe77"),
    ("Patient expired on 1/5/2025", "date_of_death", "2025-01-05"),
    ("Sex: Female", "gender", "F"),
    ("Home phone 617-555-2368", "phone", "+16175552368"),
    ("You can reach me at 312-867-5309 tomorrow.", "phone", "+13128675309"),
    ("Call (312) 867-5309 after 5 pm", "phone", "+13128675309"),
]


@pytest.mark.parametrize(("text", "category", "value"), POSITIVES)
def test_positive(text: str, category: str, value: str) -> None:
    assert (category, value) in {(f.category, f.value) for f in detect_text(text, today=T)}


NEGATIVES = [
    ("ITIN 912-70-1234", "ssn"),
    ("SSN 000-12-3456", "ssn"),
    ("SSN 666-12-3456", "ssn"),
    ("SSN 123-00-4567", "ssn"),
    ("order 219456780 shipped", "ssn"),  # 9 digits without SSN context
    ("Card 4111 1111 1111 1112", "payment_card"),  # Luhn fails
    ("NPI: 1234567890", "provider"),  # bad check digit
    ("DEA AB1234564", "provider"),  # bad check digit
    ("Routing number: 011000016", "bank_account"),  # checksum fails
    ("Vitamin B12 and D3 levels; E2 pending", "diagnosis"),  # ICD-like lab codes
    ("Lab code A1C ordered", "diagnosis"),
    ("Claim 0002-3227-30 paid", "medication"),  # NDC-shaped claim id without drug context
    ("Visit date 01/02/2025", "dob"),  # a date, not a birth date
    ("Letter dated March 3, 2025", "dob"),
    ("Call us at 1-800-555-0199", "phone"),  # toll-free
    ("If you have questions, call Member Services at 312-867-0142.", "phone"),  # the plan's
    ("Please call our office at (312) 867-0199.", "phone"),
    ("Contact the pharmacy at 312-867-1111", "phone"),
    ("Member ID: N/A", "member_id"),
    ("Dear Valued Member:", "name"),
    ("Dear Patient,", "name"),
    ("Dr. Sarah Connor reviewed the chart", "name"),  # provider, not a subject
    ("Coder: Linda Jones", "name"),  # staff
    ("Prepared by: Linda Jones", "name"),
    ("CHIEF COMPLAINT: HISTORY OF PRESENT ILLNESS", "name"),
    ("Blood Pressure was taken", "name"),
    ("If the member is deceased, contact us", "deceased"),
    ("Internal Medicine, Main Street Clinic", "name"),
    ("PET scan of my pet dog", "name"),
    ("Hartford, CT office", "imaging"),  # state abbreviation, not a CT study
    ("echo the request", "imaging"),
]


@pytest.mark.parametrize(("text", "category"), NEGATIVES)
def test_negative(text: str, category: str) -> None:
    assert category not in {f.category for f in detect_text(text, today=T)}


def test_explanations_never_hold_values() -> None:
    for text in (CHART, LETTER, TWO_PATIENTS):
        for f in detect_text(text, today=T):
            assert f.explanation
            if len(f.value) > 3:
                assert f.value not in f.explanation, f


def test_empty_and_odd_text() -> None:
    assert detect_text("", today=T) == []
    assert detect_text("   \n\t", today=T) == []
    detect_text(
        "José Ñúñez, 東京 — 123-45-6780 ☃ " * 50, today=T
    )  # non-ASCII does not break offsets


def test_fast_engine_compiles_when_installed() -> None:
    pytest.importorskip("re2")
    from breachscope.detect.text_patterns import CombinedScanner, scanner

    assert scanner().engine in ("hyperscan", "re2")  # BREACHSCOPE_HYPERSCAN=1: Hyperscan
    assert CombinedScanner("re2").engine == "re2"


def test_lab_units_are_not_licence_context() -> None:
    text = "LDL cholesterol (calc) 63 mg/dL 40-100 13457-7\nBP 120/80, pulse 72"
    found = detect_text(text, today=T)
    assert "drivers_license" not in {f.category for f in found}
    assert [f.value for f in found if f.category == "test_result"] == ["ldl cholesterol 63 mg/dL"]


def test_subject_with_a_stopword_surname_does_not_break_propagation() -> None:
    # "Mrs. Will" is a subject whose surname is also a common word: nothing to propagate.
    found = detect_text("Dear Mrs. Will:\nThank you. Mrs. Will called.", today=T)
    assert ("name", "Will") in {(f.category, f.value) for f in found}


INTAKE = """Lakeshore Physicians Group, P.C. - New Patient Registration
Last Name: McLaurin    First Name: Frederick    MI: A
Date of Birth: 02/16/1983    Sex: M
Insurance: KP Silver 70 HMO    Policy #: KP44363360201
Reason for visit: attention-deficit hyperactivity disorder
Plan: follow up in two weeks
Caller: Kellie Lyns, member BHP83183984501
"""


def test_intake_form_fields() -> None:
    got = _got(INTAKE)
    assert {
        ("name", "last", "McLaurin"),
        ("name", "first", "Frederick"),
        ("name", "middle", "A"),
    } <= got
    assert ("health_plan", None, "KP Silver 70 HMO") in got
    assert ("member_id", "policy", "KP44363360201") in got
    assert ("diagnosis", None, "attention-deficit hyperactivity disorder") in got
    assert ("name", "first", "Kellie") in got and ("name", "last", "Lyns") in got
    assert ("member_id", "member", "BHP83183984501") in got
    plans = {v for c, _f, v in got if c == "health_plan"}
    assert plans == {"KP Silver 70 HMO"}  # the care "Plan:" is not a health plan


QUERY = """From: Amy Gonzalez <amy.gonzalez@vendor.example.com>
To: Vincent Santos <cdi@hospital.example.org>
Subject: Coding query

For patient GONZALEZ, ROSE (DOB 05/23/2015), the record documents eczema.
Worklog - Mary Dean - 09/29/2024
1) Diane Brown, DOB 10/06/1929: abstracted chronic kidney disease.

Thanks,
Amy Gonzalez
"""


def test_email_headers_signatures_and_worklog_authors_are_staff() -> None:
    found = detect_text(QUERY, today=T)
    names = {(f.field, f.value) for f in found if f.category == "name"}
    # the patient who shares the sender's surname is kept; the sender is not
    assert ("last", "GONZALEZ") in names and ("first", "ROSE") in names
    assert ("first", "Amy") not in names and ("first", "Vincent") not in names
    assert ("first", "Mary") not in names
    assert ("first", "Diane") in names and ("last", "Brown") in names  # colour-word surname
    assert not [f for f in found if f.category == "email"]  # From:/To: addresses are staff


def test_parent_or_guardian_addressee() -> None:
    letter = "Health Plan\n\nTo the Parent or Guardian of Hazel Cummiskey\n19775 Fourth Rd\nShelby, MI 49455\n\nDear Parent or Guardian:\nWelcome to Blue Horizon PPO Gold.\n"
    found = detect_text(letter, today=T)
    names = {(f.field, f.value, f.detector) for f in found if f.category == "name"}
    assert names == {("first", "Hazel", "text.addressee"), ("last", "Cummiskey", "text.addressee")}
    assert ("health_plan", "Blue Horizon PPO Gold") in {(f.category, f.value) for f in found}


def test_names_right_before_identity_data_and_common_word_first_names() -> None:
    text = "1) Della Arico-Ward, DOB 11/08/2011, MRN 31939965: asthma.\n2) Virgy Mastropietro, DOB 07/02/1951\nPt: Bill Eagle   DOB 2/17/98\n"
    names = {(f.field, f.value) for f in detect_text(text, today=T) if f.category == "name"}
    assert {
        ("first", "Della"),
        ("last", "Arico-Ward"),
        ("first", "Virgy"),
        ("last", "Mastropietro"),
        ("first", "Bill"),
        ("last", "Eagle"),
    } <= names


def test_title_line_above_identity_data_is_not_a_name() -> None:
    text = "RE: Prior Authorization Determination\nMember ID: BHP24868336202\nRE: Annual Wellness Review, DOB on file\n"
    assert "name" not in {f.category for f in detect_text(text, today=T)}


def test_delimited_rows_in_a_text_document_are_read_as_a_table() -> None:
    text = "MEMBER_NAME|DOB|MEMBER_ID|PLAN\nQUINTERO, MARISOL|19610314|XZB400123456|Blue Lake Gold PPO\nLEE, ANN|19700102|XZB400999999|Blue Lake Gold PPO\n"
    found = detect_text(text, today=T)
    got = {(f.category, f.field, f.value) for f in found}
    assert {
        ("name", "last", "QUINTERO"),
        ("name", "first", "MARISOL"),
        ("dob", None, "1961-03-14"),
        ("member_id", "member", "XZB400123456"),
        ("health_plan", None, "Blue Lake Gold PPO"),
    } <= got
    for f in found:
        assert f.start is not None and f.end is not None and f.detector == "text.table"
    dob = next(f for f in found if f.value == "1961-03-14")
    assert text[dob.start : dob.end] == "19610314"
    # prose with a few commas is not a table
    assert all(f.detector != "text.table" for f in detect_text(CHART, today=T))


def test_re2_with_group_dispatch_matches_plain_re() -> None:
    """re2 finds a candidate, then only the groups that can start with its character are
    tried: the same (span, group) as the whole alternation in plain ``re``."""
    from breachscope.detect.text_patterns import CombinedScanner

    try:
        fast = CombinedScanner("re2")
    except Exception:
        pytest.skip("google-re2 not installed")
    plain = CombinedScanner("re")
    noise = "Ünïcödé façade Kelvin K ſsn naïve café 12 — 東京 ROBERT O'NEIL-SMITH St. Louis"
    docs = [CHART, LETTER, TWO_PATIENTS, CHART.upper(), LETTER.lower(), f"{noise}\n{CHART}"]
    n = 0
    for doc in docs:
        view, pos = fast.prepare(doc), 0
        while True:
            a = fast.search(doc, view, pos)
            b = plain.search(doc, None, pos)
            assert (a and (a.span(), a.lastgroup)) == (b and (b.span(), b.lastgroup))
            if a is None:
                break
            n += 1
            pos = a.start() + 1
    assert n > 100


@pytest.mark.parametrize(
    "segment",
    ["Patient DOB: ", "date of birth", "xdob dob", "SSN # ", "ſsn", "DL", "dl", "d.l. ",
     "Last 4 ending in", "KMRN mrn", "call me at", "Rx: medication", "", "12/03 -- ",
     "Pt seen by Dr. for appt", "social security"],
)  # fmt: skip
def test_context_kinds_same_as_the_whole_pattern(segment: str) -> None:
    from breachscope.detect.text_patterns import CONTEXT, context_kinds

    assert context_kinds(segment) == [m.lastgroup for m in CONTEXT.finditer(segment)]


@pytest.mark.parametrize(
    "text",
    ["Patient: RODRÍGUEZ, KATHERINE D", "Patient: María T Higgins", "Name: Mary A. Adams",
     "Pt: JOSÉ D SÁNCHEZ DOB 01/02/1960"],
)  # fmt: skip
def test_label_name_parts_span_their_own_letters(text: str) -> None:
    """Names with letters beyond ASCII are read whole, and an initial's span is the letter
    standing alone (not the D inside RODRÍGUEZ)."""
    found = [f for f in detect_text(text, today=T) if f.category == "name"]
    assert {f.field for f in found} >= {"first", "last"}
    for f in found:
        assert f.start is not None and f.end is not None
        assert text[f.start : f.end].rstrip(".").upper() == f.value.upper()
