"""Messages written by the data subject (a patient portal message, a member's e-mail): the
sender in "From:" is a data subject when the message speaks of their own data; staff
e-mails keep their senders as staff. A possessive ends a name ("Dr. Lindqvist's")."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect.text import detect_text

TODAY = dt.date(2026, 1, 15)

PORTAL = """MyChart Message
From: Deshawn Okafor
To: Dr. Hannah Lindqvist's Care Team
Sent: 3/14/2024 9:42 PM
Subject: Refill and lab question

Hi Dr. Lindqvist, my A1c came back 8.2 last week and my pharmacy says my Ozempic 0.5mg
needs a new prior auth. Also my new address is 2250 N Lincoln Ave Apt 3F, Chicago IL
60614 and cell is 872-555-0193. My birthday is June 4 1983 in case you need it.
Thanks, Deshawn
"""

MEMBER_EMAIL = """From: "Whitcombe, Priscilla" <pwhitcombe@examplemail.com>
To: memberservices@sunrisehealth.example
Subject: ID card

Hello, my insurance card still shows my old address. My member ID is SMH551203398.
"""

STAFF_EMAIL = """From: Angela Ramos
To: Kim Lee
Subject: chart review

Please review the chart for PEREZ, MARIA (DOB 01/02/1950) before Friday. I finished my
queue and my review of the March claims; call my cell 312-555-0100 if needed.
"""

THREAD = """From: Joanna Pike
To: Deshawn Okafor
Subject: RE: Refill and lab question

Your results are in and Dr. Lindqvist sent the prior authorization today.

From: Deshawn Okafor
To: Joanna Pike
Subject: Refill and lab question

Can you check on my prescription refill? My labs were drawn Monday.
"""


def _names(text: str) -> set[tuple[str | None, str]]:
    return {(f.field, f.value) for f in detect_text(text, today=TODAY) if f.category == "name"}


def _providers(text: str) -> set[str]:
    return {f.value for f in detect_text(text, today=TODAY) if f.category == "provider"}


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        (PORTAL, "Deshawn", "Okafor"),
        (MEMBER_EMAIL, "Priscilla", "Whitcombe"),
        (THREAD, "Deshawn", "Okafor"),
    ],
)
def test_a_sender_writing_about_their_own_data_is_a_subject(
    text: str, first: str, last: str
) -> None:
    names = _names(text)
    assert ("first", first) in names and ("last", last) in names


def test_the_portal_message_keeps_the_rest() -> None:
    cats = {f.category for f in detect_text(PORTAL, today=TODAY)}
    assert {"name", "address", "phone", "dob", "medication"} <= cats


@pytest.mark.parametrize(
    ("text", "staff"),
    [
        # "my queue", "my review", "my cell": a staff member's, not their own health data.
        (STAFF_EMAIL, "Angela"),
        (STAFF_EMAIL, "Kim"),
        # In a thread, only the sender of the message that speaks of their own data.
        (THREAD, "Joanna"),
    ],
)
def test_staff_senders_stay_staff(text: str, staff: str) -> None:
    assert not any(v == staff for _f, v in _names(text))


def test_a_staff_email_still_names_its_patient() -> None:
    names = _names(STAFF_EMAIL)
    assert ("last", "Perez") in names or ("last", "PEREZ") in names


@pytest.mark.parametrize(
    ("text", "provider"),
    [
        ("To: Dr. Hannah Lindqvist's Care Team", "Hannah Lindqvist"),
        ("From: Dr. Ana Ruiz <aruiz@clinic.example>", "Ana Ruiz"),
        ("Seen by Dr. O'Sullivan's team today.", "O'Sullivan"),
    ],
)
def test_a_possessive_ends_a_providers_name(text: str, provider: str) -> None:
    assert provider in _providers(text)


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Patient: Mary O'Shea", "last", "O'Shea"),
        ("Patient: Dorothy D'Souza-Reyes", "last", "D'Souza-Reyes"),
    ],
)
def test_an_apostrophe_inside_a_name_is_no_possessive(text: str, field: str, value: str) -> None:
    assert (field, value) in _names(text)
