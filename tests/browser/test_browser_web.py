"""The web app in a real browser: login, dashboard, search, reveal, review, download.

Also checks that the strict CSP holds (no console violations: htmx runs without inline
script or style) and, with BREACHSCOPE_SCREENSHOTS=1, refreshes docs/screenshots/.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from web_fixtures import CANARY_SSN, PASSWORD, WebCase

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _page(browser: Any, base: str, user: str) -> tuple[Any, list[str]]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = ctx.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(base + "/")
    assert page.url.startswith(base + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    return page, problems


def _audit(wc: WebCase, action: str) -> list[tuple[Any, ...]]:
    with wc.app.state.web.store.open() as con:
        return con.execute(
            "SELECT username, target, detail FROM audit_log WHERE action = ? ORDER BY seq", [action]
        ).fetchall()


def test_login_dashboard_and_search(browser: Any, live: tuple[str, WebCase]) -> None:
    base, _ = live
    page, problems = _page(browser, base, "viewer")
    assert page.locator("h1").first.inner_text() == "Dashboard"
    assert page.locator("svg.map").count() == 1
    page.click("nav >> text=People")
    page.wait_for_url(base + "/people")
    first = page.locator("a.person-link").first.inner_text()
    last = first.split(",")[0]
    # Live search: typing updates the results through htmx without a full page load.
    page.fill("input[name=q]", last)
    page.wait_for_url(re.compile(r".*q=" + last))
    page.wait_for_function(
        "last => [...document.querySelectorAll('a.person-link')].every(a => a.textContent.startsWith(last + ','))",
        arg=last,
    )
    assert page.locator("a.person-link").count() >= 1
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_reveal_is_audited(browser: Any, live: tuple[str, WebCase]) -> None:
    base, wc = live
    page, problems = _page(browser, base, "reviewer")
    page.goto(f"{base}/people/{wc.canary_id}")
    ssn_row = page.locator("dl.record dd").nth(4)
    assert "***-**-0123" in ssn_row.inner_text()
    assert CANARY_SSN not in page.content()
    before = len(_audit(wc, "reveal"))
    ssn_row.locator("button.reveal-btn").click()
    page.wait_for_selector("dl.record .secret.revealed")
    assert "987-65-0123" in ssn_row.inner_text()
    rows = _audit(wc, "reveal")
    assert len(rows) == before + 1 and rows[-1] == (
        "reviewer",
        f"individual:{wc.canary_id}",
        "field=ssn",
    )
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_viewer_sees_no_reveal(browser: Any, live: tuple[str, WebCase]) -> None:
    base, wc = live
    page, _ = _page(browser, base, "viewer")
    page.goto(f"{base}/people/{wc.canary_id}")
    assert page.locator("button.reveal-btn").count() == 0
    assert "***-**-0123" in page.content()


def test_review_decision(browser: Any, live: tuple[str, WebCase]) -> None:
    base, wc = live
    page, problems = _page(browser, base, "reviewer")
    page.goto(base + "/review?kind=pair")
    card = page.locator("article.review-item").first
    item_id = (card.get_attribute("id") or "").removeprefix("item-")
    card.locator("button[value=merge]").click()
    # htmx swaps the card in place (its request carried the CSRF header from app.js).
    page.wait_for_selector(f"#item-{item_id}.decided")
    assert "Same person (merge)" in page.locator(f"#item-{item_id}").inner_text()
    with wc.app.state.web.store.open() as con:
        got = con.execute(
            "SELECT d.kind, d.made_by FROM web_review_actions a JOIN decisions d USING (decision_id) "
            "WHERE a.item_id = ?",
            [item_id],
        ).fetchall()
    assert got == [("merge", "reviewer")]
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_download(browser: Any, live: tuple[str, WebCase]) -> None:
    base, wc = live
    page, _ = _page(browser, base, "reviewer")
    page.goto(base + "/deliverables")
    with page.expect_download() as info:
        page.locator("tr", has_text="mail_file.csv").locator("a.download").click()
    dl = info.value
    assert dl.suggested_filename == "mail_file.csv"
    assert Path(dl.path()).read_text(encoding="utf-8").startswith("individual_id")
    assert ("reviewer", "mail_file.csv", "") in _audit(wc, "download")


def test_screenshots(browser: Any, live: tuple[str, WebCase], tmp_path: Path) -> None:
    """Captures the main pages; into docs/screenshots/ when BREACHSCOPE_SCREENSHOTS=1."""
    base, wc = live
    out = SHOTS if os.environ.get("BREACHSCOPE_SCREENSHOTS") == "1" else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    anon = browser.new_context(viewport={"width": 1400, "height": 800}).new_page()
    anon.goto(base + "/login")
    anon.screenshot(path=str(out / "login.png"))
    page, _ = _page(browser, base, "admin")
    with wc.app.state.web.store.open() as con:
        row = con.execute(
            "SELECT individual_id FROM individuals WHERE n_mentions = 3 AND NOT is_minor "
            "AND list_contains(elements, 'ssn') ORDER BY individual_id LIMIT 1"
        ).fetchone()
        _simulate_qc_answers(con)
    typical = str(row[0]) if row else wc.canary_id
    shots = {
        "dashboard": "/",
        "people": "/people?q=garcia",
        "person": f"/people/{typical}",
        "review": "/review?kind=pair",
        "qc": "/qc",
        "obligations": "/obligations?client=mercy-valley-health",
        "files": "/files?status=exceptions",
        "deliverables": "/deliverables",
        "audit": "/audit",
    }
    for name, url in shots.items():
        page.goto(base + url)
        if name == "qc":
            page.click("details.method summary")
        if name == "person":
            page.locator("dl.record dd").nth(4).locator("button.reveal-btn").click()
            page.wait_for_selector(".secret.revealed")
        page.screenshot(path=str(out / f"{name}.png"), full_page=name in ("dashboard", "qc"))
        assert (out / f"{name}.png").stat().st_size > 10_000


def _simulate_qc_answers(con: Any) -> None:
    """Reviewer answers for the QC screenshot: mostly right, a few misses and errors."""
    from breachscope.web import qc

    if con.execute("SELECT count(*) FROM qc_samples").fetchone()[0]:
        return
    sid = qc.draw_sample(con, "individuals", 120, 1, "reviewer")
    con.execute(
        """
        UPDATE qc_items SET answered_by = 'reviewer', answered_at = now(),
            is_real = item_no % 40 <> 7,
            listed_elements = ['name', 'dob', 'address', 'ssn', 'member_id'],
            wrong_elements = CASE WHEN item_no % 25 = 3 THEN ['ssn'] ELSE [] END,
            missed_elements = CASE WHEN item_no % 15 = 4 THEN ['phone'] ELSE [] END
        WHERE sample_id = ? AND item_no <= 110
        """,
        [sid],
    )
    did = qc.draw_sample(con, "documents", 25, 1, "reviewer")
    con.execute(
        """
        UPDATE qc_items SET answered_by = 'reviewer', answered_at = now(),
            found_real = 20 + item_no % 7, found_wrong = CASE WHEN item_no % 9 = 0 THEN 1 ELSE 0 END,
            missed_people = CASE WHEN item_no % 6 = 0 THEN 1 ELSE 0 END
        WHERE sample_id = ?
        """,
        [did],
    )
