"""The assess stage: individuals + case facts + jurisdiction rules -> obligations.

Per covered entity (client) and regime (HIPAA, each jurisdiction with affected residents)
the engine lists every duty, whether it is triggered and why, its recipient, its due date
and the rule it comes from. Records that are *not* triggered are kept (with the reason) so
counsel can see each threshold that was checked.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from breachscope.assess.facts import (
    OPTION_KEYS,
    UNKNOWN_STATE,
    AssessInputError,
    Entity,
    Facts,
    Group,
    Population,
    Problems,
    parse_options,
)
from breachscope.assess.hipaa import HipaaOutcome, assess_hipaa, le_shift
from breachscope.assess.record import COLUMNS, OBLIGATIONS, Obligation
from breachscope.assess.state import assess_state
from breachscope.case import Case
from breachscope.categories import ELEMENT_SET
from breachscope.jurisdictions.loader import CODES, load, load_hipaa
from breachscope.jurisdictions.model import HipaaRules, Jurisdiction
from breachscope.progress import Progress
from breachscope.store.db import fetch_dicts, transaction

UNATTRIBUTED = "unattributed"


def _unknown_state(pop: Population, state: str, groups: list[Group]) -> Obligation:
    n = sum(g.count for g in groups)
    elements: set[str] = set().union(*(g.elements for g in groups))
    why = (
        f"{n} individuals with no known state of residence"
        if state == UNKNOWN_STATE
        else f"{n} individuals with state '{state}', which has no US jurisdiction file"
    )
    return Obligation(
        client_id=pop.entity.client_id,
        regime=UNKNOWN_STATE,
        jurisdiction=state,
        duty_holder="covered_entity",
        obligation="state_unknown",
        recipient="individuals",
        agency="",
        triggered=True,
        triggered_count=n,
        triggered_elements=tuple(sorted(elements)),
        triggered_by=why,
        threshold="",
        due=None,
        due_text="find a mailing address: state-law duties cannot be determined until the state is known",
        day_kind="",
        anchor="none",
        citation="no state law determinable (DESIGN.md §3.3: unknown state is reported, never dropped)",
        rule_id="STATE-UNKNOWN",
        sources=(),
        confidence="low",
        unverified=False,
    )


_ORDER = {name: i for i, name in enumerate(OBLIGATIONS)}
_GROUPED = ("attorney_general", "regulator")


def _binding_key(o: Obligation) -> tuple[str, ...]:
    """Records that compete for the same recipient: the earliest due date binds."""
    where = "*" if o.recipient == "covered_entity" else o.jurisdiction
    agency = o.agency if o.recipient in _GROUPED else ""
    return (o.client_id, o.duty_holder, o.obligation, o.recipient, where, agency)


def mark_earliest(records: Iterable[Obligation]) -> list[Obligation]:
    """Flag, among triggered records competing for one recipient, the one due first.

    HIPAA's individual notice and a state's compete for the same residents; the BA->CE
    notice and every state's vendor-to-owner clock compete for the one notice to the CE.
    """
    recs = list(records)
    best: dict[tuple[str, ...], dt.date] = {}
    for o in recs:
        if o.triggered and o.due is not None:
            k = _binding_key(o)
            if k not in best or o.due < best[k]:
                best[k] = o.due
    return [
        o.with_earliest(o.triggered and o.due is not None and o.due == best.get(_binding_key(o)))
        for o in recs
    ]


def assess(
    populations: Iterable[Population],
    facts: Facts,
    *,
    hipaa_rules: HipaaRules | None = None,
    jurisdictions: dict[str, Jurisdiction] | None = None,
) -> list[Obligation]:
    """Every obligation for these covered entities' affected populations."""
    rules = hipaa_rules or load_hipaa()
    shift = le_shift(facts, rules)
    records: list[Obligation] = []
    for pop in populations:
        outcome: HipaaOutcome | None = None
        if pop.entity.hipaa:
            recs, outcome = assess_hipaa(pop, facts, rules)
            records += recs
        for state in pop.states():
            groups = pop.in_state(state)
            if state not in CODES:
                records.append(_unknown_state(pop, state, groups))
                continue
            jur = jurisdictions[state] if jurisdictions else load(state)
            records += assess_state(pop, groups, jur, facts, outcome, shift)
    records = mark_earliest(records)
    records.sort(
        key=lambda o: (
            o.client_id,
            o.regime != "HIPAA",
            o.regime,
            o.jurisdiction,
            _ORDER.get(o.obligation, 99),
            o.agency,
            o.rule_id,
        )
    )
    return records


# --------------------------------------------------------------------------- the stage


def facts_from_case(case: Case) -> Facts:
    """The engine's facts: the incident, the role, and the optional ``[assess]`` table."""
    raw = case.raw.get("assess", {})
    p = Problems()
    if not isinstance(raw, dict):
        p.add("'assess' must be a table")
        raw = {}
    for k in raw:
        if k not in OPTION_KEYS:
            p.add(f"unknown key 'assess.{k}'")
    facts = parse_options(
        raw,
        p,
        discovery=case.incident.discovery_date,
        role=case.reporting_entity.role,
        where="assess.",
    )
    if p.items:
        raise AssessInputError(str(case.path), p.items)
    return facts


_POPULATION_SQL = """
SELECT cid AS client_id,
       coalesce(upper(trim(state)), '') AS state,
       list_sort(list_distinct(coalesce(elements, []))) AS elements,
       count(*) AS n,
       count(*) FILTER (WHERE is_minor) AS minors,
       count(*) FILTER (WHERE is_deceased) AS deceased,
       count(*) FILTER (WHERE NOT is_deceased AND NOT has_address) AS unreachable,
       count(*) FILTER (WHERE is_deceased AND NOT has_address) AS deceased_no_address
FROM (
    SELECT *,
           unnest(CASE WHEN client_ids IS NULL OR len(client_ids) = 0 THEN [''] ELSE client_ids END) AS cid,
           coalesce(trim(street), '') <> '' AND coalesce(trim(zip), '') <> '' AS has_address
    FROM individuals
)
GROUP BY ALL
"""


def populations_from_store(case: Case, con: duckdb.DuckDBPyConnection) -> list[Population]:
    """Affected people per client, state and exposure profile, from ``individuals``."""
    by_client: dict[str, list[Group]] = {}
    for row in fetch_dicts(con, _POPULATION_SQL):
        state = row["state"] or UNKNOWN_STATE
        elements = frozenset(e for e in row["elements"] if e in ELEMENT_SET)
        by_client.setdefault(row["client_id"], []).append(
            Group(
                state=state,
                elements=elements,
                count=int(row["n"]),
                minors=int(row["minors"]),
                deceased=int(row["deceased"]),
                unreachable=int(row["unreachable"]),
                deceased_no_address=int(row["deceased_no_address"]),
            )
        )
    any_ce = case.reporting_entity.role == "covered_entity" or any(
        c.covered_entity for c in case.clients
    )
    pops: list[Population] = []
    known = {c.id for c in case.clients}
    for client in case.clients:
        if client.id in by_client:
            entity = Entity(client.id, client.name, client.covered_entity, client.kind)
            pops.append(Population(entity, tuple(by_client[client.id])))
    stray = [g for cid, gs in by_client.items() if cid not in known for g in gs]
    if stray:
        # People not attributed to a client still count: treat them as one more covered
        # entity so nobody drops out of the totals (conservative).
        pops.append(
            Population(Entity(UNATTRIBUTED, "unattributed individuals", any_ce), tuple(stray))
        )
    return pops


def write_table(con: duckdb.DuckDBPyConnection, records: list[Obligation]) -> None:
    """Replace the ``obligations`` table's rows with these records (all or nothing)."""
    columns: dict[str, list[Any]] = {c: [] for c in ("seq", *COLUMNS)}
    for seq, o in enumerate(records):
        d = o.to_dict()
        d["due"] = o.due
        d["seq"] = seq
        for c in columns:
            columns[c].append(d[c])
    table = pa.table({c: pa.array(v, type=_ARROW_TYPES.get(c)) for c, v in columns.items()})
    with transaction(con):
        con.execute("DELETE FROM obligations")
        if records:
            con.register("_new_obligations", table)
            try:
                cols = ", ".join(columns)
                con.execute(f"INSERT INTO obligations ({cols}) SELECT {cols} FROM _new_obligations")
            finally:
                con.unregister("_new_obligations")


_LIST = pa.list_(pa.string())
_ARROW_TYPES: dict[str, pa.DataType] = {
    "seq": pa.int32(),
    "due": pa.date32(),
    "triggered_count": pa.int64(),
    "credit_monitoring_months": pa.int32(),
    "triggered_elements": _LIST,
    "sources": _LIST,
    "content_requirements": _LIST,
    "prohibitions": _LIST,
    "triggered": pa.bool_(),
    "unverified": pa.bool_(),
    "earliest_binding": pa.bool_(),
}


def read_table(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The stored obligations as JSON-ready dicts, in their stored order."""
    out = []
    for row in fetch_dicts(con, f"SELECT {', '.join(COLUMNS)} FROM obligations ORDER BY seq"):
        for k, v in row.items():
            if isinstance(v, dt.date):
                row[k] = v.isoformat()
            elif v is None and k == "due":
                row[k] = ""
            elif v is None and k in (
                "triggered_elements",
                "sources",
                "content_requirements",
                "prohibitions",
            ):
                row[k] = []
        out.append(row)
    return out


def _write_private(path: Path, text: str) -> None:
    """0600 file in a 0700 folder, written to a temp file and renamed (never half-written).

    Obligations hold counts, not PHI, but they sit beside deliverables that do; the same
    habit as the notify stage's files (stages do not import each other).
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path.parent, 0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _csv_cell(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "|".join(str(x) for x in v)
    return "" if v is None else str(v)


def write_files(records: list[dict[str, Any]], out_dir: Path) -> list[Path]:
    """``obligations.json`` (a list of records) and ``obligations.csv`` (lists joined with '|')."""
    jpath = out_dir / "obligations.json"
    _write_private(jpath, json.dumps(records, indent=2, ensure_ascii=False) + "\n")
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in records:
        w.writerow([_csv_cell(r.get(c)) for c in COLUMNS])
    cpath = out_dir / "obligations.csv"
    _write_private(cpath, buf.getvalue())
    return [cpath, jpath]


def write_obligations(
    case: Case, con: duckdb.DuckDBPyConnection, out_dir: Path | None = None
) -> list[Path]:
    """Write ``out/obligations.csv`` and ``out/obligations.json`` from the stored table."""
    return write_files(read_table(con), out_dir or case.out_dir)


def run_assess(
    case: Case, con: duckdb.DuckDBPyConnection, progress: Progress | None = None
) -> dict[str, int]:
    """The assess stage: read ``individuals``, write ``obligations`` and the two out/ files."""
    facts = facts_from_case(case)
    pops = populations_from_store(case, con)
    if progress is not None:
        progress.start("assess", len(pops))
    records = assess(pops, facts)
    write_table(con, records)
    write_obligations(case, con)
    if progress is not None:
        progress.advance(len(pops))
        progress.done()
    return {
        "obligations": len(records),
        "triggered": sum(o.triggered for o in records),
        "clients": len(pops),
        "individuals": sum(p.total for p in pops),
    }
