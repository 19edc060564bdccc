"""Walking the evidence root: regular files are read; links and oddities are recorded."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from breachscope.ingest.model import FAILED, SKIPPED


@dataclass(frozen=True)
class Entry:
    path: str  # relative POSIX path
    abs: Path
    size: int
    status: str | None = None  # set for entries that are not read (links, devices ...)
    reason: str = ""


def walk(root: Path, exclude: Iterable[Path] = ()) -> list[Entry]:
    """Every entry under ``root`` in sorted order. Symlinks are never followed: a link is
    recorded as ``skipped`` (target inside the root, inventoried on its own) or ``failed``
    ``unsafe_path`` (target outside). FIFOs, sockets and devices are never opened."""
    root = root.resolve()
    skip = {p.resolve() for p in exclude}
    out: list[Entry] = []
    stack = [root]
    while stack:
        d = stack.pop()
        try:
            with os.scandir(d) as it:
                items = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            rel = d.relative_to(root).as_posix()
            out.append(Entry(rel, d, 0, FAILED, f"unreadable: {type(exc).__name__}"))
            continue
        subdirs: list[Path] = []
        for e in items:
            p = Path(e.path)
            if p in skip:
                continue
            rel = p.relative_to(root).as_posix()
            try:
                st = e.stat(follow_symlinks=False)
            except OSError as exc:
                out.append(Entry(rel, p, 0, FAILED, f"unreadable: {type(exc).__name__}"))
                continue
            if stat.S_ISLNK(st.st_mode):
                target = Path(os.path.realpath(p))
                inside = target == root or root in target.parents
                if inside:
                    out.append(Entry(rel, p, 0, SKIPPED, "symlink"))
                else:
                    out.append(
                        Entry(rel, p, 0, FAILED, "unsafe_path: link leaves the evidence root")
                    )
            elif stat.S_ISDIR(st.st_mode):
                subdirs.append(p)
            elif stat.S_ISREG(st.st_mode):
                out.append(Entry(rel, p, st.st_size))
            else:
                out.append(Entry(rel, p, 0, SKIPPED, "unsupported:special"))
        stack.extend(reversed(subdirs))
    out.sort(key=lambda e: e.path)
    return out
