"""Pages that change things: the review queue and QC sampling. Every change is audited and
lands in ``decisions``, which the resolve stage re-applies on every re-run."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from breachscope.categories import ELEMENT_SET
from breachscope.store import fetch_dicts
from breachscope.web import charts, qc, queries
from breachscope.web.accounts import User
from breachscope.web.deps import (
    CsrfDep,
    DbDep,
    ReviewerDep,
    UserDep,
    audit_event,
    is_htmx,
    render,
)

router = APIRouter()

# What a reviewer may do with each kind of queue item -> the decision kind written.
ACTIONS: dict[str, dict[str, str]] = {
    "pair": {"merge": "merge", "split": "split"},
    "cluster": {"confirm": "confirm", "split": "split"},
    "finding": {"accept": "accept_finding", "reject": "reject_finding"},
}
ACTION_WORDS = {
    "merge": "Same person (merge)",
    "split": "Different people (split)",
    "confirm": "Confirmed as one person",
    "accept": "Detection accepted",
    "reject": "Detection rejected",
}


def _decision(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    user: User,
    *,
    mention_a: str | None = None,
    mention_b: str | None = None,
    finding_id: str | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> str:
    did = uuid.uuid4().hex[:16]
    con.execute(
        "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [did, kind, mention_a, mention_b, finding_id, note, user.username, at or dt.datetime.now()],
    )
    return did


def _finding_id(item: dict[str, Any]) -> str:
    return str(item.get("finding_id") or item["item_id"])


def _item_view(con: duckdb.DuckDBPyConnection, item: dict[str, Any]) -> dict[str, Any]:
    """What a reviewer needs to see to decide one queue item."""
    return _item_views(con, [item])[0]


def _item_views(
    con: duckdb.DuckDBPyConnection, items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Views of a page of items: mentions and findings fetched for all of them at once
    (one query each instead of one per item keeps the queue page fast under load)."""
    mention_ids = [
        x
        for it in items
        if it["kind"] in ("pair", "finding")
        for x in (it.get("mention_a"), it.get("mention_b") if it["kind"] == "pair" else None)
        if x
    ]
    mentions = queries.mentions_by_id(con, mention_ids)
    findings = queries.findings_by_id(
        con, [_finding_id(it) for it in items if it["kind"] == "finding"]
    )
    views = []
    for item in items:
        view: dict[str, Any] = {"item": item, "mentions": [], "finding": None, "person": None}
        kind = item["kind"]
        if kind == "pair":
            pair = (item["mention_a"], item["mention_b"])
            view["mentions"] = [mentions[x] for x in pair if x and x in mentions]
        elif kind == "cluster" and item.get("individual_id"):
            view["person"] = queries.person(con, item["individual_id"])
            view["mentions"] = queries.cluster_mentions(con, item["individual_id"])
        elif kind == "finding":
            view["finding"] = findings.get(_finding_id(item))
            if item.get("mention_a") and item["mention_a"] in mentions:
                view["mentions"] = [mentions[item["mention_a"]]]
        views.append(view)
    return views


@router.get("/review", response_class=HTMLResponse)
def review(
    request: Request,
    user: UserDep,
    con: DbDep,
    status: str = "open",
    kind: str = "",
    page: int = 0,
) -> Response:
    status = status if status in ("open", "decided", "all") else "open"
    kind = kind if kind in ACTIONS else ""
    page = max(0, page)
    rows, total = queries.review_items(con, status=status, kind=kind, offset=page * 20, limit=20)
    counts = dict(
        con.execute("SELECT r.kind, count(*) FROM review_queue r GROUP BY 1 ORDER BY 1").fetchall()
    )
    return render(
        request,
        "review.html",
        {
            "nav": "review",
            "views": _item_views(con, rows),
            "total": total,
            "status": status,
            "kind": kind,
            "page": page,
            "pages": (total + 19) // 20,
            "counts": counts,
            "ACTIONS": ACTIONS,
            "ACTION_WORDS": ACTION_WORDS,
        },
    )


@router.post("/review/{item_id}", dependencies=[CsrfDep])
def decide(
    request: Request,
    item_id: str,
    user: ReviewerDep,
    con: DbDep,
    action: Annotated[str, Form(max_length=20)],
    mention: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    item = queries.review_item(con, item_id)
    if item is None:
        raise HTTPException(404)
    allowed = ACTIONS.get(str(item["kind"]), {})
    if action not in allowed:
        raise HTTPException(400)
    kind = allowed[action]
    now = dt.datetime.now()
    # Notes are free text a reviewer types; keep them short and out of the audit log.
    clean_note = " ".join(note.split())[:500]
    ids: list[str] = []
    con.execute("BEGIN TRANSACTION")
    try:
        if item["kind"] == "pair":
            ids.append(
                _decision(
                    con,
                    kind,
                    user,
                    mention_a=item["mention_a"],
                    mention_b=item["mention_b"],
                    note=clean_note,
                    at=now,
                )
            )
        elif item["kind"] == "cluster":
            members = [
                m["mention_id"]
                for m in queries.cluster_mentions(con, item["individual_id"], 10_000)
            ]
            if action == "confirm":
                ids.append(
                    _decision(
                        con,
                        kind,
                        user,
                        mention_a=members[0] if members else None,
                        note=clean_note or f"cluster {item['individual_id']}",
                        at=now,
                    )
                )
            else:
                # Splitting one mention out: it must not be the same person as any other.
                if mention not in members:
                    raise HTTPException(400)
                for other in members:
                    if other != mention:
                        ids.append(
                            _decision(
                                con,
                                kind,
                                user,
                                mention_a=mention,
                                mention_b=other,
                                note=clean_note,
                                at=now,
                            )
                        )
        else:
            ids.append(
                _decision(
                    con,
                    kind,
                    user,
                    finding_id=_finding_id(item),
                    mention_a=item.get("mention_a"),
                    note=clean_note,
                    at=now,
                )
            )
        for did in ids:
            con.execute(
                "INSERT INTO web_review_actions VALUES (?, ?, ?, ?, ?)",
                [item_id, did, action, user.username, now],
            )
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    audit_event(
        request, con, user, "decide", f"review:{item_id}", f"action={action} decisions={len(ids)}"
    )
    if is_htmx(request):
        item = {**item, "action": action, "made_by": user.username, "made_at": now}
        return render(
            request,
            "_review_item.html",
            {"v": _item_view(con, item), "ACTIONS": ACTIONS, "ACTION_WORDS": ACTION_WORDS},
        )
    return RedirectResponse("/review", status_code=303)


# --------------------------------------------------------------------------- QC


@router.get("/qc", response_class=HTMLResponse)
def qc_home(request: Request, user: UserDep, con: DbDep) -> Response:
    ests = qc.estimates(con)
    return render(
        request,
        "qc.html",
        {
            "nav": "qc",
            "estimates": [(e, charts.interval_bar(e.estimate, e.low, e.high)) for e in ests],
            "samples": qc.samples(con),
            "pop_individuals": qc.population_size(con, "individuals"),
            "pop_documents": qc.population_size(con, "documents"),
        },
    )


@router.post("/qc/samples", dependencies=[CsrfDep])
def qc_draw(
    request: Request,
    user: ReviewerDep,
    con: DbDep,
    kind: Annotated[str, Form(max_length=20)],
    size: Annotated[int, Form(ge=1, le=5000)] = 100,
    seed: Annotated[int, Form(ge=0, le=2**31)] = 0,
) -> Response:
    if kind not in qc.KINDS:
        raise HTTPException(400)
    sid = qc.draw_sample(con, kind, size, seed, user.username)
    audit_event(
        request, con, user, "qc_sample", f"sample:{sid}", f"kind={kind} size={size} seed={seed}"
    )
    return RedirectResponse(f"/qc/samples/{sid}", status_code=303)


@router.get("/qc/samples/{sample_id}", response_class=HTMLResponse)
def qc_sample(request: Request, sample_id: str, user: UserDep, con: DbDep) -> Response:
    s = qc.sample(con, sample_id)
    if s is None:
        raise HTTPException(404)
    its = qc.items(con, sample_id)
    strata: dict[str, list[int]] = {}
    for it in its:
        st = strata.setdefault(it["stratum"], [0, 0])
        st[0] += 1
        st[1] += 1 if it["answered_at"] else 0
    return render(request, "qc_sample.html", {"nav": "qc", "s": s, "items": its, "strata": strata})


def _doc_context(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict[str, Any]:
    docs = fetch_dicts(
        con,
        "SELECT d.doc_id, d.kind, d.locator, d.n_rows, f.path, f.detected_type, f.client_ids "
        "FROM documents d JOIN files f ON f.file_id = d.file_id WHERE d.doc_id = ?",
        [doc_id],
    )
    found = fetch_dicts(
        con,
        "SELECT m.*, im.individual_id FROM mentions m LEFT JOIN individual_mentions im "
        "ON im.mention_id = m.mention_id WHERE m.doc_id = ? ORDER BY m.row_no NULLS LAST, "
        "m.mention_id LIMIT 500",
        [doc_id],
    )
    return {"doc": docs[0] if docs else None, "found": found}


@router.get("/qc/samples/{sample_id}/{item_no}", response_class=HTMLResponse)
def qc_item(request: Request, sample_id: str, item_no: int, user: UserDep, con: DbDep) -> Response:
    s = qc.sample(con, sample_id)
    it = qc.item(con, sample_id, item_no)
    if s is None or it is None:
        raise HTTPException(404)
    ctx: dict[str, Any] = {"nav": "qc", "s": s, "it": it, "n_items": s["size"]}
    if s["kind"] == "individuals":
        ctx["p"] = queries.person(con, it["target_id"])
        ctx["mentions"] = queries.person_mentions(con, it["target_id"], 50)
        ctx["findings"] = queries.person_findings(con, it["target_id"], 3)
        return render(request, "qc_individual.html", ctx)
    ctx.update(_doc_context(con, it["target_id"]))
    return render(request, "qc_document.html", ctx)


@router.post("/qc/samples/{sample_id}/{item_no}/text", dependencies=[CsrfDep])
def qc_doc_text(
    request: Request, sample_id: str, item_no: int, user: ReviewerDep, con: DbDep
) -> Response:
    """The sampled document's content, for the reviewer to judge; audited as a reveal."""
    it = qc.item(con, sample_id, item_no)
    s = qc.sample(con, sample_id)
    if it is None or s is None or s["kind"] != "documents":
        raise HTTPException(404)
    doc_id = it["target_id"]
    rows = fetch_dicts(con, "SELECT kind, text, columns FROM documents WHERE doc_id = ?", [doc_id])
    if not rows:
        raise HTTPException(404)
    table_rows: list[dict[str, Any]] = []
    if rows[0]["kind"] == "table":
        table_rows = fetch_dicts(
            con,
            "SELECT row_no, cells FROM table_rows WHERE doc_id = ? ORDER BY row_no LIMIT 100",
            [doc_id],
        )
    audit_event(request, con, user, "reveal", f"document:{doc_id}", "field=document_content")
    return render(
        request,
        "_doc_text.html",
        {"d": rows[0], "table_rows": table_rows, "text": (rows[0]["text"] or "")[:20_000]},
    )


def _person_findings_of(
    con: duckdb.DuckDBPyConnection, mention_ids: list[str], categories: list[str]
) -> list[str]:
    if not mention_ids or not categories:
        return []
    return [
        str(r[0])
        for r in con.execute(
            "SELECT DISTINCT fm.finding_id FROM finding_mentions fm JOIN findings f "
            "ON f.finding_id = fm.finding_id WHERE fm.mention_id IN (SELECT unnest(?)) "
            "AND f.category IN (SELECT unnest(?))",
            [mention_ids, categories],
        ).fetchall()
    ]


@router.post("/qc/samples/{sample_id}/{item_no}", dependencies=[CsrfDep])
def qc_answer(
    request: Request,
    sample_id: str,
    item_no: int,
    user: ReviewerDep,
    con: DbDep,
    is_real: Annotated[str, Form(max_length=3)] = "",
    confirmed: Annotated[list[str] | None, Form()] = None,
    missed: Annotated[list[str] | None, Form()] = None,
    real: Annotated[list[str] | None, Form()] = None,
    missed_people: Annotated[str, Form(max_length=7)] = "0",
    note: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    values = {
        "is_real": [is_real],
        "confirmed": confirmed or [],
        "missed": missed or [],
        "real": real or [],
        "missed_people": [missed_people],
        "note": [note],
    }
    return _save_answer(request, con, user, sample_id, item_no, values)


def _save_answer(
    request: Request,
    con: duckdb.DuckDBPyConnection,
    user: User,
    sample_id: str,
    item_no: int,
    form: dict[str, list[str]],
) -> Response:
    s = qc.sample(con, sample_id)
    it = qc.item(con, sample_id, item_no)
    if s is None or it is None:
        raise HTTPException(404)

    def one(name: str) -> str:
        return (form.get(name) or [""])[0]

    note = " ".join(one("note").split())[:500]
    now = dt.datetime.now()
    tag = f"qc {sample_id}#{item_no}"
    n_decisions = 0
    con.execute("BEGIN TRANSACTION")
    try:
        if s["kind"] == "individuals":
            p = queries.person(con, it["target_id"])
            if p is None:
                raise HTTPException(404)
            listed = [e for e in (p.get("elements") or []) if e in ELEMENT_SET]
            verdict = one("is_real")
            if verdict not in ("yes", "no"):
                raise HTTPException(400)
            is_real = verdict == "yes"
            confirmed = set(form.get("confirmed", []))
            wrong = [e for e in listed if e not in confirmed] if is_real else []
            missed = [e for e in form.get("missed", []) if e in ELEMENT_SET and e not in listed]
            con.execute(
                "UPDATE qc_items SET answered_by = ?, answered_at = ?, is_real = ?, "
                "listed_elements = ?, wrong_elements = ?, missed_elements = ?, note = ? "
                "WHERE sample_id = ? AND item_no = ?",
                [
                    user.username,
                    now,
                    is_real,
                    listed,
                    wrong,
                    missed if is_real else [],
                    note,
                    sample_id,
                    item_no,
                ],
            )
            mids = [m["mention_id"] for m in queries.person_mentions(con, it["target_id"], 10_000)]
            if not is_real:
                for fid in _person_findings_of(con, mids, ["name"]):
                    _decision(
                        con,
                        "reject_finding",
                        user,
                        finding_id=fid,
                        note=f"{tag}: not a real person",
                        at=now,
                    )
                    n_decisions += 1
            else:
                for fid in _person_findings_of(con, mids, wrong):
                    _decision(
                        con,
                        "reject_finding",
                        user,
                        finding_id=fid,
                        note=f"{tag}: element not exposed",
                        at=now,
                    )
                    n_decisions += 1
                if not wrong and mids:
                    _decision(
                        con,
                        "confirm",
                        user,
                        mention_a=mids[0],
                        note=f"{tag}: individual {it['target_id']} confirmed",
                        at=now,
                    )
                    n_decisions += 1
            detail = f"is_real={verdict} wrong={len(wrong)} missed={len(missed)}"
        else:
            ctx = _doc_context(con, it["target_id"])
            found_ids = [m["mention_id"] for m in ctx["found"]]
            real = set(form.get("real", [])) & set(found_ids)
            try:
                missed_people = max(0, min(100_000, int(one("missed_people") or 0)))
            except ValueError:
                raise HTTPException(400) from None
            con.execute(
                "UPDATE qc_items SET answered_by = ?, answered_at = ?, found_real = ?, "
                "found_wrong = ?, missed_people = ?, note = ? WHERE sample_id = ? AND item_no = ?",
                [
                    user.username,
                    now,
                    len(real),
                    len(found_ids) - len(real),
                    missed_people,
                    note,
                    sample_id,
                    item_no,
                ],
            )
            wrong_ids = [m for m in found_ids if m not in real]
            for fid in _person_findings_of(con, wrong_ids, ["name"]):
                _decision(
                    con,
                    "reject_finding",
                    user,
                    finding_id=fid,
                    note=f"{tag}: not a real person",
                    at=now,
                )
                n_decisions += 1
            detail = f"real={len(real)} wrong={len(wrong_ids)} missed={missed_people}"
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    audit_event(
        request,
        con,
        user,
        "qc_answer",
        f"sample:{sample_id}#{item_no}",
        f"{detail} decisions={n_decisions}",
    )
    nxt = con.execute(
        "SELECT min(item_no) FROM qc_items WHERE sample_id = ? AND answered_at IS NULL",
        [sample_id],
    ).fetchone()
    target = (
        f"/qc/samples/{sample_id}/{nxt[0]}"
        if nxt and nxt[0] is not None
        else f"/qc/samples/{sample_id}"
    )
    return RedirectResponse(target, status_code=303)
