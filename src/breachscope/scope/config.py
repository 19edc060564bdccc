"""The ``[scope]`` table of ``case.toml``: which logs, which window, which actors.

``parse_scope`` validates the table and returns a :class:`ScopeConfig` whose ``problems``
list every issue as ``(key path, message)`` — the key path is what the case loader needs
to find the line — so the case file can fail once, listing everything.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from breachscope.scope.logs import FORMAT_NAMES
from breachscope.scope.logs._base import LogOptions

Problem = tuple[tuple[str, ...], str]
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
KNOWN_KEYS = {
    "logs",
    "start",
    "end",
    "accounts",
    "ips",
    "path_map",
    "include_listed",
    "tables",
    "paths",
    "match_any",
    "suffix_match",
}
LOG_KEYS = {"path", "format", "timezone", "year", "date_order", "samba_prefix", "host"}


class LineLookup(Protocol):
    """What the case loader's line index offers: the line of a key path."""

    def key(self, *path: str) -> int | None: ...


@dataclass(frozen=True)
class LogSpec:
    """One log file and the facts its lines leave out."""

    path: Path  # resolved
    label: str  # as written in case.toml (names the file in reports)
    format: str | None = None  # forced format; None = detect from content
    options: LogOptions = field(default_factory=LogOptions)


@dataclass(frozen=True)
class PathRule:
    """Log path prefix → evidence path prefix (``to`` is relative to the evidence root)."""

    source: str
    target: str


@dataclass(frozen=True)
class Account:
    """A listed account: name and optional domain, compared case-insensitively."""

    text: str
    name: str
    domain: str

    @classmethod
    def parse(cls, text: str) -> Account:
        name, domain = split_account(text)
        return cls(text, name, domain)


def split_account(text: str) -> tuple[str, str]:
    """``CORP\\jdoe`` / ``jdoe@corp.example`` / ``arn:…:user/jdoe`` → (``jdoe``, ``corp``).

    Names and domains are case-folded; the domain is its first label (NetBIOS style).
    """
    s = text.strip().casefold()
    if s.startswith("arn:"):
        return s.rsplit("/", 1)[-1].rsplit(":", 1)[-1], ""
    if "\\" in s:
        dom, _, name = s.rpartition("\\")
        return name, dom.split(".", 1)[0]
    if "@" in s:
        name, _, dom = s.partition("@")
        return name, dom.split(".", 1)[0]
    return s, ""


def account_names(text: str) -> list[tuple[str, str]]:
    """Every (name, domain) a logged account may be known by.

    An assumed-role ARN (``…:assumed-role/Role/session``) is known by role and session.
    """
    s = text.strip().casefold()
    if s.startswith("arn:") and "/" in s:
        parts = s.split(":", 5)[-1].split("/")
        return [(p, "") for p in parts[1:] if p]
    return [split_account(text)]


@dataclass(frozen=True)
class ScopeConfig:
    """A validated ``[scope]`` table. ``enabled`` is False when the case has none."""

    enabled: bool = False
    logs: tuple[LogSpec, ...] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    accounts: tuple[Account, ...] = ()
    ips: tuple[IPNetwork, ...] = ()
    path_map: tuple[PathRule, ...] = ()
    include_listed: bool = False
    tables: tuple[tuple[str, tuple[str, ...]], ...] = ()
    paths: tuple[str, ...] = ()
    match_any: bool = False
    suffix_match: bool = True
    problems: tuple[Problem, ...] = ()
    located_problems: tuple[tuple[int | None, str], ...] = ()

    def in_window(self, t: dt.datetime) -> bool:
        """Inside [start, end]. An end with whole seconds covers that whole second."""
        if self.start and t < self.start:
            return False
        if self.end:
            end = self.end
            if end.microsecond == 0:
                return t < end + dt.timedelta(seconds=1)
            return t <= end
        return True

    def account_matches(self, logged: str) -> bool:
        """Listed account with the same name; domains must agree only when both are known."""
        return self.matched_account(logged) is not None

    def matched_account(self, logged: str) -> Account | None:
        """The listed account a logged account name is, if any."""
        if not logged:
            return None
        for name, dom in account_names(logged):
            for a in self.accounts:
                if a.name == name and (not a.domain or not dom or a.domain == dom):
                    return a
        return None

    def ip_matches(self, logged: str) -> bool:
        if not logged:
            return False
        try:
            addr = ipaddress.ip_address(logged.strip("[]").split("%", 1)[0])
        except ValueError:
            return False
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
            addr = addr.ipv4_mapped
        return any(addr.version == n.version and addr in n for n in self.ips)

    def actor_matches(self, account: str, ip: str) -> bool:
        return self.match_any or self.account_matches(account) or self.ip_matches(ip)


def parse_scope(
    raw: Mapping[str, Any] | None, case_dir: Path, lines: LineLookup | None = None
) -> ScopeConfig:
    """Validate the ``[scope]`` table (``raw`` is the table itself, or None when absent).

    Never raises for bad content: every problem is in ``.problems`` as ``(key path,
    message)`` with key paths like ``("scope", "path_map", "0", "from")``; with ``lines``
    they are also resolved to ``.located_problems`` as ``(line, message)``.
    """
    if raw is None:
        return ScopeConfig()
    problems: list[Problem] = []

    def bad(where: tuple[str, ...], msg: str) -> None:
        problems.append((("scope", *where), msg))

    if not isinstance(raw, Mapping):
        bad((), "'scope' must be a table")
        return _done(ScopeConfig(problems=tuple(problems)), lines)
    for key in raw:
        if key not in KNOWN_KEYS:
            bad((key,), f"unknown key 'scope.{key}'")

    start = _when(raw, "start", bad, end=False)
    end = _when(raw, "end", bad, end=True)
    if start and end and start > end:
        bad(("end",), "'scope.end' is before 'scope.start'")

    logs = _logs(raw, case_dir, start, end, bad)
    accounts = tuple(Account.parse(a) for a in _strings(raw, "accounts", bad) if a.strip())
    ips = _networks(raw, bad)
    path_map = _path_map(raw, bad)
    include_listed = _bool(raw, "include_listed", False, bad)
    match_any = _bool(raw, "match_any", False, bad)
    suffix_match = _bool(raw, "suffix_match", True, bad)
    paths = tuple(_strings(raw, "paths", bad))
    tables = _tables(raw, bad)

    if not logs and not paths and "logs" not in raw:
        bad((), "give 'scope.logs' (access logs) or 'scope.paths' (accessed evidence globs)")
    if logs:
        for key in ("start", "end"):
            if key not in raw:
                bad((), f"missing key 'scope.{key}' (the access window)")
        if (
            not accounts
            and not ips
            and not match_any
            and "accounts" not in raw
            and "ips" not in raw
        ):
            bad(
                (),
                "give 'scope.accounts' or 'scope.ips' (the intruder's), or set "
                "'scope.match_any = true' to count every access in the window",
            )
        elif not accounts and not ips and not match_any:
            bad(("accounts",), "'scope.accounts' and 'scope.ips' are both empty")

    cfg = ScopeConfig(
        enabled=True,
        logs=logs,
        start=start,
        end=end,
        accounts=accounts,
        ips=ips,
        path_map=path_map,
        include_listed=include_listed,
        tables=tables,
        paths=paths,
        match_any=match_any,
        suffix_match=suffix_match,
        problems=tuple(problems),
    )
    return _done(cfg, lines)


def _done(cfg: ScopeConfig, lines: LineLookup | None) -> ScopeConfig:
    if lines is None or not cfg.problems:
        return cfg
    located = tuple((lines.key(*where), msg) for where, msg in cfg.problems)
    return replace(cfg, located_problems=located)


class _Bad(Protocol):
    def __call__(self, where: tuple[str, ...], msg: str) -> None: ...


def _when(raw: Mapping[str, Any], key: str, bad: _Bad, *, end: bool) -> dt.datetime | None:
    if key not in raw:
        return None
    v = raw[key]
    if isinstance(v, dt.datetime):
        if v.tzinfo is None:
            bad((key,), f"'scope.{key}' needs a UTC offset (e.g. 2025-01-27T00:00:00Z)")
            return None
        return v.astimezone(dt.UTC)
    if isinstance(v, dt.date):
        # A bare date covers the whole day, in UTC.
        t = dt.datetime.combine(v, dt.time.max if end else dt.time.min, tzinfo=dt.UTC)
        return t
    bad((key,), f"'scope.{key}' must be a date-time with offset, like 2025-01-27T00:00:00Z")
    return None


def _strings(raw: Mapping[str, Any], key: str, bad: _Bad) -> list[str]:
    v = raw.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        bad((key,), f"'scope.{key}' must be a list of strings")
        return []
    return list(v)


def _bool(raw: Mapping[str, Any], key: str, default: bool, bad: _Bad) -> bool:
    v = raw.get(key, default)
    if not isinstance(v, bool):
        bad((key,), f"'scope.{key}' must be true/false")
        return default
    return v


def _networks(raw: Mapping[str, Any], bad: _Bad) -> tuple[IPNetwork, ...]:
    out: list[IPNetwork] = []
    for text in _strings(raw, "ips", bad):
        try:
            out.append(ipaddress.ip_network(text.strip(), strict=False))
        except ValueError:
            bad(("ips",), f"'scope.ips': '{text}' is not an IP address or CIDR network")
    return tuple(out)


def _path_map(raw: Mapping[str, Any], bad: _Bad) -> tuple[PathRule, ...]:
    v = raw.get("path_map", [])
    if isinstance(v, Mapping):
        v = [v]
    if not isinstance(v, list):
        bad(("path_map",), "'scope.path_map' must be [[scope.path_map]] tables")
        return ()
    rules: list[PathRule] = []
    for i, rule in enumerate(v):
        where = ("path_map", str(i))
        if not isinstance(rule, Mapping):
            bad(where, f"scope.path_map entry {i + 1} must be a table with 'from' and 'to'")
            continue
        for k in rule:
            if k not in ("from", "to"):
                bad((*where, k), f"scope.path_map entry {i + 1}: unknown key '{k}'")
        src, dst = rule.get("from"), rule.get("to", "")
        if not isinstance(src, str) or not src:
            bad(
                (*where, "from"), f"scope.path_map entry {i + 1}: 'from' must be a non-empty string"
            )
            continue
        if not isinstance(dst, str):
            bad((*where, "to"), f"scope.path_map entry {i + 1}: 'to' must be a string")
            continue
        if dst.replace("\\", "/").startswith("/") or ".." in dst.replace("\\", "/").split("/"):
            bad(
                (*where, "to"),
                f"scope.path_map entry {i + 1}: 'to' must be relative to the evidence root",
            )
            continue
        rules.append(PathRule(src, dst))
    return tuple(rules)


def _tables(raw: Mapping[str, Any], bad: _Bad) -> tuple[tuple[str, tuple[str, ...]], ...]:
    v = raw.get("tables", {})
    if not isinstance(v, Mapping):
        bad(("tables",), "'scope.tables' must be a table of \"schema.table\" = [evidence globs]")
        return ()
    out: list[tuple[str, tuple[str, ...]]] = []
    for name, globs in v.items():
        if isinstance(globs, str):
            globs = [globs]
        if not isinstance(globs, list) or not all(isinstance(g, str) and g for g in globs):
            bad(("tables", name), f"'scope.tables.{name}' must be a list of evidence globs")
            continue
        out.append((name, tuple(globs)))
    return tuple(out)


def _logs(
    raw: Mapping[str, Any],
    case_dir: Path,
    start: dt.datetime | None,
    end: dt.datetime | None,
    bad: _Bad,
) -> tuple[LogSpec, ...]:
    v = raw.get("logs", [])
    if not isinstance(v, list):
        bad(("logs",), "'scope.logs' must be a list of log files")
        return ()
    around = start + (end - start) / 2 if start and end else start or end
    specs: list[LogSpec] = []
    for i, item in enumerate(v):
        opts: dict[str, Any] = {}
        if isinstance(item, str):
            rel = item
        elif isinstance(item, Mapping) and isinstance(item.get("path"), str):
            rel = item["path"]
            for k in item:
                if k not in LOG_KEYS:
                    bad(("logs",), f"'scope.logs' entry {i + 1}: unknown key '{k}'")
            opts = {k: item[k] for k in LOG_KEYS - {"path"} if k in item}
        else:
            bad(("logs",), f"'scope.logs' entry {i + 1} must be a path or {{ path = … }}")
            continue
        p = (case_dir / rel).resolve()
        if not p.is_file():
            bad(("logs",), f"log file '{rel}' not found")
        fmt = opts.pop("format", None)
        if fmt is not None and fmt not in FORMAT_NAMES:
            bad(
                ("logs",),
                f"'scope.logs' entry {i + 1}: unknown format '{fmt}' (use {', '.join(FORMAT_NAMES)})",
            )
            fmt = None
        tz = opts.get("timezone", "UTC")
        try:
            ZoneInfo(str(tz))
        except (ZoneInfoNotFoundError, ValueError):
            bad(("logs",), f"'scope.logs' entry {i + 1}: unknown timezone '{tz}'")
            opts.pop("timezone")
        if opts.get("date_order", "mdy") not in ("mdy", "dmy"):
            bad(("logs",), f"'scope.logs' entry {i + 1}: 'date_order' must be \"mdy\" or \"dmy\"")
            opts.pop("date_order")
        if "year" in opts and (not isinstance(opts["year"], int) or isinstance(opts["year"], bool)):
            bad(("logs",), f"'scope.logs' entry {i + 1}: 'year' must be a whole number")
            opts.pop("year")
        for k in ("samba_prefix", "host"):
            if k in opts and not isinstance(opts[k], str):
                bad(("logs",), f"'scope.logs' entry {i + 1}: '{k}' must be a string")
                opts.pop(k)
        specs.append(
            LogSpec(path=p, label=rel, format=fmt, options=LogOptions(around=around, **opts))
        )
    return tuple(specs)
