"""Outlook ``.msg`` (an OLE2 compound file of MAPI properties) with olefile (BSD).

Documents as for ``.eml``: ``headers`` (sender, recipients with their addresses, subject,
date from the transport headers) and ``body`` (PR_BODY; else the HTML body as text; else
the compressed RTF body, decompressed and stripped). Attachments become members
(``mail.msg!name.csv``). An attached Outlook message is read in place: its headers and
body are documents ``attachment N headers`` / ``attachment N body`` of the outer message,
its own attachments members of the outer one.
"""

from __future__ import annotations

import struct
from typing import Any

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter
from breachscope.ingest.model import FAILED, FileSkipped
from breachscope.ingest.readers.mail import ENCRYPTED_TYPES, attachment_name
from breachscope.ingest.readers.members import MemberSink
from breachscope.ingest.readers.text import clean_text
from breachscope.ingest.registry import ReadContext, Source

SUBJECT, SENDER_NAME, SENDER_EMAIL, SENDER_SMTP = 0x0037, 0x0C1A, 0x0C1F, 0x5D01
DISPLAY_TO, DISPLAY_CC, DISPLAY_BCC, HEADERS = 0x0E04, 0x0E03, 0x0E02, 0x007D
BODY, HTML, RTF = 0x1000, 0x1013, 0x1009
RECIP_NAME, RECIP_ADDR, RECIP_SMTP = 0x3001, 0x3003, 0x39FE
ATT_DATA, ATT_LONG, ATT_SHORT, ATT_MIME = 0x3701, 0x3707, 0x3704, 0x370E
MAX_NESTED = 4


class _Msg:
    """Property access within one message storage (the file's root or an attachment)."""

    def __init__(self, ole: Any, base: list[str]) -> None:
        self.ole = ole
        self.base = base

    def raw(self, prop: int, kinds: tuple[str, ...] = ("001F", "001E", "0102")) -> Any:
        for kind in kinds:
            path = [*self.base, f"__substg1.0_{prop:04X}{kind}"]
            if self.ole.exists(path):
                data = self.ole.openstream(path).read()
                return kind, data
        return None

    def text(self, prop: int) -> str:
        got = self.raw(prop)
        if got is None:
            return ""
        kind, data = got
        if kind == "001F":
            return str(data.decode("utf-16-le", "replace")).rstrip("\0")
        if kind == "001E":
            return str(data.decode("cp1252", "replace")).rstrip("\0")
        return str(data.decode("utf-8", "replace"))

    def children(self, prefix: str) -> list[list[str]]:
        found: dict[str, list[str]] = {}
        depth = len(self.base)
        for entry in self.ole.listdir(streams=True, storages=True):
            if (
                len(entry) > depth
                and entry[:depth] == self.base
                and entry[depth].startswith(prefix)
            ):
                found[entry[depth]] = [*self.base, entry[depth]]
        return [found[k] for k in sorted(found)]


def _headers(m: _Msg) -> str:
    lines: list[str] = []
    sender = m.text(SENDER_NAME)
    addr = m.text(SENDER_SMTP) or m.text(SENDER_EMAIL)
    if sender or addr:
        lines.append(f"From: {sender} <{addr}>" if addr and sender else f"From: {sender or addr}")
    for label, prop in (("To", DISPLAY_TO), ("Cc", DISPLAY_CC), ("Bcc", DISPLAY_BCC)):
        if v := m.text(prop):
            lines.append(f"{label}: {v}")
    for storage in m.children("__recip_version1.0_"):
        r = _Msg(m.ole, storage)
        name, addr = r.text(RECIP_NAME), r.text(RECIP_SMTP) or r.text(RECIP_ADDR)
        if name or addr:
            lines.append(
                f"Recipient: {name} <{addr}>" if name and addr else f"Recipient: {name or addr}"
            )
    transport = m.text(HEADERS)
    for line in transport.splitlines():
        if line.lower().startswith(("date:", "reply-to:")):
            lines.append(" ".join(line.split()))
    if subject := m.text(SUBJECT):
        lines.append(f"Subject: {subject}")
    return clean_text("\n".join(" ".join(x.split()) for x in lines))


def _body(m: _Msg) -> str:
    if body := m.text(BODY):
        return body
    got = m.raw(HTML, ("0102", "001F", "001E"))
    if got is not None:
        from breachscope.ingest.readers.html import html_to_text

        kind, data = got
        markup = data.decode("utf-16-le" if kind == "001F" else "utf-8", "replace")
        return html_to_text(markup)
    got = m.raw(RTF, ("0102",))
    if got is not None:
        from breachscope.ingest.readers.rtf import rtf_to_text

        try:
            return rtf_to_text(decompress_rtf(got[1]).decode("cp1252", "replace"))
        except ValueError:
            return ""
    return ""


def _read(m: _Msg, loc: str, sink: MemberSink, out: Emitter, level: int) -> None:
    if head := _headers(m):
        out.text(f"{loc}headers", head)
    if (body := clean_text(_body(m))).strip():
        out.text(f"{loc}body", body)
    for n, storage in enumerate(m.children("__attach_version1.0_"), 1):
        a = _Msg(m.ole, storage)
        embedded = [*storage, "__substg1.0_3701000D"]
        if m.ole.exists(embedded):
            if level < MAX_NESTED:
                _read(_Msg(m.ole, embedded), f"{loc}attachment {n} ", sink, out, level + 1)
            continue
        name = attachment_name(a.text(ATT_LONG) or a.text(ATT_SHORT), n, a.text(ATT_MIME))
        mime = a.text(ATT_MIME).lower()
        if mime in ENCRYPTED_TYPES or name.lower().endswith(".p7m"):
            sink.count_one()
            sink.decided(sink.path_of(name), 0, FAILED, "encrypted")
            continue
        got = a.raw(ATT_DATA, ("0102",))
        if got is not None:
            sink.add_bytes(name, got[1])


def read_msg(src: Source, ctx: ReadContext, out: Emitter) -> None:
    import olefile

    try:
        ole = olefile.OleFileIO(str(src.path))
    except (OSError, struct.error, ValueError, IndexError):
        raise FileProblem("corrupt", "unreadable Outlook message") from None
    sink = MemberSink(src, ctx, out, src.size)
    with ole:
        try:
            _read(_Msg(ole, []), "", sink, out, 0)
        except (OSError, struct.error, IndexError):
            raise FileProblem("corrupt", "damaged Outlook message") from None
    if out.n_documents == 0 and sink.count == 0:
        raise FileSkipped("empty")


# --------------------------------------------------------------------------- RTF


_RTF_DICT = (
    b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss "
    b"\\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier"
    b"{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx"
)


def decompress_rtf(data: bytes) -> bytes:
    """PR_RTF_COMPRESSED (MS-OXRTFCP): the LZFu-compressed or stored RTF body."""
    if len(data) < 16:
        raise ValueError("short compressed RTF")
    _size, raw_size, magic, _crc = struct.unpack_from("<IIII", data, 0)
    body = data[16:]
    if magic == 0x414C454D:  # 'MELA': stored uncompressed
        return body[:raw_size]
    if magic != 0x75465A4C:  # 'LZFu'
        raise ValueError("unknown compressed RTF")
    window = bytearray(4096)
    window[: len(_RTF_DICT)] = _RTF_DICT
    wpos = len(_RTF_DICT)
    out = bytearray()
    i = 0
    while i < len(body) and len(out) < raw_size:
        flags = body[i]
        i += 1
        for bit in range(8):
            if i >= len(body) or len(out) >= raw_size:
                break
            if flags >> bit & 1:
                if i + 1 >= len(body):
                    return bytes(out)
                ref = body[i] << 8 | body[i + 1]
                i += 2
                offset, length = ref >> 4, (ref & 0xF) + 2
                if offset == wpos:
                    return bytes(out)
                for k in range(length):
                    b = window[(offset + k) % 4096]
                    out.append(b)
                    window[wpos] = b
                    wpos = (wpos + 1) % 4096
            else:
                b = body[i]
                i += 1
                out.append(b)
                window[wpos] = b
                wpos = (wpos + 1) % 4096
    return bytes(out)
