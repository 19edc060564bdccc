"""The HHS/OCR breach-portal report per covered entity (45 CFR § 164.408): JSON and PDF.

Field names follow the portal's questions (reference/hipaa.md § 5.1). What breachscope cannot
know (safeguards, the entity's address, the attestation) is listed under ``to_confirm`` and
shown as such in the PDF, never invented.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import duckdb

from breachscope.case import Case, Client
from breachscope.categories import HHS_GROUPS, PLAIN_WORDS
from breachscope.notify.config import NotifyConfig
from breachscope.notify.duties import Duty
from breachscope.notify.stats import ClientStats

HHS_FIELDS = (
    "general",
    "filer",
    "covered_entity",
    "business_associate",
    "breach",
    "notice_and_actions",
    "attestation",
)
CE_TYPES = {
    "provider": "Healthcare Provider",
    "health_plan": "Health Plan",
    "clearinghouse": "Healthcare Clearinghouse",
}
PHI_TYPES = ("Demographic", "Financial", "Clinical", "Other")
_EMAIL_TYPES = ("eml", "msg", "mbox", "pst")


def derive_locations(con: duckdb.DuckDBPyConnection, client_id: str) -> list[str]:
    """Where the information was: e-mail files → Email; everything else → Network Server."""
    rows = con.execute(
        "SELECT DISTINCT lower(coalesce(detected_type, '')) FROM files "
        "WHERE status = 'processed' AND list_contains(coalesce(client_ids, []), ?)",
        [client_id],
    ).fetchall()
    kinds = {str(r[0]) for r in rows}
    out = []
    if kinds & set(_EMAIL_TYPES):
        out.append("Email")
    if kinds - set(_EMAIL_TYPES) or not out:
        out.append("Network Server")
    return out


def hhs_report(
    case: Case,
    cfg: NotifyConfig,
    client: Client,
    stats: ClientStats,
    duties: list[Duty],
    locations: list[str],
) -> dict[str, Any]:
    """Every OCR portal field for one covered entity's report."""
    inc = case.incident
    rep = case.reporting_entity
    ba = rep.role == "business_associate"
    n = stats.individuals
    groups = {g: False for g in PHI_TYPES}
    for e in stats.by_element:
        groups[HHS_GROUPS.get(e, "Other")] = True
    other = sorted(e for e in stats.by_element if HHS_GROUPS.get(e) == "Other")
    hhs_duty = next((d for d in duties if d.obligation == "hhs_notice"), None)
    substitute = any(d.obligation == "substitute_notice" for d in duties)
    media = sorted(d.jurisdiction for d in duties if d.obligation == "media_notice")
    to_confirm = ["covered_entity.address", "attestation"]
    if not cfg.safeguards:
        to_confirm.append("breach.safeguards_in_place")
    if not (cfg.contact.name and (cfg.contact.email or cfg.contact.phone)):
        to_confirm.append("covered_entity.contact")
    if inc.access_start is None or inc.access_end is None:
        to_confirm.append("breach.start_date / end_date")
    elements_text = ", ".join(PLAIN_WORDS[e] for e in sorted(stats.by_element) if e in PLAIN_WORDS)
    what = (f"{rep.name}, a business associate of {client.name}, " if ba else f"{client.name} ") + (
        f"discovered on {inc.discovery_date.isoformat()} that an unauthorized person had accessed "
        f"its systems and copied files"
        + (
            f" between {inc.access_start.isoformat()} and {inc.access_end.isoformat()}"
            if inc.access_start and inc.access_end
            else ""
        )
        + f". The files held protected health information of {n:,} individuals of {client.name}, "
        f"including {elements_text}."
    )
    return {
        "form": "HHS OCR Breach Portal: Notice to the Secretary of HHS of a Breach of Unsecured PHI",
        "portal": "https://ocrportal.hhs.gov/ocr/breach",
        "citation": "45 CFR § 164.408",
        "general": {
            "breach_affecting": "500 or More Individuals"
            if n >= 500
            else "Fewer Than 500 Individuals",
            "report_type": "Initial Breach Report",
            "previous_tracking_number": "",
        },
        "filer": {
            "role": (
                "Business Associate filing on behalf of a Covered Entity"
                if ba
                else "Covered Entity filing for itself"
            ),
            "name": rep.name if ba else client.name,
        },
        "covered_entity": {
            "name": client.name,
            "type": CE_TYPES.get(client.kind, "Healthcare Provider"),
            "address": "",
            "contact": {
                "name": cfg.contact.name,
                "title": cfg.contact.title,
                "email": cfg.contact.email,
                "phone": cfg.contact.phone,
                "note": client.contact,
            },
        },
        "business_associate": {
            "present": ba,
            "name": rep.name if ba else "",
            "address": rep.address if ba else "",
            "contact": {"phone": rep.phone, "email": rep.email} if ba else {},
        },
        "breach": {
            "start_date": inc.access_start.isoformat() if inc.access_start else "",
            "end_date": inc.access_end.isoformat() if inc.access_end else "",
            "discovery_start_date": inc.discovery_date.isoformat(),
            "discovery_end_date": inc.discovery_date.isoformat(),
            "approximate_individuals_affected": n,
            "type_of_breach": [cfg.breach_type],
            "location_of_breached_information": list(cfg.locations) or locations,
            "type_of_phi": {**groups, "other_text": ", ".join(PLAIN_WORDS[e] for e in other)},
            "elements": {e: stats.by_element[e] for e in sorted(stats.by_element)},
            "brief_description": what,
            "safeguards_in_place": list(cfg.safeguards),
        },
        "notice_and_actions": {
            "individual_notice_start_date": cfg.letter_date.isoformat(),
            "individual_notice_end_date": cfg.letter_date.isoformat(),
            "substitute_notice_required": substitute,
            "media_notice_required": bool(media),
            "media_notice_states": media,
            "actions_taken": list(cfg.actions_taken),
            "actions_description": (
                "Individuals were notified by first-class mail"
                + (
                    ", with credit monitoring offered where owed"
                    if stats.by_element.get("ssn")
                    else ""
                )
                + "; regulators and media were notified where the law requires."
            ),
        },
        "attestation": {
            "accurate": None,
            "note": "To be attested by the filer on the portal. Reports of 500+ are posted publicly and may be released under FOIA.",
        },
        "deadline": {
            "due": hhs_duty.due.isoformat() if hhs_duty and hhs_duty.due else "",
            "due_text": hhs_duty.due_text if hhs_duty else "",
            "citation": hhs_duty.citation if hhs_duty else "45 CFR § 164.408",
        },
        "to_confirm": to_confirm,
        "generated": dt.date.today().isoformat(),
    }


def report_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
