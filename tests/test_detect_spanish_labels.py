"""Spanish form labels (bilingual intake forms, registration sheets, letters of US clinics
and plans): a date of birth, a name's parts, the physician, IDs and phones read from their
Spanish labels as from English ones, and look-alikes that must stay what they are."""

from __future__ import annotations

import datetime as dt

import pytest

from breachscope.detect.text import detect_text

TODAY = dt.date(2026, 1, 15)


def _found(text: str) -> set[tuple[str, str | None, str]]:
    return {(f.category, f.field, f.value) for f in detect_text(text, today=TODAY)}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # Dates of birth and death.
        ("Fecha de nacimiento: 14/03/1962", ("dob", None, "1962-03-14")),
        ("Fecha de nac.: 02/11/1958", ("dob", None, "1958-02-11")),
        ("F. nac. 02/11/1958", ("dob", None, "1958-02-11")),
        ("FECHA DE NACIMIENTO 07/22/1971", ("dob", None, "1971-07-22")),
        ("nacido el 03/03/1962 en Jalisco", ("dob", None, "1962-03-03")),
        ("Fecha de defunción: 05/06/2023", ("date_of_death", None, "2023-05-06")),
        # Names from their labels.
        ("Nombre del paciente: María Elena Gutiérrez", ("name", "last", "Gutiérrez")),
        ("Nombre del paciente: María Elena Gutiérrez", ("name", "first", "María")),
        ("Paciente: José Luis Ramírez   Fecha de nac.: 02/11/1958", ("name", "first", "José")),
        ("Nombre completo: Ana Soto", ("name", "last", "Soto")),
        ("Nombre: Ana Soto", ("name", "first", "Ana")),
        ("Asegurado: Pedro Gómez", ("name", "last", "Gómez")),
        ("Apellidos: Ramírez Ortega   Nombre: José Luis", ("name", "last", "Ramírez Ortega")),
        ("Apellidos: Ramírez Ortega   Nombre: José Luis", ("name", "first", "José")),
        ("Primer apellido: Ortega", ("name", "last", "Ortega")),
        ("Segundo apellido: Ortega", ("name", "last", "Ortega")),
        (
            "Apellido: Ruiz   Primer nombre: Ana   Segundo nombre: Lucía",
            ("name", "middle", "Lucía"),
        ),
        # The physician is a provider.
        ("Médico: Dr. Roberto Salinas", ("provider", "name", "Roberto Salinas")),
        ("MÉDICO: DR. ROBERTO SALINAS", ("provider", "name", "ROBERTO SALINAS")),
        ("Doctora: María López", ("provider", "name", "María López")),
        ("Médico tratante: Elena Prieto", ("provider", "name", "Elena Prieto")),
        # Identifiers and phones.
        ("Número de póliza: XKJ448812", ("member_id", "policy", "XKJ448812")),
        ("Póliza: XKJ448812", ("member_id", "policy", "XKJ448812")),
        ("Núm. de afiliado: 88201455", ("member_id", "member", "88201455")),
        ("No. de miembro: W2231 8840 01", ("member_id", "member", "W2231884001")),
        ("Expediente: 00123456", ("mrn", None, "00123456")),
        ("Número de expediente: 00123456", ("mrn", None, "00123456")),
        ("Historia clínica: MR-4471023", ("mrn", None, "MR4471023")),
        ("Teléfono: (773) 555-0198", ("phone", None, "+17735550198")),
        ("Número de Seguro Social: 318-44-9021", ("ssn", None, "318449021")),
    ],
)
def test_a_spanish_label_reads_its_value(text: str, want: tuple[str, str | None, str]) -> None:
    assert want in _found(text)


@pytest.mark.parametrize(
    ("text", "not_wanted"),
    [
        # Dates that are not a birth date.
        ("Fecha de servicio: 01/02/2024", ("dob", None, "2024-01-02")),
        ("Fecha: 03/04/2024", ("dob", None, "2024-03-04")),
        ("Fecha de la cita: 03/04/2024", ("dob", None, "2024-03-04")),
        # A physician's name is no data subject's.
        ("Nombre del médico: Dr. Ana Ruiz", ("name", "first", "Ana")),
        ("Médico: Dr. Roberto Salinas", ("name", "last", "Médico")),
        ("Médico: Dr. Roberto Salinas", ("name", "first", "Roberto")),
        # A form's accented field names are no speakers.
        ("Asegurado: Pedro Gómez\nPóliza: XKJ448812", ("name", "first", "Póliza")),
        ("Código: Z00.00\nTeléfono: 312-555-0147", ("name", "first", "Código")),
        # "Nombre:" after a surname label holds the given names, not a whole name.
        ("Apellidos: Ramírez Ortega   Nombre: José Luis", ("name", "last", "Luis")),
        # Policy prose without a label's colon or a number.
        ("La póliza cubre la cirugía.", ("member_id", "policy", "cubre")),
    ],
)
def test_look_alikes_stay_what_they_are(text: str, not_wanted: tuple[str, str | None, str]) -> None:
    assert not_wanted not in _found(text)


def test_a_spanish_registration_form() -> None:
    form = (
        "FORMULARIO DE REGISTRO DEL PACIENTE\n"
        "Nombre del paciente: María Elena Gutiérrez\n"
        "Fecha de nacimiento: 14/03/1962\n"
        "Dirección: 4521 W Cermak Rd, Apt 2B, Chicago, IL 60623\n"
        "Teléfono: (773) 555-0198\n"
        "Número de Seguro Social: 318-44-9021\n"
        "Seguro médico: Medicaid   Número de miembro: 100234567A\n"
        "Médico: Dr. Roberto Salinas\n"
    )
    found = detect_text(form, today=TODAY)
    cats = {f.category for f in found}
    assert {
        "name",
        "dob",
        "address",
        "phone",
        "ssn",
        "health_plan",
        "member_id",
        "provider",
    } <= cats
    names = {f.value for f in found if f.category == "name"}
    assert names == {"María", "Elena", "Gutiérrez"}  # the physician is no subject
    assert not any(f.category == "other_date" for f in found)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Fecha de nacimiento: 3 de marzo de 1962", ("dob", None, "1962-03-03")),
        ("Nacido el 14 de febrero de 1975 en Ponce.", ("dob", None, "1975-02-14")),
        ("Nació el 1 de septiembre del 1949", ("dob", None, "1949-09-01")),
        ("Fecha de nac.: 5 de dic. de 1980", ("dob", None, "1980-12-05")),
        ("FECHA DE NACIMIENTO: 22 DE ENERO DE 1971", ("dob", None, "1971-01-22")),
        ("Fecha de nacimiento: 9 de agosto 1958", ("dob", None, "1958-08-09")),
        ("Fecha de nacimiento: 30 de abril de 1990", ("dob", None, "1990-04-30")),
        ("Fecha de defunción: 2 de junio de 2023", ("date_of_death", None, "2023-06-02")),
    ],
)
def test_a_date_written_in_spanish_words(text: str, want: tuple[str, str | None, str]) -> None:
    assert want in _found(text)


@pytest.mark.parametrize(
    ("text", "not_wanted"),
    [
        # An appointment written in words is a date, not a birth date.
        ("Su cita es el 12 de agosto de 2025.", ("dob", None, "2025-08-12")),
        # No calendar day: nothing is read as a date.
        ("Fecha de nacimiento: 31 de febrero de 1962", ("dob", None, "1962-02-28")),
        # Spanish month heads inside English words are no months.
        ("given 5 agonists 20 minutes apart", ("other_date", None, "2020-08-05")),
        ("3 dictated 2020 notes", ("other_date", None, "2020-12-03")),
    ],
)
def test_spanish_date_look_alikes(text: str, not_wanted: tuple[str, str | None, str]) -> None:
    found = _found(text)
    assert not_wanted not in found
    if "31 de febrero" in text or "agonists" in text or "dictated" in text:
        assert not {f for f in found if f[0] in ("dob", "other_date")}


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("Seguro médico: Blue Cross Blue Shield of Texas", "Blue Cross Blue Shield of Texas"),
        ("Plan médico: Triple-S Salud", "Triple-S Salud"),
        ("PLAN MEDICO: MMM Healthcare", "MMM Healthcare"),
        ("Aseguradora: Molina Healthcare", "Molina Healthcare"),
        ("Seguro: Medicaid   Número de miembro: 100234567A", "Medicaid"),
    ],
)
def test_a_spanish_insurance_label_names_the_plan_not_a_physician(text: str, plan: str) -> None:
    found = detect_text(text, today=TODAY)
    assert ("health_plan", plan) in {(f.category, f.value) for f in found}
    assert not any(f.category in ("provider", "name") for f in found)
