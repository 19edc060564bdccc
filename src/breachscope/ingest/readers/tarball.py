"""TAR archives (plain, .tar.gz/.tgz, .tar.bz2, .tar.xz) and single-file GZ / BZ2 / XZ.

TARs are read with the stdlib ``tarfile`` in stream mode: one pass over the (decompressed)
bytes, each regular member copied out with the limits of
:class:`~breachscope.ingest.readers.members.MemberSink`. Links are never followed
(``skipped`` ``symlink``), devices and FIFOs never created (``skipped``
``unsupported:special``), ``../`` and absolute names end as ``failed`` ``unsafe_path``. In a
compressed TAR, a member whose declared size breaks the compression-ratio limit fails the
whole archive as ``bomb``: skipping it would mean inflating it anyway. A TAR cut short
keeps the members read before the cut; the member being read and the archive itself end
as ``failed`` ``corrupt``.

A single compressed file (``notes.txt.gz``) becomes one member named without its suffix
(``notes.txt.gz!notes.txt``), typed by content like any other file.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import tarfile
import zlib
from typing import IO, cast

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter
from breachscope.ingest.model import FAILED, SKIPPED
from breachscope.ingest.readers.members import MemberSink
from breachscope.ingest.registry import ReadContext, Source

_STREAM_ERRORS = (
    tarfile.TarError,
    EOFError,
    OSError,
    zlib.error,
    lzma.LZMAError,
    ValueError,
)
COMPRESSED_MAGIC = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")
_SUFFIXES = {
    ".tgz": ".tar",
    ".tbz2": ".tar",
    ".tbz": ".tar",
    ".txz": ".tar",
    ".gz": "",
    ".gzip": "",
    ".z": "",
    ".bz2": "",
    ".xz": "",
    ".lzma": "",
}


def read_tar(src: Source, ctx: ReadContext, out: Emitter) -> None:
    with src.path.open("rb") as fh:
        compressed = fh.read(6).startswith(COMPRESSED_MAGIC)
        fh.seek(0)
        try:
            tf = tarfile.open(fileobj=fh, mode="r|*")  # noqa: SIM115 (closed below)
        except _STREAM_ERRORS:
            raise FileProblem("corrupt", "not a readable tar archive") from None
        sink = MemberSink(src, ctx, out, src.size)
        with tf:
            _members(tf, sink, compressed)
    sink.finish()


def _members(tf: tarfile.TarFile, sink: MemberSink, compressed: bool) -> None:
    out = sink.out
    it = iter(tf)
    while True:
        try:
            ti = next(it)
        except StopIteration:
            return
        except _STREAM_ERRORS:
            if sink.count == 0:
                raise FileProblem("corrupt", "not a readable tar archive") from None
            out.status = (FAILED, "corrupt: archive is truncated or damaged")
            return
        if ti.isdir():
            continue
        sink.count_one()
        path = sink.path_of(ti.name)
        if ti.issym() or ti.islnk():
            sink.decided(path, 0, SKIPPED, "symlink")
            continue
        if not ti.isreg():
            sink.decided(path, 0, SKIPPED, "unsupported:special")
            continue
        if compressed and sink.over_ratio(out.expanded + ti.size):
            raise FileProblem("bomb", "declared sizes break the compression-ratio limit")
        if not sink.precheck(ti.name, path, ti.size):
            continue
        try:
            stream = tf.extractfile(ti)
            if stream is None:
                sink.decided(path, ti.size, SKIPPED, "unsupported:special")
                continue
            sink.extract(path, stream, ti.size)
        except _STREAM_ERRORS:
            sink.decided(path, ti.size, FAILED, "corrupt: member is truncated")
            out.status = (FAILED, "corrupt: archive is truncated or damaged")
            return


def member_name(name: str) -> str:
    """``notes.txt.gz`` → ``notes.txt``; ``x.tgz`` → ``x.tar``; no known suffix → ``name.out``."""
    low = name.lower()
    for suffix, repl in _SUFFIXES.items():
        if low.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)] + repl
    return f"{name}.out"


def _open_single(src: Source) -> IO[bytes]:  # gzip/bz2/lzma files are binary streams
    kind = src.guess.type
    if kind == "gz":
        return cast(IO[bytes], gzip.open(src.path, "rb"))
    if kind == "bz2":
        return bz2.open(src.path, "rb")
    return lzma.open(src.path, "rb")


def read_compressed(src: Source, ctx: ReadContext, out: Emitter) -> None:
    sink = MemberSink(src, ctx, out, src.size)
    name = member_name(src.name)
    sink.count_one()
    path = sink.path_of(name)
    if not sink.precheck(name, path, None):
        return
    try:
        with _open_single(src) as stream:
            sink.extract(path, stream, None)
    except _STREAM_ERRORS:
        raise FileProblem("corrupt", f"truncated or damaged {src.guess.type} stream") from None
