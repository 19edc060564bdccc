"""People list and search at a million individuals: the web app's hot path.

Fills a temporary case store with synthetic people (no PHI), then times each query the
people page runs, directly and through the full app (routing, template, masking), as the
median of several runs. Baseline for the ratio: OFFSET paging to the same deep page,
which keyset paging replaces. Target: every people-page request under 300 ms.

    .venv/bin/python bench/web_people.py [--people 1000000] [--runs 7]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from two_clients import case_toml  # bench/, beside this script

from breachscope.case import load_case
from breachscope.store import open_case_store
from breachscope.web import create_app
from breachscope.web.accounts import add_user
from breachscope.web.fake import fill_store
from breachscope.web.queries import PeopleFilter, people_page

CASE = case_toml("Benchmark case")
TARGET_MS = 300.0


def timed(fn: Callable[[], Any], runs: int) -> float:
    fn()  # warm
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bs-bench-"))
    (root / "case.toml").write_text(CASE, encoding="utf-8")
    case = load_case(root / "case.toml", check_evidence=False)
    con = open_case_store(case)  # encrypted, with its key, as the web app opens it
    t = time.perf_counter()
    fill_store(con, people=args.people, findings=False, obligations=False)
    add_user(con, "bench", "bench passphrase 123", "reviewer")
    n = con.execute("SELECT count(*) FROM individuals").fetchone()
    m = con.execute("SELECT count(*) FROM mentions").fetchone()
    mid = con.execute(
        "SELECT individual_id FROM individuals ORDER BY individual_id "
        f"LIMIT 1 OFFSET {args.people // 2}"
    ).fetchone()
    member = con.execute(
        "SELECT member_id FROM mentions WHERE member_id IS NOT NULL "
        f"LIMIT 1 OFFSET {args.people // 3}"
    ).fetchone()
    print(
        f"filled {n[0] if n else 0:,} individuals, {m[0] if m else 0:,} mentions "
        f"in {time.perf_counter() - t:.1f} s"
    )
    assert mid and member
    middle, member_id = str(mid[0]), str(member[0])

    direct: list[tuple[str, Callable[[], Any]]] = [
        ("first page + count", lambda: people_page(con, PeopleFilter())),
        ("deep page (keyset, middle)", lambda: people_page(con, PeopleFilter(), after=middle)),
        ("name search 'smith'", lambda: people_page(con, PeopleFilter(q="smith"))),
        ("name search 'Garcia, Mar'", lambda: people_page(con, PeopleFilter(q="Garcia, Mar"))),
        ("first last 'maria lopez'", lambda: people_page(con, PeopleFilter(q="maria lopez"))),
        ("member ID search", lambda: people_page(con, PeopleFilter(q=member_id))),
        (
            "filter state+element+client",
            lambda: people_page(
                con, PeopleFilter(state="TX", element="ssn", client="lakeside-health-plan")
            ),
        ),
        (
            "filter minors, deep page",
            lambda: people_page(con, PeopleFilter(minor="yes"), after=middle),
        ),
    ]
    baseline = timed(
        lambda: con.execute(
            "SELECT * FROM individuals ORDER BY individual_id LIMIT 50 OFFSET ?",
            [args.people // 2],
        ).fetchall(),
        args.runs,
    )
    results: list[tuple[str, float]] = []
    print(f"\nbaseline: OFFSET paging to the middle page: {baseline:.1f} ms")
    print(f"\n{'query (library)':36} {'median ms':>10} {'vs baseline':>12}")
    for name, fn in direct:
        ms = timed(fn, args.runs)
        results.append((name, ms))
        print(f"{name:36} {ms:10.1f} {ms / baseline:11.2f}x")
    con.close()

    app = create_app(case)
    client = TestClient(app)
    tok = re.search(r'name="login_token" value="([^"]+)"', client.get("/login").text)
    assert tok
    client.post(
        "/login",
        data={"username": "bench", "password": "bench passphrase 123", "login_token": tok.group(1)},
    )
    pages = [
        ("GET /people", "/people"),
        ("GET /people?after=<middle>", f"/people?after={middle}"),
        ("GET /people?q=smith", "/people?q=smith"),
        ("GET /people?q=<member id>", f"/people?q={member_id}"),
        ("GET /people?state=TX&element=ssn", "/people?state=TX&element=ssn"),
    ]
    print(f"\n{'request (full app)':36} {'median ms':>10} {'vs baseline':>12}")
    for name, url in pages:

        def get(url: str = url) -> None:
            r = client.get(url)
            assert r.status_code == 200, r.status_code

        ms = timed(get, args.runs)
        results.append((name, ms))
        print(f"{name:36} {ms:10.1f} {ms / baseline:11.2f}x")
    app.state.web.store.close()
    shutil.rmtree(root, ignore_errors=True)
    worst = max(ms for _, ms in results)
    print(
        f"\nslowest: {worst:.1f} ms (target < {TARGET_MS:.0f} ms): "
        f"{'OK' if worst < TARGET_MS else 'OVER TARGET'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
