"""Read pages: dashboard, files, people, person, reveal, obligations, deliverables, audit."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from markupsafe import Markup

from breachscope.categories import ELEMENTS
from breachscope.store import fetch_dicts, table_exists
from breachscope.summary import case_summary
from breachscope.web import audit, charts, queries
from breachscope.web.deps import (
    AdminDep,
    CsrfDep,
    DbDep,
    ReviewerDep,
    UserDep,
    WebDep,
    audit_event,
    is_htmx,
    render,
)
from breachscope.web.masking import FIELD_LABELS, REVEALABLE, plain
from breachscope.web.store import scalar

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, user: UserDep, con: DbDep, web: WebDep) -> Response:
    s = case_summary(con)
    inc = web.case.incident
    ages = queries.age_groups(con, inc.discovery_date)
    cols, deadlines = queries.obligations(con, limit=12, due_only=True)
    events: list[tuple[dt.date, str, str]] = []
    if inc.access_start:
        events.append((inc.access_start, "unauthorised access begins", "access"))
    if inc.access_end:
        events.append((inc.access_end, "access ends", "access"))
    events.append((inc.discovery_date, "breach discovered", "discovery"))
    seen: set[tuple[dt.date, str]] = set()
    for d in deadlines:
        day = queries.as_date(d.get("due"))
        label = (
            " ".join(str(d.get(k) or "") for k in ("recipient", "jurisdiction") if d.get(k))
            or "deadline"
        )
        if day and (day, label) not in seen and len(seen) < 6:
            seen.add((day, label))
            events.append((day, f"due: {label}", "deadline"))
    by_client = [
        (web.client_name(None if k == "(no client)" else k), v) for k, v in s.by_client.items()
    ]
    by_element = [(k, v) for k, v in s.by_element.items()]
    return render(
        request,
        "dashboard.html",
        {
            "nav": "dashboard",
            "s": s,
            "files_total": sum(s.files.values()),
            "map_svg": charts.state_map(s.by_state),
            "element_svg": charts.bar_chart(by_element, label="People by element exposed"),
            "client_svg": charts.bar_chart(by_client, label="People by client"),
            "age_svg": charts.bar_chart(ages, label="People by age group"),
            "timeline_svg": charts.timeline(events),
            "deadline_cols": cols,
            "deadlines": deadlines,
            "stages": queries.stage_status(con),
            "running": any(r["running"] for r in queries.stage_status(con)),
            "has_obligations": table_exists(con, "obligations")
            and bool(scalar(con, "SELECT count(*) FROM obligations")),
        },
    )


@router.get("/files", response_class=HTMLResponse)
def files(
    request: Request,
    user: UserDep,
    con: DbDep,
    status: str = "",
    type: str = "",
    q: str = "",
    after: str = "",
) -> Response:
    f = queries.FilesFilter(status=status[:40], type=type[:40], q=q[:200])
    rows, nxt, total = queries.files_page(con, f, after=after)
    return render(
        request,
        "files.html",
        {
            "nav": "files",
            "f": f,
            "rows": rows,
            "next_after": nxt,
            "after": after,
            "total": total,
            "facets": queries.files_facets(con),
        },
    )


@router.get("/people", response_class=HTMLResponse)
def people(
    request: Request,
    user: UserDep,
    con: DbDep,
    web: WebDep,
    q: str = "",
    client: str = "",
    state: str = "",
    element: str = "",
    minor: str = "",
    deceased: str = "",
    review: str = "",
    after: str = "",
    before: str = "",
) -> Response:
    f = queries.PeopleFilter(
        q=q.strip()[:120],
        client=client[:80],
        state=state[:12],
        element=element[:40],
        minor=minor[:3],
        deceased=deceased[:3],
        review=review[:3],
    )
    page = queries.people_page(
        con, f, after=after[:64], before=before[:64], allow_ssn=user.can_reveal
    )
    if page.search_kind == "id_or_ssn":
        # The number searched for is not recorded, only that an SSN lookup happened.
        audit_event(request, con, user, "search", "people", "by=ssn_or_id")
    params = {k: v for k, v in vars(f).items() if v}
    return render(
        request,
        "people.html",
        {
            "nav": "people",
            "f": f,
            "page": page,
            "params": params,
            "after": after,
            "before": before,
            "states": queries.people_facets(con)["states"],
            "clients": [(c.id, c.name) for c in web.case.clients],
            "elements": ELEMENTS,
        },
    )


@router.get("/people/{individual_id}", response_class=HTMLResponse)
def person(
    request: Request, individual_id: str, user: UserDep, con: DbDep, web: WebDep
) -> Response:
    p = queries.person(con, individual_id)
    if p is None:
        raise HTTPException(404)
    mentions = queries.person_mentions(con, individual_id)
    ids = {
        f: queries.best_identifier(mentions, f)
        for f in ("ssn", "member_id", "mrn", "phone", "email")
    }
    decisions: list[dict[str, Any]] = []
    mids = [m["mention_id"] for m in mentions]
    if mids:
        decisions = fetch_dicts(
            con,
            "SELECT kind, mention_a, mention_b, finding_id, note, made_by, made_at FROM decisions "
            "WHERE mention_a IN (SELECT unnest(?)) OR mention_b IN (SELECT unnest(?)) "
            "ORDER BY made_at DESC LIMIT 50",
            [mids, mids],
        )
    return render(
        request,
        "person.html",
        {
            "nav": "people",
            "p": p,
            "ids": ids,
            "mentions": mentions,
            "findings": queries.person_findings(con, individual_id),
            "letters": web.letters.for_individual(individual_id),
            "decisions": decisions,
        },
    )


@router.post("/people/{individual_id}/reveal", dependencies=[CsrfDep])
def reveal(
    request: Request,
    individual_id: str,
    user: ReviewerDep,
    con: DbDep,
    field: Annotated[str, Form(max_length=20)],
    mention_id: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Show one masked field in full, once, and write who/when/what to the audit log."""
    if field not in REVEALABLE:
        raise HTTPException(400)
    p = queries.person(con, individual_id)
    if p is None:
        raise HTTPException(404)
    if mention_id:
        if not queries.mention_belongs(con, individual_id, mention_id):
            raise HTTPException(404)
        m = queries.mention(con, mention_id)
        value = (m or {}).get(field)
        target = f"mention:{mention_id}"
    elif field in ("dob", "street"):
        value = p.get(field)
        target = f"individual:{individual_id}"
    else:
        value = queries.best_identifier(queries.person_mentions(con, individual_id), field)
        target = f"individual:{individual_id}"
    audit_event(request, con, user, "reveal", target, f"field={field}")
    text = plain(value)
    if is_htmx(request):
        return HTMLResponse(
            Markup(
                '<span class="secret revealed" title="Revealed to you; recorded in the '
                'audit log">{}</span>'
            ).format(text)
        )
    return render(
        request,
        "revealed.html",
        {"nav": "people", "p": p, "label": FIELD_LABELS[field], "value": text},
    )


@router.get("/obligations", response_class=HTMLResponse)
def obligations(
    request: Request,
    user: UserDep,
    con: DbDep,
    web: WebDep,
    client: str = "",
    jurisdiction: str = "",
    all: str = "",
) -> Response:
    cols, rows = queries.obligations(
        con, client=client[:80], jurisdiction=jurisdiction[:12], triggered_only=not all
    )
    groups: dict[str, list[dict[str, Any]]] = {}
    ccol = "client_id" if "client_id" in cols else ""
    for r in rows:
        key = str(r.get(ccol) or "") if ccol else ""
        groups.setdefault(key, []).append(r)
    jurisdictions = sorted({str(r.get("jurisdiction")) for r in rows if r.get("jurisdiction")})
    return render(
        request,
        "obligations.html",
        {
            "nav": "obligations",
            "present": bool(queries.obligation_columns(con))
            and bool(scalar(con, "SELECT count(*) FROM obligations")),
            "has_cm": any(r.get("credit_monitoring_months") for r in rows),
            "groups": groups,
            "client": client,
            "jurisdiction": jurisdiction,
            "show_all": bool(all),
            "jurisdictions": jurisdictions,
            "clients": [(c.id, c.name) for c in web.case.clients],
            "today": dt.date.today(),
            "as_date": queries.as_date,
        },
    )


@router.get("/deliverables", response_class=HTMLResponse)
def deliverables(
    request: Request, user: UserDep, web: WebDep, dir: str = "", offset: int = 0
) -> Response:
    out_dir = web.case.out_dir
    entries, total = queries.list_deliverables(out_dir, dir, offset=max(0, offset))
    crumbs: list[tuple[str, str]] = []
    acc = ""
    for part in [p for p in dir.split("/") if p]:
        acc = f"{acc}/{part}" if acc else part
        crumbs.append((part, acc))
    return render(
        request,
        "deliverables.html",
        {
            "nav": "deliverables",
            "entries": entries,
            "total": total,
            "dir": dir,
            "crumbs": crumbs,
            "offset": max(0, offset),
            "exists": out_dir.is_dir(),
        },
    )


@router.get("/deliverables/download")
def download(
    request: Request, user: ReviewerDep, con: DbDep, web: WebDep, path: str = ""
) -> Response:
    """Deliverables hold PHI: reviewers and admins only, and every download is audited."""
    target = queries.resolve_inside(web.case.out_dir, path)
    if target is None or not target.is_file() or target.name.startswith("."):
        raise HTTPException(404)
    rel = target.relative_to(web.case.out_dir.resolve()).as_posix()
    audit_event(request, con, user, "download", rel)
    return FileResponse(
        target,
        filename=target.name,
        headers={"Cache-Control": "no-store"},
        content_disposition_type="attachment",
    )


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    user: AdminDep,
    con: DbDep,
    before: int | None = None,
    who: str = "",
    action: str = "",
) -> Response:
    rows = audit.entries(con, before=before, username=who[:64], action=action[:40], limit=100)
    intact, n = audit.verify_chain(con)
    actions = [
        str(r[0])
        for r in con.execute("SELECT DISTINCT action FROM audit_log ORDER BY 1").fetchall()
    ]
    return render(
        request,
        "audit.html",
        {
            "nav": "audit",
            "rows": rows,
            "next_before": rows[-1].seq if len(rows) == 100 else None,
            "intact": intact,
            "n_entries": n,
            "who": who,
            "action": action,
            "actions": actions,
        },
    )
