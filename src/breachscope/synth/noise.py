"""Noise: readable files with no data subject in them.

A policy, a README, a code reference that names providers with their NPIs, a staff
directory (employees are not data subjects), and the summary sheet of a workbook.
"""

from __future__ import annotations

import csv
import datetime
import random
from pathlib import Path

from breachscope.synth import clinical, people, pools
from breachscope.synth.clients import VENDOR, VENDOR_DOMAIN
from breachscope.synth.docwriters import write_docx, write_text


def readme(target: Path) -> None:
    write_text(
        target,
        f"{VENDOR} - shared drive\n\n"
        "work_queue/   open coding queries across clients (refreshed nightly)\n"
        "reference/    code sets and provider reference lists\n"
        "policies/     information security policies\n"
        "hr/           staff directory\n\n"
        "Do not store client PHI outside the client folders.\n",
    )


def policy(target: Path) -> None:
    lines = [
        ("title", "Information Security Policy"),
        ("p", f"{VENDOR} - Version 3.2 - Effective July 1, 2024"),
        ("h", "1. Purpose"),
        ("p", "This policy establishes the safeguards required by the HIPAA Security Rule "
              "(45 CFR Part 164, Subpart C) for electronic protected health information that "
              "the company creates, receives, maintains or transmits on behalf of its clients."),
        ("h", "2. Access control"),
        ("p", "Access to client folders is limited to assigned coders. Accounts are reviewed "
              "quarterly. Multi-factor authentication is required for remote access."),
        ("h", "3. Incident response"),
        ("p", "Suspected incidents are reported to the Privacy Officer within one hour. Clients "
              "are notified without unreasonable delay and no later than 60 days after discovery."),
        ("h", "4. Retention"),
        ("p", "Client extracts are deleted 90 days after the coding engagement closes."),
    ]  # fmt: skip
    write_docx(target, lines, "Information Security Policy")


def code_reference(target: Path, providers: list[people.Provider]) -> None:
    """ICD-10-CM codes and a referring-provider list: codes and NPIs, but no patients."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["Code Type", "Code", "Description", "Provider Name", "Provider NPI", "Specialty"]
        )
        conds = clinical.CONDITIONS + clinical.PEDIATRIC
        for i in range(max(len(conds), len(providers))):
            c = conds[i % len(conds)]
            pr = providers[i % len(providers)]
            w.writerow(["ICD-10-CM", c.icd10, c.description, pr.formal, pr.npi, pr.specialty])


def staff_directory(target: Path, rng: random.Random) -> None:
    import xlsxwriter

    from breachscope.synth.docwriters import normalize_zip

    target.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(target))
    book.set_properties({"created": datetime.datetime(2024, 11, 4, 8, 0), "author": "HR"})
    ws = book.add_worksheet("Directory")
    headers = ["Employee", "Title", "Department", "Work Phone", "Ext", "Email", "Office"]
    for j, h in enumerate(headers):
        ws.write_string(0, j, h)
    titles = ("Certified Coder", "Coding Auditor", "CDI Specialist", "Team Lead", "IT Administrator",
              "Privacy Officer", "Account Manager", "HR Generalist")  # fmt: skip
    for i in range(1, 41):
        sex = rng.choice("FM")
        first = pools.first_names(sex).draw(rng)
        last = pools.last_names().draw(rng)
        row = [
            f"{last}, {first}", rng.choice(titles), rng.choice(("Coding", "Quality", "IT", "Operations")),
            "(717) 555-0100", str(rng.randint(200, 499)),
            f"{people.ascii_fold(first).lower()}.{people.ascii_fold(last).lower().replace(chr(39), '')}@{VENDOR_DOMAIN}",
            rng.choice(("Harrisburg, PA", "Remote")),
        ]  # fmt: skip
        for j, v in enumerate(row):
            ws.write_string(i, j, v)
    book.close()
    normalize_zip(target)
