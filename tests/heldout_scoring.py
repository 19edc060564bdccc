"""The runner and scorer shared by the hand-written held-out evidence sets.

A set (:class:`HeldoutSet`) is its ``case.toml``, its invented people, its files with the
truth beside each, and the providers and staff who must never become data subjects.
``run`` writes it under a temporary root and runs ingest → detect → link → resolve;
``score`` and ``file_score`` compare the store with the truth:

* a person is *found exactly* when one individual, and only one, carries their name
  (first and last, in either order) and a compatible DOB;
* element recall / precision are over (person, category) pairs of found people;
* *extra people* are individuals that are no expected person (a provider, a staff member,
  a fragment such as an SSN with no name).

Names are compared on their letters only, upper case; with ``fold_accents`` the accents
are dropped first (``RAMIREZ`` is ``Ramírez``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    dob: str  # ISO


Expected = dict[str, frozenset[str]]


def cats(s: str) -> frozenset[str]:
    """``"name dob ssn"`` → the set of those categories."""
    return frozenset(s.split())


@dataclass(frozen=True)
class EvidenceFile:
    path: str
    build: Callable[[], bytes]
    truth: Expected
    style: str


@dataclass
class Results:
    files: list[dict[str, Any]]
    mentions: list[dict[str, Any]]
    individuals: list[dict[str, Any]]


@dataclass
class _Counts:
    """True positives, false negatives and false positives, with recall and precision."""

    tp: int = 0
    fn: int = 0
    fp: int = 0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0


@dataclass
class Score(_Counts):
    people: int = 0
    found_exactly: int = 0
    split: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # ids only: never names in reports
    not_subjects: list[str] = field(default_factory=list)
    missed: dict[str, set[str]] = field(default_factory=dict)
    surplus: dict[str, set[str]] = field(default_factory=dict)


@dataclass
class FileScore(_Counts):
    """Per (file, person) pair: was the person read in that file, with which categories."""

    pairs: int = 0
    found: int = 0
    unexpected: int = 0  # named mentions in a file that are no expected person of it
    per_file: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # tp, fn, fp


def _tok_plain(s: str | None) -> str:
    return "".join(ch for ch in (s or "").upper() if ch.isalpha())


def _tok_folded(s: str | None) -> str:
    """Upper case, accents dropped, letters only: ``de la Cruz`` → ``DELACRUZ``."""
    folded = unicodedata.normalize("NFKD", s or "")
    return "".join(ch for ch in folded.upper() if ch.isalpha() and ch.isascii())


@dataclass(frozen=True)
class HeldoutSet:
    case_toml: str
    people: Mapping[str, Person]
    files: tuple[EvidenceFile, ...]
    not_subjects: tuple[tuple[str, str], ...]
    fold_accents: bool = False

    # ------------------------------------------------------------------ the set

    def expected_people(self) -> dict[str, frozenset[str]]:
        """Each person's exposed categories over the whole set."""
        out: dict[str, set[str]] = {}
        for f in self.files:
            for k, c in f.truth.items():
                out.setdefault(k, set()).update(c)
        return {k: frozenset(v) for k, v in out.items()}

    def write_case(self, root: Path) -> Path:
        """Write the evidence and ``case.toml`` under ``root``; returns the case file."""
        ev = root / "evidence"
        for f in self.files:
            p = ev / f.path
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(f.build())
        (root / "case.toml").write_text(self.case_toml)
        return root / "case.toml"

    def run(self, root: Path) -> Results:
        """Run ingest → detect → link → resolve on the set written under ``root``."""
        from breachscope.case import load_case
        from breachscope.pipeline import run_all
        from breachscope.store import fetch_dicts, open_case_store

        case = load_case(self.write_case(root))
        run_all(case, stages=("ingest", "detect", "link", "resolve"))
        con = open_case_store(case, read_only=True)
        try:
            return Results(
                files=fetch_dicts(con, "SELECT path, status, reason, detected_type FROM files"),
                mentions=fetch_dicts(
                    con,
                    "SELECT path, row_no, first_name, last_name, dob, elements FROM mentions",
                ),
                individuals=fetch_dicts(
                    con,
                    "SELECT individual_id, first_name, last_name, dob, elements, n_mentions, "
                    "state, client_ids FROM individuals",
                ),
            )
        finally:
            con.close()

    # ------------------------------------------------------------------ matching

    def tok(self, s: str | None) -> str:
        return _tok_folded(s) if self.fold_accents else _tok_plain(s)

    def name_matches(self, row: dict[str, Any], first: str, last: str) -> bool:
        """The row's name is this first and last name, in either order."""
        got = {self.tok(row.get("first_name")), self.tok(row.get("last_name"))}
        return got == {self.tok(first), self.tok(last)}

    def is_person(self, row: dict[str, Any], p: Person) -> bool:
        if not self.name_matches(row, p.first, p.last):
            return False
        dob = row.get("dob")
        return dob is None or str(dob) == p.dob

    def mention_elements(self, res: Results, path: str, p: Person) -> set[str] | None:
        """Union of the categories of this person's mentions in one file (None: not found)."""
        rows = [m for m in res.mentions if m["path"] == path and self.is_person(m, p)]
        if not rows:
            return None
        return {c for m in rows for c in (m["elements"] or [])}

    # ------------------------------------------------------------------ checks
    # The assertions every held-out test file makes, written once.

    def person_params(self, known: Mapping[str, Any]) -> list[Any]:
        """Each expected person's key as a pytest parameter, marked from ``known``."""
        import pytest

        return [pytest.param(k, marks=known.get(k, ())) for k in sorted(self.expected_people())]

    def file_params(self, known: Mapping[str, Any]) -> list[Any]:
        """Each file with people in it as a pytest parameter, marked from ``known``."""
        import pytest

        return [pytest.param(f.path, marks=known.get(f.path, ())) for f in self.files if f.truth]

    def check_every_file_read(self, res: Results) -> None:
        status = {f["path"]: f["status"] for f in res.files}
        assert status == {f.path: "processed" for f in self.files}

    def check_one_individual(self, res: Results, key: str, dob: str | None = None) -> None:
        """The person is exactly one individual, with ``dob`` (default: the person's)."""
        found = [i for i in res.individuals if self.is_person(i, self.people[key])]
        assert len(found) == 1
        assert str(found[0]["dob"]) == (self.people[key].dob if dob is None else dob)

    def check_categories(self, res: Results, key: str) -> None:
        want = self.expected_people()[key]
        (ind,) = [i for i in res.individuals if self.is_person(i, self.people[key])]
        assert set(ind["elements"]) == want

    def check_no_extra_and_no_staff(self, res: Results) -> None:
        assert self.score(res).extra == []
        for first, last in self.not_subjects:
            assert not [m for m in res.mentions if self.name_matches(m, first, last)], last

    def check_file(self, res: Results, path: str) -> None:
        """The file gives each of its people with exactly their categories, and names
        nobody else."""
        (f,) = [f for f in self.files if f.path == path]
        got = {k: self.mention_elements(res, path, self.people[k]) for k in f.truth}
        assert got == {k: set(v) for k, v in f.truth.items()}
        named = [
            m for m in res.mentions if m["path"] == path and (m["first_name"] or m["last_name"])
        ]
        assert all(any(self.is_person(m, self.people[k]) for k in f.truth) for m in named)

    # ------------------------------------------------------------------ scoring

    def score(self, res: Results) -> Score:
        s = Score()
        want = self.expected_people()
        s.people = len(want)
        claimed: set[str] = set()
        for key, c in want.items():
            p = self.people[key]
            ind = [i for i in res.individuals if self.is_person(i, p)]
            claimed.update(i["individual_id"] for i in ind)
            if not ind:
                s.missing.append(key)
                s.fn += len(c)
                s.missed[key] = set(c)
                continue
            if len(ind) > 1:
                s.split.append(key)
            else:
                s.found_exactly += 1
            got = {x for i in ind for x in (i["elements"] or [])}
            s.tp += len(c & got)
            s.fn += len(c - got)
            s.fp += len(got - c)
            if c - got:
                s.missed[key] = set(c - got)
            if got - c:
                s.surplus[key] = got - c
        for i in res.individuals:
            if i["individual_id"] in claimed:
                continue
            s.extra.append(i["individual_id"])
            if any(self.name_matches(i, f, last) for f, last in self.not_subjects):
                s.not_subjects.append(i["individual_id"])
        return s

    def file_score(self, res: Results) -> FileScore:
        s = FileScore()
        for f in self.files:
            tp = fn = fp = 0
            for key, c in f.truth.items():
                s.pairs += 1
                got = self.mention_elements(res, f.path, self.people[key])
                if got is None:
                    fn += len(c)
                    continue
                s.found += 1
                tp += len(c & got)
                fn += len(c - got)
                fp += len(got - c)
            for m in res.mentions:
                if m["path"] != f.path or not (m["first_name"] or m["last_name"]):
                    continue
                if not any(self.is_person(m, self.people[k]) for k in f.truth):
                    s.unexpected += 1
            s.tp, s.fn, s.fp = s.tp + tp, s.fn + fn, s.fp + fp
            s.per_file[f.path] = (tp, fn, fp)
        return s

    def category_scores(self, res: Results) -> dict[str, tuple[int, int, int]]:
        """Per category over (file, person) pairs: (tp, fn, fp)."""
        out: dict[str, list[int]] = {}
        for f in self.files:
            for key, c in f.truth.items():
                got = self.mention_elements(res, f.path, self.people[key]) or set()
                for x in c | got:
                    row = out.setdefault(x, [0, 0, 0])
                    row[0 if x in c and x in got else 1 if x in c else 2] += 1
        return {k: (v[0], v[1], v[2]) for k, v in sorted(out.items())}

    def report(self, res: Results) -> str:
        """A plain summary for a terminal: per file, each expected person's missed and
        surplus categories, and every unexpected mention (the data are invented)."""
        out: list[str] = []
        for f in self.files:
            out.append(f"== {f.path} [{f.style}]")
            for key, c in f.truth.items():
                got = self.mention_elements(res, f.path, self.people[key])
                if got is None:
                    out.append(f"   {key}: NOT FOUND")
                elif got != c:
                    out.append(f"   {key}: missed={sorted(c - got)} surplus={sorted(got - c)}")
            for m in res.mentions:
                if m["path"] != f.path:
                    continue
                if not any(self.is_person(m, self.people[k]) for k in f.truth):
                    out.append(
                        f"   unexpected row={m['row_no']} {m['first_name']!r} "
                        f"{m['last_name']!r} {m['dob']} {sorted(m['elements'] or [])}"
                    )
        s = self.score(res)
        fs = self.file_score(res)
        out.append(
            f"people={s.people} exact={s.found_exactly} split={s.split} missing={s.missing} "
            f"extra={len(s.extra)} not_subjects={len(s.not_subjects)}"
        )
        out.append(f"person elements: recall={s.recall:.3f} precision={s.precision:.3f}")
        out.append(f"missed={s.missed}")
        out.append(f"surplus={s.surplus}")
        out.append(
            f"file pairs={fs.pairs} found={fs.found} unexpected={fs.unexpected} "
            f"recall={fs.recall:.3f} precision={fs.precision:.3f}"
        )
        for k, (tp, fn, fp) in self.category_scores(res).items():
            out.append(f"   {k}: tp={tp} fn={fn} fp={fp}")
        return "\n".join(out)
