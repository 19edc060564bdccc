"""Legacy Word (``.doc``, Word 97-2003) through the antiword CLI, catdoc as the fallback.

Both are GPL programs from Debian (``antiword``, ``catdoc``), run as separate processes,
never linked. One ``body`` document per file. A document whose FIB says it is encrypted is
decrypted in memory with the case's passwords (msoffcrypto-tool, :mod:`.officecrypt`) and
handed to the tools as an anonymous RAM file (``memfd``, passed as ``/proc/self/fd/N``:
they need a seekable file, and the plaintext must not touch the disk); without a password
that opens it, it ends ``failed`` ``encrypted``. About 230-285 docs/s, bounded by process
start-up.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter
from breachscope.ingest.model import FileSkipped
from breachscope.ingest.readers.text import clean_text
from breachscope.ingest.registry import ReadContext, Source

TIMEOUT = 120.0
F_ENCRYPTED = 0x0100


def word_fib(path: str) -> tuple[int, int]:
    """(nFib, flags) from the WordDocument stream's File Information Block."""
    import olefile

    try:
        with olefile.OleFileIO(path) as ole:
            head = ole.openstream("WordDocument").read(16)
    except (OSError, struct.error, ValueError, IndexError):
        raise FileProblem("corrupt", "unreadable Word document") from None
    if len(head) < 12:
        raise FileProblem("corrupt", "Word document without a FIB")
    _ident, nfib, _product, _lid, _pn, flags = struct.unpack_from("<HHHHHH", head, 0)
    return nfib, flags


def _run(cmd: list[str], pass_fds: tuple[int, ...] = ()) -> str | None:
    exe = shutil.which(cmd[0])
    if exe is None:
        return None
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    try:
        res = subprocess.run(
            [exe, *cmd[1:]],
            capture_output=True,
            timeout=TIMEOUT,
            env=env,
            check=False,
            pass_fds=pass_fds,
        )
    except subprocess.TimeoutExpired:
        raise FileProblem("timeout", f"{cmd[0]} took longer than {TIMEOUT:.0f} s") from None
    if res.returncode != 0:
        return None
    return res.stdout.decode("utf-8", "replace")


def read_doc(src: Source, ctx: ReadContext, out: Emitter) -> None:
    _nfib, flags = word_fib(str(src.path))
    if shutil.which("antiword") is None and shutil.which("catdoc") is None:
        raise FileProblem("tool_missing", "install Debian's antiword or catdoc")
    if not flags & F_ENCRYPTED:
        _convert(str(src.path), out)
        return
    from breachscope.ingest.readers.officecrypt import decrypt_office

    data = decrypt_office(src.path, ctx.passwords, ctx.limits.max_xml_part)
    if not hasattr(os, "memfd_create"):  # not Linux: no RAM file to hand over
        raise FileProblem("encrypted", "decrypted DOC needs Linux memfd to be read")
    fd = os.memfd_create("breachscope-doc", os.MFD_CLOEXEC)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        del view, data
        _convert(f"/proc/self/fd/{fd}", out, pass_fds=(fd,))
    finally:
        os.close(fd)


def _convert(path: str, out: Emitter, pass_fds: tuple[int, ...] = ()) -> None:
    text = _run(["antiword", "-m", "UTF-8.txt", "-w", "0", path], pass_fds)
    if text is None or not text.strip():
        text = _run(["catdoc", "-d", "utf-8", "-w", path], pass_fds)
    if text is None:
        raise FileProblem("corrupt", "Word document cannot be converted")
    text = clean_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise FileSkipped("empty")
    out.text("body", text)
