"""The case file (``case.toml``): incident facts, clients, settings.

``load_case`` validates everything before any work starts and raises one
:class:`~breachscope.errors.CaseFileError` that lists every problem with its line.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from breachscope.scope.config import ScopeConfig

from breachscope.errors import CaseFileError

CLIENT_KINDS = ("provider", "health_plan", "clearinghouse", "other")
ROLES = ("business_associate", "covered_entity")
ENGINES = ("duckdb", "spark")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


@dataclass(frozen=True)
class Client:
    """A client of the reporting entity whose data was in the evidence."""

    id: str
    name: str
    kind: str
    covered_entity: bool
    paths: tuple[str, ...]
    org_names: tuple[str, ...] = ()
    org_ids: tuple[str, ...] = ()
    contact: str = ""

    @cached_property
    def _patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(glob_to_regex(g) for g in self.paths)

    def matches(self, path: str) -> bool:
        """True when an evidence path (``a/b.zip!c.csv`` for members) is under this client."""
        return any(p.match(c) for p in self._patterns for c in path_candidates(path))


@dataclass(frozen=True)
class Incident:
    name: str
    discovery_date: dt.date
    access_start: dt.date | None
    access_end: dt.date | None
    description: str = ""


@dataclass(frozen=True)
class ReportingEntity:
    name: str
    role: str
    address: str = ""
    phone: str = ""
    website: str = ""
    email: str = ""


@dataclass(frozen=True)
class Settings:
    engine: str = "duckdb"
    workers: int = 0  # 0 = one per core
    store: str = "case.duckdb"
    out: str = "out"
    review_low: float = 0.5  # match probabilities in [review_low, review_high) go to review
    review_high: float = 0.95
    passwords: tuple[str, ...] = ()
    encrypt: bool = True
    key_file: str = ""


@dataclass(frozen=True)
class Case:
    """A loaded, validated case."""

    path: Path
    evidence: Path
    incident: Incident
    reporting_entity: ReportingEntity
    clients: tuple[Client, ...]
    settings: Settings = field(default_factory=Settings)
    scope: ScopeConfig | None = None  # None: no [scope] table, everything is in scope
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def store_path(self) -> Path:
        return (self.root / self.settings.store).resolve()

    @property
    def out_dir(self) -> Path:
        return (self.root / self.settings.out).resolve()

    def client(self, client_id: str) -> Client:
        for c in self.clients:
            if c.id == client_id:
                return c
        raise KeyError(client_id)

    def clients_for_path(self, path: str) -> list[str]:
        """Ids of the clients whose ``paths`` globs match an evidence path."""
        return [c.id for c in self.clients if c.matches(path)]


# --------------------------------------------------------------------------- globs


def glob_to_regex(glob: str) -> re.Pattern[str]:
    """Translate an evidence glob (``**`` spans folders, ``*`` does not) to a regex.

    Matching is case-insensitive: evidence usually comes from Windows file shares.
    """
    g = glob.replace("\\", "/").lstrip("./") if glob not in (".", "./") else "**"
    out: list[str] = []
    i = 0
    while i < len(g):
        ch = g[i]
        if g.startswith("**/", i):
            out.append(r"(?:.*/)?")
            i += 3
        elif g.startswith("**", i):
            out.append(r".*")
            i += 2
        elif ch == "*":
            out.append(r"[^/]*")
            i += 1
        elif ch == "?":
            out.append(r"[^/]")
            i += 1
        elif ch == "[":
            j = g.find("]", i + 1)
            if j == -1:
                out.append(re.escape(ch))
                i += 1
            else:
                body = g[i + 1 : j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = j + 1
        else:
            out.append(re.escape(ch))
            i += 1
    pattern = "".join(out)
    # A glob naming a folder covers everything under it.
    return re.compile(rf"^{pattern}(?:/.*)?$", re.IGNORECASE)


def path_candidates(path: str) -> tuple[str, ...]:
    """An archive member ``a/b.zip!c/d.csv`` matches a glob by its outer file or as a path."""
    outer = path.split("!", 1)[0]
    return (outer, path.replace("!", "/")) if "!" in path else (path,)


def walk_evidence(root: Path) -> list[str]:
    """Relative POSIX paths of every regular file under ``root`` (symlinks not followed)."""
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            full = Path(dirpath) / name
            found.append(full.relative_to(root).as_posix())
    return found


# --------------------------------------------------------------------------- loading


class _Lines:
    """Finds the line of a key in the raw TOML text (tomllib gives no positions)."""

    def __init__(self, text: str) -> None:
        self.index: dict[tuple[str, ...], int] = {}
        self.tables: dict[tuple[str, ...], int] = {}
        counters: dict[str, int] = {}
        current: tuple[str, ...] = ()
        key_re = re.compile(r'^\s*("?)([A-Za-z0-9_.-]+)\1\s*=')
        for n, line in enumerate(text.splitlines(), start=1):
            s = line.strip()
            if s.startswith("[["):
                name = s[2:].split("]]", 1)[0].strip()
                idx = counters.get(name, 0)
                counters[name] = idx + 1
                current = (*name.split("."), str(idx))
                self.tables[current] = n
            elif s.startswith("["):
                name = s[1:].split("]", 1)[0].strip()
                current = tuple(name.split("."))
                self.tables[current] = n
            else:
                m = key_re.match(line)
                if m:
                    self.index[(*current, m.group(2))] = n

    def key(self, *path: str) -> int | None:
        if path in self.index:
            return self.index[path]
        return self.table(*path[:-1])

    def table(self, *path: str) -> int | None:
        while path:
            if path in self.tables:
                return self.tables[path]
            path = path[:-1]
        return None


class _Checker:
    def __init__(self, text: str) -> None:
        self.lines = _Lines(text)
        self.problems: list[tuple[int | None, str]] = []

    def problem(self, where: tuple[str, ...], text: str) -> None:
        self.problems.append((self.lines.key(*where), text))

    def get(
        self,
        data: dict[str, Any],
        where: tuple[str, ...],
        key: str,
        kind: type | tuple[type, ...],
        *,
        required: bool = True,
        default: Any = None,
    ) -> Any:
        label = ".".join((*[w for w in where if not w.isdigit()], key))
        if key not in data:
            if required:
                self.problems.append((self.lines.table(*where), f"missing key '{label}'"))
            return default
        value = data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is an int in Python; a date is not a datetime for our purposes.
        ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
        if ok and dt.date in kinds and isinstance(value, dt.datetime):
            ok = dt.datetime in kinds
        if not ok:
            names = " or ".join(_type_name(k) for k in kinds)
            self.problem((*where, key), f"'{label}' must be {names}, not {_type_name(type(value))}")
            return default
        return value


def _type_name(t: type) -> str:
    return {
        str: "a string",
        bool: "true/false",
        int: "a whole number",
        float: "a number",
        list: "a list",
        dict: "a table",
        dt.date: "a date (YYYY-MM-DD)",
        dt.datetime: "a date-time",
    }.get(t, t.__name__)


def load_case(path: str | os.PathLike[str], *, check_evidence: bool = True) -> Case:
    """Read and validate a case file. Raises CaseFileError listing every problem.

    ``path`` may be the case file or the folder holding ``case.toml``.
    """
    p = Path(path)
    if p.is_dir():
        p = p / "case.toml"
    p = p.resolve()
    if not p.is_file():
        raise CaseFileError(str(p), [(None, "case file not found")])
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseFileError(str(p), [(None, f"cannot read: {type(exc).__name__}")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise CaseFileError(
            str(p), [(int(m.group(1)) if m else None, f"not valid TOML: {exc}")]
        ) from None

    c = _Checker(text)
    known_top = {
        "evidence",
        "incident",
        "reporting_entity",
        "clients",
        "settings",
        "scope",
        "assess",
    }
    for key in data:
        if key not in known_top:
            c.problem((key,), f"unknown key '{key}'")

    evidence_rel = c.get(data, (), "evidence", str, default="evidence")
    evidence = (p.parent / evidence_rel).resolve() if evidence_rel else p.parent
    if check_evidence and not evidence.is_dir():
        c.problem(("evidence",), f"evidence folder '{evidence_rel}' does not exist")

    inc = c.get(data, (), "incident", dict, default={})
    incident = Incident(
        name=c.get(inc, ("incident",), "name", str, default=""),
        discovery_date=c.get(
            inc, ("incident",), "discovery_date", dt.date, default=dt.date(1970, 1, 1)
        ),
        access_start=c.get(inc, ("incident",), "access_start", dt.date, required=False),
        access_end=c.get(inc, ("incident",), "access_end", dt.date, required=False),
        description=c.get(inc, ("incident",), "description", str, required=False, default=""),
    )
    if (
        incident.access_start
        and incident.access_end
        and incident.access_start > incident.access_end
    ):
        c.problem(
            ("incident", "access_end"), "'incident.access_end' is before 'incident.access_start'"
        )
    if (
        incident.access_start
        and "discovery_date" in inc
        and incident.access_start > incident.discovery_date
    ):
        c.problem(
            ("incident", "discovery_date"),
            "'incident.discovery_date' is before 'incident.access_start'",
        )

    rep = c.get(data, (), "reporting_entity", dict, default={})
    role = c.get(rep, ("reporting_entity",), "role", str, default="business_associate")
    if role not in ROLES:
        c.problem(
            ("reporting_entity", "role"),
            f"'reporting_entity.role' must be one of {', '.join(ROLES)}; got '{role}'",
        )
    reporting = ReportingEntity(
        name=c.get(rep, ("reporting_entity",), "name", str, default=""),
        role=role,
        address=c.get(rep, ("reporting_entity",), "address", str, required=False, default=""),
        phone=c.get(rep, ("reporting_entity",), "phone", str, required=False, default=""),
        website=c.get(rep, ("reporting_entity",), "website", str, required=False, default=""),
        email=c.get(rep, ("reporting_entity",), "email", str, required=False, default=""),
    )

    clients: list[Client] = []
    raw_clients = c.get(data, (), "clients", list, default=[])
    if "clients" in data and not raw_clients:
        c.problem(("clients",), "at least one [[clients]] entry is needed")
    seen_ids: dict[str, int] = {}
    for i, rc in enumerate(raw_clients):
        where = ("clients", str(i))
        if not isinstance(rc, dict):
            c.problem(where, f"clients entry {i + 1} must be a table")
            continue
        cid = c.get(rc, where, "id", str, default=f"client-{i + 1}")
        if cid and not ID_RE.match(cid):
            c.problem(
                (*where, "id"),
                f"client id '{cid}' may hold only lower-case letters, digits, '-', '_' and '.'",
            )
        if cid in seen_ids:
            c.problem((*where, "id"), f"client id '{cid}' is used twice")
        seen_ids[cid] = i
        kind = c.get(rc, where, "kind", str, default="other")
        if kind not in CLIENT_KINDS:
            c.problem(
                (*where, "kind"),
                f"client '{cid}': unknown kind '{kind}' (use {' | '.join(CLIENT_KINDS)})",
            )
        paths = c.get(rc, where, "paths", list, default=[])
        if any(not isinstance(g, str) or not g for g in paths):
            c.problem(
                (*where, "paths"), f"client '{cid}': 'paths' must be a list of non-empty strings"
            )
            paths = [g for g in paths if isinstance(g, str) and g]
        if "paths" in rc and not paths:
            c.problem((*where, "paths"), f"client '{cid}': 'paths' is empty")
        org_names = c.get(rc, where, "org_names", list, required=False, default=[])
        org_ids = c.get(rc, where, "org_ids", list, required=False, default=[])
        for key in rc:
            if key not in {
                "id",
                "name",
                "kind",
                "covered_entity",
                "paths",
                "org_names",
                "org_ids",
                "contact",
            }:
                c.problem((*where, key), f"client '{cid}': unknown key '{key}'")
        clients.append(
            Client(
                id=cid,
                name=c.get(rc, where, "name", str, default=cid),
                kind=kind,
                covered_entity=c.get(rc, where, "covered_entity", bool, default=True),
                paths=tuple(paths),
                org_names=tuple(str(x) for x in org_names),
                org_ids=tuple(str(x) for x in org_ids),
                contact=c.get(rc, where, "contact", str, required=False, default=""),
            )
        )

    st = c.get(data, (), "settings", dict, required=False, default={})
    engine = c.get(st, ("settings",), "engine", str, required=False, default="duckdb")
    if engine not in ENGINES:
        c.problem(("settings", "engine"), f"'settings.engine' must be one of {', '.join(ENGINES)}")
    workers = c.get(st, ("settings",), "workers", int, required=False, default=0)
    if workers < 0:
        c.problem(("settings", "workers"), "'settings.workers' must be 0 (one per core) or more")
    settings = Settings(
        engine=engine,
        workers=workers,
        store=c.get(st, ("settings",), "store", str, required=False, default="case.duckdb"),
        out=c.get(st, ("settings",), "out", str, required=False, default="out"),
        review_low=float(
            c.get(st, ("settings",), "review_low", (int, float), required=False, default=0.5)
        ),
        review_high=float(
            c.get(st, ("settings",), "review_high", (int, float), required=False, default=0.95)
        ),
        passwords=tuple(c.get(st, ("settings",), "passwords", list, required=False, default=[])),
        encrypt=c.get(st, ("settings",), "encrypt", bool, required=False, default=True),
        key_file=c.get(st, ("settings",), "key_file", str, required=False, default=""),
    )

    scope = None
    if "scope" in data:
        from breachscope.scope.config import parse_scope  # the log parsers load only when used

        scope = parse_scope(data.get("scope"), p.parent)
        for key_path, msg in scope.problems:
            c.problem(tuple(key_path), msg)

    if check_evidence and evidence.is_dir() and clients:
        files = walk_evidence(evidence)
        owners: dict[str, list[str]] = {}
        for i, cl in enumerate(clients):
            for g, pat in zip(cl.paths, cl._patterns, strict=True):
                hits = [f for f in files if pat.match(f)]
                if not hits:
                    c.problem(
                        ("clients", str(i), "paths"),
                        f"client '{cl.id}': glob '{g}' matches no evidence file",
                    )
                for f in hits:
                    owners.setdefault(f, [])
                    if cl.id not in owners[f]:
                        owners[f].append(cl.id)
        overlaps: dict[tuple[str, ...], int] = {}
        for _f, ids in owners.items():
            if len(ids) > 1:
                overlaps[tuple(ids)] = overlaps.get(tuple(ids), 0) + 1
        for pair, n in overlaps.items():
            owners_ = list(pair)
            first = seen_ids.get(owners_[1], 0)
            c.problem(
                ("clients", str(first), "paths"),
                f"clients {' and '.join(repr(x) for x in owners_)} have overlapping paths ({n} file{'s' if n > 1 else ''} match both)",
            )

    if c.problems:
        raise CaseFileError(str(p), c.problems)
    return Case(
        path=p,
        evidence=evidence,
        incident=incident,
        reporting_entity=reporting,
        clients=tuple(clients),
        settings=settings,
        scope=scope,
        raw=data,
    )
