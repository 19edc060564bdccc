"""Planning samples each column across the whole table, not the first rows.

A column that is blank at the top of a big file (a date of death filled for a few rows
deep down, a mostly blank SSN column) must still be planned and read.
"""

from __future__ import annotations

import datetime as dt
import random

import pyarrow as pa
import pyarrow.compute as pc

from breachscope.detect import detect_table
from breachscope.detect.columns import SAMPLE, column_samples, plan_table
from breachscope.detect.findings import to_arrow
from breachscope.detect.runner import ROW_CHUNK
from breachscope.detect.table import read_columns

T = dt.date(2025, 3, 1)
HEADER = ["Member ID", "Last Name", "First Name", "DOB", "SSN", "Date of Death"]


def _ssn(rng: random.Random) -> str:
    return f"{rng.randint(1, 665):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def _rows(
    n: int, death_from: int, ssn_every: int = 1, death_value: str = "date", seed: int = 4
) -> list[tuple[int, list[str | None]]]:
    rng = random.Random(seed)
    out: list[tuple[int, list[str | None]]] = []
    for k in range(n):
        dead = k >= death_from and k % 97 == 0
        dod = (
            None
            if not dead
            else f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/2023"
            if death_value == "date"
            else death_value
        )
        out.append(
            (
                k + 2,
                [
                    f"M{100000 + k}",
                    rng.choice(["Smith", "Lee", "Diaz"]),
                    rng.choice(["Ann", "Bo", "Cy"]),
                    f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{rng.randint(1930, 2015)}",
                    _ssn(rng) if k % ssn_every == 0 else "",
                    dod,
                ],
            )
        )
    return out


def _run_like_the_stage(rows: list[tuple[int, list[str | None]]]) -> list[tuple[str, int]]:
    """Plan from the rows the detect stage hands the planner, then read in chunks; the
    death findings (category, row)."""
    plan = plan_table(HEADER, rows[: SAMPLE + 12], T)
    found = []
    for k in range(0, len(rows), ROW_CHUNK):
        t = to_arrow(read_columns(plan, rows[k : k + ROW_CHUNK], T, "d", "f"))
        t = t.filter(pc.is_in(t.column("category"), pa.array(["date_of_death", "deceased"])))
        cats, rns = t.column("category").to_pylist(), t.column("row_no").to_pylist()
        found += list(zip(cats, rns, strict=True))
    return found


def test_date_of_death_blank_for_the_first_5000_rows_is_found() -> None:
    rows = _rows(12_000, death_from=5_000)
    plan, found = detect_table(HEADER, rows, T)
    assert ("Date of Death", "date_of_death") in {(c.header, c.category) for c in plan.columns}
    deaths = [f for f in found if f.category == "date_of_death"]
    assert len(deaths) == len([1 for k in range(5_000, 12_000) if k % 97 == 0])
    assert min(f.row_no or 0 for f in deaths) > 5_000


def test_mostly_blank_ssn_column_is_planned() -> None:
    rows = _rows(5_000, death_from=10**9, ssn_every=40)
    plan, found = detect_table(HEADER, rows, T)
    modes = {c.header: (c.category, c.mode) for c in plan.columns}
    assert modes["SSN"] == ("ssn", "ssn")
    assert len([f for f in found if f.category == "ssn"]) == len(range(0, 5_000, 40))
    # blank everywhere: left to be planned on values, and no finding comes of it
    assert modes["Date of Death"][1] == "defer"
    assert not [f for f in found if f.category in ("date_of_death", "deceased")]


def test_column_filled_only_beyond_the_planning_rows_is_read() -> None:
    # The stage plans a big table from its first SAMPLE rows; a heading recognised over
    # cells blank there is planned again on the rows being read.
    rows = _rows(SAMPLE + ROW_CHUNK, death_from=SAMPLE + 5_000)
    found = _run_like_the_stage(rows)
    deaths = [rn for cat, rn in found if cat == "date_of_death"]
    assert deaths and min(deaths) > SAMPLE + 5_000
    assert len(deaths) == len([1 for k in range(SAMPLE + 5_000, len(rows)) if k % 97 == 0])


def test_deferred_column_is_still_checked_by_its_values() -> None:
    flags = _run_like_the_stage(_rows(SAMPLE + ROW_CHUNK, SAMPLE + 100, death_value="Y"))
    assert {cat for cat, _ in flags} >= {"deceased"}
    junk = _run_like_the_stage(_rows(SAMPLE + ROW_CHUNK, SAMPLE + 100, death_value="see notes"))
    assert not [1 for cat, _ in junk if cat in ("date_of_death", "deceased")]


def test_column_samples_take_first_values_and_a_stride() -> None:
    cells: list[list[str | None]] = [
        [str(1000 + k), None if k < 9_000 else f"v{k}"] for k in range(10_000)
    ]
    dense, sparse = column_samples(cells, 2)
    assert dense[:50] == [str(1000 + k) for k in range(50)]  # the first values, then a stride
    assert int(dense[-1] or 0) > 10_000
    assert sparse[0] == "v9000" and len(sparse) == 200  # found below the blank rows
