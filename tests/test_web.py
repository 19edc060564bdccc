"""The review web app, in process: every route, role and permission, and the security rules."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from fastapi.testclient import TestClient

from breachscope.store import connect
from breachscope.web import create_app
from breachscope.web import queries as web_queries
from breachscope.web.security import RateLimiter
from breachscope.web.store import StoreBusy
from web_fixtures import CANARY_SSN, PASSWORD, WebCase, build, csrf_of, login

PAGES = (
    "/",
    "/files",
    "/files?status=exceptions",
    "/people",
    "/review",
    "/qc",
    "/obligations",
    "/deliverables",
    "/deliverables?dir=letters",
)


@pytest.fixture(scope="module")
def wc(tmp_path_factory: pytest.TempPathFactory) -> WebCase:
    return build(tmp_path_factory.mktemp("webcase"))


def client_for(wc: WebCase, role: str | None) -> TestClient:
    c = TestClient(wc.app, raise_server_exceptions=False)
    if role:
        login(c, role)
    return c


@pytest.fixture(scope="module")
def admin(wc: WebCase) -> TestClient:
    return client_for(wc, "admin")


@pytest.fixture(scope="module")
def reviewer(wc: WebCase) -> TestClient:
    return client_for(wc, "reviewer")


@pytest.fixture(scope="module")
def viewer(wc: WebCase) -> TestClient:
    return client_for(wc, "viewer")


def db_rows(wc: WebCase, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    with wc.app.state.web.store.open() as con:
        return con.execute(sql, params or []).fetchall()


def audit_text(wc: WebCase) -> str:
    rows = db_rows(wc, "SELECT * FROM audit_log ORDER BY seq")
    return "\n".join(" | ".join(str(v) for v in r) for r in rows)


# --------------------------------------------------------------------------- logged out


@pytest.mark.parametrize(
    "path",
    [*PAGES, "/audit", "/people/x", "/qc/samples/x", "/deliverables/download?path=a", "/nope"],
)
def test_logged_out_users_are_sent_to_login(wc: WebCase, path: str) -> None:
    c = client_for(wc, None)
    r = c.get(path, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login")
    page = c.get(path)
    assert page.url.path == "/login"
    assert "Log in" in page.text and "affected people" not in page.text


def test_logged_out_htmx_gets_hx_redirect(wc: WebCase) -> None:
    r = client_for(wc, None).get("/people", headers={"HX-Request": "true"})
    assert r.status_code == 401
    assert r.headers["HX-Redirect"].startswith("/login")


@pytest.mark.parametrize(
    "path", ["/people/x/reveal", "/review/pair-0", "/qc/samples", "/logout", "/qc/samples/x/1"]
)
def test_logged_out_posts_are_refused(wc: WebCase, path: str) -> None:
    r = client_for(wc, None).post(path, data={"field": "ssn"}, follow_redirects=False)
    assert r.status_code in (303, 401)
    assert "location" not in r.headers or r.headers["location"].startswith("/login")


def test_static_assets_are_vendored_and_public(wc: WebCase) -> None:
    c = client_for(wc, None)
    assert "htmx" in c.get("/static/htmx.min.js").text[:200]
    assert "X-CSRF-Token" in c.get("/static/app.js").text
    assert c.get("/static/app.css").status_code == 200
    templates = Path(__file__).parents[1] / "src/breachscope/web/templates"
    for t in templates.glob("*.html"):
        text = t.read_text(encoding="utf-8")
        assert "<script>" not in text and " on" + "click=" not in text, t.name
        assert not re.search(r'src="https?://', text), f"{t.name} loads from a CDN"
        assert "style=" not in text, f"{t.name} has inline style (CSP forbids it)"


# --------------------------------------------------------------------------- headers


def test_security_headers(wc: WebCase, admin: TestClient) -> None:
    for r in (client_for(wc, None).get("/login"), admin.get("/")):
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["cache-control"] == "no-store"


def test_session_cookie_flags(wc: WebCase) -> None:
    c = TestClient(wc.app)
    r = c.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', r.text)
    assert token
    r = c.post(
        "/login",
        data={"username": "viewer", "password": PASSWORD, "login_token": token.group(1)},
        follow_redirects=False,
    )
    cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and "bs_session" in v)
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert "Max-Age" not in cookie.split("bs_session", 1)[1].split(",")[0]


def test_unknown_host_is_refused(wc: WebCase) -> None:
    r = client_for(wc, None).get("/login", headers={"Host": "evil.example"})
    assert r.status_code == 400


# --------------------------------------------------------------------------- login


def test_login_wrong_password_and_rate_limit(wc: WebCase) -> None:
    app = create_app(wc.case, secret=b"x" * 32, rate_limiter=RateLimiter(max_failures=3))
    c = TestClient(app, raise_server_exceptions=False)
    for _ in range(3):
        r = c.get("/login")
        tok = re.search(r'name="login_token" value="([^"]+)"', r.text)
        assert tok
        r = c.post(
            "/login",
            data={"username": "viewer", "password": "wrong-password!", "login_token": tok.group(1)},
        )
        assert r.status_code == 401 and "Wrong user name or password" in r.text
    r = c.get("/login")
    tok = re.search(r'name="login_token" value="([^"]+)"', r.text)
    assert tok
    # Blocked even with the right password while the window lasts.
    r = c.post(
        "/login", data={"username": "viewer", "password": PASSWORD, "login_token": tok.group(1)}
    )
    assert r.status_code == 429
    # Another user from the same address is not blocked by this user's failures.
    login(c, "reviewer")
    assert "login_blocked" in audit_text(wc) and "login_failed" in audit_text(wc)


def test_login_without_form_token_is_refused(wc: WebCase) -> None:
    c = client_for(wc, None)
    r = c.post("/login", data={"username": "admin", "password": PASSWORD})
    assert r.status_code == 403
    assert "bs_session" not in c.cookies


def test_login_next_is_local_only(wc: WebCase) -> None:
    c = client_for(wc, None)
    r = c.get("/login?next=//evil.example/x")
    tok = re.search(r'name="login_token" value="([^"]+)"', r.text)
    assert tok
    r = c.post(
        "/login",
        data={
            "username": "admin",
            "password": PASSWORD,
            "login_token": tok.group(1),
            "next": "//evil.example/x",
        },
        follow_redirects=False,
    )
    assert r.headers["location"] == "/"
    c2 = client_for(wc, None)
    r = c2.get("/people?q=abc", follow_redirects=False)
    assert "next=%2Fpeople%3Fq%3Dabc" in r.headers["location"]


def test_logout_ends_the_session(wc: WebCase) -> None:
    c = client_for(wc, "viewer")
    page = c.get("/")
    assert c.post("/logout", data={}).status_code == 403  # no CSRF token
    r = c.post("/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    assert c.get("/", follow_redirects=False).status_code == 303


def test_idle_sessions_expire(wc: WebCase, monkeypatch: pytest.MonkeyPatch) -> None:
    import breachscope.web.security as sec

    app = create_app(wc.case, secret=b"y" * 32, idle_minutes=1)
    c = TestClient(app)
    login(c, "viewer")
    assert c.get("/", follow_redirects=False).status_code == 200
    now = sec.time.time()
    monkeypatch.setattr(sec.time, "time", lambda: now + 61)
    r = c.get("/", follow_redirects=False)
    assert r.status_code == 303 and "expired=1" in r.headers["location"]
    assert "session ended" in c.get(r.headers["location"]).text


def test_forged_session_cookie_is_ignored(wc: WebCase) -> None:
    c = client_for(wc, None)
    c.cookies.set("bs_session", "forged.value")
    assert c.get("/", follow_redirects=False).status_code == 303


# --------------------------------------------------------------------------- pages per role


@pytest.mark.parametrize("role", ["admin", "reviewer", "viewer"])
def test_every_page_renders_for_every_role(wc: WebCase, role: str) -> None:
    c = client_for(wc, role)
    for path in (*PAGES, f"/people/{wc.person_id}"):
        r = c.get(path)
        assert r.status_code == 200, (role, path)
        assert "Traceback" not in r.text
        assert CANARY_SSN not in r.text, (role, path)
    assert c.get("/audit").status_code == (200 if role == "admin" else 403)


def test_dashboard_counts_and_charts(admin: TestClient) -> None:
    html = admin.get("/").text
    assert "affected people" in html and "300" in html
    assert 'aria-label="Affected people by state"' in html
    assert "45 CFR 164.410" not in html  # the dashboard lists deadlines, not citations
    assert "breach discovered" in html
    assert "People by element exposed" in html


def test_files_filters(admin: TestClient) -> None:
    html = admin.get("/files?status=failed").text
    assert "encrypted" in html or "corrupt" in html
    assert 'status-processed">processed' not in html
    html = admin.get("/files?type=pdf").text
    assert ".pdf" in html and ".csv<" not in html


def test_obligations_page(admin: TestClient) -> None:
    html = admin.get("/obligations").text
    assert "45 CFR 164.404" in html and "Mercy Valley Health System" in html
    assert "10 M.R.S. § 1348" not in html  # not triggered: hidden by default
    assert "10 M.R.S. § 1348" in admin.get("/obligations?all=1").text
    assert "Tex. Bus." in admin.get("/obligations?jurisdiction=TX").text
    assert "Fla. Stat." not in admin.get("/obligations?jurisdiction=TX").text


def test_obligations_absent(tmp_path: Path) -> None:
    w = build(tmp_path, people=20)
    con = connect(w.case.store_path)
    con.execute("DELETE FROM obligations")
    con.close()
    w.app.state.web.store.close()
    c = client_for(w, "viewer")
    assert "after the assess stage" in c.get("/obligations").text
    assert c.get("/").status_code == 200


def test_empty_store_renders(tmp_path: Path) -> None:
    from breachscope.case import load_case
    from breachscope.web.accounts import add_user
    from web_fixtures import CASE_TOML

    (tmp_path / "case.toml").write_text(CASE_TOML, encoding="utf-8")
    case = load_case(tmp_path / "case.toml", check_evidence=False)
    con = connect(case.store_path)
    add_user(con, "admin", PASSWORD, "admin")
    con.close()
    c = TestClient(create_app(case), raise_server_exceptions=True)
    login(c, "admin")
    for path in (*PAGES, "/audit"):
        assert c.get(path).status_code == 200, path


# --------------------------------------------------------------------------- people


def test_people_search_by_name_and_id(wc: WebCase, admin: TestClient) -> None:
    last, first, member = db_rows(
        wc,
        "SELECT i.last_name, i.first_name, m.member_id FROM individuals i "
        "JOIN individual_mentions im USING (individual_id) JOIN mentions m USING (mention_id) "
        "WHERE m.member_id IS NOT NULL ORDER BY i.individual_id LIMIT 1",
    )[0]
    html = admin.get("/people", params={"q": f"{last}, {first}"}).text
    assert f"{last}, {first}" in html
    names = re.findall(r'class="person-link">([^<]+)<', html)
    assert names and all(n.startswith(f"{last}, ") for n in names)
    html = admin.get("/people", params={"q": f"{str(first).lower()} {str(last).lower()}"}).text
    assert f"{last}, {first}" in html
    html = admin.get("/people", params={"q": str(member).lower()}).text
    assert len(re.findall(r'class="person-link"', html)) >= 1
    assert "Nobody matches" in admin.get("/people", params={"q": "Qqqqnotaname"}).text


def test_people_filters(wc: WebCase, admin: TestClient) -> None:
    html = admin.get("/people?minor=yes").text
    n_minor = db_rows(wc, "SELECT count(*) FROM individuals WHERE is_minor")[0][0]
    assert f"{n_minor} people match" in html or f"{n_minor} person match" in html
    html = admin.get("/people?state=TX").text
    assert all(", TX" in cell for cell in re.findall(r"<td>[^<]*, [A-Z]{2}</td>", html))
    html = admin.get("/people?element=bank_account&client=lakeside-health-plan").text
    n = db_rows(
        wc,
        "SELECT count(*) FROM individuals WHERE list_contains(elements, 'bank_account') "
        "AND list_contains(client_ids, 'lakeside-health-plan')",
    )[0][0]
    assert f"{n} people match" in html


def test_ssn_search_only_for_reviewers_and_audited(
    wc: WebCase, reviewer: TestClient, viewer: TestClient
) -> None:
    q = f"{CANARY_SSN[:3]}-{CANARY_SSN[3:5]}-{CANARY_SSN[5:]}"
    html = reviewer.get("/people", params={"q": q}).text
    assert f"/people/{wc.canary_id}" in html
    assert CANARY_SSN not in html and q not in html.split('name="q" value="')[1][20:]
    assert "Nobody matches" in viewer.get("/people", params={"q": q}).text
    assert "by=ssn_or_id" in audit_text(wc)
    assert CANARY_SSN not in audit_text(wc)


def test_keyset_paging_walks_every_person_once(wc: WebCase, admin: TestClient) -> None:
    all_ids = [r[0] for r in db_rows(wc, "SELECT individual_id FROM individuals ORDER BY 1")]
    seen: list[str] = []
    url = "/people"
    pages = 0
    while url:
        html = admin.get(url).text
        seen += re.findall(r'<a href="/people/([0-9a-f]+)" class="person-link"', html)
        m = re.search(r'<a href="(/people\?[^"]*after=[^"]+)" rel="next"', html)
        url = m.group(1).replace("&amp;", "&") if m else ""
        pages += 1
    assert seen == all_ids and pages == 6
    # And back: the previous link of page 3 shows page 2.
    with wc.app.state.web.store.open() as con:
        f = web_queries.PeopleFilter()
        p1 = web_queries.people_page(con, f)
        p2 = web_queries.people_page(con, f, after=p1.next_after)
        p3 = web_queries.people_page(con, f, after=p2.next_after)
        back = web_queries.people_page(con, f, before=p3.prev_before)
        assert [r["individual_id"] for r in back.rows] == [r["individual_id"] for r in p2.rows]
        assert back.prev_before == p2.rows[0]["individual_id"]
        assert web_queries.people_page(con, f, before=p2.prev_before).prev_before == ""


def test_person_detail_masks_and_explains(wc: WebCase, viewer: TestClient) -> None:
    html = viewer.get(f"/people/{wc.canary_id}").text
    assert "***-**-0123" in html and CANARY_SSN not in html
    assert "-**-**" in html  # DOB shows the year only
    assert "(masked)" in html  # street
    assert "/reveal" not in html and "reveal-btn" not in html
    assert "SSN area/group/serial rules" in html  # finding explanations
    assert re.search(r"(row|page) \d", html)  # mention locators
    assert viewer.get("/people/doesnotexist").status_code == 404


def test_letters_linked_from_person(wc: WebCase, reviewer: TestClient) -> None:
    first = db_rows(wc, "SELECT min(individual_id) FROM individuals")[0][0]
    html = reviewer.get(f"/people/{first}").text
    assert f"letters/letter_{first}.pdf" in html


# --------------------------------------------------------------------------- reveal


def test_reveal_is_audited_and_shows_value(wc: WebCase, reviewer: TestClient) -> None:
    page = reviewer.get(f"/people/{wc.canary_id}").text
    token = csrf_of(page)
    before = db_rows(wc, "SELECT count(*) FROM audit_log WHERE action = 'reveal'")[0][0]
    r = reviewer.post(
        f"/people/{wc.canary_id}/reveal",
        data={"field": "ssn", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200
    assert "987-65-0123" in r.text
    rows = db_rows(
        wc,
        "SELECT username, target, detail FROM audit_log WHERE action = 'reveal' ORDER BY seq DESC LIMIT 1",
    )
    assert rows[0] == ("reviewer", f"individual:{wc.canary_id}", "field=ssn")
    assert db_rows(wc, "SELECT count(*) FROM audit_log WHERE action = 'reveal'")[0][0] == before + 1
    assert CANARY_SSN not in audit_text(wc) and "987-65-0123" not in audit_text(wc)
    # Without htmx: a full page, same audit.
    r = reviewer.post(f"/people/{wc.canary_id}/reveal", data={"field": "dob", "csrf_token": token})
    assert r.status_code == 200 and "Date of birth" in r.text


def test_reveal_per_mention(wc: WebCase, reviewer: TestClient) -> None:
    token = csrf_of(reviewer.get("/").text)
    mid = db_rows(
        wc,
        "SELECT mention_id FROM individual_mentions WHERE individual_id = ? LIMIT 1",
        [wc.canary_id],
    )[0][0]
    r = reviewer.post(
        f"/people/{wc.canary_id}/reveal",
        data={"field": "ssn", "mention_id": mid, "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert "987-65-0123" in r.text
    other = db_rows(
        wc,
        "SELECT mention_id FROM individual_mentions WHERE individual_id <> ? LIMIT 1",
        [wc.canary_id],
    )[0][0]
    r = reviewer.post(
        f"/people/{wc.canary_id}/reveal",
        data={"field": "ssn", "mention_id": other, "csrf_token": token},
    )
    assert r.status_code == 404  # a mention of someone else cannot be revealed through this person
    r = reviewer.post(
        f"/people/{wc.canary_id}/reveal", data={"field": "password", "csrf_token": token}
    )
    assert r.status_code == 400


def test_viewer_cannot_reveal(wc: WebCase, viewer: TestClient) -> None:
    token = csrf_of(viewer.get("/").text)
    n = db_rows(wc, "SELECT count(*) FROM audit_log WHERE action = 'reveal'")[0][0]
    r = viewer.post(f"/people/{wc.canary_id}/reveal", data={"field": "ssn", "csrf_token": token})
    assert r.status_code == 403 and CANARY_SSN not in r.text and "987-65" not in r.text
    assert db_rows(wc, "SELECT count(*) FROM audit_log WHERE action = 'reveal'")[0][0] == n


def test_csrf_is_required(wc: WebCase, reviewer: TestClient) -> None:
    url = f"/people/{wc.canary_id}/reveal"
    assert reviewer.post(url, data={"field": "ssn"}).status_code == 403
    assert reviewer.post(url, data={"field": "ssn", "csrf_token": "nope"}).status_code == 403
    token = csrf_of(reviewer.get("/").text)
    # htmx sends it as a header (set by static/app.js from the meta tag).
    r = reviewer.post(url, data={"field": "ssn"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200
    for path, data in (
        ("/review/pair-0", {"action": "merge"}),
        ("/qc/samples", {"kind": "individuals", "size": "5"}),
    ):
        assert reviewer.post(path, data=data).status_code == 403


# --------------------------------------------------------------------------- review


def test_review_decisions(wc: WebCase, reviewer: TestClient, viewer: TestClient) -> None:
    token = csrf_of(reviewer.get("/review").text)
    a, b = db_rows(wc, "SELECT mention_a, mention_b FROM review_queue WHERE item_id = 'pair-1'")[0]
    r = reviewer.post(
        "/review/pair-1",
        data={"action": "merge", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200 and "Same person (merge)" in r.text and "decided" in r.text
    row = db_rows(
        wc,
        "SELECT kind, made_by, made_at IS NOT NULL FROM decisions WHERE mention_a = ? AND mention_b = ?",
        [a, b],
    )
    assert row == [("merge", "reviewer", True)]
    # It leaves the open list and shows under decided.
    assert 'id="item-pair-1"' not in reviewer.get("/review").text
    assert 'id="item-pair-1"' in reviewer.get("/review?status=decided").text
    # Finding: reject.
    fid = db_rows(wc, "SELECT item_id FROM review_queue WHERE kind = 'finding' LIMIT 1")[0][0]
    r = reviewer.post(
        f"/review/{fid}", data={"action": "reject", "csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303
    assert db_rows(wc, "SELECT kind FROM decisions WHERE finding_id = ?", [fid]) == [
        ("reject_finding",)
    ]
    # Cluster: split one mention out -> it is kept apart from each other mention.
    cid, ind = db_rows(
        wc, "SELECT item_id, individual_id FROM review_queue WHERE kind = 'cluster' LIMIT 1"
    )[0]
    members = [
        r[0]
        for r in db_rows(
            wc, "SELECT mention_id FROM individual_mentions WHERE individual_id = ?", [ind]
        )
    ]
    reviewer.post(
        f"/review/{cid}", data={"action": "split", "mention": members[0], "csrf_token": token}
    )
    splits = db_rows(
        wc, "SELECT mention_b FROM decisions WHERE kind = 'split' AND mention_a = ?", [members[0]]
    )
    assert sorted(s[0] for s in splits) == sorted(members[1:])
    # Wrong action for the kind, unknown item.
    assert (
        reviewer.post("/review/pair-2", data={"action": "reject", "csrf_token": token}).status_code
        == 400
    )
    assert (
        reviewer.post("/review/nope", data={"action": "merge", "csrf_token": token}).status_code
        == 404
    )
    assert "action=merge" in audit_text(wc)
    # A viewer sees the queue but cannot decide.
    vt = csrf_of(viewer.get("/review").text)
    assert "Same person (merge)</button>" not in viewer.get("/review").text
    assert (
        viewer.post("/review/pair-2", data={"action": "merge", "csrf_token": vt}).status_code == 403
    )


# --------------------------------------------------------------------------- deliverables


def test_download_is_audited_and_confined(
    wc: WebCase, reviewer: TestClient, viewer: TestClient
) -> None:
    r = reviewer.get("/deliverables/download", params={"path": "mail_file.csv"})
    assert r.status_code == 200 and r.text.startswith("individual_id")
    assert "attachment" in r.headers["content-disposition"]
    assert db_rows(
        wc,
        "SELECT username, target FROM audit_log WHERE action = 'download' ORDER BY seq DESC LIMIT 1",
    ) == [("reviewer", "mail_file.csv")]
    for bad in ("../case.toml", "/etc/passwd", "letters/../../case.toml", "", "letters"):
        assert reviewer.get("/deliverables/download", params={"path": bad}).status_code == 404, bad
    assert viewer.get("/deliverables/download", params={"path": "mail_file.csv"}).status_code == 403
    html = viewer.get("/deliverables").text
    assert "mail_file.csv" in html and "Download</a>" not in html


# --------------------------------------------------------------------------- audit


def test_audit_log_is_admin_only_and_chained(
    wc: WebCase, admin: TestClient, reviewer: TestClient
) -> None:
    assert reviewer.get("/audit").status_code == 403
    html = admin.get("/audit").text
    assert "chain intact" in html and "login" in html
    assert "reveal" in admin.get("/audit?action=reveal").text
    with wc.app.state.web.store.open() as con:
        con.execute("UPDATE audit_log SET detail = 'field=dob' WHERE seq = 2")
    assert "chain broken" in admin.get("/audit").text
    with wc.app.state.web.store.open() as con:  # put it back for the other tests
        con.execute(
            "UPDATE audit_log SET detail = (SELECT detail FROM audit_log WHERE seq = 2) WHERE seq = 2"
        )


# --------------------------------------------------------------------------- errors


def test_error_pages_carry_no_traceback_or_phi(
    wc: WebCase,
    admin: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def boom(*a: object, **k: object) -> None:
        raise RuntimeError(f"value {CANARY_SSN} broke it")

    monkeypatch.setattr(web_queries, "person", boom)
    with caplog.at_level(logging.DEBUG):
        r = admin.get(f"/people/{wc.canary_id}")
    assert r.status_code == 500
    assert CANARY_SSN not in r.text and "Traceback" not in r.text and "RuntimeError" not in r.text
    assert "Something went wrong" in r.text
    assert CANARY_SSN not in caplog.text
    r404 = admin.get("/nope")
    assert r404.status_code == 404 and "Not found" in r404.text and "<nav>" in r404.text
    r422 = admin.post(
        "/qc/samples", data={"kind": "individuals", "size": CANARY_SSN, "csrf_token": "x"}
    )
    assert r422.status_code in (403, 422) and CANARY_SSN not in r422.text
    token = csrf_of(admin.get("/").text)
    r422 = admin.post(
        "/qc/samples", data={"kind": "individuals", "size": CANARY_SSN, "csrf_token": token}
    )
    assert r422.status_code == 422 and CANARY_SSN not in r422.text


def test_busy_store_answers_503(wc: WebCase, monkeypatch: pytest.MonkeyPatch) -> None:
    c = client_for(wc, "viewer")
    store = wc.app.state.web.store

    class Busy:
        def __enter__(self) -> None:
            raise StoreBusy("the case store is in use by a running stage")

        def __exit__(self, *a: object) -> None:
            return None

    monkeypatch.setattr(store, "open", lambda: Busy())
    r = c.get("/people")
    assert r.status_code == 503 and r.headers["retry-after"] == "5"
    assert 'http-equiv="refresh"' in r.text


# --------------------------------------------------------------------------- app lifecycle


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[WebCase]:
    w = build(tmp_path, people=60)
    yield w
    w.app.state.web.store.close()


def test_removed_user_loses_access(fresh: WebCase) -> None:
    c = client_for(fresh, "viewer")
    assert c.get("/", follow_redirects=False).status_code == 200
    with fresh.app.state.web.store.open() as con:
        con.execute("DELETE FROM web_users WHERE username = 'viewer'")
    assert c.get("/", follow_redirects=False).status_code == 303


# --------------------------------------------------------------------------- docs


def test_every_route_and_option_is_documented(wc: WebCase) -> None:
    from fastapi.routing import APIRoute

    from breachscope.web.commands import serve, user

    doc = (Path(__file__).parents[1] / "docs" / "web.md").read_text(encoding="utf-8")
    for route in wc.app.routes:
        if isinstance(route, APIRoute) and route.path != "/favicon.ico":
            assert route.path in doc, f"route {route.path} missing from docs/web.md"
    for param in serve.params:
        if isinstance(param, click.Option):
            assert param.opts[0] in doc, f"serve {param.opts[0]} missing from docs/web.md"
    for name in user.commands:
        assert f"breachscope user {name}" in doc
    for table in ("web_users", "audit_log", "web_review_actions", "qc_samples", "qc_items"):
        assert f"`{table}`" in doc


def test_two_login_pages_share_one_login_cookie(wc: WebCase) -> None:
    # A browser fetching /favicon.ico (or a second tab) must not invalidate the first form.
    c = client_for(wc, None)
    first = re.search(r'name="login_token" value="([^"]+)"', c.get("/login").text)
    c.get("/login?next=/files")
    assert first
    r = c.post(
        "/login",
        data={"username": "viewer", "password": PASSWORD, "login_token": first.group(1)},
        follow_redirects=False,
    )
    assert r.status_code == 303


def test_letters_from_the_notify_manifest(tmp_path: Path) -> None:
    from breachscope.web.queries import LetterIndex

    letters = tmp_path / "letters" / "mercy-valley-health"
    letters.mkdir(parents=True)
    (letters / "batch-00001.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "letters" / "manifest.csv").write_text(
        "letter_id,client_id,batch_file,first_page,last_page,pages,individual_id,variant\n"
        "L1,mercy-valley-health,letters/mercy-valley-health/batch-00001.pdf,3,4,2,abc,adult\n",
        encoding="utf-8",
    )
    found = LetterIndex(tmp_path).for_individual("abc")
    assert [(f.rel, f.label) for f in found] == [
        (
            "letters/mercy-valley-health/batch-00001.pdf",
            "letters/mercy-valley-health/batch-00001.pdf, pages 3\u20134 (mercy-valley-health)",
        )
    ]
    assert LetterIndex(tmp_path).for_individual("zzz") == []
