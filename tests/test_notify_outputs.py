"""The notify stage end to end (without PDFs), plus calendar, HHS fields, costs and config."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from icalendar import Calendar

from breachscope.errors import CaseFileError
from breachscope.notify import run_notify
from breachscope.notify.address import mail_address, normalise_street, normalise_zip
from breachscope.notify.config import DEFAULT_PRICES, load_notify_config
from breachscope.notify.costs import CostInputs, forecast, total
from breachscope.notify.hhs import HHS_FIELDS
from notify_helpers import NOTIFY, add_person, make_case, make_store, standard_population


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("case")
    case = make_case(root)
    con = make_store()
    standard_population(con)
    add_person(
        con,
        "P-DEAD-NOADDR",
        "Walter",
        "Wren",
        deceased=True,
        street="",
        zip_code="",
        city="",
        dob=dt.date(1940, 2, 2),
    )
    add_person(
        con,
        "P-TWO",
        "Tess",
        "Twofold",
        clients=("mercy-valley-health", "blue-horizon-health-plan"),
        elements=("name", "dob", "diagnosis"),
    )
    con.execute(
        "INSERT INTO files VALUES ('f1', 'mercy-valley-health/roster.csv', NULL, 0, 10, "
        "'x', 'csv', 'processed', '', ['mercy-valley-health'], 1, 5, NULL)"
    )
    con.execute(
        "INSERT INTO files VALUES ('f2', 'mercy-valley-health/locked.pdf', NULL, 0, 10, "
        "'x', 'pdf', 'failed', 'encrypted: password not supplied', "
        "['mercy-valley-health'], 0, 0, NULL)"
    )
    result = run_notify(case, con, render_pdf=False)
    assert result["letters"] == 9  # 8 people, one of them in two clients
    return case.out_dir


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_private_permissions(out: Path) -> None:
    for p in [out, *out.rglob("*")]:
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode == (0o700 if p.is_dir() else 0o600), p


def test_mail_file(out: Path) -> None:
    rows = {r["name"]: r for r in _rows(out / "mail" / "mail_file.csv")}
    colin = rows["COLIN CARTER"]
    assert colin["address_line1"] == "9 PARK PL APT 2" and colin["zip"] == "06103"
    assert colin["variant"] == "adult-cm24" and colin["no_deliverable_address"] == "false"
    milo = rows["MILO MENDEZ"]
    assert milo["addressee_line"] == "TO THE PARENT OR GUARDIAN OF MILO MENDEZ"
    assert milo["minor"] == "true"
    assert rows["ALICE ARCHER"]["zip"] == "17101-1234"
    assert rows["NORA NOLAN"]["no_deliverable_address"] == "true"
    assert rows["WALTER WREN"]["deceased"] == "true"
    sub = {r["name"] for r in _rows(out / "mail" / "substitute_notice.csv")}
    assert sub == {"Nora Nolan"}  # the deceased without an address need none (H-3.6)


def test_manifest_and_models(out: Path) -> None:
    manifest = _rows(out / "letters" / "manifest.csv")
    assert len({r["letter_id"] for r in manifest}) == 9
    tess = [r for r in manifest if r["individual_id"] == "P-TWO"]
    assert {r["client_id"] for r in tess} == {"mercy-valley-health", "blue-horizon-health-plan"}
    models = {p.stem for p in (out / "letters" / "models").glob("*.docx")}
    assert {"adult", "minor", "adult-MA-cm18", "adult-cm24", "adult-noaddr"} <= models
    html = (out / "letters" / "models" / "adult-cm24.html").read_text()
    assert "[FULL NAME]" in html and "Colin" not in html and "[ENROLLMENT CODE]" in html


def test_enrolment_codes(out: Path) -> None:
    codes = _rows(out / "credit_monitoring" / "enrolment_codes.csv")
    assert {r["months"] for r in codes} == {"18", "24"}
    assert len({r["code"] for r in codes}) == len(codes) == 2


def test_client_package(out: Path) -> None:
    pkg = out / "clients" / "mercy-valley-health"
    people = _rows(pkg / "individuals.csv")
    assert {p["individual_id"] for p in people} >= {"P-ADULT", "P-CT", "P-TWO"}
    evidence = _rows(pkg / "evidence.csv")
    assert evidence[0]["path"] == "mercy-valley-health/roster.csv" and evidence[0]["row_no"] == "2"
    states = {r["state"]: int(r["individuals"]) for r in _rows(pkg / "counts_by_state.csv")}
    assert states["PA"] == 6 and states["MA"] == 1
    assert any(r["obligation"] == "hhs_notice" for r in _rows(pkg / "obligations.csv"))
    blue = _rows(out / "clients" / "blue-horizon-health-plan" / "individuals.csv")
    assert [p["individual_id"] for p in blue] == ["P-TWO"]  # no other client's people


def test_hhs_json_has_every_field(out: Path) -> None:
    report = json.loads((out / "hhs" / "mercy-valley-health" / "hhs_report.json").read_text())
    for key in HHS_FIELDS:
        assert key in report
    b = report["breach"]
    for key in (
        "start_date",
        "end_date",
        "discovery_start_date",
        "discovery_end_date",
        "approximate_individuals_affected",
        "type_of_breach",
        "location_of_breached_information",
        "type_of_phi",
        "brief_description",
        "safeguards_in_place",
    ):
        assert key in b
    assert b["start_date"] == "2025-01-27" and b["discovery_start_date"] == "2025-02-06"
    assert b["approximate_individuals_affected"] == 8
    assert b["type_of_breach"] == ["Hacking/IT Incident"]
    assert b["location_of_breached_information"] == ["Network Server"]
    assert b["type_of_phi"]["Demographic"] and b["type_of_phi"]["Clinical"]
    assert b["type_of_phi"]["Financial"] and b["type_of_phi"]["Other"]
    n = report["notice_and_actions"]
    assert n["substitute_notice_required"] is True and n["media_notice_required"] is False
    assert report["general"]["breach_affecting"] == "Fewer Than 500 Individuals"
    assert report["filer"]["role"].startswith("Business Associate")
    assert "breach.safeguards_in_place" in report["to_confirm"]


def test_calendar_parses(out: Path) -> None:
    cal = Calendar.from_ical((out / "deadlines.ics").read_bytes())
    events = list(cal.walk("VEVENT"))
    assert events and all("Citation:" in str(e["description"]) for e in events)
    dates = {e.decoded("dtstart") for e in events}
    assert dt.date(2025, 4, 7) in dates and dt.date(2026, 3, 1) in dates
    assert len({str(e["uid"]) for e in events}) == len(events)


def test_substitute_and_report(out: Path) -> None:
    sub = out / "substitute" / "mercy-valley-health"
    assert "toll-free" in (sub / "web_posting.html").read_text()
    assert "NEVER ask for a full" in (sub / "toll_free_script.txt").read_text()
    report = (out / "report" / "summary.html").read_text()
    assert "<svg" in report and "<script" not in report
    for name in ("Alice", "Colin", "Nora", "Archer"):
        assert name not in report  # counts only
    assert "locked.pdf" in report and "encrypted" in report
    exc = _rows(out / "report" / "exceptions.csv")
    assert [r["path"] for r in exc] == ["mercy-valley-health/locked.pdf"]


def test_cost_forecast_arithmetic() -> None:
    prices = dict(DEFAULT_PRICES)
    inputs = CostInputs(
        letters=1000,
        pages=3000,
        cm_offers=200,
        cm_offer_months=200 * 18,
        media_releases=2,
        substitute_postings=1,
    )
    lines = {line.item: line for line in forecast(inputs, prices)}
    assert lines["Letters printed and inserted"].amount == 450.00
    assert lines["Additional printed pages"].quantity == 2000
    assert lines["Additional printed pages"].amount == 200.00
    assert lines["First-class postage"].amount == 730.00
    assert lines["Call-center calls (expected)"].quantity == 100
    assert lines["Call-center calls (expected)"].amount == 650.00
    cm = lines["Credit monitoring (expected enrolments x months)"]
    assert cm.quantity == 200 * 0.15 * 18 and cm.amount == 675.00
    assert lines["Media notices (press releases)"].amount == 900.00
    assert total(list(lines.values())) == 450 + 200 + 730 + 650 + 675 + 900


def test_prices_from_case_file(tmp_path: Path) -> None:
    case = make_case(tmp_path, {**NOTIFY, "prices": {"postage_per_letter": 0.5, "call_rate": 0.2}})
    cfg = load_notify_config(case)
    assert cfg.prices["postage_per_letter"] == 0.5 and cfg.prices["call_rate"] == 0.2
    assert cfg.prices["print_per_letter"] == DEFAULT_PRICES["print_per_letter"]


def test_bad_notify_table_lists_every_problem(tmp_path: Path) -> None:
    bad = {
        "prices": {"call_rate": 3, "postage_per_letter": "cheap"},
        "batch_size": 0,
        "breach_type": "Gremlins",
        "colour": "blue",
    }
    with pytest.raises(CaseFileError) as err:
        load_notify_config(make_case(tmp_path, bad))
    msg = str(err.value)
    for key in ("call_rate", "postage_per_letter", "batch_size", "breach_type", "notify.colour"):
        assert key in msg


@pytest.mark.parametrize(
    ("street", "line1"),
    [
        ("123 North Main Street, Apartment 4B", "123 N MAIN ST APT 4B"),
        ("500 South Street", "500 SOUTH ST"),
        ("P.O. Box 77", "PO BOX 77"),
        ("1 Park Place Suite 200", "1 PARK PL STE 200"),
        ("12 Lake View Drive North", "12 LAKE VIEW DR N"),
        ("42 Avenue of the Americas #5", "42 AVENUE OF THE AMERICAS #5"),
    ],
)
def test_usps_street(street: str, line1: str) -> None:
    assert normalise_street(street)[0] == line1


def test_usps_zip_and_last_line() -> None:
    assert normalise_zip("021391234") == "02139-1234"
    assert normalise_zip("2139") == "02139"
    assert normalise_zip("n/a") == ""
    assert (
        mail_address("1 Elm St", "Boston", "ma", "02139-1234").last_line == "BOSTON MA 02139-1234"
    )


def test_missing_contact_is_a_warning_not_an_error(tmp_path: Path) -> None:
    case = make_case(tmp_path, {})
    case = dataclasses.replace(
        case,
        reporting_entity=dataclasses.replace(
            case.reporting_entity, phone="", email="", website="", address=""
        ),
    )
    cfg = load_notify_config(case)
    assert cfg.contact.phone == "[TOLL-FREE NUMBER]"
    assert any("contact procedure" in w for w in cfg.warnings)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_hhs_pdf_reads_as_the_form(tmp_path: Path) -> None:
    from breachscope.notify.stage import write_hhs
    from breachscope.notify.stats import client_stats

    case = make_case(tmp_path)
    con = make_store()
    standard_population(con)
    stats = client_stats(con, case.incident.discovery_date)["mercy-valley-health"]
    write_hhs(
        case, con, tmp_path, case.client("mercy-valley-health"), stats, [], load_notify_config(case)
    )
    pdf = tmp_path / "hhs" / "mercy-valley-health" / "hhs_report.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for words in (
        "Mercy Valley Health System",
        "Hacking/IT Incident",
        "Network Server",
        "2025-01-27",
        "Keystone Clinical Coding Services",
        "to be completed",
    ):
        assert words in text, words
    assert "Alice" not in text and "Archer" not in text
