"""Score a run against ground truth (the synthetic generator's ``truth/`` folder).

Each stored mention is mapped to a true person by its provenance (file path + row for
tables; file + page + name for text), each individual to the true person most of its
mentions belong to. From that:

* people recall: true people with at least one individual;
* people precision: individuals that are the first for a real person (not a duplicate,
  not a non-person such as a staff member);
* duplicate rows: individuals that repeat a person already counted;
* element precision/recall/F1 over (person, category) pairs of matched individuals;
* client, state, minor and deceased accuracy over matched individuals;
* file status accuracy over every file and archive member the truth lists.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz.distance import JaroWinkler

from breachscope.case import Case
from breachscope.errors import TruthError
from breachscope.store import fetch_dicts, open_case_store
from breachscope.synth.truth import TruthPerson, read_files, read_mentions, read_people


@dataclass
class Report:
    true_people: int = 0
    individuals: int = 0
    matched_people: int = 0
    duplicates: int = 0
    non_people: int = 0
    impure: int = 0
    people_recall: float = 0.0
    people_precision: float = 0.0
    duplicate_rate: float = 0.0
    element_precision: float = 0.0
    element_recall: float = 0.0
    element_f1: float = 0.0
    client_accuracy: float = 0.0
    state_accuracy: float = 0.0
    minor_accuracy: float = 0.0
    deceased_accuracy: float = 0.0
    name_accuracy: float = 0.0
    dob_accuracy: float = 0.0
    files_total: int = 0
    files_accounted: int = 0
    file_status_accuracy: float = 0.0
    per_element: dict[str, dict[str, float]] = field(default_factory=dict)
    file_errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _truth_file(path: Path) -> Path:
    if not path.is_file():
        raise TruthError(
            f"ground truth file {path.name} not found",
            hint="evaluate needs a case made by 'breachscope synth'",
        )
    return path


def _norm(s: str | None) -> str:
    return "".join(ch for ch in (s or "").upper() if ch.isalpha())


def _name_score(m: dict[str, Any], p: TruthPerson) -> float:
    last = JaroWinkler.similarity(_norm(m.get("last_name")), _norm(p.last_name))
    first = JaroWinkler.similarity(_norm(m.get("first_name")), _norm(p.first_name))
    swapped = JaroWinkler.similarity(_norm(m.get("last_name")), _norm(p.first_name))
    dob = 0.5 if m.get("dob") and str(m.get("dob")) == p.dob else 0.0
    return max(last + first * 0.5, swapped * 0.8) + dob


def _pct(a: int, b: int) -> float:
    return round(a / b, 4) if b else 1.0


class TruthIndex:
    """Maps a stored mention to the true person behind it by provenance: the file and row
    (and sheet) for tables; for text, the file and the best-matching name."""

    def __init__(self, truth_dir: Path) -> None:
        self.people = read_people(_truth_file(truth_dir / "people.csv"))
        self.mentions = read_mentions(_truth_file(truth_dir / "mentions.csv"))
        self.by_row: dict[tuple[str, str, int], list[str]] = defaultdict(list)
        self.by_path: dict[str, list[str]] = defaultdict(list)
        for tm in self.mentions:
            if tm.row_no is not None:
                self.by_row[(tm.path, tm.sheet or "", tm.row_no)].append(tm.person_id)
            self.by_path[tm.path].append(tm.person_id)

    def person_for(self, m: dict[str, Any]) -> str | None:
        """``m`` has path, sheet ('' when none), row_no, first_name, last_name, dob."""
        cands: list[str] = []
        if m["row_no"] is not None:
            cands = self.by_row.get((m["path"], m["sheet"], int(m["row_no"])), [])
        if not cands:
            cands = self.by_path.get(m["path"], [])
        cands = list(dict.fromkeys(cands))
        if not cands:
            return None
        if len(cands) == 1 and m["row_no"] is not None:
            return cands[0]
        best = max(cands, key=lambda pid: _name_score(m, self.people[pid]))
        return best if _name_score(m, self.people[best]) >= 1.2 else None


def evaluate_case(case: Case, truth_dir: Path | None = None) -> Report:
    """Compare the store's individuals and files with the ground truth."""
    tdir = truth_dir or case.root / "truth"
    index = TruthIndex(tdir)
    people = index.people
    tfiles = read_files(_truth_file(tdir / "files.csv"))

    con = open_case_store(case, read_only=True)
    try:
        mentions = fetch_dicts(
            con,
            "SELECT m.mention_id, m.path, m.row_no, m.page, m.first_name, m.last_name, m.dob, "
            "coalesce(d.sheet, '') AS sheet, im.individual_id FROM mentions m "
            "JOIN individual_mentions im USING (mention_id) LEFT JOIN documents d USING (doc_id)",
        )
        individuals = {r["individual_id"]: r for r in fetch_dicts(con, "SELECT * FROM individuals")}
        files = {r["path"]: r for r in fetch_dicts(con, "SELECT path, status, reason FROM files")}
    finally:
        con.close()

    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        pid = index.person_for(m)
        votes[m["individual_id"]][pid or ""] += 1

    report = Report(true_people=len(people), individuals=len(individuals))
    claimed: dict[str, str] = {}
    # Claim people in order of support so the best-supported individual is the "first".
    ranked = sorted(votes.items(), key=lambda kv: (-max(kv[1].values()), kv[0]))
    for iid, counter in ranked:
        real = Counter({k: v for k, v in counter.items() if k})
        if not real:
            report.non_people += 1
            continue
        if len(real) > 1:
            report.impure += 1
        pid = real.most_common(1)[0][0]
        if pid in claimed:
            report.duplicates += 1
        else:
            claimed[pid] = iid
    report.non_people += len(set(individuals) - set(votes))
    report.matched_people = len(claimed)
    report.people_recall = _pct(len(claimed), len(people))
    report.people_precision = _pct(len(claimed), len(individuals))
    report.duplicate_rate = _pct(report.duplicates, len(individuals)) if individuals else 0.0

    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    ok_client = ok_state = ok_minor = ok_dec = ok_name = ok_dob = 0
    for pid, iid in claimed.items():
        p, ind = people[pid], individuals[iid]
        truth_el = set(p.elements)
        pred_el = set(ind.get("elements") or [])
        for e in truth_el & pred_el:
            tp[e] += 1
        for e in pred_el - truth_el:
            fp[e] += 1
        for e in truth_el - pred_el:
            fn[e] += 1
        ok_client += set(ind.get("client_ids") or []) == set(p.clients)
        ok_state += (ind.get("state") or "") == p.state
        ok_minor += bool(ind.get("is_minor")) == p.is_minor
        ok_dec += bool(ind.get("is_deceased")) == p.is_deceased
        ok_name += _norm(ind.get("last_name")) == _norm(p.last_name) and _norm(
            ind.get("first_name")
        ) == _norm(p.first_name)
        ok_dob += str(ind.get("dob") or "") == p.dob
    n = len(claimed)
    t, f_p, f_n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    report.element_precision = _pct(t, t + f_p)
    report.element_recall = _pct(t, t + f_n)
    pr, rc = report.element_precision, report.element_recall
    report.element_f1 = round(2 * pr * rc / (pr + rc), 4) if pr + rc else 0.0
    for e in sorted(set(tp) | set(fp) | set(fn)):
        report.per_element[e] = {
            "precision": _pct(tp[e], tp[e] + fp[e]),
            "recall": _pct(tp[e], tp[e] + fn[e]),
            "support": tp[e] + fn[e],
        }
    report.client_accuracy = _pct(ok_client, n)
    report.state_accuracy = _pct(ok_state, n)
    report.minor_accuracy = _pct(ok_minor, n)
    report.deceased_accuracy = _pct(ok_dec, n)
    report.name_accuracy = _pct(ok_name, n)
    report.dob_accuracy = _pct(ok_dob, n)

    report.files_total = len(tfiles)
    ok_status = 0
    for tf in tfiles:
        got = files.get(tf.path)
        if got is not None:
            report.files_accounted += 1
            if got["status"] == tf.expected_status:
                ok_status += 1
                continue
        report.file_errors.append(
            f"{tf.path}: expected {tf.expected_status}, got {got['status'] + ' ' + got['reason'] if got else 'nothing'}"
        )
    report.file_status_accuracy = _pct(ok_status, len(tfiles))
    return report


def format_report(r: Report) -> str:
    lines = [
        f"people:   recall {r.people_recall:.4f}  precision {r.people_precision:.4f}  "
        f"({r.matched_people}/{r.true_people} true people found; {r.individuals} individuals; "
        f"{r.duplicates} duplicates, {r.non_people} not people, {r.impure} mixed)",
        f"duplicate rows: {r.duplicate_rate:.4%}",
        f"elements: precision {r.element_precision:.4f}  recall {r.element_recall:.4f}  F1 {r.element_f1:.4f}",
        f"client accuracy {r.client_accuracy:.4f}   state accuracy {r.state_accuracy:.4f}   "
        f"minor {r.minor_accuracy:.4f}   deceased {r.deceased_accuracy:.4f}",
        f"best record: name {r.name_accuracy:.4f}   dob {r.dob_accuracy:.4f}",
        f"files: {r.files_accounted}/{r.files_total} accounted for, status accuracy {r.file_status_accuracy:.4f}",
        "per element (precision / recall / support):",
    ]
    for e, v in r.per_element.items():
        lines.append(f"  {e:<18} {v['precision']:.3f} / {v['recall']:.3f} / {int(v['support'])}")
    if r.file_errors:
        lines.append("file status differences:")
        lines.extend(f"  {x}" for x in r.file_errors[:50])
    return "\n".join(lines)
