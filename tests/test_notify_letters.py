"""Individual letters: golden files per template variant, content rules, PDF text."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from breachscope.notify.letters import letter_body, letter_context, prepare, render_letter
from breachscope.notify.people import iter_recipients
from breachscope.notify.render import long_date
from notify_helpers import make_case, make_store, standard_population

GOLDEN = Path(__file__).parent / "golden" / "notify"
UPDATE = os.environ.get("BREACHSCOPE_UPDATE_GOLDEN") == "1"
VARIANTS = {
    "P-ADULT": "adult",
    "P-MINOR": "minor",
    "P-DEAD": "deceased",
    "P-MA": "adult-MA-cm18",
    "P-CT": "adult-cm24",
    "P-NOADDR": "adult-noaddr",
}


def normalise(html: str) -> str:
    """Dates that depend on the day of the run become a placeholder."""
    today = dt.date.today()
    html = html.replace(long_date(today), "<TODAY>").replace(today.isoformat(), "<TODAY>")
    return re.sub(r"[ \t]+\n", "\n", html)


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    case = make_case(tmp_path_factory.mktemp("case"))
    con = make_store()
    standard_population(con)
    setup = prepare(case, con)
    return {r.individual_id: letter_context(setup, r) for r in iter_recipients(con)}


@pytest.mark.parametrize("pid", sorted(VARIANTS))
def test_golden_letter(letters: dict[str, dict[str, object]], pid: str) -> None:
    ctx = letters[pid]
    assert ctx["variant"] == VARIANTS[pid]
    html = normalise(letter_body(ctx))
    path = GOLDEN / f"letter-{VARIANTS[pid]}.html"
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html)
    assert html == path.read_text(), f"{path.name} changed; BREACHSCOPE_UPDATE_GOLDEN=1 to accept"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_hipaa_elements_in_every_letter(letters: dict[str, dict[str, object]]) -> None:
    for pid, ctx in letters.items():
        text = _text(letter_body(ctx))
        for heading in (
            "What Happened",
            "What Information Was Involved",
            "What We Are Doing",
            "What You Can Do",
            "For More Information",
        ):
            assert heading in text, (pid, heading)
        assert "February 6, 2025" in text  # discovery
        assert "1-888-555-0142" in text  # toll-free contact
        assert "Mercy Valley Health System" in text
        assert "Keystone Clinical Coding Services, LLC" in text  # the vendor's role is named
        if pid != "P-MA":
            assert "January 27, 2025 and February 6, 2025" in text  # breach dates


def test_addressees(letters: dict[str, dict[str, object]]) -> None:
    assert (
        _text(letter_body(letters["P-MINOR"])).count("To the parent or guardian of Milo Mendez")
        == 1
    )
    assert letters["P-MINOR"]["envelope_lines"][0] == "TO THE PARENT OR GUARDIAN OF MILO MENDEZ"
    assert "To the family or estate of Dorothy Dunn:" in _text(letter_body(letters["P-DEAD"]))
    assert "Dear Alice Archer:" in _text(letter_body(letters["P-ADULT"]))
    assert letters["P-ADULT"]["envelope_lines"][1:] == ["12 N MAIN ST", "HARRISBURG PA 17101-1234"]
    assert letters["P-NOADDR"]["envelope_lines"] == ["NORA NOLAN"]


def test_massachusetts_no_description_no_count(letters: dict[str, dict[str, object]]) -> None:
    text = _text(letter_body(letters["P-MA"]))
    assert "copied files" not in text and "unauthorized person" not in text
    assert "approximately" not in text
    assert "police report" in text and "no charge to place, lift or remove" in text
    assert "18 months" in text


def test_only_own_elements(letters: dict[str, dict[str, object]]) -> None:
    adult = _text(letter_body(letters["P-ADULT"]))
    assert "health insurance member or subscriber ID number" in adult
    assert "bank account information" not in adult
    ct = _text(letter_body(letters["P-CT"]))
    assert "bank account information" in ct and "Social Security number" in ct


def test_credit_monitoring_only_when_owed(letters: dict[str, dict[str, object]]) -> None:
    assert letters["P-ADULT"]["cm"] is None
    assert letters["P-NOADDR"]["cm"] is None
    ct = letters["P-CT"]["cm"]
    assert isinstance(ct, dict) and ct["months"] == 24 and ct["required"]
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", ct["code"])
    ma = letters["P-MA"]["cm"]
    assert isinstance(ma, dict) and ma["code"] != ct["code"]


def test_new_mexico_and_maryland_blocks(tmp_path: Path) -> None:
    from notify_helpers import add_person

    case = make_case(tmp_path)
    con = make_store()
    add_person(con, "NM1", "Nina", "Baca", state="NM", zip_code="87501", city="Santa Fe")
    add_person(con, "MD1", "Owen", "Price", state="MD", zip_code="21201", city="Baltimore")
    setup = prepare(case, con)
    ctx = {r.individual_id: letter_context(setup, r) for r in iter_recipients(con)}
    assert "Fair Credit Reporting Act" in _text(letter_body(ctx["NM1"]))
    md = _text(letter_body(ctx["MD1"]))
    assert "Maryland Office of the Attorney General" in md and "1-888-743-0023" in md


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_pdf_text_has_own_data_only(tmp_path: Path) -> None:
    case = make_case(tmp_path)
    con = make_store()
    standard_population(con)
    text = {}
    for pid in ("P-CT", "P-ADULT"):
        pdf = tmp_path / f"{pid}.pdf"
        pdf.write_bytes(render_letter(case, con, pid))
        out = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        text[pid] = re.sub(r"\s+", " ", out.replace("\u2010\n", ""))
    ct, adult = text["P-CT"], text["P-ADULT"]
    assert "Colin Carter" in ct and "9 PARK PL APT 2" in ct
    assert "bank account information" in ct and "24 months" in ct
    assert "Alice Archer" in adult and "health insurance member or subscriber ID number" in adult
    for other in ("Alice", "Archer", "Maeve", "Milo", "Dorothy", "Nora", "N MAIN ST"):
        assert other not in ct, other
    for other in ("Colin", "Carter", "PARK PL", "bank account information", "Enrollment code"):
        assert other not in adult, other
