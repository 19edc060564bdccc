"""Per covered-entity packages: what a business associate owes each client (§ 164.410(c)).

``clients/<client_id>/`` holds the client's individuals with their exposed elements, the
evidence behind each (file and locator), the client's obligations and deadlines, counts by
state, and a cover notice.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from markupsafe import Markup

from breachscope.case import Case
from breachscope.categories import PLAIN_WORDS
from breachscope.notify.address import mail_address
from breachscope.notify.duties import Duty
from breachscope.notify.files import private_dir, write_csv, write_private
from breachscope.notify.people import UNATTRIBUTED, iter_recipients
from breachscope.notify.render import render, stylesheet
from breachscope.notify.stats import ClientStats

PEOPLE_COLUMNS = (
    "letter_id",
    "individual_id",
    "first_name",
    "middle_name",
    "last_name",
    "suffix",
    "dob",
    "address_line1",
    "address_line2",
    "city",
    "state",
    "zip",
    "minor",
    "deceased",
    "deliverable_address",
    "elements",
    "elements_plain",
)
EVIDENCE_COLUMNS = ("individual_id", "path", "locator", "row_no", "page", "elements")
OBLIGATION_COLUMNS = (
    "obligation_id",
    "regime",
    "jurisdiction",
    "duty_holder",
    "obligation",
    "recipient",
    "agency",
    "triggered",
    "triggered_count",
    "due",
    "due_text",
    "citation",
    "rule_id",
    "triggered_by",
    "earliest_binding",
)


def write_packages(
    case: Case,
    con: duckdb.DuckDBPyConnection,
    out: Path,
    stats: dict[str, ClientStats],
    all_duties: list[Duty],
    letter_date: dt.date,
) -> int:
    """One folder per client with individuals, evidence, obligations and counts."""
    rows: dict[str, list[tuple[object, ...]]] = {}
    for r in iter_recipients(con):
        a = mail_address(r.street, r.city, r.state, r.zip)
        rows.setdefault(r.client_id, []).append(
            (
                r.letter_id,
                r.individual_id,
                r.first_name,
                r.middle_name,
                r.last_name,
                r.suffix,
                r.dob.isoformat() if r.dob else "",
                a.line1,
                a.line2,
                a.city,
                r.state,
                a.zip,
                r.is_minor,
                r.is_deceased,
                r.deliverable,
                ";".join(r.elements),
                "; ".join(PLAIN_WORDS[e] for e in r.elements),
            )
        )
    names = {c.id: c.name for c in case.clients}
    n = 0
    for client_id, people in rows.items():
        folder = private_dir(out / "clients" / client_id)
        write_csv(folder / "individuals.csv", PEOPLE_COLUMNS, people)
        if client_id == UNATTRIBUTED:
            evidence = con.execute(
                "SELECT im.individual_id, m.path, m.locator, m.row_no, m.page, "
                "array_to_string(coalesce(m.elements, []), ';') "
                "FROM individual_mentions im JOIN mentions m ON m.mention_id = im.mention_id "
                "WHERE len(coalesce(m.client_ids, [])) = 0 ORDER BY 1, 2, 4, 5"
            ).fetchall()
        else:
            evidence = con.execute(
                "SELECT im.individual_id, m.path, m.locator, m.row_no, m.page, "
                "array_to_string(coalesce(m.elements, []), ';') "
                "FROM individual_mentions im JOIN mentions m ON m.mention_id = im.mention_id "
                "WHERE list_contains(coalesce(m.client_ids, []), ?) ORDER BY 1, 2, 4, 5",
                [client_id],
            ).fetchall()
        write_csv(folder / "evidence.csv", EVIDENCE_COLUMNS, evidence)
        mine = [d for d in all_duties if d.client_id == client_id]
        write_csv(
            folder / "obligations.csv",
            OBLIGATION_COLUMNS,
            [
                (
                    d.obligation_id,
                    d.regime,
                    d.jurisdiction,
                    d.duty_holder,
                    d.obligation,
                    d.recipient,
                    d.agency,
                    d.triggered,
                    d.triggered_count,
                    d.due.isoformat() if d.due else "",
                    d.due_text,
                    d.citation,
                    d.rule_id,
                    d.triggered_by,
                    d.earliest_binding,
                )
                for d in mine
            ],
        )
        s = stats.get(client_id, ClientStats(client_id))
        write_csv(
            folder / "counts_by_state.csv",
            ("state", "individuals"),
            sorted(s.by_state.items(), key=lambda kv: (-kv[1], kv[0])),
        )
        write_private(
            folder / "notice_to_covered_entity.html",
            render(
                "notify/ce_notice.html",
                css=Markup(stylesheet("doc.css")),
                client_name=names.get(client_id, "Unattributed individuals"),
                rep=case.reporting_entity,
                incident=case.incident,
                letter_date=letter_date,
                stats=s,
                words={e: PLAIN_WORDS[e] for e in s.by_element if e in PLAIN_WORDS},
                duties=sorted(
                    (d for d in mine if d.triggered),
                    key=lambda d: (d.due is None, d.due or dt.date.max),
                ),
            ),
        )
        n += 1
    return n
