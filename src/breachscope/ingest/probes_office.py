"""Content probes for mail, office documents, scans, databases and archives (issue 3).

Registered next to the built-in probes of :mod:`breachscope.ingest.sniff`:

* 25 ``ole-office``: an OLE2 container with a ``WordDocument`` stream is a DOC, one with
  ``__substg1.0_`` streams an Outlook MSG (XLS and encrypted OOXML stay with the built-in
  ``ole`` probe).
* 35 ``containers``: GZ/BZ2/XZ (a TAR inside, found by inflating the first block, makes a
  ``tar``), 7z, TAR, PNG/JPEG/TIFF images (OCR), SQLite databases, Parquet.
* 80 ``mail``: an RFC 822 header block at the top (From/To/Subject/Date/Received ...).
* 85 ``sqldump``: SQL statements (INSERT INTO, CREATE TABLE, COPY ... FROM stdin).
* 86 ``html``: markup starting with an HTML element, not only ``<!DOCTYPE html>``.
"""

from __future__ import annotations

import bz2
import lzma
import re
import struct
import zlib

from breachscope.ingest.model import FAILED, Guess
from breachscope.ingest.sniff import OLE_MAGIC, Sample, ole_stream_names, register_probe

_OLE_DOC = "WordDocument"
_OLE_EXT = frozenset({"doc", "dot", "msg", "xls", "xlt", "ppt", "pps"})


def _ole_office(s: Sample) -> Guess | None:
    if not s.head.startswith(OLE_MAGIC):
        return None
    try:
        names = set(ole_stream_names(s.path))
    except (OSError, struct.error):
        names = set()
    if not names and s.ext in _OLE_EXT:
        return Guess("unknown", status=FAILED, reason=f"corrupt: damaged .{s.ext} container")
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        return None  # password-protected OOXML: the built-in probe types it
    if _OLE_DOC in names:
        return Guess("doc")
    if "__properties_version1.0" in names or any(n.startswith("__substg1.0_") for n in names):
        return Guess("msg")
    return None


def tar_header(block: bytes) -> bool:
    """A valid TAR header block: ``ustar`` magic, or a V7 header whose checksum adds up."""
    if len(block) < 512:
        return False
    if block[257:262] == b"ustar":
        return True
    raw = block[148:156].split(b"\0", 1)[0].strip()
    try:
        want = int(raw, 8)
    except ValueError:
        return False
    got = sum(block[:148]) + 8 * 32 + sum(block[156:512])
    return want == got and block[0] != 0


def _inflate_head(head: bytes, kind: str) -> bytes:
    try:
        if kind == "gz":
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 1024)
        if kind == "bz2":
            return bz2.BZ2Decompressor().decompress(head, max_length=1024)
        return lzma.LZMADecompressor().decompress(head, max_length=1024)
    except (zlib.error, OSError, EOFError, lzma.LZMAError, ValueError):
        return b""


_COMPRESSED = ((b"\x1f\x8b", "gz"), (b"BZh", "bz2"), (b"\xfd7zXZ\x00", "xz"))
_SIMPLE: tuple[tuple[int, bytes, str], ...] = (
    (0, b"7z\xbc\xaf\x27\x1c", "7z"),
    (0, b"\x89PNG\r\n\x1a\n", "png"),
    (0, b"\xff\xd8\xff", "jpeg"),
    (0, b"II*\x00", "tiff"),
    (0, b"MM\x00*", "tiff"),
    (0, b"SQLite format 3\x00", "sqlite"),
    (0, b"PAR1", "parquet"),
)
_TAR_EXT = (".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz")


def _containers(s: Sample) -> Guess | None:
    for magic, kind in _COMPRESSED:
        if s.head.startswith(magic):
            inner = _inflate_head(s.head, kind)
            if tar_header(inner[:512]) or s.name.lower().endswith(_TAR_EXT):
                return Guess("tar")
            return Guess(kind)
    for off, magic, kind in _SIMPLE:
        if s.head[off : off + len(magic)] == magic:
            return Guess(kind)
    if tar_header(s.head[:512]):
        return Guess("tar")
    return None


_HEADER_LINE = re.compile(r"^([!-9;-~]+):[ \t]?")
_MAIL_HEADERS = frozenset(
    [
        "from",
        "to",
        "cc",
        "bcc",
        "subject",
        "date",
        "received",
        "message-id",
        "mime-version",
        "return-path",
        "reply-to",
        "delivered-to",
        "x-mailer",
        "sender",
        "content-type",
        "thread-topic",
        "x-ms-exchange-organization-authas",
    ]
)


def _mail(s: Sample) -> Guess | None:
    text = s.text[:65536]
    if not text or text[0] in " \t\r\n":
        return None
    known = 0
    for i, line in enumerate(text.splitlines()):
        if not line.strip():
            break
        if line[0] in " \t":
            continue  # folded header
        m = _HEADER_LINE.match(line)
        if m is None:
            return None
        if m.group(1).lower() in _MAIL_HEADERS:
            known += 1
        if i > 400:
            break
    need = 1 if s.ext in ("eml", "mht", "mhtml") else 3
    if known >= need:
        enc, bom = s.encoding
        return Guess("eml", encoding=enc, bom=bom)
    return None


_SQL_START = re.compile(
    r"(?:--|/\*|#|SET\s|CREATE\s|INSERT\s|DROP\s|USE\s|BEGIN|LOCK\s|ALTER\s|COPY\s|"
    r"START\s+TRANSACTION|PRAGMA\s|SELECT\s+pg_catalog)",
    re.IGNORECASE,
)
_SQL_DATA = re.compile(
    r"^\s*(?:INSERT\s+INTO|CREATE\s+TABLE|COPY\s+\S+.*\bFROM\s+stdin)", re.IGNORECASE | re.M
)


def _sqldump(s: Sample) -> Guess | None:
    text = s.text[:262144]
    start = text.lstrip()
    if not start or not (s.ext == "sql" or _SQL_START.match(start)):
        return None
    if _SQL_DATA.search(text) is None:
        return None
    enc, bom = s.encoding
    return Guess("sql", encoding=enc, bom=bom)


_HTML_START = re.compile(r"<(?:html|head|body|table|div|meta|title|p|br|span|h[1-6])\b", re.I)


def _html(s: Sample) -> Guess | None:
    start = s.text.lstrip()[:2048]
    if not start.startswith("<") or start.startswith("<?xml"):
        return None
    if s.ext in ("htm", "html", "xhtml") or _HTML_START.match(start):
        enc, bom = s.encoding
        return Guess("html", encoding=enc, bom=bom)
    return None


register_probe("ole-office", 25, _ole_office)
register_probe("containers", 35, _containers)
register_probe("mail", 80, _mail)
register_probe("sqldump", 85, _sqldump)
register_probe("html", 86, _html)
