"""Password-protected 7z archives through py7zr (LGPL-2.1+, the optional ``passwords`` extra).

libarchive (:mod:`.sevenzip`) cannot decrypt 7z, so an encrypted archive of a case with
passwords comes here. Each password is checked on the archive's first member (up to
``VERIFY_BYTES`` of it) before anything is unpacked; with the one that opens it, members
stream out through :class:`~breachscope.ingest.readers.members.MemberSink` (same limits as
every other container). py7zr pushes bytes into writer objects while MemberSink pulls
blocks, so py7zr runs in a helper thread feeding a small bounded queue: memory stays at a
few blocks whatever the member sizes. py7zr is pure Python, so a hostile archive or a
wrong password can raise nearly anything while it parses; those errors become reasons
(never its messages, which may carry member names).
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from typing import Any

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter
from breachscope.ingest.model import FAILED, SKIPPED
from breachscope.ingest.readers.members import MemberSink
from breachscope.ingest.registry import ReadContext, Source

WRONG_PASSWORD = "no case password opens it"
VERIFY_BYTES = 1 << 20  # decode this much of the first member to check a password
QUEUE_BLOCKS = 8


def needs_password(src: Source) -> bool:
    """Is this 7z encrypted (header or members)? False when py7zr is missing or the archive
    is damaged: libarchive then reports it as it always does."""
    try:
        import py7zr
    except ImportError:
        return False
    try:
        with src.path.open("rb") as f, py7zr.SevenZipFile(f) as arc:
            return bool(arc.needs_password())
    except py7zr.exceptions.PasswordRequired:
        return True
    except Exception:  # any parse error of a damaged archive: libarchive names it
        return False


class _Enough(Exception):
    """Stops the password check once enough of a member decoded cleanly."""


class _Stopped(Exception):
    """The reading side gave up: stop py7zr."""


def _writers(on_start: Callable[[str], None], on_write: Callable[[bytes, int], None]) -> Any:
    """A py7zr ``WriterFactory`` whose writers hand each member's bytes on instead of
    keeping them: ``on_start(filename)`` when a member begins, ``on_write(block, total)``
    for each block with the member's byte count so far."""
    from py7zr.io import Py7zIO, WriterFactory

    class Writer(Py7zIO):
        def __init__(self, filename: str) -> None:
            self.n = 0
            on_start(filename)

        def write(self, s: bytes | bytearray) -> int:
            self.n += len(s)
            on_write(bytes(s), self.n)
            return len(s)

        def read(self, size: int | None = None) -> bytes:
            return b""

        def seek(self, offset: int, whence: int = 0) -> int:
            return 0

        def flush(self) -> None:
            return None

        def size(self) -> int:
            return self.n

    class Factory(WriterFactory):
        def create(self, filename: str) -> Py7zIO:
            return Writer(filename)

    return Factory()


def _open(src: Source, password: str) -> tuple[Any, Any, list[Any]]:
    """(file, archive, members) when ``password`` opens the archive, else raises."""
    import py7zr

    def probe(block: bytes, total: int) -> None:
        if total > VERIFY_BYTES:
            raise _Enough

    f = src.path.open("rb")  # a file object also keeps py7zr single-threaded
    try:
        arc = py7zr.SevenZipFile(f, password=password)
        members = [i for i in arc.list() if not i.is_directory]
        first = next((i.filename for i in members if i.uncompressed and not i.is_symlink), None)
        if first is not None:
            with contextlib.suppress(_Enough):  # decoded VERIFY_BYTES cleanly: good enough
                arc.extract(targets=[first], factory=_writers(lambda _: None, probe))
            arc.reset()
    except BaseException:
        f.close()
        raise
    return f, arc, members


def read_encrypted_7z(src: Source, ctx: ReadContext, out: Emitter) -> None:
    for password in ctx.passwords:
        try:
            f, arc, members = _open(src, password)
        except Exception:  # wrong password: garbage in py7zr's parsers
            continue
        try:
            _unpack(arc, members, src, ctx, out)
        finally:
            arc.close()
            f.close()
        return
    raise FileProblem("encrypted", WRONG_PASSWORD)


def _unpack(arc: Any, members: list[Any], src: Source, ctx: ReadContext, out: Emitter) -> None:
    sink = MemberSink(src, ctx, out, src.size)
    wanted: dict[str, deque[tuple[str, int]]] = defaultdict(deque)
    for info in members:
        sink.count_one()
        path = sink.path_of(str(info.filename or "unnamed"))
        if info.is_symlink:
            sink.decided(path, 0, SKIPPED, "symlink")
            continue
        size = int(info.uncompressed or 0)
        if not sink.precheck(str(info.filename), path, size):
            continue
        if size == 0:  # py7zr writes nothing for an empty member: record it here
            sink.extract(path, [], 0)
        else:
            wanted[info.filename].append((path, size))
    if wanted:
        _pump(arc, wanted, sink)
    sink.finish()


def _pump(arc: Any, wanted: dict[str, deque[tuple[str, int]]], sink: MemberSink) -> None:
    events: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=QUEUE_BLOCKS)
    stop = threading.Event()

    def put(event: tuple[str, Any]) -> None:
        while True:
            if stop.is_set():
                raise _Stopped
            try:
                events.put(event, timeout=0.2)
                return
            except queue.Full:
                continue

    def run() -> None:
        error: BaseException | None = None
        try:
            arc.extract(
                targets=list(wanted),
                factory=_writers(lambda name: put(("start", name)), lambda b, _: put(("data", b))),
            )
        except _Stopped:
            return
        except BaseException as exc:  # reported to the reading side as a damaged member
            error = exc
        try:
            put(("done", error))
        except _Stopped:
            return

    worker = threading.Thread(target=run, name="py7zr", daemon=True)
    worker.start()
    try:
        event = events.get()
        while event[0] == "start":
            pending = wanted.get(event[1])
            path, declared = pending.popleft() if pending else ("", 0)
            following: list[tuple[str, Any]] = []

            def blocks(following: list[tuple[str, Any]] = following) -> Iterator[bytes]:
                while True:
                    e = events.get()
                    if e[0] == "data":
                        yield e[1]
                        continue
                    following.append(e)
                    if e[0] == "done" and e[1] is not None:
                        raise _Damaged
                    return

            gen = blocks()
            try:
                if path:
                    sink.extract(path, gen, declared)
                for _ in gen:  # the rest of a member refused mid-way (bomb, too large)
                    pass
            except _Damaged:
                if path:
                    sink.decided(path, declared, FAILED, "corrupt: member is damaged")
            event = following[0] if following else ("done", None)
        for pending in wanted.values():  # never reached: the archive broke before them
            for path, declared in pending:
                sink.decided(path, declared, FAILED, "corrupt: archive is damaged")
    finally:
        stop.set()
        worker.join(timeout=5)


class _Damaged(Exception):
    """py7zr failed while this member was being unpacked (CRC, decoder error)."""
