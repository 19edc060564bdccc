"""Notices to regulators, credit bureaus and the media, and substitute notice.

Each is written only where an obligation is triggered: AG / regulator notices per client and
jurisdiction (with a PII-free sample letter attached), the consumer-reporting-agency notice
per client, a press release per state with more than 500 residents (§ 164.406), and the web
posting and toll-free script for substitute notice (§ 164.404(d)(2)).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from markupsafe import Markup

from breachscope.case import Case, Client
from breachscope.categories import PLAIN_WORDS
from breachscope.jurisdictions import CODES, load
from breachscope.notify.batches import placeholder_context
from breachscope.notify.duties import Duty
from breachscope.notify.files import private_dir, write_private
from breachscope.notify.hhs import CE_TYPES
from breachscope.notify.letters import LetterSetup, letter_body, letter_context, letters_html
from breachscope.notify.people import Recipient
from breachscope.notify.render import render, render_document, stylesheet
from breachscope.notify.stats import ClientStats


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "notice"


def state_name(code: str) -> str:
    return load(code).name if code in CODES else code


def description(case: Case, setup: LetterSetup, client_name: str) -> str:
    """The incident in two sentences, for regulators, press and the call centre."""
    if setup.cfg.what_happened:
        return setup.cfg.what_happened
    rep = case.reporting_entity
    who = rep.name if rep.role == "business_associate" else client_name
    window = _window_text(setup)
    return (
        f"On {_d(setup.discovery)}, {who} discovered that an unauthorized person had gained access "
        f"to its computer systems. The investigation found that {window}, the unauthorized person "
        f"accessed and copied files, some of which contained information about individuals whose "
        f"information {client_name} maintains."
    )


def _d(day: Any) -> str:
    from breachscope.notify.render import long_date

    return long_date(day)


def _window_text(setup: LetterSetup) -> str:
    s, e = setup.access_start, setup.access_end
    if s and e and s != e:
        return f"between {_d(s)} and {_d(e)}"
    return f"on or before {_d(s or e or setup.discovery)}"


def sample_letter_html(
    setup: LetterSetup, client_id: str, state: str, elements: tuple[str, ...]
) -> str:
    """The letter a resident of ``state`` receives, with field names for personal details."""
    r = Recipient(
        individual_id="sample",
        client_id=client_id,
        first_name="Sample",
        middle_name="",
        last_name="Resident",
        suffix="",
        dob=None,
        street="1 Sample Street",
        city="Sample City",
        state=state,
        zip="00000",
        is_minor=False,
        is_deceased=False,
        elements=elements,
    )
    ctx = placeholder_context(letter_context(setup, r))
    if elements:
        ctx["element_words"] = [PLAIN_WORDS[e] for e in elements] + [
            "(as applicable to each person)"
        ]
    return letters_html([letter_body(ctx)], title="Sample notice")


def _common(case: Case, setup: LetterSetup, client: Client) -> dict[str, Any]:
    rep = case.reporting_entity
    return {
        "client": client,
        "client_type": CE_TYPES.get(client.kind, client.kind),
        "rep": rep,
        "ba": rep.role == "business_associate",
        "letter_date": setup.cfg.letter_date,
        "discovery": setup.discovery,
        "window": _window_text(setup),
        "le_delay": setup.le_delay,
        "contact": dataclasses.asdict(setup.cfg.contact),
        "actions": list(setup.cfg.actions_taken),
        "description": description(case, setup, client.name),
    }


def write_regulator_notices(
    case: Case,
    setup: LetterSetup,
    client: Client,
    stats: ClientStats,
    duties: list[Duty],
    out: Path,
) -> int:
    """AG / regulator notices for one client; returns how many were written."""
    n = 0
    base = _common(case, setup, client)
    cm_by_state = {d.jurisdiction: d for d in duties if d.obligation == "credit_monitoring_offer"}
    for d in duties:
        if d.recipient not in ("attorney_general", "regulator"):
            continue
        code = d.jurisdiction or d.regime
        residents = stats.by_state.get(code, d.triggered_count)
        elements = tuple(e for e in d.triggered_elements if e in PLAIN_WORDS) or tuple(
            sorted(stats.by_element)
        )
        cm = cm_by_state.get(code)
        ctx = {
            **base,
            "duty": d,
            "agency_lines": [],
            "state_name": state_name(code),
            "residents": residents,
            "pi_count": d.triggered_count,
            "element_words": [PLAIN_WORDS[e] for e in elements],
            "cm_months": cm.credit_monitoring_months if cm else None,
            "cm_words": [
                PLAIN_WORDS[e] for e in (cm.triggered_elements if cm else ()) if e in PLAIN_WORDS
            ],
            "cm_vendor": setup.cfg.credit_monitoring.vendor,
            "total": stats.individuals,
            "css": Markup(stylesheet("doc.css")),
        }
        html = render("notify/regulator_notice.html", **ctx)
        sample = sample_letter_html(setup, client.id, code, elements)
        folder = private_dir(out / "regulators" / client.id)
        name = f"{code}-{slug(d.agency.split('(')[0])}"
        write_private(folder / f"{name}.html", html)
        doc = render_document(html)
        att = render_document(sample)
        pdf = doc.copy(doc.pages + att.pages).write_pdf()
        write_private(folder / f"{name}.pdf", bytes(pdf))
        n += 1
    cra = [d for d in duties if d.obligation == "cra_notice"]
    if cra:
        text = render(
            "notify/cra_notice.txt",
            **base,
            duties=cra,
            total=stats.individuals,
            cm=any(d.obligation == "credit_monitoring_offer" for d in duties),
        )
        write_private(
            private_dir(out / "regulators" / client.id) / "consumer_reporting_agencies.txt", text
        )
        n += 1
    return n


def write_media_and_substitute(
    case: Case,
    setup: LetterSetup,
    client: Client,
    stats: ClientStats,
    duties: list[Duty],
    out: Path,
) -> tuple[int, int]:
    """Press releases for states over 500 residents, and substitute-notice material."""
    base = _common(case, setup, client)
    words = [PLAIN_WORDS[e] for e in sorted(stats.by_element, key=lambda e: -stats.by_element[e])]
    cm = any(d.obligation == "credit_monitoring_offer" for d in duties)
    n_media = 0
    for d in duties:
        if d.obligation != "media_notice":
            continue
        code = d.jurisdiction
        text = render(
            "notify/media_notice.txt",
            **base,
            state_name=state_name(code),
            residents=stats.by_state.get(code, d.triggered_count),
            element_words=words,
            cm=cm,
        )
        write_private(private_dir(out / "media" / client.id) / f"{code}-press-release.txt", text)
        n_media += 1
    n_sub = 0
    if any(d.obligation == "substitute_notice" for d in duties):
        offer = setup.cfg.credit_monitoring
        cm_ctx = dataclasses.asdict(offer) if cm else None
        folder = private_dir(out / "substitute" / client.id)
        write_private(
            folder / "web_posting.html",
            render("notify/substitute_web.html", **base, element_words=words),
        )
        write_private(
            folder / "toll_free_script.txt",
            render("notify/toll_free_script.txt", **base, element_words=words, cm=cm_ctx),
        )
        n_sub = 1
    return n_media, n_sub
