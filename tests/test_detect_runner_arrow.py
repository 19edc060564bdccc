"""The detect stage's big-table path hands ``read_columns`` the Arrow record batches DuckDB
returns, not Python lists; the findings must be the ones the Python lists gave.

A table of more than two chunks goes through the stage: messy cells (spacing, blanks,
``N/A``, non-ASCII digits, full dates in words), short rows, a row whose cells are NULL,
a duplicated heading (so findings share an id and are de-duplicated) and a column
filled only beyond the planning rows (read by a deferred plan). Each chunk task is run
as the stage runs it now (Arrow) and as it ran before (the batch turned into
``(row_no, cells)`` lists), and the keyed findings must be equal, column for column.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from breachscope.case import Case, Incident, ReportingEntity, Settings
from breachscope.detect import detect_table, run_detect
from breachscope.detect.findings import BATCH_COLUMNS
from breachscope.detect.runner import ROW_CHUNK, _tasks, _work
from breachscope.store import connect

T = dt.date(2025, 3, 1)
HEADER = [
    "Member ID", "Last Name", "First Name", "DOB", "SSN", "Phone", "Zip", "ST", "E-mail",
    "Dx", "Payer", "Last Name", "Date of Death",
]  # fmt: skip
N_BIG = 2 * ROW_CHUNK + 4_321
DEATH_FROM = ROW_CHUNK + 2_000  # beyond the rows the planner is handed

SSNS = ["123-45-6780", "219456780", "000-12-3456", " 219-45-6780", "XXX-XX-1234", "N/A", ""]
DATES = ["03/14/1956", "1956-03-14", "14/03/1956", "02/30/1990", "March 14, 1956", " 1/2/1990"]
PHONES = ["(617) 555-2368", "617.555.2368 ", "+44 20 7946 0958", "1-617-555-2368", "none", "٦١٧"]
ZIPS = ["02110", "2110", "62701-1234", "00000", "ZIP?"]
STATES = ["TX", "tx", "Texas", " MA", "XX"]
MAILS = ["John.Doe@Example.COM", "<a@b.co>", "a@b", "", "ü@example.com"]
DX = ["E11.9", "I10", "e119", "diabetes", "Z99.99; I10"]
PAYERS = ["Aetna", "Blue Cross PPO", "12345", "UnitedHealthcare  Choice"]
LAST = ["Smith", "O'Brien", "De La Cruz", "SMITH, JOHN", "Núñez", "unknown", "x" * 70]
FIRST = ["Ann", "Mary-Jane", "Bo", "", "Jo\u00a0"]


def _row(rng: random.Random, k: int) -> list[str | None] | None:
    if k % 5003 == 7:
        return None  # the row's cells are NULL
    row: list[str | None] = [
        f"M{100000 + k}" if k % 11 else "  m-1 ",
        rng.choice(LAST),
        rng.choice(FIRST),
        rng.choice(DATES) if k % 13 else f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/19{k % 90 + 10}",
        rng.choice(SSNS) if k % 3 else f"{rng.randint(1, 665):03d}-{rng.randint(1, 99):02d}-{k % 9000 + 1:04d}",
        rng.choice(PHONES),
        rng.choice(ZIPS),
        rng.choice(STATES),
        rng.choice(MAILS),
        rng.choice(DX),
        rng.choice(PAYERS),
        rng.choice(LAST) if k % 2 else None,
        (f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/2023" if k >= DEATH_FROM and k % 97 == 0 else ""),
    ]  # fmt: skip
    if k % 1_001 == 5:
        return row[: rng.randint(0, len(row) - 1)]  # a short row
    return row


def _store(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con: duckdb.DuckDBPyConnection = connect(tmp_path / "case.duckdb")
    con.execute(
        "INSERT INTO files (file_id, path, depth, status, reason, sha256) VALUES "
        "('big', 'claims.csv', 0, 'processed', '', 'h1'), "
        "('small', 'roster.csv', 0, 'processed', '', 'h2')"
    )
    rng = random.Random(11)
    big = [(k + 2, _row(rng, k)) for k in range(N_BIG)]
    small = [(k + 2, _row(rng, k)) for k in range(300)]
    for doc_id, file_id, rows in (("big:0", "big", big), ("small:0", "small", small)):
        con.execute(
            "INSERT INTO documents VALUES (?, ?, 0, 'table', 'sheet 1', NULL, 'Sheet1', NULL, "
            "?, 1, ?)",
            [doc_id, file_id, HEADER, len(rows)],
        )
        con.register("_rows", pa.table({
            "doc_id": pa.array([doc_id] * len(rows), pa.string()),
            "row_no": pa.array([r for r, _ in rows], pa.int32()),
            "cells": pa.array([c for _, c in rows], pa.list_(pa.string())),
        }))  # fmt: skip
        con.execute("INSERT INTO table_rows SELECT doc_id, row_no, cells FROM _rows")
        con.unregister("_rows")
    return con


def _as_python_rows(batch: pa.RecordBatch) -> list[tuple[int, list[str | None]]]:
    """What the stage passed before: the batch turned into ``(row_no, cells)`` lists."""
    return list(
        zip(
            batch.column(0).to_pylist(),
            (c or [] for c in batch.column(1).to_pylist()),
            strict=True,
        )
    )


def _case(tmp_path: Path, workers: int = 1) -> Case:
    return Case(
        path=tmp_path / "case.toml",
        evidence=tmp_path,
        incident=Incident("test", dt.date(2025, 2, 6), None, None),
        reporting_entity=ReportingEntity("Vendor", "business_associate"),
        clients=(),
        settings=Settings(workers=workers),
    )


def test_big_table_chunks_read_as_arrow_give_the_python_rows_findings(tmp_path: Path) -> None:
    con = _store(tmp_path)
    tasks = [task for task, _ in _tasks(con, ["big", "small"], T)]
    chunks = [t for t in tasks if t[0] == "chunk"]
    assert len(chunks) >= 3  # the big table went the streamed way, in several chunks
    assert all(isinstance(t[4], pa.RecordBatch) for t in chunks)
    assert sum(t[4].num_rows for t in chunks) == N_BIG
    total = 0
    categories: set[str] = set()
    for task in chunks:
        got, failed = _work(task)
        before, failed_before = _work((*task[:4], _as_python_rows(task[4]), task[5]))
        assert failed == failed_before == 0
        assert got.num_rows > 0
        assert got.equals(before)  # same findings, ids, order, explanations
        total += got.num_rows
        categories |= set(got.column("category").to_pylist())
    assert {"ssn", "dob", "phone", "email", "address", "date_of_death"} <= categories
    assert total > N_BIG


def test_stage_stores_the_findings_of_the_python_rows(tmp_path: Path) -> None:
    """End to end: what ``run_detect`` stores for both tables equals the findings of the
    small-table path and of the Python-list chunks."""
    con = _store(tmp_path)
    expected: set[tuple[Any, ...]] = set()
    for task, _ in _tasks(con, ["big", "small"], T):
        if task[0] == "chunk":
            task = (*task[:4], _as_python_rows(task[4]), task[5])
        table, _ = _work(task)
        columns = [table.column(c).to_pylist() for c in ("finding_id", *BATCH_COLUMNS)]
        expected |= set(zip(*columns, strict=True))
    counts = run_detect(_case(tmp_path), con)
    assert counts["failed_documents"] == 0
    names = ", ".join(("finding_id", *BATCH_COLUMNS))
    stored = con.execute(f"SELECT {names} FROM findings").fetchall()
    assert len(stored) == counts["findings"] == len(expected)
    assert set(stored) == expected

    # The small table's findings are those of a whole-table read from Python rows
    # (``detect_table``), one per finding id.
    rows = con.execute(
        "SELECT row_no, cells FROM table_rows WHERE doc_id = 'small:0' ORDER BY row_no"
    ).fetchall()
    _plan, found = detect_table(HEADER, [(r, c or []) for r, c in rows], T)
    small = con.execute(
        "SELECT row_no, column_name, category, field, value, explanation FROM findings "
        "WHERE doc_id = 'small:0'"
    ).fetchall()
    assert small
    keys = {(f.row_no, f.column_name, f.category, f.field, f.value, f.explanation) for f in found}
    # Both 'Last Name' columns give findings under one id; the store keeps one of each id.
    assert set(small) <= keys
    assert {k[:4] for k in small} == {k[:4] for k in keys}
    assert len(small) < len(keys)


def _rows_with_heading_and_deferred(n: int) -> list[tuple[int, list[str | None]]]:
    """A headerless export (heading in its first row), a ``Date of Death`` blank in the
    rows the planner sees, then filled: a few dates, later mostly other text."""
    rng = random.Random(5)
    out: list[tuple[int, list[str | None]]] = [
        (1, ["Member ID", "Last Name", "DOB", "Date of Death", "SSN"])
    ]
    for k in range(1, n):
        death: str | None = None
        if 20_100 <= k < 26_000 and k % 1_500 == 0:
            death = f"0{k % 9 + 1}/1{k % 9}/2023"
        elif k >= 26_500 and k % 7 == 0:
            death = rng.choice(["Y", "yes", "03/14/2022", "deceased", "N/A"])
        out.append(
            (k + 1, [f"M{k:07d}", rng.choice(LAST), rng.choice(DATES), death, rng.choice(SSNS)])
        )
    return out


def test_a_block_reads_like_its_slices_read_one_by_one(monkeypatch: Any) -> None:
    """``read_columns`` reads a stage chunk as one block of two slices; the findings equal
    those of reading the slices one by one (as before), deferred columns included: they
    are still planned on each slice's own values."""
    from breachscope.detect import table as table_mod
    from breachscope.detect.columns import DEFER, SAMPLE, plan_table
    from breachscope.detect.findings import new_batch
    from breachscope.detect.runner import _keyed

    rows = _rows_with_heading_and_deferred(36_000)
    plan = plan_table(["col_1", "col_2", "col_3", "col_4", "col_5"], rows[: SAMPLE + 12], T)
    assert plan.header_row_no == 1
    assert any(c.mode == DEFER for c in plan.columns)
    arrow = pa.table({
        "row_no": pa.array([r for r, _ in rows], pa.int32()),
        "cells": pa.array([c for _, c in rows], pa.list_(pa.string())),
    })  # fmt: skip

    def keyed(part: Any) -> list[tuple[Any, ...]]:
        out = new_batch()
        out["arrow_parts"] = table_mod.read_columns(plan, part, T, "d", "f")["arrow_parts"]
        t = _keyed(out)
        return sorted(zip(*(t.column(c).to_pylist() for c in t.column_names), strict=True))

    parts = [rows[:ROW_CHUNK], rows[10_000:30_000], rows[16_000:36_000], rows[:34_000]]
    parts += [arrow.slice(0, ROW_CHUNK).to_batches()[0], arrow.slice(10_000, ROW_CHUNK)]
    blocks = [keyed(p) for p in parts]
    monkeypatch.setattr(table_mod, "BLOCK", table_mod.SLICE)
    slices = [keyed(p) for p in parts]
    assert blocks == slices
    assert blocks[0] == blocks[4] and blocks[1] == blocks[5]
    deaths = [{r[8] for r in b if r[4] == "Date of Death"} for b in blocks]
    assert all(deaths[1:4])  # the deferred column was read


def _keyed_one_by_one(b: dict[str, list[Any]]) -> pa.Table:
    """The task keying as it was: ``finding_id`` per finding in Python, the most confident
    (the first among equals) kept per id."""
    from breachscope.detect.findings import to_arrow
    from breachscope.detect.runner import finding_id

    table = to_arrow(b)
    cols = [
        table.column(c).to_pylist()
        for c in ("doc_id", "row_no", "start_char", "end_char", "column_name", "category", "field")
    ]
    ids = [finding_id(*key) for key in zip(*cols, strict=True)]
    confidence = table.column("confidence").to_pylist()
    best: dict[str, int] = {}
    for i, fid in enumerate(ids):
        j = best.get(fid)
        if j is None or confidence[i] > confidence[j]:
            best[fid] = i
    keep = sorted(best.values())
    table = table.take(pa.array(keep, type=pa.int64()))
    return table.add_column(0, "finding_id", pa.array([ids[i] for i in keep], pa.string()))


def test_task_keying_gives_the_ids_and_rows_of_finding_id() -> None:
    """The worker keys its findings in DuckDB now; the ids, the rows kept per id and their
    order must be those of ``finding_id`` one finding at a time."""
    from breachscope.detect.findings import Finding, add_finding, extend_batch, new_batch
    from breachscope.detect.runner import _keyed

    rng = random.Random(3)
    rows = [(k + 2, _row(rng, k) or []) for k in range(3_000)]
    plan, _ = detect_table(HEADER, rows[:50], T)
    from breachscope.detect.table import read_columns

    b = new_batch()
    extend_batch(b, read_columns(plan, rows, T, "dé|3:0", "f1"))  # duplicated heading: dups
    for k in range(40):  # text findings: spans, half spans, none; equal and higher confidence
        f = Finding(
            rng.choice(["name", "ssn", "dob"]), rng.choice([None, "first", ""]), f"v{k}",
            rng.choice([0.5, 0.9]), "text", "why", start=rng.choice([None, 5, 7]),
            end=rng.choice([None, 9]), column_name=rng.choice([None, "", "Nom ß"]),
        )  # fmt: skip
        add_finding(b, "t:0", "f2", 1, f)
    extend_batch(b, read_columns(plan, rows[:500], T, "dé|3:1", "f1"))
    got, want = _keyed(b), _keyed_one_by_one(b)
    assert got.num_rows < b["doc_id"].__len__() + sum(t.num_rows for t in b["arrow_parts"])
    assert got.equals(want)
    assert _keyed(new_batch()).equals(_keyed_one_by_one(new_batch()))


def test_repeated_ids_are_always_noticed() -> None:
    """The quick repeat check may say yes wrongly (then the exact check runs), never no."""
    from breachscope.detect.runner import _may_repeat, finding_id

    ids = [finding_id("d", k, None, None, "SSN", "ssn", None) for k in range(5_000)]
    assert not _may_repeat(pa.array(ids, pa.string()))
    assert not _may_repeat(pa.array(ids[:1], pa.string()))
    for i, j in ((1, 4_999), (17, 18), (4_000, 3)):  # ids[j] becomes ids[i]
        dup = [*ids[:j], ids[i], *ids[j + 1 :]]
        assert _may_repeat(pa.array(dup, pa.string()))
        assert _may_repeat(pa.array(dup, pa.string()).slice(1))  # an offset array
    same_prefix = [*ids[:10], ids[3][:16] + "ffff"]  # equal first 16 digits: checked exactly
    assert _may_repeat(pa.array(same_prefix, pa.string()))
    assert _may_repeat(pa.array([*ids[:3], None], pa.string()))
    assert _may_repeat(pa.array([*ids[:3], "short"], pa.string()))


def test_process_pool_reads_the_arrow_chunks_alike(tmp_path: Path) -> None:
    """With a pool the chunk's record batch is pickled to a worker; same findings."""
    stores = []
    for name, workers in (("one", 1), ("pool", 2)):
        root = tmp_path / name
        root.mkdir()
        con = _store(root)
        con.execute(
            "INSERT INTO files (file_id, path, depth, status, reason, sha256) VALUES "
            "('notes', 'n.txt', 0, 'processed', '', 'h3')"
        )
        con.executemany(  # enough documents for the stage to start a pool
            "INSERT INTO documents VALUES (?, 'notes', ?, 'text', 'body', NULL, NULL, ?, NULL, "
            "NULL, NULL)",
            [(f"notes:{k}", k, f"SSN: 219-45-678{k % 10}") for k in range(60)],
        )
        counts = run_detect(_case(root, workers), con)
        assert counts["failed_documents"] == 0
        stores.append(con)
    q = "SELECT finding_id, row_no, column_name, category, field, value, explanation FROM findings"
    one, pool = (sorted(c.execute(q).fetchall(), key=repr) for c in stores)
    assert len(one) > N_BIG
    assert one == pool
