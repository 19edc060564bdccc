"""Sealed temp files: what ingest workers spill to disk, encrypted with a key no disk sees.

When the case store is encrypted, its ingest run's temporary files (Parquet-sized output
spills and extracted archive members) must not sit in plaintext in the work folder. Each
run draws a random 256-bit key (:func:`new_key`) that lives only in the memory of the run's
processes; files are written as a stream of AES-256-GCM chunks. A run killed mid-way leaves
sealed files nobody can read again (the key died with it); the next run removes them.

Format: ``MAGIC`` (8 bytes), a random 8-byte file nonce, then chunks of ``u32 length`` +
ciphertext (at most :data:`CHUNK` plaintext bytes + a 16-byte tag). Chunk *i*'s nonce is
the file nonce + *i*; its associated data says whether it is the last chunk, so a
truncated, reordered or spliced file fails to open instead of reading short.
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
from pathlib import Path
from types import TracebackType

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"BSSEAL1\n"
CHUNK = 1 << 20
_TAG = 16
_LEN = struct.Struct(">I")
_MORE, _LAST = b"\x00", b"\x01"

_run_key: bytes | None = None


class SealError(Exception):
    """A sealed file is damaged, truncated or was sealed with another key."""


def new_key() -> bytes:
    """A fresh per-run key (never written anywhere)."""
    return AESGCM.generate_key(bit_length=256)


def arm(on: bool) -> bytes | None:
    """Start an ingest run's sealing: a fresh key when ``on``, none otherwise.

    Called by the ingest writer from its store connection (an encrypted store encrypts its
    own temp files, so ours follow); the worker pool of the same run picks the key up with
    :func:`run_key`. Returns the key.
    """
    global _run_key
    _run_key = new_key() if on else None
    return _run_key


def run_key() -> bytes | None:
    """The key of the ingest run in progress in this process (None: no sealing)."""
    return _run_key


RAM_ROOT = Path("/dev/shm")
_RAM_PREFIX = "breachscope-ingest-"


def make_ram_dir() -> Path | None:
    """A private (0700) folder on a RAM file system for members read in plaintext.

    Folders left by runs whose process is gone are removed first. None when the machine has
    no ``/dev/shm``.
    """
    if not RAM_ROOT.is_dir() or not os.access(RAM_ROOT, os.W_OK | os.X_OK):
        return None
    _sweep_ram_dirs()
    try:
        return Path(tempfile.mkdtemp(prefix=f"{_RAM_PREFIX}{os.getpid()}-", dir=RAM_ROOT))
    except OSError:
        return None


def ram_free(path: Path) -> int:
    try:
        st = os.statvfs(path)
    except OSError:
        return 0
    return st.f_bavail * st.f_frsize


def _sweep_ram_dirs() -> None:
    uid = os.getuid()
    for d in RAM_ROOT.glob(f"{_RAM_PREFIX}*"):
        try:
            if d.stat().st_uid != uid:
                continue
            pid = int(d.name[len(_RAM_PREFIX) :].split("-", 1)[0])
        except (OSError, ValueError):
            continue
        if not _alive(pid):
            shutil.rmtree(d, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_sealed(path: str | Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _nonce(prefix: bytes, i: int) -> bytes:
    return prefix + i.to_bytes(4, "big")


class SealedWriter:
    """A write-only file object that encrypts as it goes. Created 0600, never overwrites."""

    def __init__(self, path: str | Path, key: bytes) -> None:
        self._aes = AESGCM(key)
        self._prefix = os.urandom(8)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._fh = os.fdopen(fd, "wb")
        self._fh.write(MAGIC + self._prefix)
        self._buf = bytearray()
        self._i = 0
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self._buf += data
        while len(self._buf) > CHUNK:
            self._emit(bytes(self._buf[:CHUNK]), last=False)
            del self._buf[:CHUNK]
        return len(data)

    def _emit(self, plain: bytes, *, last: bool) -> None:
        if self._i >= 1 << 32:
            raise SealError("sealed file too large")
        ct = self._aes.encrypt(_nonce(self._prefix, self._i), plain, _LAST if last else _MORE)
        self._fh.write(_LEN.pack(len(ct)) + ct)
        self._i += 1

    def flush(self) -> None:  # pyarrow calls it; chunks are written whole
        pass

    def writable(self) -> bool:
        return True

    def close(self) -> None:
        if self.closed:
            return
        try:
            self._emit(bytes(self._buf), last=True)
            self._buf = bytearray()
        finally:
            self.closed = True
            self._fh.close()

    def abort(self) -> None:
        """Close without finishing (the file is useless afterwards)."""
        self.closed = True
        self._fh.close()

    def __enter__(self) -> SealedWriter:
        return self

    def __exit__(
        self,
        typ: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if typ is None:
            self.close()
        else:
            self.abort()


class SealedReader:
    """A read-only file object over a sealed file; raises :class:`SealError` on tampering."""

    def __init__(self, path: str | Path, key: bytes) -> None:
        self._aes = AESGCM(key)
        self._fh = open(path, "rb")  # noqa: SIM115 - closed by close()
        head = self._fh.read(len(MAGIC) + 8)
        if head[: len(MAGIC)] != MAGIC or len(head) != len(MAGIC) + 8:
            self._fh.close()
            raise SealError("not a sealed file")
        self._prefix = head[len(MAGIC) :]
        self._buf = b""
        self._pos = 0
        self._i = 0
        self._done = False
        self.closed = False

    def _next(self) -> bool:
        if self._done:
            return False
        raw = self._fh.read(_LEN.size)
        if len(raw) != _LEN.size:
            raise SealError("sealed file truncated")
        (n,) = _LEN.unpack(raw)
        if n < _TAG or n > CHUNK + _TAG:
            raise SealError("sealed file damaged")
        ct = self._fh.read(n)
        if len(ct) != n:
            raise SealError("sealed file truncated")
        nonce = _nonce(self._prefix, self._i)
        try:
            plain = self._aes.decrypt(nonce, ct, _MORE)
        except InvalidTag:
            plain = self._last(nonce, ct)
        self._i += 1
        self._buf, self._pos = plain, 0
        return True

    def _last(self, nonce: bytes, ct: bytes) -> bytes:
        try:
            plain = self._aes.decrypt(nonce, ct, _LAST)
        except InvalidTag:
            raise SealError("sealed file damaged or sealed with another key") from None
        self._done = True
        if self._fh.read(1):
            raise SealError("data after the last sealed chunk")
        return plain

    def read(self, n: int = -1, /) -> bytes:
        parts: list[bytes] = []
        want = n if n is not None and n >= 0 else -1
        while want != 0:
            if self._pos >= len(self._buf) and not self._next():
                break
            avail = len(self._buf) - self._pos
            take = avail if want < 0 else min(avail, want)
            parts.append(self._buf[self._pos : self._pos + take])
            self._pos += take
            if want > 0:
                want -= take
        return b"".join(parts)

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.closed = True
        self._fh.close()

    def __enter__(self) -> SealedReader:
        return self

    def __exit__(
        self,
        typ: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def seal_file(path: str | Path, dest: str | Path, key: bytes) -> None:
    """Copy a plaintext file into a sealed one (the caller removes the plaintext)."""
    with open(path, "rb") as src, SealedWriter(dest, key) as out:
        while block := src.read(CHUNK):
            out.write(block)
