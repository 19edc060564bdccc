"""Records shared by the scope parsers and the accessed-set computation."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

ACTIONS = ("listed", "viewed", "copied")
"""Access labels, weakest first: a listing exposes names, a view exposes content, a copy
means the content left (whole-file read, archive creation, transfer out)."""

RANK = {a: i for i, a in enumerate(ACTIONS)}


def stronger(a: str, b: str) -> str:
    """The stronger of two access labels."""
    return a if RANK[a] >= RANK[b] else b


@dataclass(frozen=True, slots=True)
class Access:
    """One access to a file, directory, object or table, as read from one log line.

    ``path_or_object`` is the path as the log names it (``D:\\Shares\\x.csv``,
    ``\\\\fs01\\share\\x.csv``, ``/srv/x.csv``, ``s3://bucket/key``, a URL path, or
    ``pg://db/schema.table``); ``aliases`` are other names of the same thing (a Windows
    share event gives both the UNC and the server-local path).
    """

    time: dt.datetime  # aware, UTC
    account: str  # '' when the log does not say
    ip: str  # '' when the log does not say
    path_or_object: str
    action: str  # 'viewed' | 'copied' | 'listed'
    source_file: str
    line_no: int
    table: str | None = None  # database audits: 'db.schema.table' as far as known
    format: str = ""
    detail: str = ""  # short, PHI-free: 'ReadData', 'GET 200', 'tar', 'REST.GET.OBJECT'
    bytes_read: int | None = None
    object_size: int | None = None
    aliases: tuple[str, ...] = ()
    recursive: bool = False  # covers everything under a directory / prefix


@dataclass
class LogResult:
    """What one log file gave: its format(s), the accesses, and what was skipped."""

    source_file: str
    formats: list[str] = field(default_factory=list)
    accesses: list[Access] = field(default_factory=list)
    n_lines: int = 0
    encoding: str = ""
    malformed: Counter[str] = field(default_factory=Counter)
    ignored: Counter[str] = field(default_factory=Counter)
    malformed_lines: dict[str, list[int]] = field(default_factory=dict)

    @property
    def n_malformed(self) -> int:
        return sum(self.malformed.values())
