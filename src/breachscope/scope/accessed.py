"""The accessed set: which evidence files (and database tables) the intruder touched.

``compute_accessed_set`` reads the case's access logs, keeps the accesses inside the window
made by a listed account or from a listed address, maps their paths onto the evidence
listing and labels each file ``listed`` < ``viewed`` < ``copied``. The ingest stage asks
``AccessedSet.status(path)`` whether to mine a file.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from breachscope.case import glob_to_regex, path_candidates
from breachscope.scope.config import ScopeConfig
from breachscope.scope.logs import read_log
from breachscope.scope.model import RANK, Access, LogResult, stronger
from breachscope.scope.paths import EvidenceIndex, PathResolver

MAX_SOURCES = 20


@dataclass
class FileAccess:
    """Everything the matching accesses say about one evidence file, folder or table."""

    path: str
    action: str = "listed"
    first: dt.datetime | None = None
    last: dt.datetime | None = None
    accounts: set[str] = field(default_factory=set)
    ips: set[str] = field(default_factory=set)
    actions: dict[str, int] = field(default_factory=dict)
    n_events: int = 0
    bytes_read: int | None = None
    tables: set[str] | None = None  # database tables read in this file (dumps)
    whole: bool = False  # the file itself was read, not only tables in it
    sources: list[tuple[str, int]] = field(default_factory=list)

    def add(self, acc: Access | None, action: str, actor: str, *, table: str | None = None) -> None:
        self.action = stronger(action, self.action) if self.n_events else action
        self.actions[action] = self.actions.get(action, 0) + 1
        self.n_events += 1
        if actor:
            self.accounts.add(actor)
        if table is not None:
            self.tables = (self.tables or set()) | {table}
        elif action != "listed":
            self.whole = True
        if acc is None:
            return
        if acc.ip:
            self.ips.add(acc.ip)
        self.first = acc.time if self.first is None else min(self.first, acc.time)
        self.last = acc.time if self.last is None else max(self.last, acc.time)
        if acc.bytes_read is not None:
            self.bytes_read = max(self.bytes_read or 0, acc.bytes_read)
        if len(self.sources) < MAX_SOURCES:
            self.sources.append((acc.source_file, acc.line_no))


@dataclass(frozen=True)
class FileScope:
    """The ingest stage's answer for one evidence path.

    ``reason`` is '' when in scope, else ``not_accessed`` or ``listed_only``; ``tables`` is
    None when the whole file is in scope, else the database tables that were read in it.
    """

    in_scope: bool
    reason: str = ""
    access: str | None = None
    first: dt.datetime | None = None
    last: dt.datetime | None = None
    accounts: tuple[str, ...] = ()
    tables: frozenset[str] | None = None


@dataclass(frozen=True)
class ScopeEvent:
    """One matching access to one evidence file (feeds the per-day / per-account report)."""

    day: dt.date
    path: str
    actor: str
    action: str


@dataclass
class ScopeReport:
    """Report data: rows ready for a table or a chart."""

    per_day: list[dict[str, object]]
    per_account: list[dict[str, object]]
    per_client: list[dict[str, object]]
    missing_from_evidence: list[dict[str, object]]
    tables: list[dict[str, object]]
    logs: list[dict[str, object]]
    totals: dict[str, int]


@dataclass
class AccessedSet:
    """What the intruder touched, per evidence file."""

    config: ScopeConfig
    files: dict[str, FileAccess] = field(default_factory=dict)
    directories: dict[str, FileAccess] = field(default_factory=dict)
    missing: dict[str, FileAccess] = field(default_factory=dict)
    tables: dict[str, FileAccess] = field(default_factory=dict)
    events: list[ScopeEvent] = field(default_factory=list)
    logs: list[LogResult] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    unmapped: Counter[str] = field(default_factory=Counter)
    sizes: Mapping[str, int] = field(default_factory=dict)
    _cf: dict[str, str] = field(default_factory=dict, repr=False)

    def _record(self, path: str) -> FileAccess | None:
        rec = self.files.get(path)
        if rec is None:
            key = self._cf.get(path.casefold())
            rec = self.files.get(key) if key else None
        return rec

    def status(self, path: str) -> FileScope:
        """Whether ingest mines an evidence path (``a.zip!b.csv`` follows ``a.zip``)."""
        if not self.config.enabled:
            return FileScope(True)
        rec = None
        for cand in (path, *path_candidates(path)):
            rec = self._record(cand)
            if rec is not None:
                break
        if rec is None:
            return FileScope(False, "not_accessed")
        if rec.action == "listed" and not self.config.include_listed:
            return FileScope(
                False, "listed_only", "listed", rec.first, rec.last, tuple(sorted(rec.accounts))
            )
        return FileScope(
            True,
            "",
            rec.action,
            rec.first,
            rec.last,
            tuple(sorted(rec.accounts)),
            None if rec.whole or rec.tables is None else frozenset(rec.tables),
        )

    def accessed_paths(self, *, include_listed: bool | None = None) -> set[str]:
        """Evidence paths in scope (viewed or copied; listed too when asked or configured)."""
        listed = self.config.include_listed if include_listed is None else include_listed
        return {p for p, r in self.files.items() if r.action != "listed" or listed}

    def files_missing_from_evidence(self) -> list[FileAccess]:
        """Accessed per the logs (under a mapped folder) but absent from the evidence copy."""
        return [
            r for r in sorted(self.missing.values(), key=lambda r: r.path) if r.action != "listed"
        ]

    def rows(self) -> list[dict[str, object]]:
        """One row per evidence file with an access, for a store table or ``out/`` CSV."""
        out: list[dict[str, object]] = []
        for p in sorted(self.files):
            r = self.files[p]
            st = self.status(p)
            out.append(
                {
                    "path": p,
                    "access": r.action,
                    "in_scope": st.in_scope,
                    "first_access": r.first,
                    "last_access": r.last,
                    "accounts": sorted(r.accounts),
                    "ips": sorted(r.ips),
                    "n_events": r.n_events,
                    "tables": None if r.whole or r.tables is None else sorted(r.tables),
                    "sources": [f"{f}:{n}" for f, n in r.sources],
                }
            )
        return out

    def report(self, client_for_path: Callable[[str], Sequence[str]] | None = None) -> ScopeReport:
        """Files and volume per day, per account and per client, plus the evidence gap."""
        in_scope = self.accessed_paths()

        def volume(paths: Iterable[str]) -> int:
            return sum(self.sizes.get(p, 0) for p in paths)

        days: dict[dt.date, set[str]] = {}
        accts: dict[str, set[str]] = {}
        acct_actions: dict[str, Counter[str]] = {}
        for ev in self.events:
            if ev.path not in in_scope:
                continue
            days.setdefault(ev.day, set()).add(ev.path)
            accts.setdefault(ev.actor, set()).add(ev.path)
            acct_actions.setdefault(ev.actor, Counter())[ev.action] += 1
        per_day = [
            {"day": d.isoformat(), "files": len(ps), "bytes": volume(ps)}
            for d, ps in sorted(days.items())
        ]
        per_account = [
            {
                "account": a,
                "files": len(ps),
                "bytes": volume(ps),
                "viewed": acct_actions[a]["viewed"],
                "copied": acct_actions[a]["copied"],
            }
            for a, ps in sorted(accts.items())
        ]
        clients: dict[str, set[str]] = {}
        for p in in_scope:
            ids = list(client_for_path(p)) if client_for_path else []
            for cid in ids or ["(no client)"]:
                clients.setdefault(cid, set()).add(p)
        per_client = [
            {
                "client": c,
                "files": len(ps),
                "bytes": volume(ps),
                "copied": sum(1 for p in ps if self.files[p].action == "copied"),
                "viewed": sum(1 for p in ps if self.files[p].action == "viewed"),
            }
            for c, ps in sorted(clients.items())
        ]
        missing: list[dict[str, object]] = [
            {
                "path": r.path,
                "access": r.action,
                "first_access": r.first,
                "last_access": r.last,
                "accounts": sorted(r.accounts),
            }
            for r in self.files_missing_from_evidence()
        ]
        tables: list[dict[str, object]] = [
            {
                "table": t,
                "access": r.action,
                "first_access": r.first,
                "last_access": r.last,
                "accounts": sorted(r.accounts),
                "evidence_files": sorted(
                    p for p, f in self.files.items() if f.tables and t in f.tables
                ),
            }
            for t, r in sorted(self.tables.items())
        ]
        logs = [
            {
                "log": lr.source_file,
                "formats": lr.formats,
                "encoding": lr.encoding,
                "lines": lr.n_lines,
                "accesses": len(lr.accesses),
                "malformed": dict(lr.malformed),
                "malformed_lines": {k: v for k, v in lr.malformed_lines.items()},
            }
            for lr in self.logs
        ]
        totals = {
            "files_in_scope": len(in_scope),
            "copied": sum(1 for p in in_scope if self.files[p].action == "copied"),
            "viewed": sum(1 for p in in_scope if self.files[p].action == "viewed"),
            "listed_only": sum(1 for r in self.files.values() if r.action == "listed"),
            "missing_from_evidence": len(missing),
            "bytes": volume(in_scope),
            **{k: v for k, v in self.counts.items()},
        }
        return ScopeReport(per_day, per_account, per_client, missing, tables, logs, totals)


# ----------------------------------------------------------------------------- compute


def read_logs(config: ScopeConfig) -> list[LogResult]:
    """Parse every log named by the scope config (a file that cannot be opened is counted)."""
    results: list[LogResult] = []
    for spec in config.logs:
        try:
            results.append(
                read_log(spec.path, label=spec.label, options=spec.options, format=spec.format)
            )
        except OSError as exc:
            lr = LogResult(source_file=spec.label)
            lr.malformed[f"cannot open: {type(exc).__name__}"] += 1
            results.append(lr)
    return results


def compute_accessed_set(
    config: ScopeConfig,
    evidence_paths: Iterable[str],
    *,
    sizes: Mapping[str, int] | None = None,
    log_results: list[LogResult] | None = None,
) -> AccessedSet:
    """The accessed set for a case.

    ``evidence_paths`` are paths relative to the evidence root (archive members as
    ``a.zip!b.csv`` may be included); ``sizes`` (bytes per path) lets a partial read be told
    from a whole-file copy and feeds the volume report; ``log_results`` skips reading the
    logs again when they were already parsed.
    """
    paths = list(evidence_paths)
    result = AccessedSet(config=config, sizes=dict(sizes or {}))
    if not config.enabled:
        return result
    index = EvidenceIndex(paths)
    resolver = PathResolver(config.path_map, index, suffix_match=config.suffix_match)
    result.logs = log_results if log_results is not None else read_logs(config)
    sizes_cf = {p.casefold(): s for p, s in (sizes or {}).items()}
    table_rules = [(name, [glob_to_regex(g) for g in globs]) for name, globs in config.tables]
    table_cache: dict[str, list[str]] = {}

    for pattern in config.paths:
        rx = glob_to_regex(pattern)
        for p in paths:
            if any(rx.match(c) for c in path_candidates(p)):
                _file(result, p).add(None, "copied", "(case file)")

    for lr in result.logs:
        for acc in lr.accesses:
            if not config.in_window(acc.time):
                result.counts["outside window"] += 1
                continue
            if not config.actor_matches(acc.account, acc.ip):
                result.counts["other actor"] += 1
                continue
            result.counts["matching accesses"] += 1
            actor = _actor(config, acc)
            if acc.table is not None:
                _table_access(result, acc, actor, paths, table_rules, table_cache)
                continue
            _file_access(result, acc, actor, resolver, index, sizes_cf)
    result._cf = {p.casefold(): p for p in result.files}
    return result


def _actor(config: ScopeConfig, acc: Access) -> str:
    """Report label: the listed account it matched, else the logged account or address."""
    a = config.matched_account(acc.account)
    return a.text if a else acc.account or acc.ip or "(unknown)"


def _file(result: AccessedSet, path: str) -> FileAccess:
    rec = result.files.get(path)
    if rec is None:
        rec = result.files[path] = FileAccess(path)
    return rec


def _event(result: AccessedSet, acc: Access, path: str, action: str, actor: str) -> None:
    result.events.append(ScopeEvent(acc.time.date(), path, actor, action))


def _file_access(
    result: AccessedSet,
    acc: Access,
    actor: str,
    resolver: PathResolver,
    index: EvidenceIndex,
    sizes_cf: Mapping[str, int],
) -> None:
    res = resolver.resolve(acc.path_or_object)
    for alias in acc.aliases:
        if res.kind != "unmapped":
            break
        res = resolver.resolve(alias)
    if res.kind == "unmapped":
        result.counts["outside the evidence tree"] += 1
        result.unmapped[posixpath.dirname(res.path) or res.path] += 1
        return
    if res.kind == "missing":
        rec = result.missing.get(res.path) or FileAccess(res.path)
        result.missing[res.path] = rec
        rec.add(acc, acc.action, actor)
        return
    if res.kind == "file":
        action = _whole_or_part(acc, sizes_cf.get(res.path.casefold()))
        _file(result, res.path).add(acc, action, actor)
        _event(result, acc, res.path, action, actor)
        return
    if res.kind == "glob":
        for p in res.files:
            _file(result, p).add(acc, acc.action, actor)
            _event(result, acc, p, acc.action, actor)
        return
    # A folder: read recursively by an archiver / transfer / prefix listing, else listed.
    dir_cf = res.path.casefold()
    drec = result.directories.get(res.path) or FileAccess(res.path)
    result.directories[res.path] = drec
    drec.add(acc, "listed", actor)
    if acc.recursive:
        for p in index.under(dir_cf):
            _file(result, p).add(acc, acc.action, actor)
            _event(result, acc, p, acc.action, actor)
    else:
        for p in index.direct(dir_cf):
            _file(result, p).add(acc, "listed", actor)


def _whole_or_part(acc: Access, known_size: int | None) -> str:
    """A transfer of fewer bytes than the file holds is a view; reading it all is a copy."""
    size = known_size if known_size is not None else acc.object_size
    if acc.bytes_read is None or size is None or acc.action == "listed":
        return acc.action
    if acc.bytes_read >= size:
        return "copied"
    return "viewed" if RANK[acc.action] >= RANK["viewed"] else acc.action


def _table_key_matches(rule: str, table: str) -> bool:
    r = [p for p in rule.casefold().split(".") if p]
    t = [p for p in table.casefold().split(".") if p]
    return len(r) <= len(t) and t[-len(r) :] == r


_EXT = re.compile(r"(\.[A-Za-z0-9]{1,8}){1,2}$")


def _table_access(
    result: AccessedSet,
    acc: Access,
    actor: str,
    paths: list[str],
    table_rules: list[tuple[str, list[re.Pattern[str]]]],
    cache: dict[str, list[str]],
) -> None:
    table = acc.table or ""
    trec = result.tables.get(table) or FileAccess(table)
    result.tables[table] = trec
    trec.add(acc, acc.action, actor)
    if table not in cache:
        cache[table] = _table_files(table, paths, table_rules)
    # A table's name (its unqualified part) marks what ingest should mine in a multi-table dump.
    short = table.split(".", 1)[1] if table.count(".") >= 2 else table
    for p in cache[table]:
        _file(result, p).add(acc, acc.action, actor, table=short)
        _event(result, acc, p, acc.action, actor)


def _table_files(
    table: str, paths: list[str], table_rules: list[tuple[str, list[re.Pattern[str]]]]
) -> list[str]:
    rules = [rxs for name, rxs in table_rules if _table_key_matches(name, table)]
    if rules:
        hits = [
            p
            for p in paths
            if any(rx.match(c) for rxs in rules for rx in rxs for c in path_candidates(p))
        ]
    else:
        # No mapping: a dump named after the table (members.csv, public.members.sql.gz …).
        parts = table.casefold().split(".")
        names = {".".join(parts[i:]) for i in range(len(parts))}
        hits = []
        for p in paths:
            base = posixpath.basename(p.split("!")[-1]).casefold()
            stems = {base.rsplit(".", 1)[0], _EXT.sub("", base)}
            if stems & names:
                hits.append(p)
    return hits
