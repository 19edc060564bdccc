"""QC sampling: stratified, seedable samples; Wilson intervals; corrections become decisions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from breachscope.web import qc
from web_fixtures import WebCase, build, csrf_of, login


@pytest.fixture(scope="module")
def wc(tmp_path_factory: pytest.TempPathFactory) -> WebCase:
    return build(tmp_path_factory.mktemp("qc"), people=240)


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (8, 10, 0.4902, 0.9433),  # textbook values
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (95, 100, 0.8882, 0.9785),
    ],
)
def test_wilson_interval(k: int, n: int, low: float, high: float) -> None:
    est, lo, hi = qc.wilson(k, n)
    assert est == pytest.approx(k / n)
    assert lo == pytest.approx(low, abs=1e-3) and hi == pytest.approx(high, abs=1e-3)


def test_wilson_no_data() -> None:
    assert qc.wilson(0, 0) == (0.0, 0.0, 1.0)


def test_allocation_is_proportional_with_one_per_stratum() -> None:
    alloc = qc.allocate({"a": 900, "b": 90, "c": 10}, 100)
    assert alloc == {"a": 90, "b": 9, "c": 1}
    small = qc.allocate({"a": 50, "b": 30, "c": 10, "d": 5}, 2)
    assert sum(small.values()) == 2 and set(small) <= {"a", "b", "c", "d"}
    assert qc.allocate({"a": 3}, 10) == {"a": 3}
    assert qc.allocate({}, 10) == {}


def _client(wc: WebCase, role: str) -> TestClient:
    c = TestClient(wc.app, raise_server_exceptions=False)
    login(c, role)
    return c


def test_samples_are_seeded_and_stratified(wc: WebCase) -> None:
    with wc.app.state.web.store.open() as con:
        a = qc.draw_sample(con, "individuals", 30, 7, "t")
        b = qc.draw_sample(con, "individuals", 30, 7, "t")
        c = qc.draw_sample(con, "individuals", 30, 8, "t")
        ids = {s: [i["target_id"] for i in qc.items(con, s)] for s in (a, b, c)}
        assert ids[a] == ids[b] and ids[a] != ids[c]
        assert len(ids[a]) == 30 and len(set(ids[a])) == 30
        strata = {i["stratum"] for i in qc.items(con, a)}
        assert any("mercy-valley-health" in s for s in strata)
        assert any("lakeside-health-plan" in s for s in strata)
        d = qc.draw_sample(con, "documents", 10, 1, "t")
        assert len(qc.items(con, d)) == 10


def test_qc_flow_in_the_browser_forms(wc: WebCase) -> None:
    rv = _client(wc, "reviewer")
    token = csrf_of(rv.get("/qc").text)
    r = rv.post(
        "/qc/samples",
        data={"kind": "individuals", "size": "4", "seed": "3", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    sample_url = r.headers["location"]
    sid = sample_url.rsplit("/", 1)[1]
    html = rv.get(sample_url).text
    assert "4 of 240 individuals" in html
    # Item 1: real, one element wrong, one missed.
    page = rv.get(f"{sample_url}/1").text
    listed = re.findall(r'name="confirmed" value="([a-z_]+)"', page)
    assert listed
    r = rv.post(
        f"{sample_url}/1",
        data={
            "is_real": "yes",
            "confirmed": listed[1:],
            "missed": ["passport"],
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert r.headers["location"] == f"{sample_url}/2"
    # Item 2: not a real person. Items 3, 4: all correct.
    rv.post(f"{sample_url}/2", data={"is_real": "no", "csrf_token": token})
    for n in (3, 4):
        p = rv.get(f"{sample_url}/{n}").text
        rv.post(
            f"{sample_url}/{n}",
            data={
                "is_real": "yes",
                "confirmed": re.findall(r'name="confirmed" value="([a-z_]+)"', p),
                "csrf_token": token,
            },
        )
    with wc.app.state.web.store.open() as con:
        rows = con.execute(
            "SELECT item_no, is_real, wrong_elements, missed_elements FROM qc_items WHERE sample_id = ? ORDER BY 1",
            [sid],
        ).fetchall()
        assert rows[0][1] is True and rows[0][2] == [listed[0]] and rows[0][3] == ["passport"]
        assert rows[1][1] is False
        kinds = dict(
            con.execute(
                "SELECT kind, count(*) FROM decisions WHERE note LIKE ? GROUP BY 1", [f"qc {sid}#%"]
            ).fetchall()
        )
        assert kinds.get("reject_finding", 0) >= 2 and kinds.get("confirm") == 2
        ests = {e.name: e for e in qc.estimates(con)}
    prec = ests["People list: precision"]
    assert (prec.k, prec.n) == (3, 4)
    el = ests["Exposed elements: precision"]
    assert el.n - el.k == 1
    assert ests["Exposed elements: recall"].n - ests["Exposed elements: recall"].k == 1
    html = rv.get("/qc").text
    assert "75.0 %" in html and "Wilson" in html
    # Bad answer.
    assert (
        rv.post(f"{sample_url}/1", data={"is_real": "nah", "csrf_token": token}).status_code == 400
    )


def test_document_qc_and_content_reveal(wc: WebCase) -> None:
    rv = _client(wc, "reviewer")
    token = csrf_of(rv.get("/qc").text)
    r = rv.post(
        "/qc/samples",
        data={"kind": "documents", "size": "2", "seed": "5", "csrf_token": token},
        follow_redirects=False,
    )
    url = r.headers["location"]
    page = rv.get(f"{url}/1").text
    assert "Who is in this document?" in page
    found = re.findall(r'name="real" value="([^"]+)"', page)
    r = rv.post(f"{url}/1/text", data={"csrf_token": token}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "recorded in the audit log" in r.text
    with wc.app.state.web.store.open() as con:
        assert con.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'reveal' AND detail = 'field=document_content'"
        ).fetchone() == (1,)
    rv.post(f"{url}/1", data={"real": found[1:], "missed_people": "2", "csrf_token": token})
    with wc.app.state.web.store.open() as con:
        row = con.execute(
            "SELECT found_real, found_wrong, missed_people FROM qc_items WHERE sample_id = ? AND item_no = 1",
            [url.rsplit("/", 1)[1]],
        ).fetchone()
        assert row == (len(found) - 1, 1, 2)
        ests = {e.name: e for e in qc.estimates(con)}
    assert ests["People list: recall"].n == len(found) - 1 + 2


def test_viewer_cannot_sample_or_answer(wc: WebCase, tmp_path: Path) -> None:
    v = _client(wc, "viewer")
    token = csrf_of(v.get("/qc").text)
    assert "Draw sample" not in v.get("/qc").text
    assert (
        v.post(
            "/qc/samples", data={"kind": "individuals", "size": "3", "csrf_token": token}
        ).status_code
        == 403
    )
    with wc.app.state.web.store.open() as con:
        sid = qc.draw_sample(con, "individuals", 2, 1, "t")
    assert "cannot answer" in v.get(f"/qc/samples/{sid}/1").text
    assert (
        v.post(f"/qc/samples/{sid}/1", data={"is_real": "yes", "csrf_token": token}).status_code
        == 403
    )
    assert v.get("/qc/samples/nope").status_code == 404
