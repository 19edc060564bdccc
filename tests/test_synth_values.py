"""Value generators and renderings of the synthetic breach generator."""

from __future__ import annotations

import datetime as dt
import random
import re
import zipfile
from pathlib import Path

import pytest

from breachscope.synth import generate_case, render
from breachscope.synth.archives import write_encrypted_zip
from breachscope.synth.clinical import (
    luhn_valid,
    make_card,
    make_mbi,
    make_npi,
    npi_valid,
    ssn_valid,
)
from breachscope.synth.people import IdMint, PopulationBuilder, World


@pytest.mark.parametrize(
    ("ssn", "ok"),
    [
        ("123456789", True),
        ("001010001", True),
        ("000123456", False),
        ("666123456", False),
        ("900123456", False),
        ("123006789", False),
        ("123450000", False),
        ("12345678", False),
    ],
)
def test_ssn_rules(ssn: str, ok: bool) -> None:
    assert ssn_valid(ssn) is ok


def test_minted_ids_are_valid_and_unique() -> None:
    mint = IdMint(3)
    ssns = [mint.ssn(k) for k in range(20000)]
    assert len(set(ssns)) == len(ssns) and all(ssn_valid(s) for s in ssns)
    mrns = [mint.mrn("mercy-valley-health", k) for k in range(20000)]
    assert len(set(mrns)) == len(mrns)


def test_npi_card_and_mbi_formats() -> None:
    rng = random.Random(1)
    assert npi_valid("1234567893")  # the CMS example NPI
    assert not npi_valid("1234567890")
    for _ in range(200):
        assert npi_valid(make_npi(rng))
        assert luhn_valid(make_card(rng))
        assert re.fullmatch(r"[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y]{2}\d{2}", make_mbi(rng))  # fmt: skip


@pytest.mark.parametrize(
    ("style", "text"),
    [
        ("mdy", "03/05/1955"),
        ("iso", "1955-03-05"),
        ("mdyy", "3/5/55"),
        ("dmon", "05-MAR-1955"),
        ("ymd", "19550305"),
        ("long", "March 5, 1955"),
    ],
)
def test_date_styles(style: str, text: str) -> None:
    assert render.date(dt.date(1955, 3, 5), style) == text


def test_ssn_renderings() -> None:
    assert render.ssn("123456789", "dashed") == "123-45-6789"
    assert render.ssn("123456789", "spaced") == "123 45 6789"
    assert render.ssn("123456789", "last4") == "6789"
    assert render.ssn("123456789", "masked") == "XXX-XX-6789"
    assert render.ssn(None, "dashed") == ""


def test_typos_stay_close() -> None:
    rng = random.Random(4)
    for word in ("Johnson", "Martinez", "Whitfield"):
        for _ in range(20):
            t = render.typo(word, rng)
            assert t != word and abs(len(t) - len(word)) <= 1 and t[0] == word[0]


def test_households_are_reproducible_one_by_one() -> None:
    a = PopulationBuilder(World.create(5))
    b = PopulationBuilder(World.create(5))
    first = [p for hh in a.households(60) for p in hh]
    again = [p for hh in b.households(60) for p in hh]
    assert [(p.first, p.last, p.dob, p.ssn) for p in first] == [
        (p.first, p.last, p.dob, p.ssn) for p in again
    ]
    assert len(first) == 60


def test_zipcrypto_archive_opens_with_its_password(tmp_path: Path) -> None:
    out = tmp_path / "x.zip"
    write_encrypted_zip(out, [("a.csv", b"x,y\n1,2\n")], b"s3cret", random.Random(0))
    z = zipfile.ZipFile(out)
    assert z.read("a.csv", pwd=b"s3cret") == b"x,y\n1,2\n"
    with pytest.raises(RuntimeError):
        z.read("a.csv")


def test_tiny_case(tmp_path: Path) -> None:
    path = generate_case(tmp_path / "tiny", people=1, seed=0)
    assert path.name == "case.toml"
    rows = (tmp_path / "tiny" / "truth" / "people.csv").read_text().splitlines()
    assert len(rows) == 2
