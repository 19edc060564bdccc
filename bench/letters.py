"""Benchmark: render N individual letters (default 10,000) to batched PDFs.

    .venv/bin/python bench/letters.py [--letters 10000] [--workers 0] [--keep DIR]

Prints letters/s and pages/s for the PDF run, with the HTML-only pass over the same people
as the baseline measured in the same run, and the peak memory of the parent process and of
the rendering workers. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from breachscope.assess import run_assess
from breachscope.notify.batches import write_letters
from breachscope.notify.letters import letter_body, letter_context, prepare
from breachscope.notify.people import iter_recipients
from breachscope.notify.sample import create_tables, fill_population, load_sample_case


def _mib(kb: int) -> float:
    return kb / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--letters", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=0, help="0 = one per core")
    ap.add_argument("--keep", type=Path, help="write the case here and keep it")
    args = ap.parse_args()

    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-letters-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        case = load_sample_case(root)
        case = dataclasses.replace(
            case, settings=dataclasses.replace(case.settings, workers=args.workers)
        )
        con = duckdb.connect(str(root / "case.duckdb"))
        create_tables(con)
        # ~5% of people belong to two clients and get two letters: size the population so the
        # letter count is close to the target.
        fill_population(con, round(args.letters / 1.05), seed=11)
        run_assess(case, con)
        setup = prepare(case, con)

        t0 = time.perf_counter()
        n_html = 0
        for r in iter_recipients(con):
            letter_body(letter_context(setup, r))
            n_html += 1
        html_s = time.perf_counter() - t0

        t1 = time.perf_counter()
        run = write_letters(case, con, setup, case.out_dir)
        pdf_s = time.perf_counter() - t1

        me = _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        kids = _mib(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        html_rate = n_html / html_s
        pdf_rate = run.letters / pdf_s
        print(
            f"letters:            {run.letters:,} in {run.batches} batch PDFs, {run.pages:,} pages"
        )
        print(f"baseline HTML only: {html_rate:,.1f} letters/s ({html_s:.1f} s)")
        print(
            f"PDF (WeasyPrint):   {pdf_rate:,.1f} letters/s, {run.pages / pdf_s:,.1f} pages/s "
            f"({pdf_s:.1f} s; {pdf_rate / html_rate:.3f}x the HTML baseline)"
        )
        print(f"peak memory:        parent {me:,.0f} MiB, largest worker {kids:,.0f} MiB")
        print(f"variants:           {len(run.by_variant)}")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
