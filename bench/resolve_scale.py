"""Resolve at scale: wall time, CPU time, peak memory and pair counts at three sizes.

Mentions are synthesised straight into a case store (no evidence files): a population
with census-weighted names (the ``names`` package's tables, so common surnames are
common), households that share a surname and an address, a few twins, people who moved,
and several mentions each carrying nicknames, typos, initials, swapped day/month,
partial SSNs and missing fields. Each size runs ``run_resolve`` in a fresh process so
that the peak RSS is the stage's own. Baseline for the ratios: the smallest size
(time per mention should stay flat if growth is near-linear). Quality against the
synthetic truth is printed too, so a speed-up that costs accuracy shows.

Target (issue 5): 1 M mentions in under 5 minutes and under 4 GiB on a 2-core machine.

    .venv/bin/python bench/resolve_scale.py [--sizes 100000,300000,1000000] [--seed 5]
    .venv/bin/python bench/resolve_scale.py --profile 300000   # cProfile of one size
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa

TARGET_SECONDS = 300.0
TARGET_GIB = 4.0
MENTIONS_PER_PERSON = 3.0

_COLUMNS = (
    "mention_id", "doc_id", "file_id", "path", "locator", "row_no", "client_ids",
    "first_name", "middle_name", "last_name", "suffix", "dob", "ssn", "ssn_last4",
    "street", "city", "state", "zip", "phone", "email", "member_id", "mrn", "gender",
    "elements", "n_findings",
)  # fmt: skip
_STREETS = (
    "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park",
    "Sunset", "Lincoln", "Jackson", "Church", "River", "Highland", "Mill", "Forest", "Spring",
    "Ridge", "Meadow", "Willow", "Walnut", "Chestnut", "Franklin", "Adams", "Madison",
    "Jefferson", "Center", "Union", "Broad", "Cherry", "Dogwood", "Valley", "Prospect",
    "Liberty", "Grove", "Orchard", "Bridge", "School",
)  # fmt: skip
_KINDS = ("St", "Street", "Ave", "Avenue", "Rd", "Road", "Dr", "Ln", "Ct", "Blvd")
_CLIENTS = ("mercy-valley-health", "lakeside-health-plan", "north-clinic", "east-labs")


# --------------------------------------------------------------------------- population


@lru_cache(maxsize=1)
def _name_tables() -> tuple[list[str], list[float], list[str], list[float], list[str], list[float]]:
    """(male, cum. weights, female, cum. weights, surname, cum. weights) from ``names``."""
    import names

    base = Path(names.__file__).parent

    def load(fname: str) -> tuple[list[str], list[float]]:
        out, cum = [], []
        for line in (base / fname).read_text().splitlines():
            parts = line.split()
            if len(parts) >= 3:
                out.append(parts[0].title())
                cum.append(float(parts[2]))
        return out, cum

    return (*load("dist.male.first"), *load("dist.female.first"), *load("dist.all.last"))


def _pick(rng: random.Random, values: list[str], cum: list[float]) -> str:
    return values[min(bisect.bisect_left(cum, rng.random() * cum[-1]), len(values) - 1)]


@lru_cache(maxsize=20_000)
def _nicknames(first: str) -> tuple[str, ...]:

    return tuple(n.title() for n in _nick().nicknames_of(first.lower()))


@lru_cache(maxsize=1)
def _nick() -> Any:
    from nicknames import NickNamer

    return NickNamer()


@dataclass
class _Person:
    pid: int
    first: str
    middle: str
    last: str
    suffix: str
    gender: str
    dob: dt.date
    ssn: str
    addresses: list[tuple[str, str, str, str]]
    phone: str
    email: str
    member_id: str
    mrn: str
    client: str


def _address(rng: random.Random) -> tuple[str, str, str, str]:
    street = f"{rng.randint(1, 9999)} {rng.choice(_STREETS)} {rng.choice(_KINDS)}"
    if rng.random() < 0.15:
        street += f" Apt {rng.randint(1, 40)}"
    zip_ = f"{rng.randint(1001, 99950):05d}"
    return street, f"City{zip_[:3]}", rng.choice(("IL", "CA", "TX", "NY", "FL", "OH")), zip_


def _ssn(rng: random.Random) -> str:
    return f"{rng.randint(1, 665):03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"


def population(n: int, rng: random.Random) -> list[_Person]:
    male, mcum, female, fcum, last, lcum = _name_tables()
    people: list[_Person] = []
    while len(people) < n:
        size = rng.choices((1, 2, 3, 4), weights=(55, 25, 12, 8))[0]
        surname = _pick(rng, last, lcum)
        home = _address(rng)
        base_dob = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 70))
        twins = size >= 2 and rng.random() < 0.05
        for k in range(size):
            g = rng.choice("MF")
            first = _pick(rng, male, mcum) if g == "M" else _pick(rng, female, fcum)
            if k == 0 or not twins:
                dob = (
                    base_dob if k == 0 else base_dob + dt.timedelta(days=rng.randint(-3000, 12000))
                )
            if dob > dt.date(2024, 12, 31):
                dob = dt.date(2024, 12, 31) - dt.timedelta(days=rng.randint(0, 3000))
            addresses = [home]
            if rng.random() < 0.2:
                addresses.append(_address(rng))  # moved
            pid = len(people)
            people.append(
                _Person(
                    pid=pid,
                    first=first,
                    middle=_pick(rng, male, mcum)[:1] if rng.random() < 0.3 else "",
                    last=surname,
                    suffix="Jr" if k == 1 and size > 1 and rng.random() < 0.03 else "",
                    gender=g,
                    dob=dob,
                    ssn=_ssn(rng) if rng.random() < 0.85 else "",
                    addresses=addresses,
                    phone=f"{rng.randint(201, 989)}{rng.randint(2000000, 9999999)}"
                    if rng.random() < 0.7
                    else "",
                    email=f"{first.lower()}.{surname.lower()}{rng.randint(1, 999)}@example.com"
                    if rng.random() < 0.35
                    else "",
                    member_id=f"M{rng.randint(10**8, 10**9 - 1)}" if rng.random() < 0.5 else "",
                    mrn=f"{rng.randint(10**6, 10**7 - 1)}" if rng.random() < 0.5 else "",
                    client=rng.choice(_CLIENTS),
                )
            )
            if len(people) == n:
                break
    return people


def _typo(rng: random.Random, s: str) -> str:
    if len(s) < 3:
        return s
    i = rng.randrange(1, len(s) - 1)
    op = rng.random()
    if op < 0.4:
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    if op < 0.7:
        return s[:i] + rng.choice("aeioulnrst") + s[i + 1 :]
    return s[:i] + s[i + 1 :]


def _mention(rng: random.Random, p: _Person) -> dict[str, Any]:
    def maybe(v: str, keep: float) -> str | None:
        return v if v and rng.random() < keep else None

    first = p.first
    r = rng.random()
    if r < 0.08 and _nicknames(first):
        first = rng.choice(_nicknames(first))
    elif r < 0.11:
        first = _typo(rng, first)
    elif r < 0.13:
        first = first[0]
    last = _typo(rng, p.last) if rng.random() < 0.03 else p.last
    if rng.random() < 0.05:
        first, last = first.upper(), last.upper()
    dob: dt.date | None = p.dob
    r = rng.random()
    if r < 0.15:
        dob = None
    elif r < 0.17 and p.dob.day <= 12:
        dob = dt.date(p.dob.year, p.dob.day, p.dob.month)
    elif r < 0.19:
        try:
            dob = p.dob.replace(day=max(1, (p.dob.day % 28) + 1))
        except ValueError:
            dob = p.dob
    ssn = last4 = None
    if p.ssn and rng.random() < 0.5:
        if rng.random() < 0.25:
            last4 = p.ssn[-4:]
        else:
            ssn = f"{p.ssn[:3]}-{p.ssn[3:5]}-{p.ssn[5:]}" if rng.random() < 0.5 else p.ssn
    street = city = state = zip_ = None
    if rng.random() < 0.7:
        street, city, state, zip_ = rng.choice(p.addresses)
        if rng.random() < 0.05:
            street = _typo(rng, street)
    return {
        "first_name": first if rng.random() > 0.02 else None,
        "middle_name": p.middle or None,
        "last_name": last if rng.random() > 0.01 else None,
        "suffix": p.suffix or None,
        "dob": dob,
        "ssn": ssn,
        "ssn_last4": last4,
        "street": street,
        "city": city,
        "state": state,
        "zip": zip_,
        "phone": maybe(p.phone, 0.5),
        "email": maybe(p.email, 0.5),
        "member_id": maybe(p.member_id, 0.6),
        "mrn": maybe(p.mrn, 0.6),
        "gender": p.gender if rng.random() < 0.6 else None,
        "client_ids": [p.client],
    }


def synth_mentions(n_mentions: int, seed: int) -> tuple[pa.Table, list[int]]:
    """``n_mentions`` mentions (and each one's true person), shuffled."""
    rng = random.Random(seed)
    people = population(max(1, round(n_mentions / MENTIONS_PER_PERSON)), rng)
    rows: list[tuple[int, dict[str, Any]]] = []
    while len(rows) < n_mentions:
        for p in people:
            k = min(1 + int(rng.expovariate(1 / (MENTIONS_PER_PERSON - 1))), 12)
            for _ in range(k):
                rows.append((p.pid, _mention(rng, p)))
            if len(rows) >= n_mentions:
                break
    rng.shuffle(rows)
    cols: dict[str, list[Any]] = defaultdict(list)
    truth = []
    for i, (pid, m) in enumerate(rows):
        truth.append(pid)
        doc = i // 50
        m.update(
            mention_id=f"{i:09d}", doc_id=f"d{doc}:0", file_id=f"d{doc}",
            path=f"{m['client_ids'][0]}/export_{doc}.csv", locator="sheet export",
            row_no=i % 50 + 2, elements=["name"], n_findings=1,
        )  # fmt: skip
        for c in _COLUMNS:
            cols[c].append(m[c])
    types = {
        "row_no": pa.int32(),
        "dob": pa.date32(),
        "client_ids": pa.list_(pa.string()),
        "elements": pa.list_(pa.string()),
        "n_findings": pa.int32(),
    }
    return pa.table({c: pa.array(cols[c], type=types.get(c, pa.string())) for c in _COLUMNS}), truth


# --------------------------------------------------------------------------- one size


def _case(root: Path) -> Any:
    from breachscope.case import Case, Client, Incident, ReportingEntity, Settings

    return Case(
        path=root / "case.toml",
        evidence=root / "evidence",
        incident=Incident("Scale bench", dt.date(2025, 2, 6), None, None),
        reporting_entity=ReportingEntity("Bench", "business_associate"),
        clients=tuple(Client(c, c, "provider", True, (f"{c}/**",)) for c in _CLIENTS),
        settings=Settings(encrypt=False),
    )


def build(store: Path, n: int, seed: int) -> dict[str, Any]:
    """Child step 1: synthesise ``n`` mentions into a new store (truth in _bench_truth)."""
    from breachscope.store import connect

    t0 = time.perf_counter()
    table, truth = synth_mentions(n, seed)
    con = connect(store)
    try:
        con.register("_m", table)
        con.execute(f"INSERT INTO mentions ({', '.join(_COLUMNS)}) SELECT * FROM _m")
        con.unregister("_m")
        con.register("_t", pa.table({"mention_id": table.column("mention_id"), "person": truth}))
        con.execute("CREATE TABLE _bench_truth AS SELECT * FROM _t")
    finally:
        con.close()
    return {"build_seconds": time.perf_counter() - t0, "people": len(set(truth))}


def resolve(store: Path, count_pairs: bool) -> dict[str, Any]:
    """Child step 2: run_resolve on the store; time, CPU, peak RSS, pairs, quality."""
    from breachscope.resolve import run_resolve
    from breachscope.store import connect

    con = connect(store)
    try:
        case = _case(store.parent)
        r0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.perf_counter()
        counts = run_resolve(case, con)
        wall = time.perf_counter() - t0
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        out: dict[str, Any] = {
            **counts,
            "wall_seconds": wall,
            "cpu_seconds": (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime),
            "peak_rss_gib": r1.ru_maxrss / 2**20,  # Linux: KiB
        }
        rows = con.execute(
            "SELECT im.individual_id, t.person FROM individual_mentions im "
            "JOIN _bench_truth t USING (mention_id)"
        ).fetchall()
        out.update(_quality(rows))
        if count_pairs:
            out["blocked_pairs"] = _blocked_pairs(con)
    finally:
        con.close()
    return out


def _quality(rows: list[tuple[str, int]]) -> dict[str, float]:
    from collections import Counter

    cell = Counter(rows)
    pred = Counter(i for i, _ in rows)
    true = Counter(p for _, p in rows)

    def pairs(c: Counter[Any]) -> int:
        return sum(v * (v - 1) // 2 for v in c.values())

    tp, pp, tt = pairs(cell), pairs(pred), pairs(true)
    prec, rec = (tp / pp if pp else 1.0), (tp / tt if tt else 1.0)
    return {
        "pair_precision": prec,
        "pair_recall": rec,
        "pair_f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
        "true_people": len(true),
    }


def _blocked_pairs(con: Any) -> int:
    """Comparisons the model's blocking rules generate over the distinct identities
    (exact count), rebuilt the way the stage builds them."""
    import duckdb
    from splink import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    from breachscope.resolve.model import blocking_rules
    from breachscope.resolve.normalize import person_from_mention
    from breachscope.resolve.stage import _identities_table
    from breachscope.store import fetch_dicts

    people = [person_from_mention(m) for m in fetch_dicts(con, "SELECT * FROM mentions")]
    seen: dict[Any, int] = {}
    records = []
    for p in people:
        key = p.identity_key()
        if key is None or key not in seen:
            if key is not None:
                seen[key] = len(records)
            records.append(p)
    mem = duckdb.connect()
    try:
        api = DuckDBAPI(connection=mem)
        res = count_comparisons_from_blocking_rules(
            api.register(_identities_table(records)),
            blocking_rules=blocking_rules(),
            link_type="dedupe_only",
            record_sample_proportion=1.0,
        )
        return int(res[-1]["cumulative_comparison_count"])
    finally:
        mem.close()


def _child(args: argparse.Namespace) -> int:
    store = Path(args.store)
    if args.step == "build":
        out = build(store, args.n, args.seed)
    else:
        import logging

        logging.getLogger("splink").setLevel(logging.ERROR)
        if args.profile_out:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.enable()
            out = resolve(store, count_pairs=False)
            prof.disable()
            prof.dump_stats(args.profile_out)
            stats = pstats.Stats(prof, stream=sys.stderr)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(30)
        else:
            out = resolve(store, count_pairs=not args.no_pair_count)
    print("RESULT " + json.dumps(out))
    return 0


# --------------------------------------------------------------------------- driver


def _run(argv: list[str], timeout: float | None) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    if "--profile-out" in argv:
        sys.stdout.write(proc.stderr)
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
    result: dict[str, Any] = json.loads(line[7:])
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,300000,1000000")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=3600.0, help="per size, seconds")
    ap.add_argument("--no-pair-count", action="store_true", help="skip the blocked-pair count")
    ap.add_argument("--profile", type=int, metavar="N", help="profile one size with cProfile")
    ap.add_argument("--keep", metavar="DIR", help="build stores here and keep them")
    # internal: one step in a child process
    ap.add_argument("--step", choices=("build", "resolve"), help=argparse.SUPPRESS)
    ap.add_argument("--store", help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--profile-out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.step:
        return _child(args)

    sizes = [args.profile] if args.profile else [int(s) for s in args.sizes.split(",")]
    print(f"resolve scale bench, {dt.date.today()}, {os.cpu_count()} CPUs, "
          f"Python {sys.version.split()[0]}, seed {args.seed}", flush=True)  # fmt: skip
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        base = Path(args.keep or tmp)
        for n in sizes:
            store = base / f"scale_{n}" / "case.duckdb"
            store.parent.mkdir(parents=True, exist_ok=True)
            if not store.exists():
                b = _run(["--step", "build", "--store", str(store), "--n", str(n),
                          "--seed", str(args.seed)], args.timeout)  # fmt: skip
            else:
                b = {"build_seconds": 0.0, "people": 0}
            rest = ["--no-pair-count"] if args.no_pair_count else []
            if args.profile:
                prof = str(base / f"resolve_{n}.prof")
                rest = ["--profile-out", prof]
            try:
                r = _run(["--step", "resolve", "--store", str(store), *rest], args.timeout)
            except subprocess.TimeoutExpired:
                print(f"{n:>9}: timed out after {args.timeout:.0f} s", flush=True)
                continue
            r.update(n=n, **b)
            results.append(r)
            print(_row(r, results[0]), flush=True)
    print(_table(results))
    return 0


def _row(r: dict[str, Any], base: dict[str, Any]) -> str:
    return (
        f"{r['n']:>9} mentions: {r['wall_seconds']:.1f} s wall, {r['cpu_seconds']:.1f} s CPU, "
        f"{r['peak_rss_gib']:.2f} GiB peak, {r.get('blocked_pairs', '-')} blocked pairs, "
        f"{r['candidate_pairs']} pairs ≥ 0.5, F1 {r['pair_f1']:.4f}"
    )


def _table(results: list[dict[str, Any]]) -> str:
    if not results:
        return "no results"
    b = results[0]
    head = (f"{'mentions':>9} {'identities':>10} {'wall s':>8} {'CPU s':>8} {'peak GiB':>8} "
            f"{'blocked':>11} {'p≥0.5':>9} {'µs/mention':>10} {'vs first':>8} "
            f"{'pair P':>7} {'pair R':>7} {'F1':>7}")  # fmt: skip
    lines = [head]
    for r in results:
        per = r["wall_seconds"] / r["n"] * 1e6
        ratio = per / (b["wall_seconds"] / b["n"] * 1e6)
        lines.append(
            f"{r['n']:>9} {r['identities']:>10} {r['wall_seconds']:>8.1f} {r['cpu_seconds']:>8.1f} "
            f"{r['peak_rss_gib']:>8.2f} {r.get('blocked_pairs', '-'):>11} {r['candidate_pairs']:>9} "
            f"{per:>10.0f} {ratio:>8.2f} {r['pair_precision']:>7.4f} {r['pair_recall']:>7.4f} "
            f"{r['pair_f1']:>7.4f}"
        )
    if len(results) >= 2:
        x = [math.log(r["n"]) for r in results]
        for key, label in (("wall_seconds", "time"), ("blocked_pairs", "blocked pairs"),
                           ("peak_rss_gib", "peak RSS")):  # fmt: skip
            if all(isinstance(r.get(key), (int, float)) and r[key] > 0 for r in results):
                y = [math.log(r[key]) for r in results]
                lines.append(f"growth exponent of {label}: {_slope(x, y):.2f} (1.00 = linear)")
        last = results[-1]
        if last["n"] >= 1_000_000:
            ok = last["wall_seconds"] < TARGET_SECONDS and last["peak_rss_gib"] < TARGET_GIB
            lines.append(f"target 1 M < {TARGET_SECONDS:.0f} s and < {TARGET_GIB:.0f} GiB: "
                         f"{'met' if ok else 'NOT met'}")  # fmt: skip
    return "\n".join(lines)


def _slope(x: list[float], y: list[float]) -> float:
    mx, my = sum(x) / len(x), sum(y) / len(y)
    return sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True)) / sum(
        (a - mx) ** 2 for a in x
    )


if __name__ == "__main__":
    sys.exit(main())
