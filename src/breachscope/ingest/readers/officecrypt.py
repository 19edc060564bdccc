"""Password-protected Office files (OOXML, DOC, XLS), opened with the case's passwords.

msoffcrypto-tool (MIT, the optional ``passwords`` extra) decrypts into memory: ECMA-376
agile / standard encryption of DOCX / XLSX (the OLE container with ``EncryptionInfo`` and
``EncryptedPackage`` streams) and the RC4 / RC4 CryptoAPI encryption of Word and Excel
97-2003. Without a case password, with none that opens the file, or without the library,
the file ends ``failed`` ``encrypted`` with a reason saying which. Passwords are never
logged or put into reasons.

msoffcrypto-tool rebuilds a decrypted DOC / XLS in a ``tempfile.TemporaryFile``: while it
decrypts, Python's temp folder points at a private folder in RAM (``/dev/shm``) so the
plaintext never reaches the disk (the worker reads one file at a time, so the switch of
this process-wide setting touches nothing else).
"""

from __future__ import annotations

import contextlib
import inspect
import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter
from breachscope.ingest.model import FileSkipped
from breachscope.ingest.registry import ReadContext, Source

RAM_ROOT = Path("/dev/shm")
NO_PASSWORD = "no password in the case file (settings.passwords)"
WRONG_PASSWORD = "no case password opens it"


def decrypt_office(path: Path, passwords: tuple[str, ...], limit: int) -> bytes:
    """The decrypted bytes of a password-protected Office file, tried with each password.

    Raises ``FileProblem('encrypted', …)`` when no password opens it and
    ``FileProblem('too_large', …)`` when the file is bigger than ``limit`` (it is decrypted
    in memory).
    """
    if not passwords:
        raise FileProblem("encrypted", NO_PASSWORD)
    try:
        import msoffcrypto
        from msoffcrypto import exceptions as mx
    except ImportError:
        raise FileProblem(
            "encrypted", "install the 'passwords' extra (msoffcrypto-tool) to try passwords"
        ) from None
    if path.stat().st_size > limit:
        raise FileProblem("too_large", "encrypted Office file too large to decrypt in memory")
    with path.open("rb") as f, _temp_in_ram():
        for password in passwords:
            f.seek(0)  # a failed try leaves the parser's state and position behind: start over
            try:
                office = msoffcrypto.OfficeFile(f)
            except Exception:  # a damaged container or header: still a locked file to us
                raise FileProblem("encrypted", "unreadable encryption header") from None
            try:
                # OOXML checks the password in load_key; 97-2003 formats while decrypting.
                if "verify_password" in inspect.signature(office.load_key).parameters:
                    office.load_key(password=password, verify_password=True)
                else:
                    office.load_key(password=password)
                buf = io.BytesIO()
                office.decrypt(buf)
            except (mx.InvalidKeyError, mx.DecryptionError):
                continue
            except (mx.FileFormatError, mx.ParseError):
                raise FileProblem("encrypted", "unsupported kind of Office encryption") from None
            except Exception:  # a wrong key derails the parse of what it decrypts
                continue
            data = buf.getvalue()
            if data:
                return data
    raise FileProblem("encrypted", WRONG_PASSWORD)


@contextlib.contextmanager
def _temp_in_ram() -> Iterator[None]:
    if not RAM_ROOT.is_dir() or not os.access(RAM_ROOT, os.W_OK | os.X_OK):
        yield
        return
    folder = tempfile.mkdtemp(prefix="breachscope-office-", dir=RAM_ROOT)  # 0700
    before = tempfile.tempdir
    tempfile.tempdir = folder
    try:
        yield
    finally:
        tempfile.tempdir = before
        shutil.rmtree(folder, ignore_errors=True)


def read_encrypted_ooxml(src: Source, ctx: ReadContext, out: Emitter) -> None:
    """An encrypted DOCX / XLSX / XLSM / XLSB: decrypt with a case password, then read it."""
    from breachscope.ingest.readers.docx import read_docx_package
    from breachscope.ingest.readers.workbook import read_workbook_bytes

    data = decrypt_office(src.path, ctx.passwords, ctx.limits.max_xml_part)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise FileProblem("corrupt", "decrypted Office package is not a zip") from None
    if "word/document.xml" in names:
        read_docx_package(io.BytesIO(data), ctx, out)
    elif "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        read_workbook_bytes(data, "xlsx", out)
    elif "ppt/presentation.xml" in names:
        raise FileSkipped("unsupported:pptx")
    else:
        raise FileProblem("corrupt", "decrypted Office package of an unknown kind")
