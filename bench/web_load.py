"""The review web app under load: N concurrent reviewers against a real `breachscope serve`.

Makes an encrypted case store with synthetic people (no PHI; ``breachscope.web.fake``),
adds reviewer accounts, starts ``breachscope serve`` on loopback as its own process, and
drives it with locust (headless): every simulated user logs in once (argon2id, CSRF-checked
form), then browses as a reviewer would: dashboard, people list and its pages, name and
identifier searches, person pages, an audited reveal, files, review queue, obligations, QC,
deliverables. Prints requests, failures and latency percentiles per request kind and in
total; ``--json`` writes them for tests.

    .venv/bin/python bench/web_load.py [--people 20000] [--users 50] [--seconds 180]

This file is also the locustfile (locust imports it and finds ``Reviewer``); the app and
store code is only imported by ``main``. Locust is a dev dependency.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from two_clients import case_toml  # bench/, beside this script

PASSWORD = "load test passphrase 123"
ACCOUNTS = 10  # default: simulated users share these accounts (a login per user, argon2 each)
IDS_ENV = "BREACHSCOPE_LOAD_IDS"

CASE = case_toml("Load test case")

# --------------------------------------------------------------------------- locustfile

try:
    from locust import HttpUser, between, task
except ImportError:  # main() still runs (and says locust is missing)
    HttpUser = object  # type: ignore[assignment,misc]

    def task(weight: int = 1) -> Any:  # type: ignore[no-redef]
        return lambda f: f

    def between(a: float, b: float) -> Any:  # type: ignore[no-redef]
        return None


def _ids() -> dict[str, Any]:
    path = os.environ.get(IDS_ENV)
    if not path:
        return {"individuals": [], "members": [], "accounts": ACCOUNTS}
    data: dict[str, Any] = json.loads(Path(path).read_text())
    return data


class Reviewer(HttpUser):  # type: ignore[misc,valid-type]
    """A reviewer clicking through the app: think time 0.5-2 s between requests."""

    wait_time = between(0.5, 2.0)
    ids = _ids()

    def on_start(self) -> None:
        self.user_no = random.randrange(int(self.ids.get("accounts", ACCOUNTS)))
        r = self.client.get("/login", name="GET /login")
        m = re.search(r'name="login_token" value="([^"]+)"', r.text)
        token = m.group(1) if m else ""
        with self.client.post(
            "/login",
            data={
                "username": f"reviewer{self.user_no}",
                "password": PASSWORD,
                "login_token": token,
                "next": "/",
            },
            name="POST /login",
            allow_redirects=False,
            catch_response=True,
        ) as resp:
            if resp.status_code != 303:
                resp.failure(f"login answered {resp.status_code}")
        page = self.client.get("/", name="GET /")
        m = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
        self.csrf = m.group(1) if m else ""

    def _person(self) -> str:
        ids = self.ids["individuals"]
        return random.choice(ids) if ids else "none"

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/", name="GET /")

    @task(6)
    def people(self) -> None:
        self.client.get("/people", name="GET /people")

    @task(3)
    def people_next_page(self) -> None:
        self.client.get(f"/people?after={self._person()}", name="GET /people?after=")

    @task(5)
    def search_name(self) -> None:
        q = random.choice(["smith", "garcia", "Garcia, Mar", "maria lopez", "john", "nguyen"])
        self.client.get("/people", params={"q": q}, name="GET /people?q=<name>")

    @task(2)
    def search_member(self) -> None:
        members = self.ids["members"]
        q = random.choice(members) if members else "XZB1"
        self.client.get("/people", params={"q": q}, name="GET /people?q=<member id>")

    @task(2)
    def filtered(self) -> None:
        self.client.get(
            "/people",
            params={"state": random.choice(["TX", "CA", "WA", "NY"]), "element": "ssn"},
            name="GET /people?state&element",
        )

    @task(6)
    def person(self) -> None:
        self.client.get(f"/people/{self._person()}", name="GET /people/{id}")

    @task(1)
    def reveal(self) -> None:
        self.client.post(
            f"/people/{self._person()}/reveal",
            data={"field": "dob", "csrf_token": self.csrf},
            headers={"X-CSRF-Token": self.csrf},
            name="POST /people/{id}/reveal",
        )

    @task(2)
    def files(self) -> None:
        self.client.get("/files?status=exceptions", name="GET /files")

    @task(2)
    def review(self) -> None:
        self.client.get("/review", name="GET /review")

    @task(1)
    def obligations(self) -> None:
        self.client.get("/obligations", name="GET /obligations")

    @task(1)
    def qc(self) -> None:
        self.client.get("/qc", name="GET /qc")

    @task(1)
    def deliverables(self) -> None:
        self.client.get("/deliverables", name="GET /deliverables")


# --------------------------------------------------------------------------- driver


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_port(port: int, proc: subprocess.Popen[bytes], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start listening")


def make_case(root: Path, people: int, accounts: int = ACCOUNTS) -> dict[str, Any]:
    """An encrypted store with ``people`` individuals and reviewer accounts; returns ids."""
    from breachscope.case import load_case
    from breachscope.store import open_case_store
    from breachscope.web.accounts import add_user
    from breachscope.web.fake import fill_store, write_deliverables

    (root / "case.toml").write_text(CASE, encoding="utf-8")
    case = load_case(root / "case.toml", check_evidence=False)
    con = open_case_store(case)
    try:
        fill_store(con, people=people)
        for i in range(accounts):
            add_user(con, f"reviewer{i}", PASSWORD, "reviewer")
        ids = [
            str(r[0])
            for r in con.execute(
                "SELECT individual_id FROM individuals USING SAMPLE 500 ROWS"
            ).fetchall()
        ]
        members = [
            str(r[0])
            for r in con.execute(
                "SELECT member_id FROM mentions WHERE member_id IS NOT NULL LIMIT 50"
            ).fetchall()
        ]
        write_deliverables(case.out_dir, ids[:20])
    finally:
        con.close()
    return {"individuals": ids, "members": members, "accounts": accounts}


def read_stats(prefix: Path) -> list[dict[str, Any]]:
    rows = []
    with open(f"{prefix}_stats.csv", newline="") as fh:
        for r in csv.DictReader(fh):

            def f(col: str, r: dict[str, str] = r) -> float:
                v = r.get(col) or "0"
                return float(v) if v not in ("N/A", "") else 0.0

            rows.append(
                {
                    "name": r["Name"],
                    "requests": int(f("Request Count")),
                    "failures": int(f("Failure Count")),
                    "rps": round(f("Requests/s"), 1),
                    "p50": f("50%"),
                    "p95": f("95%"),
                    "p99": f("99%"),
                    "max": round(f("Max Response Time")),
                }
            )
    return rows


def read_failures(prefix: Path) -> list[dict[str, str]]:
    p = Path(f"{prefix}_failures.csv")
    if not p.exists():
        return []
    with p.open(newline="") as fh:
        return list(csv.DictReader(fh))


def run(
    people: int,
    users: int,
    seconds: int,
    spawn_rate: float,
    accounts: int = ACCOUNTS,
    stop_timeout: int = 10,
) -> dict[str, Any]:
    """Make the case, start the server, run locust; returns the figures."""
    locust = shutil.which("locust") or str(Path(sys.executable).with_name("locust"))
    if not Path(locust).exists():
        raise SystemExit("locust is not installed: uv sync (it is a dev dependency)")
    root = Path(tempfile.mkdtemp(prefix="bs-load-"))
    env = {
        **os.environ,
        "BREACHSCOPE_KEY": os.environ.get("BREACHSCOPE_KEY") or os.urandom(24).hex(),
    }
    os.environ["BREACHSCOPE_KEY"] = env["BREACHSCOPE_KEY"]
    server: subprocess.Popen[bytes] | None = None
    try:
        t0 = time.perf_counter()
        ids = make_case(root, people, accounts)
        made = time.perf_counter() - t0
        (root / "ids.json").write_text(json.dumps(ids))
        port = _free_port()
        bs = str(Path(sys.executable).with_name("breachscope"))
        server = subprocess.Popen(
            [bs, "serve", str(root), "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        t_start = time.perf_counter()
        _wait_port(port, server)
        started = time.perf_counter() - t_start
        prefix = root / "locust"
        cmd = [
            locust, "-f", __file__, "--headless", "--only-summary",
            "-u", str(users), "-r", str(spawn_rate), "-t", f"{seconds}s",
            "--host", f"http://127.0.0.1:{port}", "--csv", str(prefix),
            "--loglevel", "ERROR", "--stop-timeout", str(stop_timeout), "--exit-code-on-error", "0",
        ]  # fmt: skip
        t1 = time.perf_counter()
        done = subprocess.run(
            cmd,
            env={**env, IDS_ENV: str(root / "ids.json")},
            capture_output=True,
            text=True,
            timeout=seconds + 180,
            check=False,
        )
        ran = time.perf_counter() - t1
        if done.returncode != 0:
            raise RuntimeError(f"locust failed ({done.returncode}): {done.stderr[-2000:]}")
        stats = read_stats(prefix)
        failures = read_failures(prefix)
        server_alive = server.poll() is None
    finally:
        if server is not None:
            server.terminate()  # requests still queued for a login would hold it up: 5 s
            try:
                server.wait(timeout=5)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(root, ignore_errors=True)
    total = next((s for s in stats if s["name"] == "Aggregated"), None)
    return {
        "people": people,
        "users": users,
        "seconds": seconds,
        "setup_seconds": round(made, 1),
        "server_start_seconds": round(started, 1),
        "run_seconds": round(ran, 1),
        "server_alive": server_alive,
        "stats": stats,
        "total": total,
        "failures": failures,
    }


def print_table(res: dict[str, Any]) -> None:
    print(
        f"{res['users']} users, {res['seconds']} s, {res['people']:,} people "
        f"(store made in {res['setup_seconds']} s); server alive after: {res['server_alive']}"
    )
    head = f"{'request':32} {'requests':>9} {'fail':>5} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>6}"
    print(head)
    print("-" * len(head))
    for s in res["stats"]:
        print(
            f"{s['name'][:32]:32} {s['requests']:9,} {s['failures']:5} {s['rps']:6.1f} "
            f"{s['p50']:6.0f} {s['p95']:6.0f} {s['p99']:6.0f} {s['max']:6}"
        )
    print("(latencies in ms)")
    for f in res["failures"][:10]:
        print(
            f"failure: {f.get('Method')} {f.get('Name')}: {f.get('Error')} x{f.get('Occurrences')}"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=180)
    ap.add_argument("--spawn-rate", type=float, default=10.0)
    ap.add_argument("--accounts", type=int, default=ACCOUNTS, help="reviewer accounts shared")
    ap.add_argument(
        "--stop-timeout", type=int, default=10, help="seconds to let running requests end"
    )
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    res = run(
        args.people, args.users, args.seconds, args.spawn_rate, args.accounts, args.stop_timeout
    )
    print_table(res)
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    total = res["total"] or {}
    return 0 if res["server_alive"] and total.get("failures", 1) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
