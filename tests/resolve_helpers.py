"""A two-client case and a way to insert hand-made mentions, for the resolve tests."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import duckdb

from breachscope.case import Case, Client, Incident, ReportingEntity

_n = itertools.count(1)


def make_case(tmp_path: Path) -> Case:
    return Case(
        path=tmp_path / "case.toml",
        evidence=tmp_path / "evidence",
        incident=Incident("x", dt.date(2025, 2, 6), dt.date(2025, 1, 27), dt.date(2025, 2, 6)),
        reporting_entity=ReportingEntity("Vendor", "business_associate"),
        clients=(
            Client("mercy", "Mercy", "provider", True, ("mercy/**",)),
            Client("acme", "Acme", "health_plan", True, ("acme/**",)),
        ),
    )


def add(con: duckdb.DuckDBPyConnection, **f: Any) -> str:
    """Insert one mention (``dob`` as ISO text, ``clients`` as ids); returns its id."""
    n = next(_n)
    mid = str(f.pop("mention_id", f"m{n:05d}"))
    dob = f.pop("dob", None)
    row: dict[str, Any] = {
        "mention_id": mid,
        "doc_id": f.pop("doc_id", f"d{n}"),
        "file_id": "F",
        "path": "x.csv",
        "locator": "sheet 1",
        "client_ids": f.pop("clients", ["mercy"]),
        "dob": dt.date.fromisoformat(dob) if dob else None,
        "elements": f.pop("elements", ["name", "dob"]),
        **f,
    }
    cols = ", ".join(row)
    con.execute(
        f"INSERT INTO mentions ({cols}) VALUES ({', '.join('?' for _ in row)})", list(row.values())
    )
    return mid
