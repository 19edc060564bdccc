"""Writing deliverables that hold PHI: private folders (0700) and files (0600), atomically."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


def private_dir(path: Path) -> Path:
    """Create ``path`` (and any missing parents) readable by the owner only."""
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    for d in (*missing, path):
        os.chmod(d, 0o700)  # mkdir's mode is masked by the umask, and not applied to parents
    return path


def write_private(path: Path, data: bytes | str) -> Path:
    """Write a file with 0600 permissions via a temp file + rename (never half-written)."""
    private_dir(path.parent)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a CSV privately; returns the number of data rows."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    n = 0
    for r in rows:
        w.writerow(["" if v is None else _cell(v) for v in r])
        n += 1
    write_private(path, buf.getvalue())
    return n


def remove_stale_temps(out: Path) -> int:
    """Delete half-written files a killed run left in ``out`` (``.NAME.XXXX.tmp``).

    Every deliverable is written to such a temporary file and renamed into place, so one
    that is still there when a run starts belongs to a run that died; it is never a
    deliverable. Returns how many were removed.
    """
    n = 0
    for p in out.rglob(".*.tmp"):
        if p.is_file() and not p.is_symlink():
            p.unlink(missing_ok=True)
            n += 1
    return n


class PrivateCsv:
    """A private CSV written row by row (for deliverables too big to build in memory).

    Rows go to a 0600 temporary file beside ``path``, renamed into place by ``close``;
    leaving the ``with`` block on an exception removes it, so a reader never sees half a
    file. The cells are written as ``write_csv`` writes them.
    """

    def __init__(self, path: Path, header: Sequence[str]) -> None:
        private_dir(path.parent)
        self.path = path
        fd, self._tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.fchmod(fd, 0o600)
        self._fh = os.fdopen(fd, "w", newline="", encoding="utf-8")
        self._w = csv.writer(self._fh, lineterminator="\n")
        self._w.writerow(header)
        self.rows = 0

    def write(self, row: Sequence[Any]) -> None:
        self._w.writerow(["" if v is None else _cell(v) for v in row])
        self.rows += 1

    def close(self) -> None:
        self._fh.close()
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        self._fh.close()
        if os.path.exists(self._tmp):
            os.unlink(self._tmp)

    def __enter__(self) -> PrivateCsv:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


def _cell(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return "|".join(str(x) for x in v)
    return str(v)
