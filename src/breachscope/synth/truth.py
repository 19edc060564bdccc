"""Ground truth of a generated case: writing it (``TruthRecorder``) and reading it back.

Three CSV files (four for a scoped case: ``accessed.csv``, see ``synth.scoped``) in ``OUT/truth/`` (outside the evidence, never read by the pipeline):

``people.csv``
    person_id, first_name, middle_name, last_name, suffix, dob (YYYY-MM-DD), ssn (digits,
    empty unless a full SSN of theirs is in the evidence), street, city, state, zip (the
    current address; all four empty when no address of theirs is in the evidence, since
    their state then cannot be known from it), clients (client ids joined by ``|``), is_minor, is_deceased
    (true/false; minor = under 18 on the discovery date), elements (``;``-joined union of
    the categories exposed in their mentions).
``mentions.csv``
    person_id, path (relative to the evidence root; archive members ``a.zip!b/c.csv``,
    nested ``a.zip!b.zip!c.csv``), row_no (1-based record number as a spreadsheet shows
    it, title/header/blank rows included; empty for text), page (PDF page where the
    person's header is; empty otherwise), sheet (workbooks), elements (categories whose
    value is present for that person there).
``files.csv``
    path, expected_status (processed | skipped | failed | out_of_scope), expected_reason
    (``encrypted``, ``corrupt``, ``empty``, ``unsupported``, for scoped cases
    ``not_accessed`` / ``listed_only``, or empty), n_people (distinct people with a
    mention at exactly this path; an archive itself has 0, its members carry the people).
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import duckdb

from breachscope.categories import ELEMENT_SET, ELEMENTS
from breachscope.synth.people import Person

PEOPLE_FIELDS = (
    "person_id", "first_name", "middle_name", "last_name", "suffix", "dob", "ssn", "street",
    "city", "state", "zip", "clients", "is_minor", "is_deceased", "elements",
)  # fmt: skip
MENTION_FIELDS = ("person_id", "path", "row_no", "page", "sheet", "elements")
FILE_FIELDS = ("path", "expected_status", "expected_reason", "n_people")

_ORDER = {e: i for i, e in enumerate(ELEMENTS)}


def join_elements(elements: Iterable[str]) -> str:
    return ";".join(sorted(set(elements), key=_ORDER.__getitem__))


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class TruthPerson:
    person_id: str
    first_name: str
    middle_name: str
    last_name: str
    suffix: str
    dob: str
    ssn: str
    street: str
    city: str
    state: str
    zip: str
    clients: tuple[str, ...]
    is_minor: bool
    is_deceased: bool
    elements: frozenset[str]


@dataclass(frozen=True)
class TruthMention:
    person_id: str
    path: str
    row_no: int | None
    page: int | None
    sheet: str | None
    elements: frozenset[str]


@dataclass(frozen=True)
class TruthFile:
    path: str
    expected_status: str
    expected_reason: str
    n_people: int


@dataclass(frozen=True)
class Truth:
    people: dict[str, TruthPerson]
    mentions: tuple[TruthMention, ...]
    files: tuple[TruthFile, ...]


def _split(v: str, sep: str) -> tuple[str, ...]:
    return tuple(x for x in v.split(sep) if x)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def read_people(path: Path) -> dict[str, TruthPerson]:
    out: dict[str, TruthPerson] = {}
    for r in _rows(path):
        out[r["person_id"]] = TruthPerson(
            person_id=r["person_id"],
            first_name=r["first_name"],
            middle_name=r["middle_name"],
            last_name=r["last_name"],
            suffix=r["suffix"],
            dob=r["dob"],
            ssn=r["ssn"],
            street=r["street"],
            city=r["city"],
            state=r["state"],
            zip=r["zip"],
            clients=_split(r["clients"], "|"),
            is_minor=r["is_minor"] == "true",
            is_deceased=r["is_deceased"] == "true",
            elements=frozenset(_split(r["elements"], ";")),
        )
    return out


def read_mentions(path: Path) -> tuple[TruthMention, ...]:
    return tuple(
        TruthMention(
            person_id=r["person_id"],
            path=r["path"],
            row_no=int(r["row_no"]) if r["row_no"] else None,
            page=int(r["page"]) if r["page"] else None,
            sheet=r["sheet"] or None,
            elements=frozenset(_split(r["elements"], ";")),
        )
        for r in _rows(path)
    )


def read_files(path: Path) -> tuple[TruthFile, ...]:
    return tuple(
        TruthFile(r["path"], r["expected_status"], r["expected_reason"], int(r["n_people"] or 0))
        for r in _rows(path)
    )


def load_truth(case_dir: Path) -> Truth:
    """Read ``truth/`` beside a generated case (``case_dir`` is the folder or its case.toml)."""
    d = case_dir.parent if case_dir.is_file() else case_dir
    t = d / "truth" if (d / "truth").is_dir() else d
    return Truth(
        read_people(t / "people.csv"),
        read_mentions(t / "mentions.csv"),
        read_files(t / "files.csv"),
    )


# --------------------------------------------------------------------------- writing


class TruthRecorder:
    """Collects people and mentions as files are written; writes the three CSVs.

    Everything streams to disk as it is made: mentions to ``mentions.csv``, people (with
    their sequence number) to a scratch file. Only the status of each file is kept in
    memory. At ``finish`` DuckDB aggregates the mentions per person and per file (it
    spills to disk if it must) and the people file is written in one merged pass, so
    memory does not grow with the population.
    """

    def __init__(self, truth_dir: Path) -> None:
        truth_dir.mkdir(parents=True, exist_ok=True)
        self.dir = truth_dir
        self._fh: IO[str] = (truth_dir / "mentions.csv").open("w", newline="", encoding="utf-8")
        self._w = csv.writer(self._fh, lineterminator="\n")
        self._w.writerow(MENTION_FIELDS)
        self._people_fh: IO[str] = (truth_dir / ".people.partial").open(
            "w", newline="", encoding="utf-8"
        )
        self._pw = csv.writer(self._people_fh, lineterminator="\n")
        self.files: dict[str, tuple[str, str]] = {}
        self.n_people = 0
        self.n_mentions = 0

    def person(self, p: Person) -> None:
        """Record a person as made (SSN and elements are settled at ``finish``)."""
        a = p.address
        self.n_people += 1
        self._pw.writerow(
            (
                self.n_people, p.person_id, p.first, p.middle, p.last, p.suffix,
                p.dob.isoformat(), p.ssn or "", a.street, a.city, a.state, a.zip,
                "|".join(sorted(p.clients)), _tf(p.is_minor), _tf(p.is_deceased),
            )
        )  # fmt: skip

    def mention(
        self,
        person_id: str,
        path: str,
        elements: Iterable[str],
        *,
        row_no: int | None = None,
        page: int | None = None,
        sheet: str | None = None,
    ) -> None:
        els = set(elements)
        bad = els - ELEMENT_SET
        if bad:
            raise ValueError(f"not element categories: {sorted(bad)}")
        self._w.writerow(
            (person_id, path, row_no or "", page or "", sheet or "", join_elements(els))
        )
        self.n_mentions += 1

    def file(self, path: str, status: str = "processed", reason: str = "") -> None:
        self.files[path] = (status, reason)

    def finish(self) -> None:
        self._fh.close()
        self._people_fh.close()
        partial = self.dir / ".people.partial"
        spill = self.dir / ".aggregate-spill"
        con = duckdb.connect()
        try:
            con.execute(f"SET temp_directory = '{_sql_path(spill)}'")
            con.execute("SET memory_limit = '1GB'")
            n_people = dict(
                con.execute(_PER_FILE_SQL.format(m=_sql_path(self.dir / "mentions.csv"))).fetchall()
            )
            if self.n_people:
                per_person = con.execute(
                    _PER_PERSON_SQL.format(
                        p=_sql_path(partial), m=_sql_path(self.dir / "mentions.csv")
                    )
                )
                self._write_people(partial, per_person)
            else:  # an empty scratch file has no columns for DuckDB to name
                with (self.dir / "people.csv").open("w", newline="", encoding="utf-8") as fh:
                    csv.writer(fh, lineterminator="\n").writerow(PEOPLE_FIELDS)
        finally:
            con.close()
            shutil.rmtree(spill, ignore_errors=True)
        partial.unlink()
        with (self.dir / "files.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(FILE_FIELDS)
            for path in sorted(self.files):
                status, reason = self.files[path]
                w.writerow((path, status, reason, n_people.get(path, 0)))

    def _write_people(self, partial: Path, per_person: duckdb.DuckDBPyConnection) -> None:
        """people.csv from the scratch file and the per-person element lists, both in the
        order people were made (a merge by sequence number)."""
        ssn_at = PEOPLE_FIELDS.index("ssn")
        addr_at = PEOPLE_FIELDS.index("street")
        with (
            partial.open(newline="", encoding="utf-8") as src,
            (self.dir / "people.csv").open("w", newline="", encoding="utf-8") as fh,
        ):
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(PEOPLE_FIELDS)
            rows = csv.reader(src)
            while chunk := per_person.fetchmany(10_000):
                for seq, joined in chunk:
                    row = next(rows)
                    if int(row[0]) != seq:
                        raise RuntimeError("truth: people scratch file out of step")
                    row = row[1:]
                    els = set(_split(joined or "", ";"))
                    if "ssn" not in els:
                        row[ssn_at] = ""  # the truth lists an SSN only where the evidence has it
                    if "address" not in els:
                        # No address of theirs in the evidence: their state cannot be known
                        # from it, and "unknown state" is what a correct run reports.
                        row[addr_at : addr_at + 4] = ["", "", "", ""]
                    w.writerow([*row, join_elements(els)])


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


_MENTIONS_CSV = (
    "read_csv('{m}', header = true, delim = ',', quote = '\"', escape = '\"', all_varchar = true)"
)
# Distinct people with a mention at exactly each path.
_PER_FILE_SQL = "SELECT path, count(DISTINCT person_id) FROM " + _MENTIONS_CSV + " GROUP BY path"
# Per person made (by sequence number), the ';'-joined elements of all their mentions.
_PER_PERSON_SQL = (
    "SELECT p.seq, m.els FROM"
    " (SELECT CAST(column00 AS BIGINT) AS seq, column01 AS person_id FROM read_csv('{p}',"
    " header = false, delim = ',', quote = '\"', escape = '\"', all_varchar = true)) p"
    " LEFT JOIN (SELECT person_id, string_agg(elements, ';') AS els FROM "
    + _MENTIONS_CSV
    + " GROUP BY person_id) m ON m.person_id = p.person_id"
    " ORDER BY p.seq"
)


def _tf(b: bool) -> str:
    return "true" if b else "false"
