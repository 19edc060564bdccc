"""Members of containers other than ZIP (TAR, 7z, GZ, e-mail attachments), unpacked safely.

A container reader hands each member's byte stream to a :class:`MemberSink`, which applies
the same limits as the ZIP reader (:mod:`breachscope.ingest.readers.archive`): nesting
depth, member count, size per member, expanded bytes per archive tree and compression
ratio. The member is copied to a temp file of our own naming in the work folder (its name
inside the container is never used as a path; the file is sealed with the run's key when
the store is encrypted, see :meth:`~breachscope.ingest.emit.Emitter.member_file`), hashed
while copied, and reported through :meth:`~breachscope.ingest.emit.Emitter.member`; the
ingest stage then reads it as a file of its own, so containers nest to any depth the limits allow (``a.tgz!mail.eml!b.zip!c.csv``).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from typing import Protocol

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter
from breachscope.ingest.model import FAILED, SKIPPED, Member
from breachscope.ingest.readers.archive import CHUNK, EMPTY_SHA256, unsafe_name
from breachscope.ingest.registry import ReadContext, Source


class Readable(Protocol):
    def read(self, n: int = -1, /) -> bytes: ...


class MemberSink:
    """Names, limits and extracts the members of one container."""

    def __init__(self, src: Source, ctx: ReadContext, out: Emitter, compressed: int) -> None:
        """``compressed``: bytes on disk the members come from (for the ratio check)."""
        self.src = src
        self.ctx = ctx
        self.out = out
        self.lim = ctx.limits
        self.compressed = max(1, compressed)
        self.budget = (
            min(self.lim.max_expanded, ctx.budget) if ctx.budget > 0 else self.lim.max_expanded
        )
        self.depth = src.depth + 1
        self.count = 0
        self.locked = 0
        self._used: Counter[str] = Counter()
        ctx.work_dir.mkdir(parents=True, exist_ok=True)

    # ------------------------------------------------------------------ naming

    def path_of(self, name: str) -> str:
        """Evidence path of a member: ``container!name``, made unique within the container."""
        name = name.replace("\\", "/")
        self._used[name] += 1
        if self._used[name] > 1:
            name = f"{name} ({self._used[name]})"
        return f"{self.src.logical}!{name}"

    def count_one(self) -> None:
        self.count += 1
        if self.count > self.lim.max_members:
            raise FileProblem("bomb", f"more than {self.lim.max_members} members")

    # ------------------------------------------------------------------ outcomes

    def decided(self, path: str, size: int, status: str, reason: str) -> None:
        """A member recorded without being read (unsafe, locked, too big ...)."""
        if reason == "encrypted":
            self.locked += 1
        self.out.member(Member(path, size, status=status, reason=reason))

    def precheck(self, name: str, path: str, declared: int | None) -> bool:
        """Apply the limits known before unpacking; False when the member was decided."""
        if unsafe_name(name):
            self.decided(path, declared or 0, FAILED, "unsafe_path")
            return False
        if self.depth > self.lim.max_depth:
            self.decided(path, declared or 0, FAILED, "depth")
            return False
        if declared is not None:
            if declared > self.lim.max_member_size:
                self.decided(path, declared, FAILED, "too_large")
                return False
            if declared > self.budget - self.out.expanded:
                self.decided(path, declared, FAILED, "bomb")
                return False
        return True

    def over_ratio(self, expanded: int) -> bool:
        """Would the container's expanded bytes so far exceed the compression-ratio limit?"""
        return expanded > self.lim.ratio_floor and expanded > self.lim.max_ratio * self.compressed

    def extract(self, path: str, stream: Readable | Iterable[bytes], declared: int | None) -> bool:
        """Copy one member from a file-like ``stream`` (or an iterable of blocks).

        Returns True when extracted; otherwise the member is recorded as failed (bomb,
        too_large) and False returned. Read errors of the stream propagate (the caller
        knows its library's exceptions).
        """
        left = self.budget - self.out.expanded
        limit = min(self.lim.max_member_size, left)
        if declared is not None:
            limit = min(limit, declared)
        h = hashlib.sha256()
        n = 0
        blocks = _blocks(stream)
        # Sealed (encrypted with the run's in-memory key) when the store is encrypted.
        dest, fh = self.out.member_file()
        try:
            for chunk in blocks:
                n += len(chunk)
                if n > self.lim.max_member_size:
                    raise FileProblem("too_large")
                if n > limit or self.over_ratio(self.out.expanded + n):
                    raise FileProblem("bomb")
                h.update(chunk)
                fh.write(chunk)
            fh.close()
        except FileProblem as exc:
            _abort(fh)
            dest.unlink(missing_ok=True)
            self.decided(path, declared or n, FAILED, exc.reason)
            return False
        except BaseException:
            _abort(fh)
            dest.unlink(missing_ok=True)
            raise
        if n == 0:
            dest.unlink(missing_ok=True)
            self.out.member(
                Member(
                    path,
                    0,
                    sha256=EMPTY_SHA256,
                    status=SKIPPED,
                    reason="empty",
                    detected_type="empty",
                )
            )
            return True
        self.out.expanded += n
        self.out.member(Member(path, n, source=str(dest), sha256=h.hexdigest()))
        return True

    def add_bytes(self, name: str, data: bytes) -> None:
        """A member whose bytes are already in memory (an e-mail attachment)."""
        self.count_one()
        path = self.path_of(name)
        if self.precheck("x", path, len(data)):
            self.extract(path, [data], len(data))

    def finish(self) -> None:
        """A container whose every member is locked is itself ``encrypted``."""
        if self.count and self.locked == self.count:
            self.out.status = (FAILED, "encrypted")


def _abort(fh: object) -> None:
    abort = getattr(fh, "abort", None) or getattr(fh, "close", None)
    if abort is not None:
        abort()


def _blocks(stream: Readable | Iterable[bytes]) -> Iterable[bytes]:
    if hasattr(stream, "read"):
        reader: Readable = stream  # type: ignore[assignment]

        def gen() -> Iterable[bytes]:
            while chunk := reader.read(CHUNK):
                yield chunk

        return gen()
    return stream
