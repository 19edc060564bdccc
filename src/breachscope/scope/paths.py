"""From the path a log names to the evidence path it is.

Logs name files as the server saw them (``D:\\Shares\\Clients\\a.csv``,
``\\\\fs01\\clients\\a.csv``, ``/srv/clients/a.csv``, ``s3://bucket/a.csv``, ``/files/a.csv``);
the evidence copy has them relative to its root (``a.csv``). ``[[scope.path_map]]`` rules
rewrite prefixes; matching against the evidence listing is case-insensitive because the
evidence usually comes from Windows shares.
"""

from __future__ import annotations

import bisect
import fnmatch
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote

from breachscope.scope.config import PathRule

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*)://", re.IGNORECASE)
_NT_PREFIX = re.compile(r"^//(?:\?|\.)/UNC/|^/\?\?/UNC/", re.IGNORECASE)
_NT_LOCAL = re.compile(r"^//(?:\?|\.)/(?=[A-Za-z]:)|^/\?\?/(?=[A-Za-z]:)")
_DRIVE = re.compile(r"^[A-Za-z]:(?:/|$)")
GLOB_CHARS = re.compile(r"[*?\[]")
_PCT = re.compile(r"%[0-9A-Fa-f]{2}")


def normalise(path: str) -> str:
    """Forward slashes, no NT prefixes (``\\\\?\\UNC\\``, ``\\??\\D:``), no repeated
    slashes, ``.``/``..`` resolved; UNC paths keep their leading ``//``; case is kept."""
    s = path.strip().strip('"').replace("\\", "/")
    m = _SCHEME.match(s)
    if m:
        head, s = m.group(0).lower(), s[m.end() :]
        return head + _collapse(s, absolute=False)
    s = _NT_PREFIX.sub("//", s)
    s = _NT_LOCAL.sub("", s)
    if s.startswith("//"):
        return "//" + _collapse(s[2:], absolute=False)
    return _collapse(s, absolute=s.startswith("/"))


def _collapse(s: str, *, absolute: bool) -> str:
    parts: list[str] = []
    for p in s.split("/"):
        if p in ("", "."):
            continue
        if p == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            else:
                parts.append("..")
            continue
        parts.append(p)
    out = "/".join(parts)
    return "/" + out if absolute else out


def is_relative(norm: str) -> bool:
    return not (norm.startswith("/") or _DRIVE.match(norm) or _SCHEME.match(norm))


@dataclass
class Resolved:
    """``kind``: file | dir | glob | missing | unmapped. ``path`` is evidence-relative
    (as the evidence spells it when found); ``files`` the evidence files of a glob."""

    kind: str
    path: str
    files: list[str] = field(default_factory=list)


class EvidenceIndex:
    """Case-insensitive lookups over the evidence listing (archive members included)."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.files: dict[str, str] = {}
        self.dirs: dict[str, str] = {"": ""}
        self.children: dict[str, list[str]] = {}
        self._by_name: dict[str, list[str]] | None = None
        for p in paths:
            # Store paths are already clean relative POSIX paths: skip the slow normalising.
            clean = "\\" not in p and "//" not in p and "/." not in p and p[:1] not in ("/", ".")
            rel = p if clean else normalise(p).lstrip("/")
            cf = rel.casefold()
            self.files[cf] = p
            if "!" in rel:
                continue
            parent = rel.rpartition("/")[0]
            self.children.setdefault(parent.casefold(), []).append(p)
            while parent:
                pcf = parent.casefold()
                if pcf in self.dirs:
                    break
                self.dirs[pcf] = parent
                parent = parent.rpartition("/")[0]
        self._sorted = sorted(self.files)

    @property
    def by_name(self) -> dict[str, list[str]]:
        """Case-folded files and folders by their last component (built when first needed)."""
        if self._by_name is None:
            self._by_name = {}
            for cf in (*self.files, *self.dirs):
                if cf and "!" not in cf:
                    self._by_name.setdefault(cf.rpartition("/")[2], []).append(cf)
        return self._by_name

    def under(self, dir_cf: str) -> list[str]:
        """Every evidence file below a folder (recursively; members included)."""
        if not dir_cf:
            return list(self.files.values())
        prefix = dir_cf + "/"
        out: list[str] = []
        for cf in self._sorted[bisect.bisect_left(self._sorted, prefix) :]:
            if not cf.startswith(prefix):
                break
            out.append(self.files[cf])
        return out

    def direct(self, dir_cf: str) -> list[str]:
        return list(self.children.get(dir_cf, []))

    def glob(self, pattern: str) -> list[str]:
        pat = pattern.casefold()
        rx = re.compile(fnmatch.translate(pat).replace(".*", "[^/]*"))
        return [self.files[cf] for cf in self._sorted if rx.match(cf)]

    def lookup(self, rel: str) -> Resolved | None:
        cf = rel.casefold()
        if cf in self.files:
            return Resolved("file", self.files[cf])
        if cf in self.dirs:
            return Resolved("dir", self.dirs[cf])
        return None

    def by_suffix(self, norm: str) -> Resolved | None:
        """The longest evidence path that the log path ends with, at a folder boundary."""
        cf = norm.casefold().rstrip("/")
        name = posixpath.basename(cf)
        best = ""
        for cand in self.by_name.get(name, []):
            if (cf == cand or cf.endswith("/" + cand)) and len(cand) > len(best):
                best = cand
        if not best:
            return None
        return self.lookup(best)


class PathResolver:
    """Applies the path map, then looks the result up in the evidence index."""

    def __init__(
        self, rules: Iterable[PathRule], index: EvidenceIndex, *, suffix_match: bool
    ) -> None:
        norm = [
            (normalise(r.source).rstrip("/").casefold(), normalise(r.target).strip("/"))
            for r in rules
        ]
        self.rules = sorted(norm, key=lambda r: len(r[0]), reverse=True)
        self.index = index
        self.suffix_match = suffix_match

    def map(self, log_path: str) -> str | None:
        """Evidence-relative path for a log path, or None when no rule covers it."""
        n = normalise(log_path)
        cf = n.casefold()
        for src, dst in self.rules:
            if cf == src or cf.startswith(src + "/") or (src.endswith(":") and cf.startswith(src)):
                rest = n[len(src) :].lstrip("/")
                return _collapse(f"{dst}/{rest}" if dst else rest, absolute=False)
        if is_relative(n) and not n.startswith(".."):
            return n
        return None

    def resolve(self, log_path: str) -> Resolved:
        found = self._resolve(log_path)
        if found.kind in ("missing", "unmapped") and _PCT.search(log_path):
            # A still URL-encoded name (parsers decode URLs; a literal '%20' is tried first).
            decoded = self._resolve(unquote(log_path))
            if decoded.kind not in ("missing", "unmapped"):
                return decoded
        return found

    def _resolve(self, log_path: str) -> Resolved:
        rel = self.map(log_path)
        if rel is None:
            if self.suffix_match:
                found = self.index.by_suffix(normalise(log_path))
                if found:
                    return found
            return Resolved("unmapped", normalise(log_path))
        if rel.startswith(".."):
            return Resolved("unmapped", normalise(log_path))
        if GLOB_CHARS.search(posixpath.basename(rel)):
            return Resolved("glob", rel, self.index.glob(rel))
        return self.index.lookup(rel) or Resolved("missing", rel)
