"""The resolve stage: mentions → individuals with a best record, and a review queue.

Order of work: normalise each mention; collapse mentions whose identity is identical;
score candidate pairs with the Splink model (blocking keeps them near-linear); add
deterministic must-links (same full SSN and a compatible name); cluster strongest edges
first, refusing any join that breaks a cannot-link rule or a reviewer's split; apply
reviewer merges; pick a best record per cluster.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import duckdb
import pyarrow as pa

from breachscope.case import Case
from breachscope.progress import Progress
from breachscope.resolve.best import best_record
from breachscope.resolve.cluster import ConstrainedClusters
from breachscope.resolve.engine import PairScorer, get_engine
from breachscope.resolve.model import model_spec
from breachscope.resolve.normalize import Person, person_from_mention
from breachscope.resolve.rules import (
    WAIVABLE_VETOES,
    cannot_link,
    family_vetoes_are_noise,
    initials,
    member_ids_are_personal,
    must_link,
    penalised,
    personal_id_link,
    waive_veto,
)
from breachscope.store import stable_id, transaction

# Pairs at or above this probability are joined (subject to the rules).
MATCH_THRESHOLD = 0.9
# Clusters with more distinct identities than this go to review.
LARGE_CLUSTER = 25
# An SSN shared by more identities than this is a placeholder, not a person's.
_MAX_SSN_GROUP = 50
_REVIEWED_VETOES = frozenset({"twins"})

_INDIVIDUAL_COLUMNS = (
    "individual_id",
    "first_name",
    "middle_name",
    "last_name",
    "suffix",
    "dob",
    "street",
    "city",
    "state",
    "zip",
    "state_source",
    "is_minor",
    "is_deceased",
    "client_ids",
    "elements",
    "n_mentions",
    "n_documents",
    "needs_review",
)
_TYPES: dict[str, pa.DataType] = {
    "dob": pa.date32(),
    "is_minor": pa.bool_(),
    "is_deceased": pa.bool_(),
    "needs_review": pa.bool_(),
    "client_ids": pa.list_(pa.string()),
    "elements": pa.list_(pa.string()),
    "n_mentions": pa.int32(),
    "n_documents": pa.int32(),
    "match_probability": pa.float64(),
    "score": pa.float64(),
}


def _identities_table(records: list[Person]) -> pa.Table:
    """One row per identity, the columns the Splink model reads (built column by column)."""

    def s(values: list[str]) -> pa.Array:
        return pa.array([v or None for v in values], type=pa.string())

    dobs = [p.dob for p in records]
    firsts = [p.first for p in records]
    swap = [
        f"{d.year:04d}-{d.day:02d}-{d.month:02d}"
        if d and d.day <= 12 and d.day != d.month
        else None
        for d in dobs
    ]
    cols: dict[str, pa.Array] = {
        "unique_id": pa.array([str(i) for i in range(len(records))], type=pa.string()),
        "first": s(firsts),
        "first_keys": pa.array(
            [list(p.first_keys) or None for p in records], type=pa.list_(pa.string())
        ),
        "first_init": s([f[:1] for f in firsts]),
        "first_inits": pa.array(
            [sorted(initials(f)) if len(f) > 1 else [f] if f else None for f in firsts],
            type=pa.list_(pa.string()),
        ),
        "middle": s([p.middle for p in records]),
        "last": s([p.last for p in records]),
        "last_sx": s([p.last_sx for p in records]),
        "dob": pa.array([d.isoformat() if d else None for d in dobs], type=pa.string()),
        "dob_swap": pa.array(swap, type=pa.string()),
        "dob_y": pa.array([d.year if d else None for d in dobs], type=pa.int32()),
        "dob_m": pa.array([d.month if d else None for d in dobs], type=pa.int32()),
        "dob_d": pa.array([d.day if d else None for d in dobs], type=pa.int32()),
    }
    for f in ("ssn", "ssn4", "street", "zip", "phone", "email", "member_id", "mrn", "gender"):
        cols[f] = s([getattr(p, f) for p in records])
    return pa.table(cols)


# What resolve reads of a mention: the identity fields (normalised once, then dropped)
# and what the best record and the output rows need (kept as columns, not row dicts).
_PERSON_COLUMNS = (
    "first_name", "middle_name", "last_name", "suffix", "dob", "ssn", "ssn_last4", "street",
    "zip", "phone", "email", "member_id", "mrn", "gender",
)  # fmt: skip
_RECORD_COLUMNS = (
    "mention_id", "doc_id", "client_ids", "first_name", "middle_name", "last_name", "suffix",
    "street", "city", "state", "zip", "deceased", "date_of_death", "elements",
)  # fmt: skip


class _Mentions:
    """The case's mentions, ordered by id, held column-wise.

    A million mentions as row dicts cost gigabytes; as one list per needed column they
    cost the values alone. ``row`` builds a dict for the best record on demand.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        wanted = list(dict.fromkeys((*_RECORD_COLUMNS, *_PERSON_COLUMNS)))
        table = con.execute(
            f"SELECT {', '.join(wanted)} FROM mentions ORDER BY mention_id"
        ).to_arrow_table()
        self.people: list[Person] = []
        person_cols = table.select(list(_PERSON_COLUMNS))
        for batch in person_cols.to_batches(max_chunksize=20_000):
            self.people.extend(person_from_mention(m) for m in batch.to_pylist())
        del person_cols
        self.cols: dict[str, list[Any]] = {c: table.column(c).to_pylist() for c in _RECORD_COLUMNS}
        del table
        self.ids: list[str] = self.cols["mention_id"]

    def __len__(self) -> int:
        return len(self.ids)

    def row(self, i: int) -> dict[str, Any]:
        return {c: v[i] for c, v in self.cols.items()}

    def clients(self, i: int) -> list[str]:
        return self.cols["client_ids"][i] or []


def _mention_dates(con: duckdb.DuckDBPyConnection) -> dict[str, dt.date]:
    rows = con.execute(
        """SELECT fm.mention_id, max(TRY_CAST(f.value AS DATE))
           FROM finding_mentions fm JOIN findings f ON f.finding_id = fm.finding_id
           WHERE f.category IN ('service_date', 'other_date')
           GROUP BY fm.mention_id"""
    ).fetchall()
    return {mid: d for mid, d in rows if d is not None}


class _Rows:
    """Output rows accumulated column by column (a million row dicts cost a gigabyte)."""

    def __init__(self, columns: tuple[str, ...]) -> None:
        self.columns = columns
        self.values: dict[str, list[Any]] = {c: [] for c in columns}
        self.n = 0

    def append(self, row: dict[str, Any]) -> None:
        for c in self.columns:
            self.values[c].append(row[c])
        self.n += 1

    def __len__(self) -> int:
        return self.n


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: _Rows) -> None:
    if not rows:
        return
    columns = rows.columns
    t = pa.table({c: pa.array(rows.values[c], type=_TYPES.get(c, pa.string())) for c in columns})
    con.register("_resolve_rows", t)
    con.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM _resolve_rows"
    )
    con.unregister("_resolve_rows")


def _join_unique_names(
    cc: ConstrainedClusters,
    records: list[Person],
    clients: list[frozenset[str]],
    scored: dict[tuple[int, int], float],
    low: float,
) -> dict[tuple[int, int], float]:
    """Name-only evidence: a roster line with a name and an MRN, a claim with the same name
    and a DOB. Two clusters are one person when they carry the same full name, share a
    client, nothing conflicts, and no third cluster in the whole case has that name — what
    a reviewer would decide. A note that writes the name surname first ("Harris,
    Patricia") counts as the same name when both birth dates are known and equal. The pair
    stays in the review queue (its score is below the match threshold), so the join is
    visible and can be split. More than two such clusters join when the name's records
    show at most one birth date between them."""

    def name_key(rec: Person) -> tuple[str, str]:
        return (rec.first, rec.last) if rec.first <= rec.last else (rec.last, rec.first)

    by_name: dict[tuple[str, str], list[int]] = defaultdict(list)
    dobs: dict[tuple[str, str], set[dt.date]] = defaultdict(set)
    for r, rec in enumerate(records):
        if len(rec.first) > 1 and len(rec.last) > 1:
            by_name[name_key(rec)].append(r)
            if rec.dob is not None:
                dobs[name_key(rec)].add(rec.dob)
    joined: dict[tuple[int, int], float] = {}
    for (i, j), p in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0])):
        if p < low or p >= MATCH_THRESHOLD:
            continue
        a, b = records[i], records[j]
        key = name_key(a)
        if key != name_key(b) or key not in by_name:
            continue
        if (a.first, a.last) != (b.first, b.last) and (a.dob is None or a.dob != b.dob):
            continue
        ri, rj = cc.find(i), cc.find(j)
        if ri == rj or not clients[i] & clients[j]:
            continue
        # A third cluster with the name: still one person when the name's records show
        # at most one birth date ("Ricardo de la Cruz" alone as the subscriber on each
        # dependant's row, and once on his own row with his DOB).
        if len(dobs[key]) > 1 and {cc.find(x) for x in by_name[key]} != {ri, rj}:
            continue
        if cannot_link(a, b) or cc.conflict(ri, rj):
            continue
        cc.force(i, j)
        joined[(i, j)] = p
    return joined


def run_resolve(
    case: Case,
    con: duckdb.DuckDBPyConnection,
    progress: Progress | None = None,
    *,
    engine: PairScorer | None = None,
) -> dict[str, int]:
    """De-duplicate mentions into individuals; replaces individuals, their mentions and the
    resolver's review items. Reviewer decisions are re-applied. Returns counts (no PHI)."""
    if progress is not None:
        progress.start("resolve", 5)

    def step() -> None:
        if progress is not None:
            progress.advance()

    mentions = _Mentions(con)
    people = mentions.people
    dates = _mention_dates(con)
    decisions = con.execute(
        "SELECT kind, mention_a, mention_b FROM decisions "
        "WHERE kind IN ('merge', 'split', 'confirm') ORDER BY made_at NULLS FIRST, decision_id"
    ).fetchall()
    index = {m: i for i, m in enumerate(mentions.ids)} if decisions else {}
    step()

    # Decisions, latest winning for a pair.
    pair_decision: dict[tuple[int, int], str] = {}
    confirmed_single: set[int] = set()
    for kind, a, b in decisions:
        if a in index and b in index and a != b:
            i, j = sorted((index[a], index[b]))
            pair_decision[(i, j)] = kind
        elif a in index and b is None and kind == "confirm":
            confirmed_single.add(index[a])
    in_split = {k for (i, j), kind in pair_decision.items() if kind == "split" for k in (i, j)}

    # Collapse mentions with identical identities (claims repeat a person line after line).
    rec_of: list[int] = []
    records: list[Person] = []
    rec_mentions: list[list[int]] = []
    by_key: dict[tuple[Any, ...], int] = {}
    for mi, person in enumerate(people):
        key = None if mi in in_split else person.identity_key()
        r = by_key.get(key) if key is not None else None
        if r is None:
            r = len(records)
            records.append(person)
            rec_mentions.append([])
            if key is not None:
                by_key[key] = r
        rec_of.append(r)
        rec_mentions[r].append(mi)
    step()

    clients = [frozenset(c for mi in mis for c in mentions.clients(mi)) for mis in rec_mentions]
    low, high = case.settings.review_low, case.settings.review_high
    scorer = engine or get_engine(case.settings.engine)
    personal = member_ids_are_personal(records)
    soft_vetoes = family_vetoes_are_noise(records)
    spec = model_spec(len(records), personal_member_ids=personal, noisy_source=soft_vetoes)
    pairs = scorer.score(_identities_table(records), spec, min(low, MATCH_THRESHOLD))
    step()

    edges: list[tuple[float, int, int]] = []
    review: dict[tuple[int, int], tuple[float, str]] = {}
    scored: dict[tuple[int, int], float] = {}
    if pairs.num_rows:
        for a_s, b_s, p in zip(
            pairs.column("unique_id_l").to_pylist(),
            pairs.column("unique_id_r").to_pylist(),
            pairs.column("match_probability").to_pylist(),
            strict=True,
        ):
            i, j = sorted((int(a_s), int(b_s)))
            scored[(i, j)] = float(p)
    # Deterministic must-links: same full SSN and a compatible name (or the same DOB).
    by_ssn: dict[str, list[int]] = defaultdict(list)
    for r, rec_person in enumerate(records):
        if rec_person.ssn:
            by_ssn[rec_person.ssn].append(r)
    forced_rule: set[tuple[int, int]] = set()
    for group in by_ssn.values():
        if 1 < len(group) <= _MAX_SSN_GROUP:
            for x in range(len(group)):
                for y in range(x + 1, len(group)):
                    i, j = group[x], group[y]
                    if must_link(records[i], records[j]):
                        forced_rule.add((i, j))
    waived: set[tuple[int, int]] = set()
    softened_joins = 0
    if personal:
        # Personal member IDs link like SSNs; a family veto they outweigh is reviewed.
        by_member: dict[str, list[int]] = defaultdict(list)
        for r, rec_person in enumerate(records):
            if rec_person.member_id:
                by_member[rec_person.member_id].append(r)
        for group in by_member.values():
            if 1 < len(group) <= _MAX_SSN_GROUP:
                for x in range(len(group)):
                    for y in range(x + 1, len(group)):
                        i, j = group[x], group[y]
                        if (i, j) in forced_rule or not personal_id_link(records[i], records[j]):
                            continue
                        forced_rule.add((i, j))
                        why = cannot_link(records[i], records[j])
                        if why:
                            waived.add((i, j))
                            p = scored.get((i, j), 1.0)
                            review[(i, j)] = (p, f"rule:{why} waived (personal_member_id)")
    for (i, j), p in scored.items():
        if (i, j) in waived:  # linked by a personal member ID above
            continue
        why = cannot_link(records[i], records[j])
        if why:
            # A family veto gives way to an identifier families never share when the
            # model is near-certain, or to a member ID when this case's IDs are personal;
            # the join is made and a reviewer sees it.
            waiver = waive_veto(
                why,
                records[i],
                records[j],
                p,
                clients[i],
                clients[j],
                personal_member_ids=personal,
            )
            if waiver:
                waived.add((i, j))
                edges.append((p, i, j))
                review[(i, j)] = (p, f"rule:{why} waived ({waiver})")
                continue
            if soft_vetoes and why in WAIVABLE_VETOES:
                # A noisy source: the family veto is strong evidence, not a certainty.
                softened = penalised(p)
                if softened >= MATCH_THRESHOLD:
                    softened_joins += 1
                    waived.add((i, j))
                    edges.append((softened, i, j))
                    review[(i, j)] = (softened, f"rule:{why} outweighed (noisy source)")
                    continue
            # Most vetoes are certain (two SSNs, Jr/Sr, a family at one address); a
            # twin-like pair the model was sure about is worth a reviewer's look.
            if p >= high and why in _REVIEWED_VETOES:
                review[(i, j)] = (p, f"rule:{why}")
            continue
        if p >= MATCH_THRESHOLD:
            edges.append((p, i, j))
        if low <= p < high and (i, j) not in forced_rule:
            review[(i, j)] = (p, "uncertain")
    edges.extend((1.0, i, j) for i, j in forced_rule)

    # Reviewer decisions at the identity level.
    splits: set[tuple[int, int]] = set()
    merges: list[tuple[int, int]] = []
    decided: set[tuple[int, int]] = set()
    for (mi, mj), kind in pair_decision.items():
        ri, rj = sorted((rec_of[mi], rec_of[mj]))
        decided.add((ri, rj))
        if kind == "split" and ri != rj:
            splits.add((ri, rj))
        elif kind == "merge":
            merges.append((ri, rj))
    cc = ConstrainedClusters(
        records, splits, waived, personal_member_ids=personal, soft_family_vetoes=soft_vetoes
    )
    for ri, rj in merges:
        cc.force(ri, rj)
    used = cc.add_edges(edges)
    used.update(_join_unique_names(cc, records, clients, scored, low))
    for (i, j), why in cc.refused.items():
        p = scored.get((i, j), 1.0)
        if p >= low and (i, j) not in review:
            review[(i, j)] = (p, f"cluster:{why}")
    for key in decided:
        review.pop(key, None)
    step()

    # Best records and output rows.
    best_p: dict[int, float] = {}
    for (i, j), p in used.items():
        best_p[i] = max(best_p.get(i, 0.0), p)
        best_p[j] = max(best_p.get(j, 0.0), p)
    for ri, rj in merges:
        best_p[ri] = best_p[rj] = 1.0
    in_review = {k for pair in review for k in pair}
    individuals = _Rows(_INDIVIDUAL_COLUMNS)
    links = _Rows(("individual_id", "mention_id", "match_probability"))
    items = _Rows(("item_id", "kind", "mention_a", "mention_b", "individual_id", "score", "reason"))
    rep: dict[int, str] = {}
    pid_of: dict[int, str] = {}
    discovery = case.incident.discovery_date
    for group in cc.groups():
        mids = sorted(mi for r in group for mi in rec_mentions[r])
        ms = [mentions.row(mi) for mi in mids]
        pid = "P" + stable_id(ms[0]["mention_id"])
        rec = best_record(
            ms, [people[mi] for mi in mids], [dates.get(m["mention_id"]) for m in ms], discovery
        )
        large = len(group) > LARGE_CLUSTER and not any(mi in confirmed_single for mi in mids)
        rec.update(individual_id=pid, needs_review=large or any(r in in_review for r in group))
        individuals.append(rec)
        for r in group:
            rep[r] = mentions.ids[rec_mentions[r][0]]
            pid_of[r] = pid
        for mi in mids:
            r = rec_of[mi]
            prob = best_p.get(r)
            if prob is None and len(rec_mentions[r]) > 1:
                prob = 1.0
            links.append(
                {
                    "individual_id": pid,
                    "mention_id": mentions.ids[mi],
                    "match_probability": prob,
                }
            )
        if large:
            items.append({
                "item_id": stable_id("cluster", pid), "kind": "cluster", "mention_a": None,
                "mention_b": None, "individual_id": pid, "score": None,
                "reason": f"large cluster: {len(group)} distinct identities",
            })  # fmt: skip
    # One item per pair of individuals (or per individual): the strongest pair speaks for
    # the rest, so twins with ten mentions each are one question, not a hundred.
    strongest: dict[tuple[str, str], tuple[float, int, int, str]] = {}
    for (i, j), (p, why) in sorted(review.items()):
        key = (min(pid_of[i], pid_of[j]), max(pid_of[i], pid_of[j]))
        if key not in strongest or p > strongest[key][0]:
            strongest[key] = (p, i, j, why)
    for (pa_, pb_), (p, i, j, why) in sorted(strongest.items()):
        a, b = rep[i], rep[j]
        items.append({
            "item_id": stable_id("pair", a, b), "kind": "pair", "mention_a": a, "mention_b": b,
            "individual_id": pa_ if pa_ == pb_ else None, "score": p, "reason": why,
        })  # fmt: skip
    step()

    with transaction(con):
        con.execute("DELETE FROM individual_mentions")
        con.execute("DELETE FROM individuals")
        con.execute("DELETE FROM review_queue WHERE kind IN ('pair', 'cluster')")
        _insert(con, "individuals", individuals)
        _insert(con, "individual_mentions", links)
        _insert(con, "review_queue", items)
    step()
    if progress is not None:
        progress.done()
    return {
        "mentions": len(mentions),
        "identities": len(records),
        "candidate_pairs": len(scored),
        "individuals": len(individuals),
        "review_items": len(items),
        "trained": int(spec.train),
        "personal_member_ids": int(personal),
        "soft_family_vetoes": int(soft_vetoes),
        "softened_veto_joins": softened_joins,
    }
