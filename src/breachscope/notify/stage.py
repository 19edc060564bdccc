"""The notify stage: every deliverable the case has the data for, written to ``out/``."""

from __future__ import annotations

import duckdb

from breachscope.case import Case
from breachscope.notify.exports import write_files, write_individuals
from breachscope.notify.files import private_dir
from breachscope.progress import Progress


def run_notify(
    case: Case, con: duckdb.DuckDBPyConnection, progress: Progress | None = None
) -> dict[str, int]:
    out = private_dir(case.out_dir)
    if progress:
        progress.start("notify", 2)
    n_people = write_individuals(con, out)
    if progress:
        progress.advance()
    n_files = write_files(con, out)
    if progress:
        progress.advance()
        progress.done()
    return {"individuals": n_people, "files": n_files}
