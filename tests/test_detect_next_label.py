"""A name read after a label ends where the form's next field starts, whatever that
field is called and in whatever language: "Paciente: José Ramírez. Teléfono: …" gave a
patient named "José Ramírez Teléfono", and "Ordering physician: MILLER, DOROTHY MD NPI: …"
a physician named "DOROTHY MD NPI MILLER". A name followed by a colon stays whole."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect.text import detect_text

TODAY = dt.date(2026, 1, 15)


def _names(text: str) -> dict[str | None, str]:
    return {f.field: f.value for f in detect_text(text, today=TODAY) if f.category == "name"}


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        # The next field after a full stop, a comma or a blank, with a value after it.
        ("Paciente: José Ramírez. Teléfono: 555-201-3344", "José", "Ramírez"),
        ("Paciente: Ana López. Dirección: 12 Calle Sol, Ponce, PR 00730", "Ana", "López"),
        ("Nombre: María Pérez. Sexo: F", "María", "Pérez"),
        ("Patient: José Ramírez, Teléfono: 555-201-3344", "José", "Ramírez"),
        ("Patient: John Smith. Religion: Catholic", "John", "Smith"),
        ("Patient: John Smith, Occupation: Teacher", "John", "Smith"),
        ("Name: John Smith Language: Spanish", "John", "Smith"),
        ("Patient: Mary Ann Smith Sexo: F", "Mary", "Smith"),
        ("PATIENT: JOSÉ RAMÍREZ SEXO: M", "JOSÉ", "RAMÍREZ"),
        # A label of several words, one space apart.
        ("Paciente: José Ramírez. Fecha de nacimiento: 3 de marzo de 1962", "José", "Ramírez"),
        ("Patient: John Smith Marital Status: Married", "John", "Smith"),
        ("Patient: Jennifer R Kreidler Date of Birth: 11/06/2023", "Jennifer", "Kreidler"),
        ("Patient: Jennifer R. Kreidler Ethnicity: Not Hispanic", "Jennifer", "Kreidler"),
        ("Patient: Kreidler, Jennifer R Sexo: F", "Jennifer", "Kreidler"),
        # After a comma, a word with a label after it is a given name outside the census
        # lists; an initial is no label word.
        ("NAME: VAN DER BERG, PIETER J MRN: 00418822 DOB: 06/02/1941", "PIETER", "VAN DER BERG"),
        ("NAME: VAN DER BERG, PIETER Sex: M", "PIETER", "VAN DER BERG"),
        # An identifier's name without a colon ends the name too.
        ("Beneficiary: Walter Kim, MBI 1EG4TE5MK73, Part A eff 01/2020", "Walter", "Kim"),
        ("Member: KIM, WALTER  Medicaid 12345678A", "WALTER", "KIM"),
        ("Patient: Ana Soto NPI 1528062377", "Ana", "Soto"),
        # A full stop after a word ends the sentence and the name; not after a title, a
        # suffix or an initial.
        ("Patient: Ana Soto. Retinal scan image attached.", "Ana", "Soto"),
        ("Patient: ANA SOTO. RETINAL SCAN", "ANA", "SOTO"),
        ("Patient: Mrs. Ana Soto. Seen today.", "Ana", "Soto"),
        ("Patient: Rev. Martin Luther King", "Martin", "King"),
        ("Hello, this is Mr. Matthew Bruun. Who are you?", "Matthew", "Bruun"),
        ("Name: St. John, Mary", "Mary", "St John"),
        # A label of several words that names a field ends even a one-word value.
        ("Last Name: Okafor First Name: Deshawn", "Deshawn", "Okafor"),
        ("Apellido: Ruiz Primer nombre: Ana", "Ana", "Ruiz"),
        # A name with a colon after it is no label: a given name, a common surname, one
        # word alone, the end of a salutation.
        ("Patient: SMITH, JOHN: DOB 01/02/1960", "JOHN", "SMITH"),
        ("Patient: John Smith: follow-up in two weeks", "John", "Smith"),
        ("Dear Maria Mumpower:", "Maria", "Mumpower"),
        ("Dear Maria Mumpower: thank you for your letter.", "Maria", "Mumpower"),
    ],
)
def test_a_name_ends_at_the_next_field(text: str, first: str, last: str) -> None:
    names = _names(text)
    assert names.get("first") == first
    assert names.get("last") == last


@pytest.mark.parametrize(
    ("text", "not_a_name"),
    [
        ("Paciente: José Ramírez. Teléfono: 555-201-3344", "Teléfono"),
        ("Patient: John Smith, Occupation: Teacher", "Occupation"),
        ("Name: John Smith Language: Spanish", "Language"),
        ("Patient: John Smith Marital Status: Married", "Marital"),
        ("Paciente: José Ramírez. Fecha de nacimiento: 3 de marzo de 1962", "Fecha"),
        ("Patient: Smith, Occupation: Teacher", "Occupation"),
    ],
)
def test_the_next_fields_label_is_no_name(text: str, not_a_name: str) -> None:
    found = detect_text(text, today=TODAY)
    assert not any(not_a_name in f.value for f in found if f.category in ("name", "provider"))


def test_a_physicians_credential_and_npi_label_are_not_in_the_name() -> None:
    found = detect_text("ORDERING PHYSICIAN: MILLER, DOROTHY MD NPI: 2380108425\n", today=TODAY)
    providers = {f.value for f in found if f.category == "provider" and f.field == "name"}
    assert providers == {"DOROTHY MILLER"}
    assert not any(f.category == "name" for f in found)


def test_a_mr_title_before_a_colon_keeps_the_surname() -> None:
    names = _names("Dear Mr. Kohnke: thank you for your letter.")
    assert names.get("last") == "Kohnke"
    assert "first" not in names  # "Mr" is no given name


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Subscriber: Wei Chen ID: DDX44821", ("member_id", "member", "DDX44821")),
        ("Subscriber: Wei Chen  ID: DDX44821", ("member_id", "member", "DDX44821")),
        ("Member: Wei Chen ID: DDX44821", ("member_id", "member", "DDX44821")),
        ("Insured: Wei Chen   ID# DDX44821", ("member_id", "member", "DDX44821")),
        ("Patient: Wei Chen ID: 4471023", ("mrn", None, "4471023")),
        ("Patient: Wei Chen, ID No. 4471023", ("mrn", None, "4471023")),
    ],
)
def test_a_bare_id_label_after_a_labelled_name_is_that_persons(
    text: str, want: tuple[str, str | None, str]
) -> None:
    found = {(f.category, f.field, f.value) for f in detect_text(text, today=TODAY)}
    assert want in found


@pytest.mark.parametrize(
    "text",
    [
        "Patient: Wei Chen ID: 2019",  # a short number: no ID
        "Patient: Wei Chen ID: pending",  # no digit
        "Patient: Wei Chen\nID: 4471023",  # another line: not the name's
        "Coder: Wei Chen ID: 4471023",  # staff: nobody's ID
    ],
)
def test_a_bare_id_label_look_alike(text: str) -> None:
    found = detect_text(text, today=TODAY)
    assert not any(f.category in ("mrn", "member_id") for f in found)


def test_a_cut_word_at_the_start_does_not_hide_the_later_cuts() -> None:
    # "Médico" opens a physician's label; the value starts with a word that also ends names
    # ("Medicaid"): the blanks after it still end the value, so no physician is read.
    found = detect_text("Seguro médico: Medicaid   Número de miembro: 100234567A", today=TODAY)
    assert not any(f.category == "provider" for f in found)
    assert ("health_plan", "Medicaid") in {(f.category, f.value) for f in found}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # A greeting's comma ends the name when a pronoun or a sentence word follows it.
        ("Hi Ella, I'm contacting you about a wire transfer", {("first", "Ella")}),
        ("Hello Marcus Lee, thanks for calling", {("first", "Marcus"), ("last", "Lee")}),
        ("Dear Smith, John:", {("last", "Smith"), ("first", "John")}),  # LAST, FIRST stays
    ],
)
def test_a_greetings_comma(text: str, want: set[tuple[str, str]]) -> None:
    found = {(f.field, f.value) for f in detect_text(text, today=TODAY) if f.category == "name"}
    assert found == want


@pytest.mark.parametrize(
    "text",
    [
        "Caller: I'm calling about the denied claim.",
        "Patient: It's been a week since the fall.",
        "Member: We're moving next month.",
    ],
)
def test_a_contraction_is_no_name(text: str) -> None:
    assert not any(f.category == "name" for f in detect_text(text, today=TODAY))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Claim 2291 for member Jane Roe (ID# ZXC1128877) was denied",
         ("member_id", "member", "ZXC1128877")),
        ("the subscriber Wei Chen (ID: DDX44821) called", ("member_id", "member", "DDX44821")),
        ("we saw patient Maria Lopez (4471023) today", ("mrn", None, "4471023")),
        ("Member: NGUYEN, BAO  (PHP40271936)", ("member_id", "member", "PHP40271936")),
    ],
)  # fmt: skip
def test_an_id_in_brackets_after_a_members_name(
    text: str, want: tuple[str, str | None, str]
) -> None:
    assert want in {(f.category, f.field, f.value) for f in detect_text(text, today=TODAY)}


@pytest.mark.parametrize(
    "text",
    [
        "spoke with member Jane Roe (2019) about the claim",  # a year, too short
        "member Jane Roe (self) is the subscriber",  # no digit
        "I spoke with Jane Roe (ZXC1128877) yesterday",  # no member or patient word
    ],
)
def test_brackets_that_hold_no_members_id(text: str) -> None:
    found = detect_text(text, today=TODAY)
    assert not any(f.category in ("member_id", "mrn") for f in found)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Patient: SOTO. JOHN WAS SEEN TODAY", "JOHN", "SOTO"),
        ("PATIENT: JOHN SMITH IS A 45 YO M", "JOHN", "SMITH"),
        ("PATIENT: JOHN SMITH WHO PRESENTS WITH", "JOHN", "SMITH"),
    ],
)
def test_a_capitals_verb_ends_the_name(text: str, first: str, last: str) -> None:
    names = _names(text)
    assert (names.get("first"), names.get("last")) == (first, last)
    assert "middle" not in names


@pytest.mark.parametrize(
    ("text", "phones"),
    [
        # The number right after a provider's name is the provider's.
        ("Her nephrologist is Dr. Patel at 312-555-0144. Her cell is 312-555-0199.",
         {"+13125550199"}),
        ("Dr. Ruiz's office: (312) 555-0144", set()),
        ("Dr. Ruiz, 312-555-0144", set()),
        # A label between them makes it the subject's again.
        ("Seen by Dr. Ruiz. Patient phone 312-555-0144", {"+13125550144"}),
    ],
)  # fmt: skip
def test_a_providers_number(text: str, phones: set[str]) -> None:
    got = {f.value for f in detect_text(text, today=TODAY) if f.category == "phone"}
    assert got == phones
