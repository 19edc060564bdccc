"""RTF with striprtf (BSD): one ``body`` document of the text, tables as tab-separated lines.

Embedded pictures (``{\\pict ...}`` groups of hex) are cut out before parsing: they hold no
text and make the parser crawl. The code page of ``\\'xx`` escapes is the document's
``\\ansicpg`` (cp1252 when absent); ``\\uN`` escapes are Unicode.
"""

from __future__ import annotations

import re

from breachscope.errors import FileProblem
from breachscope.ingest.emit import Emitter
from breachscope.ingest.model import FileSkipped
from breachscope.ingest.readers.text import clean_text
from breachscope.ingest.registry import ReadContext, Source

MAX_RTF = 256 * 1024 * 1024
_PICT = re.compile(
    r"\{\\\*?\\(?:pict|objdata|bin|blipuid|datastore|themedata|colorschememapping)\b[^{}]*\}"
)
_CELL = re.compile(r"\\cell(?![a-z])")
_ROW = re.compile(r"\\row(?![a-z])")
_CODEPAGE = re.compile(r"\\ansicpg(\d+)")


def rtf_to_text(rtf: str) -> str:
    from striprtf.striprtf import rtf_to_text as strip

    rtf = _PICT.sub("", rtf)
    m = _CODEPAGE.search(rtf[:4096])
    encoding = f"cp{m.group(1)}" if m else "cp1252"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    rtf = _ROW.sub(r"\\par ", _CELL.sub(r"\\tab ", rtf))
    text: str = strip(rtf, encoding=encoding, errors="replace")  # type: ignore[no-untyped-call]
    return text


def read_rtf(src: Source, ctx: ReadContext, out: Emitter) -> None:
    if src.size > MAX_RTF:
        raise FileProblem("too_large", "RTF past the parser's limit")
    raw = src.path.read_bytes()
    if not raw.lstrip()[:5].lower().startswith(b"{\\rtf"):
        raise FileProblem("corrupt", "not an RTF document")
    try:
        text = rtf_to_text(raw.decode("latin-1"))
    except (ValueError, IndexError, RecursionError):
        raise FileProblem("corrupt", "malformed RTF") from None
    lines = ["\t".join(" ".join(c.split()) for c in line.split("\t")) for line in text.splitlines()]
    text = clean_text("\n".join(line for line in lines if line.strip()))
    if not text.strip():
        raise FileSkipped("empty")
    out.text("body", text)
