"""Typing files by content: magic bytes and structure first, the extension only breaks ties.

Probes run in priority order; the first that recognises the sample wins. Later formats
(HL7, X12, FHIR, e-mail ...) add probes with :func:`register_probe` ahead of the generic
delimited/text probe.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from breachscope.ingest.dialect import TYPE_BY_DELIMITER, sniff_delimiter
from breachscope.ingest.model import FAILED, SKIPPED, Guess
from breachscope.ingest.textcodec import bom_encoding, decode, detect_encoding, utf16_without_bom

HEAD_BYTES = 256 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Extensions that promise a document: binary junk under one of them is a corrupt file,
# under any other name an unsupported one.
_DOCUMENT_EXTENSIONS = "csv tsv tab psv txt dat text log pdf docx doc xlsx xlsm xlsb xls ods odt rtf json xml html htm zip"
DOCUMENT_EXTENSIONS = frozenset(_DOCUMENT_EXTENSIONS.split())


@dataclass
class Sample:
    """The start of a file, with its name and (lazily) its decoded text."""

    path: Path
    name: str
    head: bytes
    size: int

    @property
    def ext(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower() if "." in self.name else ""

    @property
    def complete(self) -> bool:
        return len(self.head) >= self.size

    @cached_property
    def encoding(self) -> tuple[str, int]:
        return detect_encoding(self.head, self.complete)

    @cached_property
    def text(self) -> str:
        enc, bom = self.encoding
        return decode(self.head[bom:], enc, self.complete)


Probe = Callable[[Sample], Guess | None]
_PROBES: list[tuple[int, str, Probe]] = []


def register_probe(name: str, priority: int, probe: Probe) -> None:
    """Add a content probe. Built-ins: 10 pdf, 20 zip, 30 ole, 40 magic, 50 binary, 90 text."""
    _PROBES[:] = [p for p in _PROBES if p[1] != name]
    _PROBES.append((priority, name, probe))
    _PROBES.sort(key=lambda p: p[0])


def sniff(path: Path, name: str, head: bytes, size: int) -> Guess:
    """Decide what a file is from its first bytes (``head``) and, for containers, its index."""
    if size == 0 or not head:
        return Guess("empty", status=SKIPPED, reason="empty")
    sample = Sample(path, name, head, size)
    for _prio, _name, probe in _PROBES:
        guess = probe(sample)
        if guess is not None:
            return guess
    return Guess("unknown", status=SKIPPED, reason="unsupported:unknown")


# --------------------------------------------------------------------------- probes


def _pdf(s: Sample) -> Guess | None:
    return Guess("pdf") if b"%PDF-" in s.head[:1024] else None


_OOXML = (
    ("xl/workbook.xml", "xlsx"),
    ("xl/workbook.bin", "xlsb"),
    ("word/document.xml", "docx"),
    ("ppt/presentation.xml", "pptx"),
)
_ODF = {
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.presentation": "odp",
}


def _zip(s: Sample) -> Guess | None:
    if not s.head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return None
    try:
        with zipfile.ZipFile(s.path) as zf:
            names = set(zf.namelist())
            for member, kind in _OOXML:
                if member in names:
                    if kind == "xlsx" and s.ext == "xlsm":
                        kind = "xlsm"
                    return _unsupported(kind) if kind == "pptx" else Guess(kind)
            if "mimetype" in names and zf.getinfo("mimetype").file_size < 200:
                mime = zf.read("mimetype").decode("ascii", "replace").strip()
                if mime in _ODF:
                    kind = _ODF[mime]
                    return Guess(kind) if kind == "ods" else _unsupported(kind)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError):
        pass  # the archive reader reports what is wrong with it
    return Guess("zip")


def ole_stream_names(path: Path, limit: int = 4096) -> list[str]:
    """Names of the streams and storages in an OLE2 compound file (XLS, DOC, MSG ...)."""
    names: list[str] = []
    with path.open("rb") as f:
        hdr = f.read(512)
        if len(hdr) < 512 or not hdr.startswith(OLE_MAGIC):
            return names
        ss = 1 << struct.unpack_from("<H", hdr, 0x1E)[0]
        if ss not in (512, 4096):
            return names
        (dir_start,) = struct.unpack_from("<I", hdr, 0x30)
        difat_next, n_difat = struct.unpack_from("<II", hdr, 0x44)
        fat_sectors = [x for x in struct.unpack_from("<109I", hdr, 0x4C) if x < 0xFFFFFFFA]

        def sector(i: int) -> bytes:
            f.seek((i + 1) * ss)
            return f.read(ss)

        per = ss // 4
        while difat_next < 0xFFFFFFFA and n_difat > 0 and len(fat_sectors) < 1_000_000:
            raw = sector(difat_next)
            if len(raw) < ss:
                break
            vals = struct.unpack(f"<{per}I", raw)
            fat_sectors += [x for x in vals[:-1] if x < 0xFFFFFFFA]
            difat_next, n_difat = vals[-1], n_difat - 1
        fat: list[int] = []
        for fs in fat_sectors:
            raw = sector(fs)
            if len(raw) < ss:
                break
            fat.extend(struct.unpack(f"<{per}I", raw))
        seen: set[int] = set()
        s = dir_start
        while s < len(fat) and s not in seen and len(names) < limit:
            seen.add(s)
            raw = sector(s)
            for off in range(0, len(raw) - 127, 128):
                (nlen,) = struct.unpack_from("<H", raw, off + 64)
                if raw[off + 66] in (1, 2, 5) and 2 <= nlen <= 64:
                    names.append(raw[off : off + nlen - 2].decode("utf-16-le", "replace"))
            s = fat[s]
    return names


def _ole(s: Sample) -> Guess | None:
    if not s.head.startswith(OLE_MAGIC):
        return None
    try:
        names = set(ole_stream_names(s.path))
    except (OSError, struct.error):
        names = set()
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        # A password-protected DOCX/XLSX is an OLE container around the encrypted zip: its
        # reader tries the case's passwords and fails it 'encrypted' when none opens it.
        return Guess("ooxml-encrypted")
    if "Workbook" in names or "Book" in names:
        return Guess("xls")
    if "WordDocument" in names:
        return _unsupported("doc")
    if "__properties_version1.0" in names or any(n.startswith("__substg1.0_") for n in names):
        return _unsupported("msg")
    if "PowerPoint Document" in names:
        return _unsupported("ppt")
    return _unsupported("ole")


_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x1f\x8b", "gzip"),
    (0, b"BZh", "bzip2"),
    (0, b"\xfd7zXZ\x00", "xz"),
    (0, b"7z\xbc\xaf\x27\x1c", "7z"),
    (0, b"Rar!\x1a\x07", "rar"),
    (257, b"ustar", "tar"),
    (0, b"\x89PNG\r\n\x1a\n", "png"),
    (0, b"\xff\xd8\xff", "jpeg"),
    (0, b"GIF8", "gif"),
    (0, b"II*\x00", "tiff"),
    (0, b"MM\x00*", "tiff"),
    (128, b"DICM", "dicom"),
    (0, b"SQLite format 3\x00", "sqlite"),
    (0, b"PAR1", "parquet"),
    (0, b"MZ", "exe"),
    (0, b"\x7fELF", "elf"),
    (0, b"OggS", "ogg"),
    (0, b"ID3", "mp3"),
    (0, b"fLaC", "flac"),
    (4, b"ftyp", "mp4"),
    (0, b"RIFF", "riff"),
    (0, b"\x00\x00\x01\x00", "ico"),
    (0, b"wOFF", "woff"),
    (0, b"MSCF", "cab"),
    (0, b"!<arch>", "ar"),
)


def _unsupported(kind: str) -> Guess:
    return Guess(kind, status=SKIPPED, reason=f"unsupported:{kind}")


def _magic(s: Sample) -> Guess | None:
    for off, magic, kind in _MAGIC:
        if s.head[off : off + len(magic)] == magic:
            return _unsupported(kind)
    return None


_TEXT_CONTROL = frozenset(b"\t\n\r\x0c\x1b\x08")


def _binary(s: Sample) -> Guess | None:
    if bom_encoding(s.head) or utf16_without_bom(s.head):
        return None
    head = s.head[:65536]
    control = sum(1 for b in head if b < 0x20 and b not in _TEXT_CONTROL)
    if b"\x00" not in head and control <= 0.05 * len(head):
        return None
    if s.ext in DOCUMENT_EXTENSIONS:
        return Guess(
            "unknown", status=FAILED, reason=f"corrupt: binary content, not a .{s.ext} file"
        )
    return _unsupported("binary")


def _text(s: Sample) -> Guess:
    enc, bom = s.encoding
    text = s.text
    if not text.strip():
        return Guess("txt", encoding=enc, bom=bom, status=SKIPPED, reason="empty")
    start = text.lstrip()[:512].lower()
    if start.startswith("{\\rtf"):
        return Guess("rtf", encoding=enc, bom=bom)
    if start.startswith(("<!doctype html", "<html")):
        return Guess("html", encoding=enc, bom=bom)
    if start.startswith("<?xml") or (start.startswith("<") and s.ext == "xml"):
        return Guess("xml", encoding=enc, bom=bom)
    if start[:1] in "{[" and s.ext in ("json", "ndjson", "jsonl", ""):
        return Guess("json", encoding=enc, bom=bom)
    delimiter = sniff_delimiter(text, s.complete, s.ext)
    if delimiter is not None:
        return Guess(TYPE_BY_DELIMITER[delimiter], encoding=enc, bom=bom, delimiter=delimiter)
    return Guess("txt", encoding=enc, bom=bom)


register_probe("pdf", 10, _pdf)
register_probe("zip", 20, _zip)
register_probe("ole", 30, _ole)
register_probe("magic", 40, _magic)
register_probe("binary", 50, _binary)
register_probe("text", 90, _text)

# Healthcare formats by structure (issue 3), after the binary probe, before plain text.
from breachscope.ingest.readers import healthprobe as _hp  # noqa: E402

register_probe("hl7", 60, _hp.probe_hl7)
register_probe("x12", 61, _hp.probe_x12)
register_probe("fhir", 62, _hp.probe_fhir)
register_probe("ccda", 63, _hp.probe_ccda)

# Probes of the mail / office / scan / archive formats (issue 3) register themselves.
from breachscope.ingest import probes_office  # noqa: E402, F401
