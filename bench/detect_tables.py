"""Table detection throughput: MB per CPU-second, against a plain pyarrow read of the same CSV.

Generates one claims/roster CSV (synthetic; census-weighted names, valid SSNs and NPIs,
real ICD-10-CM codes, unique member IDs, a sparse ``Date of Death`` filled only deep in
the file), then, in one process:

- **plain read**: ``pyarrow.csv.read_csv`` of the bytes (CPU time);
- **table detection**: what the detect stage does with a big table ingest stored
  (``runner._big_table`` and the ``chunk`` tasks of ``runner._work``): plan the table
  from its first ``SAMPLE + 12`` rows as Python ``(row_no, cells)`` lists (the stage
  fetches that sample with ``fetchall``), then read every chunk of ``ROW_CHUNK`` rows as
  the Arrow record batch DuckDB returns (``row_no``, ``cells``), and build the Arrow
  findings table that goes to the store;
- **stage tasks**: the same, through ``runner._work`` itself, which also keys each
  finding (``finding_id``) and keeps one finding per id, as the store takes them;
- **Python rows**: table detection with each chunk as Python lists, as the stage passed
  them before (kept for comparison).

It prints MB per CPU-second for each and the ratio to the plain read. Values are mostly
distinct (one row per claim line, a person on a few lines), so a per-value memo does not
flatter the figure. The per-category counts come from an untimed pass.

    .venv/bin/python bench/detect_tables.py [--rows 300000] [--repeat 3] [--profile] [--no-python-rows]
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import io
import pstats
import random
import sys
import time
from collections import Counter

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from breachscope.detect.columns import SAMPLE, plan_table
from breachscope.detect.findings import to_arrow
from breachscope.detect.runner import ROW_CHUNK, _work
from breachscope.detect.table import read_columns
from breachscope.synth import clinical, pools

TODAY = dt.date(2025, 3, 1)
HEADER = [
    "Claim Number", "Line", "MEMBER_NBR", "Pt Last", "Pt First", "MI", "DOB (mm/dd/yyyy)",
    "Sex", "Soc Sec #", "Address 1", "City", "ST", "Zip Code", "Home Phone", "E-mail",
    "Payer", "Dx1", "Service Date", "Rendering NPI", "Amount Billed", "Date of Death",
]  # fmt: skip
DEATH_FROM = 5000  # Date of Death is blank on every row above this one


def _ssn(rng: random.Random) -> str:
    while True:
        a, g, s = rng.randint(1, 899), rng.randint(1, 99), rng.randint(1, 9999)
        if a != 666:
            return f"{a:03d}-{g:02d}-{s:04d}"


def _npi(rng: random.Random) -> str:
    first9 = f"1{rng.randint(0, 10**8 - 1):08d}"
    return first9 + str(clinical.npi_check_digit(first9))


def make_rows(n: int, seed: int = 7, death_from: int = DEATH_FROM) -> list[list[str]]:
    """``n`` claim lines for about ``n / 3`` people."""
    rng = random.Random(seed)
    npis = [_npi(rng) for _ in range(400)]
    payers = [p.plan for p in clinical.EXTERNAL_PAYERS] + ["Medicare Part B", "State Medicaid"]
    codes = [c.icd10 for c in clinical.CONDITIONS]
    rows: list[list[str]] = []
    claim = 10_000_000
    while len(rows) < n:
        sex = rng.choice("MF")
        first = pools.first_names(sex).draw(rng)
        last = pools.last_names().draw(rng)
        dob = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randint(0, 33_000))
        street = (
            f"{rng.randint(1, 9999)} {rng.choice(pools.STREET_NAMES)} "
            f"{rng.choice(pools.STREET_SUFFIXES)[0]}"
        )
        person = [
            f"M{rng.randint(10**8, 10**9 - 1)}",
            last,
            first,
            rng.choice("ABCDEFGHJKLMNPRSTW") if rng.random() < 0.6 else "",
            dob.strftime("%m/%d/%Y"),
            sex,
            _ssn(rng) if rng.random() < 0.7 else "",
            street,
            rng.choice(["Columbus", "Dayton", "Springfield", "Akron", "Toledo", "Lima"]),
            rng.choice(pools.STATES),
            f"{rng.randint(501, 99950):05d}",
            f"({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}",
            f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}@example.com"
            if rng.random() < 0.5
            else "",
            rng.choice(payers),
        ]
        dead = len(rows) > death_from and rng.random() < 0.01
        dod = (TODAY - dt.timedelta(days=rng.randint(1, 900))).strftime("%m/%d/%Y") if dead else ""
        claim += 1
        for line in range(1, rng.randint(1, 5) + 1):
            svc = TODAY - dt.timedelta(days=rng.randint(1, 700))
            rows.append(
                [
                    str(claim),
                    str(line),
                    *person,
                    rng.choice(codes),
                    svc.strftime("%m/%d/%Y"),
                    rng.choice(npis),
                    f"{rng.randint(20, 4000)}.{rng.randint(0, 99):02d}",
                    dod,
                ]
            )
    return rows[:n]


def csv_bytes(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(rows)
    return buf.getvalue().encode()


Rows = list[tuple[int, list[str | None]]]


def detect(
    rows: Rows, batches: list[pa.RecordBatch] | None = None, cats: Counter[str] | None = None
) -> tuple[int, float]:
    """Plan and read one table as the detect stage does; (findings, plan CPU-s). The plan
    sees the first rows as Python lists; the chunks are ``batches`` (Arrow, as the stage
    reads them), else Python lists of ``ROW_CHUNK`` rows. ``cats`` counts categories."""
    t0 = time.process_time()
    plan = plan_table(HEADER, rows[: SAMPLE + 12], TODAY)
    plan_s = time.process_time() - t0
    n = 0
    chunks = batches or [rows[k : k + ROW_CHUNK] for k in range(0, len(rows), ROW_CHUNK)]
    for chunk in chunks:
        table = to_arrow(read_columns(plan, chunk, TODAY, "doc", "file"))
        n += table.num_rows
        if cats is not None:
            for vc in pc.value_counts(table.column("category")).to_pylist():
                cats[vc["values"]] += vc["counts"]
    return n, plan_s


def stage_tasks(rows: Rows, batches: list[pa.RecordBatch]) -> int:
    """The stage's own path: the plan as ``_big_table`` makes it, each chunk through
    ``runner._work`` (read, Arrow findings, finding ids, one finding per id)."""
    plan = plan_table(HEADER, rows[: SAMPLE + 12], TODAY)
    n = 0
    for batch in batches:
        keyed, failed = _work(("chunk", "doc", "file", plan, batch, TODAY))
        if failed:
            raise RuntimeError("a chunk task failed")
        n += keyed.num_rows
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=300_000)
    ap.add_argument("--repeat", type=int, default=3, help="timed passes (best is reported)")
    ap.add_argument("--profile", action="store_true", help="cProfile one detection pass")
    ap.add_argument("--no-python-rows", action="store_true",
                    help="skip the Python-list comparison pass")  # fmt: skip
    ap.add_argument("--death-from", type=int, default=DEATH_FROM,
                    help="Date of Death is blank above this row")  # fmt: skip
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    data = csv_bytes(make_rows(args.rows, death_from=args.death_from))
    mb = len(data) / 1e6
    # The rows as ingest stores them: one list of cells per record, empty cells as None.
    table = pacsv.read_csv(io.BytesIO(data), convert_options=pacsv.ConvertOptions(
        column_types={h: "string" for h in HEADER}, strings_can_be_null=True))  # fmt: skip
    cols = [table.column(h).to_pylist() for h in HEADER]
    rows = [(i + 2, list(r)) for i, r in enumerate(zip(*cols, strict=True))]
    del cols, table
    # The same rows as the store hands them out: Arrow record batches of (row_no, cells).
    arrow_rows = pa.table({
        "row_no": pa.array([r for r, _ in rows], pa.int32()),
        "cells": pa.array([c for _, c in rows], pa.list_(pa.string())),
    }).to_batches(max_chunksize=ROW_CHUNK)  # fmt: skip
    print(f"table: {args.rows:,} rows x {len(HEADER)} columns, {mb:.1f} MB CSV "
          f"(generated in {time.perf_counter() - t0:.0f} s)")  # fmt: skip

    cats: Counter[str] = Counter()
    n_find, _ = detect(rows, arrow_rows, cats)  # untimed: counts; code lists, caches load
    n_keyed = stage_tasks(rows, arrow_rows)
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        detect(rows, arrow_rows)
        prof.disable()
        pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(25)

    read_s: list[float] = []
    det_s: list[float] = []
    task_s: list[float] = []
    py_s: list[float] = []
    plan_s = 0.0
    for _ in range(max(1, args.repeat)):
        t0 = time.process_time()
        pacsv.read_csv(io.BytesIO(data))
        read_s.append(time.process_time() - t0)
        t0 = time.process_time()
        n, plan_s = detect(rows, arrow_rows)
        det_s.append(time.process_time() - t0)
        if n != n_find:
            raise RuntimeError("findings differ between passes")
        t0 = time.process_time()
        stage_tasks(rows, arrow_rows)
        task_s.append(time.process_time() - t0)
        if not args.no_python_rows:
            t0 = time.process_time()
            if detect(rows)[0] != n_find:
                raise RuntimeError("Python rows give other findings than Arrow rows")
            py_s.append(time.process_time() - t0)

    def rate(s: list[float]) -> str:
        if not s:
            return "—"
        best, worst = mb / max(min(s), 1e-9), mb / max(max(s), 1e-9)
        return f"{best:.1f} (worst {worst:.1f})"

    read_mb_s = mb / max(min(read_s), 1e-9)
    det_mb_s = mb / max(min(det_s), 1e-9)
    print(f"findings: {n_find:,} ({', '.join(f'{k} {v:,}' for k, v in sorted(cats.items()))}); "
          f"{n_keyed:,} after one per finding id")  # fmt: skip
    print()
    print(f"| | MB / CPU-s, best of {len(read_s)} (worst) |")
    print("|---|---:|")
    print(f"| plain `pyarrow.csv.read_csv` of the bytes | {rate(read_s)} |")
    print(f"| table detection (plan + column reads of the Arrow chunks + Arrow findings) | "
          f"{rate(det_s)} |")  # fmt: skip
    print(f"| stage tasks (the same through `runner._work`, + finding ids) | {rate(task_s)} |")
    print(
        f"| table detection, chunks as Python lists (as the stage passed them before) | {rate(py_s)} |"
    )
    print()
    print(f"detect: {det_mb_s:.1f} MB/CPU-s; plan {plan_s * 1000:.0f} ms; plain read / detect "
          f"= {read_mb_s / det_mb_s:.1f}x; target 50 MB/CPU-s "
          f"{'met' if det_mb_s >= 50 else 'not met'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
