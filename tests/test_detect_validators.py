"""Validators and normalisers: table-driven, with at least as many negatives as positives."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from breachscope.detect import normalize as N
from breachscope.detect import validators as V
from breachscope.detect.address import parse_address
from breachscope.detect.person_names import split_name

# --------------------------------------------------------------------------- SSN


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("219456780", True),
        ("001010001", True),
        ("665123456", True),
        ("772459876", True),
        ("000123456", False),  # area 000
        ("666123456", False),  # area 666
        ("912701234", False),  # ITIN (9xx)
        ("987654320", False),  # 9xx
        ("123004567", False),  # group 00
        ("123450000", False),  # serial 0000
        ("078051120", False),  # Woolworth wallet card
        ("111111111", False),  # all same digit
        ("12345678", False),  # too short
        ("12345678A", False),
    ],
)
def test_ssn_rules(value: str, ok: bool) -> None:
    assert V.ssn_valid(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [("912701234", True), ("900501234", True), ("912401234", False), ("219456780", False)],
)
def test_itin_shape(value: str, ok: bool) -> None:
    assert V.itin_like(value) is ok


@given(st.integers(min_value=900, max_value=999), st.integers(1, 99), st.integers(1, 9999))
def test_ssn_never_accepts_9xx(area: int, group: int, serial: int) -> None:
    assert not V.ssn_valid(f"{area:03d}{group:02d}{serial:04d}")


# --------------------------------------------------------------------------- Luhn family


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("1234567893", True),
        ("1245319599", True),
        ("1234567890", False),  # bad check digit
        ("1234567894", False),
        ("3234567893", False),  # must start 1 or 2
        ("123456789", False),  # 9 digits
    ],
)
def test_npi(value: str, ok: bool) -> None:
    assert V.npi_valid(value) is ok


@pytest.mark.parametrize(
    ("value", "network"),
    [
        ("4111111111111111", "visa"),
        ("5555555555554444", "mastercard"),
        ("378282246310005", "amex"),
        ("6011111111111117", "discover"),
        ("4111111111111112", None),  # Luhn fails
        ("1234567812345670", None),  # Luhn ok, no issuer
        ("0000000000000000", None),
        ("37828224631000", None),  # amex length wrong
        ("411111111111", None),
    ],
)
def test_card(value: str, network: str | None) -> None:
    assert V.card_network(value) == network


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("011000015", True),
        ("021000021", True),
        ("011000016", False),  # checksum
        ("123456789", False),
        ("991000014", False),  # prefix not a Fed district
        ("000000000", False),
    ],
)
def test_aba(value: str, ok: bool) -> None:
    assert V.aba_valid(value) is ok


@given(st.text(alphabet="0123456789", min_size=1, max_size=18))
def test_luhn_check_digit_property(body: str) -> None:
    # Exactly one check digit makes any body Luhn-valid.
    valid = [d for d in "0123456789" if V.luhn_ok(body + d)]
    assert len(valid) == 1


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("AB1234563", True),
        ("ab1234563", True),
        ("AB1234564", False),
        ("A11234563", False),
        ("ZB1234563", False),  # registrant type letter
        ("AB123456", False),
    ],
)
def test_dea(value: str, ok: bool) -> None:
    assert V.dea_valid(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("1EG4-TE5-MK73", True),
        ("1EG4TE5MK73", True),
        ("1SG4TE5MK73", False),  # S never used
        ("0EG4TE5MK73", False),  # first digit 1-9
        ("1EG4TE5MK7", False),
        ("1EG4TE5MKL3", False),  # L never used
    ],
)
def test_mbi(value: str, ok: bool) -> None:
    assert V.mbi_valid(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [("234567890A", True), ("234-56-7890-B1", True), ("234567890Z", False), ("934567890A", False)],
)
def test_hicn(value: str, ok: bool) -> None:
    assert V.hicn_valid(value) is ok


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("E11.9", "E11.9"),
        ("e119", "E11.9"),
        ("I10", "I10"),
        ("C50.911", "C50.911"),
        ("S72.001A", "S72.001A"),
        ("U07.1", "U07.1"),
        ("B12", None),  # vitamin B12, not a code
        ("A1C", None),  # lab test
        ("D3", None),
        ("E11.99", None),
        ("Z99.999", None),
        ("E2", None),
        ("12345", None),
    ],
)
def test_icd10cm(value: str, code: str | None) -> None:
    assert V.icd10cm_code(value) == code


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("99213", True),
        ("0001F", True),
        ("0042T", True),
        ("00099", False),
        ("9921", False),
        ("ABCDE", False),
    ],
)
def test_cpt(value: str, ok: bool) -> None:
    assert V.cpt_like(value) is ok


# --------------------------------------------------------------------------- normalisers

T = dt.date(2025, 3, 1)


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("03/14/1956", "1956-03-14"),
        ("1956-03-14", "1956-03-14"),
        ("14/03/1956", "1956-03-14"),
        ("March 14, 1956", "1956-03-14"),
        ("14-Mar-1956", "1956-03-14"),
        ("19560314", "1956-03-14"),
        ("1956-03-14 00:00:00", "1956-03-14"),
        ("2/30/2020", None),
        ("13/13/2020", None),
        ("99/99/9999", None),
        ("Mar 99, 2020", None),
        ("hello", None),
        ("123456", None),
    ],
)
def test_parse_date(raw: str, iso: str | None) -> None:
    d = N.parse_date(raw, today=T)
    assert (d.isoformat() if d else None) == iso


def test_two_digit_years_for_birth_dates_are_past() -> None:
    assert N.parse_date("3/14/56", past=True, today=T) == dt.date(1956, 3, 14)
    assert N.parse_date("3/14/24", past=True, today=T) == dt.date(2024, 3, 14)
    assert N.parse_date("3/14/30", past=True, today=T) == dt.date(1930, 3, 14)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_date_round_trips(d: dt.date) -> None:
    for raw in (
        d.isoformat(),
        d.strftime("%m/%d/%Y"),
        d.strftime("%B %d, %Y"),
        d.strftime("%Y%m%d"),
    ):
        assert N.parse_date(raw, today=T) == d


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("(617) 555-2368", "+16175552368"),
        ("617.555.2368", "+16175552368"),
        ("+1 617 555 2368", "+16175552368"),
        ("617-555-2368 ext 12", "+16175552368"),
        ("+44 20 7946 0958", "+442079460958"),
        ("555-2368", None),
        ("(017) 555-2368", None),  # area code cannot start 0/1
        ("617-155-2368", None),  # exchange cannot start 1
        ("000-000-0000", None),
        ("12345", None),
    ],
)
def test_phone(raw: str, e164: str | None) -> None:
    assert N.phone_e164(raw) == e164


@given(st.from_regex(r"[2-9]\d{2}[2-9]\d{6}", fullmatch=True))
def test_phone_formats_agree(d: str) -> None:
    if d[1:3] == "11":
        return
    a = N.phone_e164(f"({d[:3]}) {d[3:6]}-{d[6:]}")
    assert a == N.phone_e164(d) == N.phone_e164(f"{d[:3]}.{d[3:6]}.{d[6:]}")
    assert a is None or (a.startswith("+1") and len(a) == 12)


@given(st.text(max_size=30))
def test_ident_is_idempotent(s: str) -> None:
    t = N.ident(s)
    if t is not None:
        assert N.ident(t) == t
        assert t == t.upper() and " " not in t


@pytest.mark.parametrize(
    ("raw", "parts"),
    [
        ("SMITH, JOHN A", {"last": "SMITH", "first": "JOHN", "middle": "A"}),
        ("Smith, John A. Jr.", {"last": "Smith", "first": "John", "middle": "A", "suffix": "Jr"}),
        ("John A. Smith", {"first": "John", "middle": "A", "last": "Smith"}),
        ("Dr. Jane Doe, MD", {"prefix": "Dr", "first": "Jane", "last": "Doe", "suffix": "MD"}),
        ("SMITH JOHN", {"first": "JOHN", "last": "SMITH"}),
        ("Maria de la Cruz", {"first": "Maria", "last": "de la Cruz"}),
        ("Smith^John^A", {"last": "Smith", "first": "John", "middle": "A"}),
        ("O'Brien, Mary-Kate", {"last": "O'Brien", "first": "Mary-Kate"}),
        ("12345", None),
        ("", None),
    ],
)
def test_split_name(raw: str, parts: dict[str, str] | None) -> None:
    got = split_name(raw)
    assert (dict(got.items()) if got else None) == parts


@pytest.mark.parametrize(
    ("raw", "parts"),
    [
        (
            "123 Main St, Springfield, IL 62701",
            {"street": "123 Main St", "city": "Springfield", "state": "IL", "zip": "62701"},
        ),
        (
            "456 Oak Avenue Apt 4B\nBoston, MA 02110-1234",
            {
                "street": "456 Oak Avenue",
                "line2": "Apt 4B",
                "city": "Boston",
                "state": "MA",
                "zip": "02110",
            },
        ),
        (
            "PO Box 77, Austin, TX 78701",
            {"street": "PO Box 77", "city": "Austin", "state": "TX", "zip": "78701"},
        ),
        ("742 Evergreen Terrace", {"street": "742 Evergreen Terrace"}),
        ("Mercy Valley Health", None),
        ("", None),
    ],
)
def test_parse_address(raw: str, parts: dict[str, str] | None) -> None:
    assert parse_address(raw) == parts


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("tx", "TX"),
        ("Texas", "TX"),
        ("N.Y.", "NY"),
        ("District of Columbia", "DC"),
        ("ZZ", None),
        ("Tex", None),
    ],
)
def test_state_code(raw: str, code: str | None) -> None:
    assert N.state_code(raw) == code


@pytest.mark.parametrize(
    ("raw", "z"),
    [
        ("02110", "02110"),
        ("2110", "02110"),
        ("62701-1234", "62701"),
        ("00000", None),
        ("ABCDE", None),
        ("123456", None),
    ],
)
def test_zip(raw: str, z: str | None) -> None:
    assert N.zip5(raw) == z
