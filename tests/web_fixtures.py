"""Shared fixtures for the web app's tests: a synthetic case store and logged-in clients."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from breachscope.case import Case, load_case
from breachscope.store import connect
from breachscope.web import create_app
from breachscope.web.accounts import add_user
from breachscope.web.fake import fill_store, write_deliverables
from breachscope.web.security import RateLimiter

CASE_TOML = """\
evidence = "evidence"

[settings]
# The fixtures write a plain store directly; tests/test_security_canary.py runs the app on
# an encrypted one made by the pipeline.
encrypt = false

[incident]
name = "Synthetic file-server intrusion"
discovery_date = 2025-02-06
access_start = 2025-01-27
access_end = 2025-02-06

[reporting_entity]
name = "Example Coding Services, LLC"
role = "business_associate"

[[clients]]
id = "mercy-valley-health"
name = "Mercy Valley Health System"
kind = "provider"
covered_entity = true
paths = ["mercy-valley-health/**"]

[[clients]]
id = "lakeside-health-plan"
name = "Lakeside Health Plan"
kind = "health_plan"
covered_entity = true
paths = ["lakeside-health-plan/**"]
"""

PASSWORD = "correct horse battery staple"
# A canary: a synthetic SSN planted on one person; it must never appear unrevealed.
CANARY_SSN = "987650123"
CANARY_LAST = "Zzcanaryfield"


@dataclass
class WebCase:
    case: Case
    app: FastAPI
    root: Path
    canary_id: str
    person_id: str


def make_case(root: Path, people: int = 300) -> Case:
    (root / "evidence").mkdir(parents=True, exist_ok=True)
    (root / "case.toml").write_text(CASE_TOML, encoding="utf-8")
    case = load_case(root / "case.toml", check_evidence=False)
    con = connect(case.store_path)
    try:
        fill_store(con, people=people)
        # Plant the canary on the first person: full SSN and a unique surname.
        con.execute(
            "UPDATE mentions SET ssn = ?, ssn_last4 = '0123' WHERE mention_id IN ("
            "SELECT mention_id FROM individual_mentions WHERE individual_id = "
            "(SELECT min(individual_id) FROM individuals WHERE list_contains(elements, 'ssn')))",
            [CANARY_SSN],
        )
        for role in ("admin", "reviewer", "viewer"):
            add_user(con, role, PASSWORD, role)
        ids = [
            r[0]
            for r in con.execute(
                "SELECT individual_id FROM individuals ORDER BY individual_id LIMIT 5"
            ).fetchall()
        ]
    finally:
        con.close()
    write_deliverables(case.out_dir, ids)
    return case


def canary_person(case: Case) -> str:
    con = connect(case.store_path)
    try:
        row = con.execute(
            "SELECT individual_id FROM individual_mentions im JOIN mentions m USING (mention_id) "
            "WHERE m.ssn = ? LIMIT 1",
            [CANARY_SSN],
        ).fetchone()
        assert row
        return str(row[0])
    finally:
        con.close()


def build(root: Path, people: int = 300) -> WebCase:
    case = make_case(root, people)
    app = create_app(case, secret=b"t" * 32, rate_limiter=RateLimiter(max_failures=3))
    cid = canary_person(case)
    return WebCase(case, app, root, cid, cid)


def login(client: TestClient, username: str, password: str = PASSWORD) -> None:
    r = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', r.text)
    assert token, "login form has a token"
    r = client.post(
        "/login",
        data={"username": username, "password": password, "login_token": token.group(1)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.status_code


def csrf_of(html: str) -> str:
    m = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert m, "page carries a CSRF meta tag"
    return m.group(1)
