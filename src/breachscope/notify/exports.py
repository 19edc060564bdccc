"""The spine's table exports: ``individuals.csv`` and ``files.csv``."""

from __future__ import annotations

from pathlib import Path

import duckdb

from breachscope.notify.files import write_csv

INDIVIDUAL_COLUMNS = (
    "individual_id",
    "covered_entities",
    "first_name",
    "middle_name",
    "last_name",
    "suffix",
    "dob",
    "street",
    "city",
    "state",
    "zip",
    "is_minor",
    "is_deceased",
    "elements",
    "n_mentions",
    "n_documents",
    "needs_review",
)
FILE_COLUMNS = (
    "path",
    "status",
    "reason",
    "findings",
    "type",
    "size",
    "sha256",
    "clients",
    "documents",
)


def write_individuals(con: duckdb.DuckDBPyConnection, out: Path) -> int:
    """One row per individual, in a stable order."""
    rows = con.execute(
        """
        SELECT individual_id,
               array_to_string(list_sort(coalesce(client_ids, [])), '|'),
               first_name, middle_name, last_name, suffix,
               strftime(dob, '%Y-%m-%d'),
               street, city, state, zip,
               is_minor, is_deceased,
               array_to_string(list_sort(coalesce(elements, [])), ';'),
               n_mentions, n_documents, coalesce(needs_review, false)
        FROM individuals
        ORDER BY last_name NULLS LAST, first_name NULLS LAST, individual_id
        """
    ).fetchall()
    return write_csv(out / "individuals.csv", INDIVIDUAL_COLUMNS, rows)


def write_files(con: duckdb.DuckDBPyConnection, out: Path) -> int:
    """Every evidence file and archive member with its status and reason."""
    rows = con.execute(
        """
        SELECT path, status, reason, coalesce(n_findings, 0), detected_type, size, sha256,
               array_to_string(coalesce(client_ids, []), '|'), coalesce(n_documents, 0)
        FROM files
        ORDER BY path
        """
    ).fetchall()
    return write_csv(out / "files.csv", FILE_COLUMNS, rows)
