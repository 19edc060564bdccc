"""A scoped variant of a generated case: access logs, a ``[scope]`` table, scoped truth.

``add_scope`` runs after the case is written. It picks the files the intruder touched
(some folders whole, a share of the files in the others), writes the logs of that intrusion
with ``scope.synth_logs.write_logs``, appends the ``[scope]`` table to ``case.toml`` and
rewrites the truth for a scoped run:

* ``truth/accessed.csv`` — path, access (``viewed`` | ``copied``): the true accessed set;
* ``truth/files.csv`` — files not accessed expect ``out_of_scope`` (reason ``listed_only``
  when their names were listed, else ``not_accessed``); members of such archives drop out;
* ``truth/mentions.csv`` — only mentions in accessed files (archive members follow their
  outer file);
* ``truth/people.csv`` — only people with a remaining mention; their elements, SSN,
  address and clients recomputed from those mentions.
"""

from __future__ import annotations

import csv
import datetime as dt
import posixpath
import random
from collections import defaultdict
from pathlib import Path

from breachscope.case import walk_evidence
from breachscope.scope.synth_logs import write_logs
from breachscope.synth.clients import ACCESS_END, ACCESS_START, CLIENTS
from breachscope.synth.truth import (
    FILE_FIELDS,
    MENTION_FIELDS,
    PEOPLE_FIELDS,
    join_elements,
)

ACCOUNTS = ("svc_scan", "CORP\\jdoe-adm")
IPS = ("203.0.113.0/24", "198.51.100.7")
WHOLE_FOLDER = 0.4  # chance a folder is taken whole
PER_FILE = 0.45  # otherwise, chance each file in it is touched


def choose_accessed(paths: list[str], seed: int) -> set[str]:
    """About 60-70% of the files: some folders whole, a random share of the others."""
    rng = random.Random(f"breachscope-synth/{seed}/scope")
    by_dir: dict[str, list[str]] = defaultdict(list)
    for p in paths:
        by_dir[posixpath.dirname(p)].append(p)
    out: set[str] = set()
    for d in sorted(by_dir):
        files = sorted(by_dir[d])
        if rng.random() < WHOLE_FOLDER:
            out.update(files)
        else:
            out.update(p for p in files if rng.random() < PER_FILE)
    if not out and paths:
        out.add(paths[0])
    if out == set(paths) and len(paths) > 1:
        out.discard(sorted(paths)[-1])
    return out


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _write(path: Path, fields: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _clients_of(path: str) -> set[str]:
    low = path.casefold()
    return {c.id for c in CLIENTS if low.startswith(c.folder.casefold() + "/")}


def add_scope(out: Path, seed: int) -> dict[str, str]:
    """Make the generated case under ``out`` a scoped one; returns the true labels."""
    evidence = out / "evidence"
    truth_dir = out / "truth"
    paths = walk_evidence(evidence)
    accessed = choose_accessed(paths, seed)
    window = (
        dt.datetime.combine(ACCESS_START, dt.time(0, 0), dt.UTC),
        dt.datetime.combine(ACCESS_END, dt.time(23, 59, 59), dt.UTC),
    )
    result = write_logs(
        out / "logs", paths, accessed, seed, window, ACCOUNTS, IPS,
        case_dir=out, evidence_root=evidence,
    )  # fmt: skip
    labels: dict[str, str] = result["labels"]
    listed_only: set[str] = result["listed_only"]
    case_toml = out / "case.toml"
    with case_toml.open("a", encoding="utf-8") as fh:
        fh.write("\n" + result["scope_toml"])
    _write(
        truth_dir / "accessed.csv",
        ("path", "access"),
        [{"path": p, "access": labels[p]} for p in sorted(labels)],
    )

    def inside(path: str) -> bool:
        return path.split("!", 1)[0] in labels

    mentions = [m for m in _read(truth_dir / "mentions.csv") if inside(m["path"])]
    _write(truth_dir / "mentions.csv", MENTION_FIELDS, mentions)
    els: dict[str, set[str]] = defaultdict(set)
    clients: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        els[m["person_id"]].update(e for e in m["elements"].split(";") if e)
        # Shared-folder files name the client in a column (org name): any of theirs.
        clients[m["person_id"]] |= _clients_of(m["path"]) or {"*"}
    people = []
    for p in _read(truth_dir / "people.csv"):
        pid = p["person_id"]
        if pid not in els:
            continue
        e = els[pid]
        p["elements"] = join_elements(e)
        if "ssn" not in e:
            p["ssn"] = ""
        if "address" not in e:
            p.update(street="", city="", state="", zip="")
        mine = set(p["clients"].split("|"))
        p["clients"] = "|".join(sorted(mine if "*" in clients[pid] else mine & clients[pid]))
        people.append(p)
    _write(truth_dir / "people.csv", PEOPLE_FIELDS, people)
    files = []
    for f in _read(truth_dir / "files.csv"):
        if not inside(f["path"]):
            if "!" in f["path"]:
                continue
            reason = "listed_only" if f["path"] in listed_only else "not_accessed"
            f.update(expected_status="out_of_scope", expected_reason=reason, n_people="0")
        files.append(f)
    _write(truth_dir / "files.csv", FILE_FIELDS, files)
    return labels
