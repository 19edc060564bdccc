"""7z archives through libarchive (libarchive-c over Debian's ``libarchive13``; BSD).

Members are streamed out block by block with the limits of
:class:`~breachscope.ingest.readers.members.MemberSink`. libarchive cannot decrypt 7z:
an encrypted member ends as ``failed`` ``encrypted``, and an archive whose header is
encrypted (member names hidden) fails whole as ``encrypted``. libarchive's messages are
never copied into reasons (they may carry member names).

When the case lists passwords and the archive is encrypted, py7zr (LGPL, the optional
``passwords`` extra, imported only here) reads it instead (:mod:`.sevenzip_crypt`); an
archive no password opens fails ``encrypted``.
"""

from __future__ import annotations

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter
from breachscope.ingest.model import FAILED, SKIPPED
from breachscope.ingest.readers.members import MemberSink
from breachscope.ingest.registry import ReadContext, Source


def _encrypted(exc: BaseException) -> bool:
    return "encrypt" in str(exc).lower()


def read_7z(src: Source, ctx: ReadContext, out: Emitter) -> None:
    if ctx.passwords:
        from breachscope.ingest.readers import sevenzip_crypt

        if sevenzip_crypt.needs_password(src):
            sevenzip_crypt.read_encrypted_7z(src, ctx, out)
            return
    try:
        import libarchive
        from libarchive.exception import ArchiveError
    except (ImportError, OSError):  # the Debian library is missing
        raise FileProblem("unsupported", "libarchive is not installed") from None
    sink = MemberSink(src, ctx, out, src.size)
    try:
        with libarchive.file_reader(str(src.path), format_name="7zip") as arc:
            it = iter(arc)
            while True:
                try:
                    entry = next(it)
                except StopIteration:
                    break
                except ArchiveError as exc:
                    if sink.count == 0:
                        raise
                    reason = "encrypted" if _encrypted(exc) else "corrupt: archive is damaged"
                    out.status = (FAILED, reason)
                    break
                if entry.isdir:
                    continue
                sink.count_one()
                name = str(entry.pathname or "unnamed")
                path = sink.path_of(name)
                if entry.issym or entry.islnk:
                    sink.decided(path, 0, SKIPPED, "symlink")
                    continue
                if not entry.isreg:
                    sink.decided(path, 0, SKIPPED, "unsupported:special")
                    continue
                size = entry.size if isinstance(entry.size, int) else None
                if not sink.precheck(name, path, size):
                    continue
                try:
                    sink.extract(path, entry.get_blocks(), size)
                except ArchiveError as exc:
                    if _encrypted(exc):
                        sink.decided(path, size or 0, FAILED, "encrypted")
                    else:
                        sink.decided(path, size or 0, FAILED, "corrupt: member is damaged")
    except ArchiveError as exc:
        if _encrypted(exc):
            raise FileProblem("encrypted") from None
        raise FileProblem("corrupt", "not a readable 7z archive") from None
    sink.finish()
