"""The notify stage: every deliverable the case has the data for, written to ``out/``.

```
out/individuals.csv, files.csv          the spine's table exports
out/letters/<client>/batch-NNNNN.pdf    individual notices, batched; letters/manifest.csv
out/letters/models/<variant>.docx|html  one model letter per template variant, for counsel
out/mail/mail_file.csv                  for the print vendor; mail/substitute_notice.csv
out/credit_monitoring/enrolment_codes.csv
out/clients/<client>/                   per covered-entity package (§ 164.410(c))
out/hhs/<client>/hhs_report.json|pdf    OCR portal fields (§ 164.408)
out/regulators/<client>/                AG / regulator notices (+ sample letter), CRA notice
out/media/<client>/, out/substitute/<client>/
out/deadlines.ics
out/report/summary.html|pdf, exceptions.csv, costs.json
```
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
from markupsafe import Markup

from breachscope.case import Case, Client
from breachscope.categories import HHS_GROUPS, PLAIN_WORDS
from breachscope.notify.batches import write_letters
from breachscope.notify.config import BREACH_TYPES, LOCATIONS, NotifyConfig, load_notify_config
from breachscope.notify.costs import CostInputs, forecast
from breachscope.notify.deadlines import deadlines_ics
from breachscope.notify.duties import Duty, load_duties
from breachscope.notify.exports import write_files, write_individuals
from breachscope.notify.files import private_dir, remove_stale_temps, write_private
from breachscope.notify.hhs import PHI_TYPES, derive_locations, hhs_report, report_json
from breachscope.notify.letters import prepare
from breachscope.notify.packages import write_packages
from breachscope.notify.people import UNATTRIBUTED
from breachscope.notify.regulators import write_media_and_substitute, write_regulator_notices
from breachscope.notify.render import html_to_pdf, render, stylesheet
from breachscope.notify.report import write_report
from breachscope.notify.stats import ClientStats, client_stats, totals
from breachscope.progress import Progress


def _client(case: Case, client_id: str) -> Client:
    try:
        return case.client(client_id)
    except KeyError:
        return Client(
            id=client_id,
            name=f"{case.reporting_entity.name} (individuals not attributed to a client)",
            kind="other",
            covered_entity=False,
            paths=(),
        )


def write_hhs(
    case: Case,
    con: duckdb.DuckDBPyConnection,
    out: Path,
    client: Client,
    stats: ClientStats,
    duties: list[Duty],
    cfg: NotifyConfig,
    *,
    pdf: bool = True,
) -> None:
    """``hhs/<client>/hhs_report.json`` and a readable PDF of the same fields."""
    report = hhs_report(case, cfg, client, stats, duties, derive_locations(con, client.id))
    folder = private_dir(out / "hhs" / client.id)
    write_private(folder / "hhs_report.json", report_json(report))
    if pdf:
        html = render(
            "notify/hhs_report.html",
            css=Markup(stylesheet("doc.css")),
            r=report,
            types=BREACH_TYPES,
            locations=LOCATIONS,
            phi_types=PHI_TYPES,
            elements=[({"words": w, "group": g}, n) for (w, g, n) in _element_rows(stats)],
        )
        write_private(folder / "hhs_report.pdf", html_to_pdf(html))


def _element_rows(stats: ClientStats) -> list[tuple[str, str, int]]:
    return [
        (PLAIN_WORDS.get(e, e), HHS_GROUPS.get(e, "Other"), n)
        for e, n in stats.by_element.most_common()
    ]


def run_notify(
    case: Case,
    con: duckdb.DuckDBPyConnection,
    progress: Progress | None = None,
    *,
    render_pdf: bool = True,
) -> dict[str, int]:
    """Write every deliverable to ``out/``; returns counts (no PHI)."""
    out = private_dir(case.out_dir)
    remove_stale_temps(out)  # a killed run's half-written files
    cfg = load_notify_config(case)  # a bad [notify] table fails before anything is written
    n_people = write_individuals(con, out)
    n_files = write_files(con, out)
    setup = prepare(case, con, cfg)
    all_duties = load_duties(con, triggered_only=False)
    duties = [d for d in all_duties if d.triggered]
    day = case.incident.discovery_date
    per_client = client_stats(con, day)
    n_letters = sum(s.individuals for s in per_client.values())
    if progress:
        progress.start("notify", n_letters + len(per_client) + 2)

    letters = write_letters(case, con, setup, out, render_pdf=render_pdf, progress=progress)
    n_packages = write_packages(case, con, out, per_client, all_duties, cfg.letter_date)

    n_hhs = n_regulator = n_media = n_substitute = 0
    for client_id, stats in per_client.items():
        client = _client(case, client_id)
        mine = [d for d in duties if d.client_id == client_id]
        is_ce = client.covered_entity or case.reporting_entity.role == "covered_entity"
        if is_ce and client_id != UNATTRIBUTED:
            write_hhs(case, con, out, client, stats, mine, cfg, pdf=render_pdf)
            n_hhs += 1
        n_regulator += (
            write_regulator_notices(case, setup, client, stats, mine, out) if render_pdf else 0
        )
        m, s = write_media_and_substitute(case, setup, client, stats, mine, out)
        n_media += m
        n_substitute += s
        if progress:
            progress.advance()

    write_private(out / "deadlines.ics", deadlines_ics(case, duties))
    mailed = letters.letters - letters.undeliverable
    costs = forecast(
        CostInputs(
            letters=mailed,
            # pages of the mailed letters only (the unmailable ones are not printed)
            pages=round(letters.pages * mailed / letters.letters) if letters.letters else 0,
            cm_offers=letters.cm_offers,
            cm_offer_months=letters.cm_offer_months,
            media_releases=n_media,
            substitute_postings=n_substitute,
        ),
        cfg.prices,
    )
    write_report(
        case,
        con,
        out,
        letter_date=cfg.letter_date,
        totals=totals(con, day),
        per_client=per_client,
        duties=duties,
        letters=letters,
        costs=costs,
        warnings=cfg.warnings,
        pdf=render_pdf,
    )
    if progress:
        progress.advance(2)
        progress.done()
    variants: Counter[str] = letters.by_variant
    return {
        "individuals": n_people,
        "files": n_files,
        "letters": letters.letters,
        "letter_pages": letters.pages,
        "batches": letters.batches,
        "variants": len(variants),
        "substitute": letters.substitute,
        "packages": n_packages,
        "hhs_reports": n_hhs,
        "regulator_notices": n_regulator,
        "media_notices": n_media,
        "deadlines": sum(1 for d in duties if d.due),
    }
