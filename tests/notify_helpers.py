"""Builders for notify tests: a case, people and obligations written straight into tables."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import duckdb

from breachscope.case import Case, load_case
from breachscope.notify.sample import CASE_TOML, create_tables

SALT = bytes(range(16))

NOTIFY = {
    "letter_date": dt.date(2025, 3, 24),
    "signer_name": "Dana Whitfield",
    "signer_title": "Chief Privacy Officer",
    "vendor_service": "medical coding",
    "contact": {
        "phone": "1-888-555-0142",
        "name": "Dana Whitfield",
        "title": "Chief Privacy Officer",
        "hours": "Monday through Friday, 9 a.m. to 6 p.m. Eastern Time",
    },
    "credit_monitoring": {
        "vendor": "Experian IdentityWorks",
        "url": "www.experianidworks.example/3bcredit",
        "phone": "1-877-555-0177",
        "enrol_by": dt.date(2025, 6, 30),
    },
}


def make_case(root: Path, notify: dict[str, Any] | None = None) -> Case:
    for cid in ("mercy-valley-health", "blue-horizon-health-plan"):
        (root / "evidence" / cid).mkdir(parents=True, exist_ok=True)
        (root / "evidence" / cid / "x.txt").write_text("synthetic\n")
    (root / "case.toml").write_text(CASE_TOML)
    case = load_case(root / "case.toml")
    raw = dict(case.raw)
    raw["notify"] = NOTIFY if notify is None else notify
    return dataclasses.replace(case, raw=raw)


def make_store() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    create_tables(con)
    con.execute("INSERT INTO meta VALUES ('notify.enrolment_salt', ?)", [SALT.hex()])
    return con


def add_person(
    con: duckdb.DuckDBPyConnection,
    pid: str,
    first: str,
    last: str,
    *,
    state: str = "PA",
    street: str = "12 North Main Street",
    city: str = "Harrisburg",
    zip_code: str = "17101-1234",
    dob: dt.date = dt.date(1970, 5, 1),
    minor: bool = False,
    deceased: bool = False,
    elements: tuple[str, ...] = ("name", "address", "dob", "member_id"),
    clients: tuple[str, ...] = ("mercy-valley-health",),
    path: str = "mercy-valley-health/roster.csv",
    row: int = 2,
) -> None:
    con.execute(
        f"INSERT INTO individuals VALUES ({', '.join('?' * 18)})",
        [
            pid,
            first,
            None,
            last,
            None,
            dob,
            street,
            city,
            state,
            zip_code,
            "address",
            minor,
            deceased,
            list(clients),
            list(elements),
            1,
            1,
            False,
        ],
    )
    for k, cid in enumerate(clients):
        mid = f"{pid}-m{k}"
        con.execute(
            "INSERT INTO mentions (mention_id, doc_id, file_id, path, locator, row_no, page, "
            "client_ids, elements) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [mid, "d1", "f1", path, f"row {row}", row, None, [cid], list(elements)],
        )
        con.execute("INSERT INTO individual_mentions VALUES (?, ?, ?)", [pid, mid, 1.0])


_SEQ = [0]


def add_obligation(con: duckdb.DuckDBPyConnection, **fields: Any) -> None:
    """An obligation row with sensible defaults; pass any column to override."""
    _SEQ[0] += 1
    row: dict[str, Any] = {
        "seq": _SEQ[0],
        "obligation_id": f"ob{_SEQ[0]}",
        "client_id": "mercy-valley-health",
        "regime": "HIPAA",
        "jurisdiction": "",
        "duty_holder": "covered_entity",
        "obligation": "individual_notice",
        "recipient": "individuals",
        "agency": "",
        "triggered": True,
        "triggered_count": 1,
        "triggered_elements": [],
        "triggered_by": "test",
        "threshold": "",
        "due": dt.date(2025, 4, 7),
        "due_text": "no later than 60 calendar days after discovery",
        "day_kind": "calendar",
        "anchor": "discovery",
        "citation": "45 CFR § 164.404(b)",
        "rule_id": "H-3.2",
        "sources": [],
        "confidence": "high",
        "unverified": False,
        "credit_monitoring_months": None,
        "content_requirements": [],
        "prohibitions": [],
        "notes": "",
        "earliest_binding": False,
    }
    row.update(fields)
    cols = ", ".join(row)
    con.execute(
        f"INSERT INTO obligations ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values())
    )


def standard_population(con: duckdb.DuckDBPyConnection) -> None:
    """Six people, one per template variant, and the obligations that shape their letters."""
    add_person(con, "P-ADULT", "Alice", "Archer")
    add_person(
        con,
        "P-MINOR",
        "Milo",
        "Mendez",
        dob=dt.date(2015, 3, 3),
        minor=True,
        elements=("name", "dob", "diagnosis", "provider"),
    )
    add_person(
        con,
        "P-DEAD",
        "Dorothy",
        "Dunn",
        deceased=True,
        dob=dt.date(1931, 1, 9),
        elements=("name", "address", "member_id", "medication"),
    )
    add_person(
        con,
        "P-MA",
        "Maeve",
        "Murphy",
        state="MA",
        street="45 Elm Avenue",
        city="Worcester",
        zip_code="01608",
        elements=("name", "address", "dob", "ssn", "test_result"),
    )
    add_person(
        con,
        "P-CT",
        "Colin",
        "Carter",
        state="CT",
        street="9 Park Place, Apartment 2",
        city="Hartford",
        zip_code="06103",
        elements=("name", "address", "ssn", "bank_account", "diagnosis"),
    )
    add_person(
        con,
        "P-NOADDR",
        "Nora",
        "Nolan",
        street="",
        city="",
        zip_code="",
        elements=("name", "email", "username_password"),
    )
    add_obligation(con, jurisdiction="PA", triggered_count=3)
    add_obligation(
        con,
        regime="MA",
        jurisdiction="MA",
        obligation="credit_monitoring_offer",
        credit_monitoring_months=18,
        triggered_elements=["ssn"],
        citation="Mass. Gen. Laws ch. 93H, § 3A",
        rule_id="MA-CM",
    )
    add_obligation(
        con,
        regime="CT",
        jurisdiction="CT",
        obligation="credit_monitoring_offer",
        credit_monitoring_months=24,
        triggered_elements=["ssn"],
        citation="Conn. Gen. Stat. § 36a-701b(b)(2)(B)",
        rule_id="CT-CM",
    )
    add_obligation(
        con,
        regime="CT",
        jurisdiction="CT",
        obligation="regulator_notice",
        recipient="attorney_general",
        agency="Connecticut Attorney General (online form)",
        citation="Conn. Gen. Stat. § 36a-701b",
        rule_id="CT-REG",
    )
    add_obligation(
        con,
        obligation="hhs_notice",
        recipient="hhs",
        triggered_count=6,
        agency="Secretary of HHS (OCR breach portal)",
        due=dt.date(2026, 3, 1),
        citation="45 CFR § 164.408(c)",
        rule_id="H-5.3",
    )
    add_obligation(
        con,
        obligation="substitute_notice",
        triggered_count=1,
        citation="45 CFR § 164.404(d)(2)(i)",
        rule_id="H-3.9",
    )
    add_obligation(
        con,
        obligation="media_notice",
        jurisdiction="PA",
        recipient="media",
        agency="prominent media outlets serving PA",
        triggered=False,
        citation="45 CFR § 164.406",
        rule_id="H-4.1",
    )
