"""The summary report for counsel and the clients (HTML + PDF) and the exception report.

Counts, dates and file paths only: no person appears in the report.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

import duckdb
from markupsafe import Markup

from breachscope.case import Case
from breachscope.categories import HHS_GROUPS, PLAIN_WORDS
from breachscope.notify.batches import LetterRun
from breachscope.notify.charts import bar_chart, timeline
from breachscope.notify.costs import CostLine, total
from breachscope.notify.duties import Duty
from breachscope.notify.files import private_dir, write_csv, write_private
from breachscope.notify.render import html_to_pdf, render, stylesheet
from breachscope.notify.stats import AGE_GROUPS, ClientStats

STATE_ROWS = 20


def timeline_events(
    case: Case, letter_date: dt.date, duties: list[Duty]
) -> list[tuple[dt.date, str, str]]:
    inc = case.incident
    ev: list[tuple[dt.date, str, str]] = []
    if inc.access_start:
        ev.append((inc.access_start, "unauthorized access begins", "access"))
    if inc.access_end and inc.access_end != inc.access_start:
        ev.append((inc.access_end, "unauthorized access ends", "access"))
    ev.append((inc.discovery_date, "discovery", "event"))
    ev.append((letter_date, "letters dated", "event"))
    by_day: dict[dt.date, list[str]] = {}
    for d in duties:
        if d.due:
            by_day.setdefault(d.due, []).append(d.obligation.replace("_", " "))
    for day, labels in sorted(by_day.items())[:16]:
        c = Counter(labels)
        text = ", ".join(f"{k} x{n}" if n > 1 else k for k, n in c.most_common(3))
        more = len(c) - 3
        ev.append((day, f"due: {text}" + (f" (+{more} more)" if more > 0 else ""), "due"))
    return ev


def write_report(
    case: Case,
    con: duckdb.DuckDBPyConnection,
    out: Path,
    *,
    letter_date: dt.date,
    totals: ClientStats,
    per_client: dict[str, ClientStats],
    duties: list[Duty],
    letters: LetterRun,
    costs: list[CostLine],
    warnings: tuple[str, ...] = (),
    pdf: bool = True,
) -> dict[str, Any]:
    """Write report/summary.html, summary.pdf, exceptions.csv and costs.json."""
    folder = private_dir(out / "report")
    names = {c.id: c.name for c in case.clients}
    file_status = con.execute(
        "SELECT status, count(*) FROM files GROUP BY 1 ORDER BY 2 DESC"
    ).fetchall()
    exceptions = con.execute(
        "SELECT path, status, reason FROM files WHERE status <> 'processed' ORDER BY status, path"
    ).fetchall()
    write_csv(folder / "exceptions.csv", ("path", "status", "reason"), exceptions)

    clients: list[dict[str, Any]] = []
    by_size = sorted(per_client.items(), key=lambda kv: -kv[1].individuals)
    for cid, s in by_size:
        hhs = next(
            (d for d in duties if d.client_id == cid and d.obligation == "hhs_notice" and d.due),
            None,
        )
        clients.append(
            {
                "name": names.get(cid, cid),
                "stats": s,
                "hhs_due": hhs.due.isoformat() if hhs and hhs.due else "",
            }
        )
    states = totals.by_state.most_common()
    elements = [
        (f"{PLAIN_WORDS.get(e, e)} ({HHS_GROUPS.get(e, 'Other')[:4].lower()}.)", n)
        for e, n in totals.by_element.most_common()
    ]
    triggered = sorted(
        (d for d in duties if d.triggered),
        key=lambda d: (d.due is None, d.due or dt.date.max, d.client_id, d.regime),
    )
    ctx = {
        "css": Markup(stylesheet("doc.css")),
        "incident": case.incident,
        "rep": case.reporting_entity,
        "letter_date": letter_date,
        "generated": dt.date.today(),
        "totals": totals,
        "letters": letters,
        "clients": clients,
        "n_states": len([s for s in totals.by_state if s != "unknown"]),
        "triggered": triggered,
        "names": names,
        "timeline_svg": Markup(timeline(timeline_events(case, letter_date, triggered))),
        "client_svg": Markup(
            bar_chart([(names.get(cid, cid), s.individuals) for cid, s in by_size])
        ),
        "state_svg": Markup(bar_chart(states[:STATE_ROWS], label_width=90)),
        "more_states": len(states) > STATE_ROWS,
        "state_rows": STATE_ROWS,
        "element_svg": Markup(bar_chart(elements, label_width=220)),
        "age_svg": Markup(
            bar_chart([(g, totals.by_age.get(g, 0)) for g in AGE_GROUPS], label_width=90)
        ),
        "variants": letters.by_variant.most_common(),
        "costs": costs,
        "cost_total": total(costs),
        "file_status": file_status,
        "exceptions": exceptions,
        "warnings": warnings,
    }
    html = render("notify/summary.html", **ctx)
    write_private(folder / "summary.html", html)
    if pdf:
        write_private(folder / "summary.pdf", html_to_pdf(html))
    cost_doc = {
        "lines": [{**asdict(line), "amount": line.amount} for line in costs],
        "total": total(costs),
        "currency": "USD",
    }
    write_private(folder / "costs.json", json.dumps(cost_doc, indent=2) + "\n")
    return cost_doc
