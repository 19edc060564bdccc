"""Regenerate the examples in this folder from synthetic data (every person is made up).

    .venv/bin/python docs/examples/make_examples.py

Writes letter.pdf, summary-report.pdf and hhs-report.pdf, each with a PNG of page 1.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import duckdb

from breachscope.assess import run_assess
from breachscope.notify import run_notify
from breachscope.notify.letters import render_letter
from breachscope.notify.sample import create_tables, fill_population, load_sample_case

HERE = Path(__file__).parent


def _png(pdf: Path) -> None:
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(pdf.with_suffix("")),
        ],
        check=True,
    )


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="notify-examples-"))
    try:
        case = load_sample_case(root)
        con = duckdb.connect(str(root / "case.duckdb"))
        create_tables(con)
        fill_population(con, 160, seed=5)
        run_assess(case, con)
        run_notify(case, con)
        out = case.out_dir
        # A letter with a state credit-monitoring offer shows the most of the template.
        row = con.execute(
            "SELECT individual_id FROM individuals WHERE state IN ('CT', 'CA') AND "
            "list_contains(elements, 'ssn') AND NOT is_minor AND NOT is_deceased "
            "AND coalesce(street, '') <> '' ORDER BY state DESC, 1 LIMIT 1"
        ).fetchone()
        assert row is not None
        letter = HERE / "letter.pdf"
        letter.write_bytes(render_letter(case, con, str(row[0])))
        shutil.copyfile(out / "report" / "summary.pdf", HERE / "summary-report.pdf")
        shutil.copyfile(
            out / "hhs" / "mercy-valley-health" / "hhs_report.pdf", HERE / "hhs-report.pdf"
        )
        for name in ("letter.pdf", "summary-report.pdf", "hhs-report.pdf"):
            _png(HERE / name)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
